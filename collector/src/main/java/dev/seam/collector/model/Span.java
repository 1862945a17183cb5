package dev.seam.collector.model;

/**
 * A span reduced to the facts the boundary model needs (docs/boundary-model.md, "What Seam reads
 * from a span"). Ids are held as longs: the trace id as two halves, zero meaning "none".
 *
 * @param traceIdHigh high 64 bits of the trace id
 * @param traceIdLow low 64 bits of the trace id
 * @param spanId this span's id
 * @param parentSpanId the parent's id, 0 for a root span
 * @param parentLink what the flags say about where the parent lives
 * @param kind the span kind
 * @param origin the resource that reported it
 * @param name the span name
 * @param startNanos start, Unix nanoseconds on the reporter's clock
 * @param endNanos end, on the same clock
 * @param failed whether this half of the call failed, judged as its SDK would
 * @param errorClass the error class when failed (else {@link ErrorClass#UNKNOWN})
 * @param protocol the protocol its attributes name
 * @param operation route, full rpc method or destination, or {@code null}
 * @param peer the peer hint ({@code peer.service}, {@code server.address}, ...), or {@code null}
 * @param requestBytes request payload size, -1 when not known
 * @param responseBytes response payload size, -1 when not known
 * @param allocatedBytes bytes allocated during the span, -1 when not known
 * @param adjustedCount how many calls this sampled span stands for (1 / sampling probability, from
 *     the {@code ot=th:} threshold in its tracestate; 1 when it says nothing)
 * @param answered whether the span records a response (an HTTP status or a gRPC code); a server
 *     span without one under an HTTP or RPC protocol was cut off before it could answer
 */
public record Span(
    long traceIdHigh,
    long traceIdLow,
    long spanId,
    long parentSpanId,
    ParentLink parentLink,
    SpanKind kind,
    Origin origin,
    String name,
    long startNanos,
    long endNanos,
    boolean failed,
    String errorClass,
    ProtocolHint protocol,
    String operation,
    String peer,
    long requestBytes,
    long responseBytes,
    long allocatedBytes,
    double adjustedCount,
    boolean answered) {

  /** A span that states no sampling threshold: it stands for itself. */
  public Span(
      long traceIdHigh,
      long traceIdLow,
      long spanId,
      long parentSpanId,
      ParentLink parentLink,
      SpanKind kind,
      Origin origin,
      String name,
      long startNanos,
      long endNanos,
      boolean failed,
      String errorClass,
      ProtocolHint protocol,
      String operation,
      String peer,
      long requestBytes,
      long responseBytes,
      long allocatedBytes) {
    this(
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
        1.0,
        true);
  }

  /**
   * Whether this serving span was cut off: it served HTTP or RPC and ended without recording a
   * response, as a Rust server span does when its client hangs up mid-request (tracing drops the
   * handler's future, and the span's end then says nothing about how long the work took).
   */
  public boolean cutOff() {
    return !answered
        && (protocol == ProtocolHint.HTTP
            || protocol == ProtocolHint.GRPC
            || protocol == ProtocolHint.OTHER_RPC)
        && !kind.isOutgoing();
  }

  /** Duration in nanoseconds on the reporter's own clock; never negative. */
  public long durationNanos() {
    return Math.max(0L, endNanos - startNanos);
  }

  /** The trace id as 32 lowercase hex digits. */
  public String traceIdHex() {
    return Ids.hex(traceIdHigh, traceIdLow);
  }

  /** The span id as 16 lowercase hex digits. */
  public String spanIdHex() {
    return Ids.hex(spanId);
  }
}
