package dev.seam.collector.contract;

/** Where the interface of a call stands in its boundary's contract. */
public enum InterfaceStatus {
  /** A version the contract names as current. */
  CURRENT("current"),
  /** A deprecated version, before the end of its last day. */
  DEPRECATED("deprecated"),
  /** A deprecated version past its last day. */
  SUNSET("sunset"),
  /** No interface could be read, the boundary is not declared, or the contract does not name it. */
  UNKNOWN("unknown");

  private final String label;

  InterfaceStatus(String label) {
    this.label = label;
  }

  /** The value of the {@code status} label. */
  public String label() {
    return label;
  }
}
