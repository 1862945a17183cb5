package dev.seam.collector.normalize.propagation;

/**
 * Reads Jaeger's {@code uber-trace-id}: {@code traceid:spanid:parentid:flags}, the colons possibly
 * URL-encoded. Jaeger clients print ids with {@code %x}, so leading zeros may be missing.
 */
final class UberTraceIdParser {

  private UberTraceIdParser() {}

  /** See {@link HeaderParser#parse}. */
  static boolean parse(String s, int from, int to, ParsedContext out) {
    int e0 = separator(s, from, to);
    if (e0 == to) {
      return false;
    }
    int b1 = afterSeparator(s, e0);
    int e1 = separator(s, b1, to);
    if (e1 == to) {
      return false;
    }
    int b2 = afterSeparator(s, e1);
    int e2 = separator(s, b2, to);
    if (e2 == to) {
      return false;
    }
    int b3 = afterSeparator(s, e2);
    if (separator(s, b3, to) != to) {
      return false;
    }
    if (!IdParser.isHex(s, from, e0, 32)
        || !IdParser.isHex(s, b1, e1, 16)
        || !IdParser.isHex(s, b2, e2, 16)
        || !IdParser.isHex(s, b3, to, 2)) {
      return false;
    }
    out.traceIdHex(s, from, e0);
    out.spanId = IdParser.hex(s, b1, e1);
    out.format = HeaderFormat.JAEGER;
    return !out.zeroTraceId() && out.spanId != 0;
  }

  /** Index of the next {@code :} or {@code %3A} at or after {@code from}, or {@code to}. */
  private static int separator(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean encoded =
          c == '%' && i + 2 < to && s.charAt(i + 1) == '3' && (s.charAt(i + 2) | 0x20) == 'a';
      if (c == ':' || encoded) {
        return i;
      }
    }
    return to;
  }

  private static int afterSeparator(String s, int at) {
    return s.charAt(at) == ':' ? at + 1 : at + 3;
  }
}
