package dev.seam.collector.model;

/** One half of a boundary call. */
public enum Side {
  CALLER("caller"),
  CALLEE("callee");

  private final String label;

  Side(String label) {
    this.label = label;
  }

  /** The value of the {@code side} label. */
  public String label() {
    return label;
  }
}
