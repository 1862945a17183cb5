package dev.seam.collector.normalize.propagation;

/** The propagation header formats {@link HeaderParser} reads. */
public enum HeaderFormat {
  /** W3C Trace Context {@code traceparent}. */
  W3C("W3C"),
  /** Zipkin's B3 single header, {@code b3}. */
  B3("B3"),
  /** Jaeger's {@code uber-trace-id}. */
  JAEGER("Jaeger"),
  /** AWS X-Ray's {@code X-Amzn-Trace-Id}. */
  XRAY("X-Ray");

  private final String label;

  HeaderFormat(String label) {
    this.label = label;
  }

  /** The name a debug line shows, e.g. {@code "X-Ray"}. */
  public String label() {
    return label;
  }
}
