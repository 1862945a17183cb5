package dev.seam.collector.model;

/** OTLP span kind; the numbers are the wire values. */
public enum SpanKind {
  UNSPECIFIED,
  INTERNAL,
  SERVER,
  CLIENT,
  PRODUCER,
  CONSUMER;

  private static final SpanKind[] BY_NUMBER = values();

  /** The kind for a wire value; unknown values read as {@link #UNSPECIFIED}. */
  public static SpanKind fromNumber(int number) {
    return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : UNSPECIFIED;
  }

  /** True for the kinds that start an outgoing call (the caller half of a remote boundary). */
  public boolean isOutgoing() {
    return this == CLIENT || this == PRODUCER;
  }

  /** True for the kinds that serve an incoming call (the callee half of a remote boundary). */
  public boolean isIncoming() {
    return this == SERVER || this == CONSUMER;
  }
}
