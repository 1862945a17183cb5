package dev.seam.collector.pair;

/** How a pending entry left the pairing store. */
public enum Outcome {
  PAIRED("paired"),
  EXPIRED("expired"),
  EVICTED("evicted");

  private final String label;

  Outcome(String label) {
    this.label = label;
  }

  /** The value of the {@code outcome} label. */
  public String label() {
    return label;
  }
}
