package dev.seam.collector.normalize.propagation;

/**
 * Reads a B3 single header: {@code traceid-spanid[-sampled[-parentspanid]]}. The bare {@code 0},
 * {@code 1} and {@code d} forms carry a sampling decision and no ids, so they fail here.
 */
final class B3SingleParser {

  private B3SingleParser() {}

  /** See {@link HeaderParser#parse}; the trace id has 16 or 32 digits, the span id 16. */
  static boolean parse(String s, int from, int to, ParsedContext out) {
    int d1 = HeaderParser.indexOf(s, '-', from, to);
    if (d1 < 0 || (d1 - from != 16 && d1 - from != 32) || !IdParser.isHex(s, from, d1)) {
      return false;
    }
    int d2 = HeaderParser.indexOf(s, '-', d1 + 1, to);
    int spanEnd = d2 < 0 ? to : d2;
    if (spanEnd - d1 - 1 != 16 || !IdParser.isHex(s, d1 + 1, spanEnd)) {
      return false;
    }
    if (d2 >= 0) {
      int d3 = HeaderParser.indexOf(s, '-', d2 + 1, to);
      int sampledEnd = d3 < 0 ? to : d3;
      if (sampledEnd - d2 - 1 != 1 || "01d".indexOf(s.charAt(d2 + 1)) < 0) {
        return false;
      }
      if (d3 >= 0 && (to - d3 - 1 != 16 || !IdParser.isHex(s, d3 + 1, to))) {
        return false;
      }
    }
    out.traceIdHex(s, from, d1);
    out.spanId = IdParser.hex(s, d1 + 1, spanEnd);
    out.format = HeaderFormat.B3;
    return !out.zeroTraceId() && out.spanId != 0;
  }
}
