package dev.seam.collector.testing;

import dev.seam.collector.model.ErrorClass;
import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;

/** Builds normalized {@link Span}s for tests, one named setter per field. */
public final class Spans {

  /** The origin a built span has unless told otherwise. */
  public static final Origin DEFAULT_ORIGIN =
      new Origin("checkout", "go", "node-1/100", "node-1/100");

  private Spans() {}

  /**
   * A builder for a root INTERNAL span of 500 ns that says nothing it does not have to: no
   * protocol, operation or peer, sizes not known (-1), not failed, answered, standing for itself.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects the fields of one span; {@link #build} may be called again after more changes. */
  public static final class Builder {
    private long traceIdHigh = 0x4bf92f3577b34da6L;
    private long traceIdLow = 0xa3ce929d0e0e4736L;
    private long spanId = 1;
    private long parentSpanId;
    private ParentLink parentLink = ParentLink.NONE;
    private SpanKind kind = SpanKind.INTERNAL;
    private Origin origin = DEFAULT_ORIGIN;
    private String name = "span";
    private long startNanos = 1_000L;
    private long endNanos = 1_500L;
    private boolean failed;
    private String errorClass = ErrorClass.UNKNOWN;
    private ProtocolHint protocol = ProtocolHint.NONE;
    private String operation;
    private String peer;
    private long requestBytes = -1;
    private long responseBytes = -1;
    private long allocatedBytes = -1;
    private double adjustedCount = 1.0;
    private boolean answered = true;

    private Builder() {}

    public Builder traceIdHigh(long v) {
      traceIdHigh = v;
      return this;
    }

    public Builder traceIdLow(long v) {
      traceIdLow = v;
      return this;
    }

    public Builder spanId(long v) {
      spanId = v;
      return this;
    }

    public Builder parentSpanId(long v) {
      parentSpanId = v;
      return this;
    }

    public Builder parentLink(ParentLink v) {
      parentLink = v;
      return this;
    }

    public Builder kind(SpanKind v) {
      kind = v;
      return this;
    }

    public Builder origin(Origin v) {
      origin = v;
      return this;
    }

    public Builder name(String v) {
      name = v;
      return this;
    }

    public Builder startNanos(long v) {
      startNanos = v;
      return this;
    }

    public Builder endNanos(long v) {
      endNanos = v;
      return this;
    }

    public Builder failed(boolean v) {
      failed = v;
      return this;
    }

    public Builder errorClass(String v) {
      errorClass = v;
      return this;
    }

    public Builder protocol(ProtocolHint v) {
      protocol = v;
      return this;
    }

    public Builder operation(String v) {
      operation = v;
      return this;
    }

    public Builder peer(String v) {
      peer = v;
      return this;
    }

    public Builder requestBytes(long v) {
      requestBytes = v;
      return this;
    }

    public Builder responseBytes(long v) {
      responseBytes = v;
      return this;
    }

    public Builder allocatedBytes(long v) {
      allocatedBytes = v;
      return this;
    }

    public Builder adjustedCount(double v) {
      adjustedCount = v;
      return this;
    }

    public Builder answered(boolean v) {
      answered = v;
      return this;
    }

    public Span build() {
      return new Span(
          traceIdHigh,
          traceIdLow,
          spanId,
          parentSpanId,
          parentLink,
          kind,
          origin,
          name,
          startNanos,
          endNanos,
          failed,
          errorClass,
          protocol,
          operation,
          peer,
          requestBytes,
          responseBytes,
          allocatedBytes,
          adjustedCount,
          answered);
    }
  }
}
