package dev.seam.collector.model;

/** The three OTLP signals, named as the {@code signal} label spells them. */
public enum Signal {
  SPANS("spans"),
  LOGS("logs"),
  METRICS("metrics");

  private final String label;

  Signal(String label) {
    this.label = label;
  }

  /** The value of the {@code signal} label. */
  public String label() {
    return label;
  }
}
