package dev.seam.collector.model;

/**
 * How a call crossed a boundary: over the network by protocol, in-process through FFI, or neither
 * known.
 */
public enum Transport {
  GRPC("grpc"),
  HTTP("http"),
  MESSAGING("messaging"),
  FFI("ffi"),
  OTHER("other");

  private final String label;

  Transport(String label) {
    this.label = label;
  }

  /** The value of the {@code transport} label. */
  public String label() {
    return label;
  }
}
