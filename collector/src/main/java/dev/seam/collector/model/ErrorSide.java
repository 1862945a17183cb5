package dev.seam.collector.model;

/** Which half of a paired call failed. */
public enum ErrorSide {
  CALLER("caller"),
  CALLEE("callee"),
  BOTH("both");

  private final String label;

  ErrorSide(String label) {
    this.label = label;
  }

  /** The value of the {@code error_side} label. */
  public String label() {
    return label;
  }

  /** The side for two failure flags, or {@code null} when neither failed. */
  public static ErrorSide of(boolean callerFailed, boolean calleeFailed) {
    if (callerFailed && calleeFailed) {
      return BOTH;
    }
    if (callerFailed) {
      return CALLER;
    }
    return calleeFailed ? CALLEE : null;
  }
}
