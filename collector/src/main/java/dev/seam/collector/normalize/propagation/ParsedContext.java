package dev.seam.collector.normalize.propagation;

/**
 * Where a parser writes the trace context it read. A caller keeps one and hands it to every parse,
 * so parsing allocates nothing; its values mean something only after a parse that returned {@code
 * true}, and only those that parse writes (a trace id parse leaves the span id as it was). Not
 * final, so a caller's per-record state can carry these slots without a second object.
 */
public class ParsedContext {

  long traceIdHigh;
  long traceIdLow;
  long spanId;
  HeaderFormat format;

  /** The first 8 bytes of the trace id; 0 for a 64-bit id. */
  public final long traceIdHigh() {
    return traceIdHigh;
  }

  /** The last 8 bytes of the trace id. */
  public final long traceIdLow() {
    return traceIdLow;
  }

  /** The span id; 0 when a header names only a trace. */
  public final long spanId() {
    return spanId;
  }

  /** The format of the last header parsed, or {@code null} before any. */
  public final HeaderFormat format() {
    return format;
  }

  /** Sets the trace id to checked hex digits, at most 32, left-padded with zeros. */
  final void traceIdHex(String s, int from, int to) {
    traceIdHigh = IdParser.hexHigh(s, from, to);
    traceIdLow = IdParser.hexLow(s, from, to);
  }

  /** Whether both halves of the trace id are zero, which every format reads as no trace. */
  final boolean zeroTraceId() {
    return (traceIdHigh | traceIdLow) == 0;
  }
}
