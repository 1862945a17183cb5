package dev.seam.collector.normalize.propagation;

/**
 * Reads a field holding one bare id, as loggers write the current span's context: a trace id of 32
 * hex digits (or 16, a 64-bit id), a span id of 16 hex digits, either case. A field that allows
 * decimal (Datadog's) also takes an unsigned 64-bit decimal id. All zeros is no id.
 */
public final class IdFieldParser {

  private IdFieldParser() {}

  /**
   * Reads a trace id into {@code out}'s trace id.
   *
   * @param decimal the field also takes an unsigned 64-bit decimal id, the low half of the trace id
   *     (as the OTel Datadog bridge maps Datadog's 64-bit ids)
   * @param number the text is a JSON number, which only a decimal field accepts
   * @return whether the region is a non-zero trace id
   */
  public static boolean traceId(
      String s, int from, int to, boolean decimal, boolean number, ParsedContext out) {
    int n = to - from;
    // 32 digits are too many for a u64, so they are the 128-bit hex form even when no letter shows.
    if (decimal && n != 32 && IdParser.isDigits(s, from, to)) {
      if (!IdParser.fitsUnsigned64(s, from, to)) {
        return false;
      }
      out.traceIdHigh = 0;
      out.traceIdLow = IdParser.unsigned64(s, from, to);
    } else if (number || (n != 16 && n != 32) || !IdParser.isHex(s, from, to)) {
      return false;
    } else {
      out.traceIdHex(s, from, to);
    }
    return !out.zeroTraceId();
  }

  /**
   * Reads a span id into {@code out}'s span id.
   *
   * @param decimal the field also takes an unsigned 64-bit decimal id
   * @param number the text is a JSON number, which only a decimal field accepts
   * @return whether the region is a non-zero span id
   */
  public static boolean spanId(
      String s, int from, int to, boolean decimal, boolean number, ParsedContext out) {
    if (decimal && IdParser.isDigits(s, from, to)) {
      if (!IdParser.fitsUnsigned64(s, from, to)) {
        return false;
      }
      out.spanId = IdParser.unsigned64(s, from, to);
    } else if (number || to - from != 16 || !IdParser.isHex(s, from, to)) {
      return false;
    } else {
      out.spanId = IdParser.hex(s, from, to);
    }
    return out.spanId != 0;
  }
}
