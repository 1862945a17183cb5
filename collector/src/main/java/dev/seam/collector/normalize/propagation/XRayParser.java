package dev.seam.collector.normalize.propagation;

/**
 * Reads AWS X-Ray's {@code Root=1-<8hex>-<24hex>;Parent=<16hex>;Sampled=1}, parts in any order. The
 * trace id is the 8 and 24 digits run together, as the OTel X-Ray propagator maps it. Parent is
 * optional (a load balancer's header has none); {@code Self=} has the Root format and is not the
 * trace.
 */
final class XRayParser {

  private static final String ROOT = "Root=";
  private static final String PARENT = "Parent=";

  /** Length of a Root value: {@code 1-}, 8 digits, {@code -}, 24 digits. */
  private static final int ROOT_LENGTH = 35;

  private XRayParser() {}

  /** See {@link HeaderParser#parse}; the span id is 0 when there is no Parent. */
  static boolean parse(String s, int from, int to, ParsedContext out) {
    boolean root = false;
    long span = 0;
    int p = from;
    while (p <= to) {
      int end = HeaderParser.indexOf(s, ';', p, to);
      if (end < 0) {
        end = to;
      }
      int b = p;
      int e = end;
      while (b < e && s.charAt(b) == ' ') {
        b++;
      }
      while (e > b && s.charAt(e - 1) == ' ') {
        e--;
      }
      if (startsWithIgnoreCase(s, b, e, ROOT)) {
        int v = b + ROOT.length();
        if (root
            || e - v != ROOT_LENGTH
            || s.charAt(v) != '1'
            || s.charAt(v + 1) != '-'
            || s.charAt(v + 10) != '-'
            || !IdParser.isHex(s, v + 2, v + 10)
            || !IdParser.isHex(s, v + 11, e)) {
          return false;
        }
        out.traceIdHigh = (IdParser.hex(s, v + 2, v + 10) << 32) | IdParser.hex(s, v + 11, v + 19);
        out.traceIdLow = IdParser.hex(s, v + 19, e);
        root = true;
      } else if (startsWithIgnoreCase(s, b, e, PARENT)) {
        int v = b + PARENT.length();
        if (e - v != 16 || !IdParser.isHex(s, v, e)) {
          return false;
        }
        span = IdParser.hex(s, v, e);
      }
      p = end + 1;
    }
    out.spanId = span;
    out.format = HeaderFormat.XRAY;
    return root && !out.zeroTraceId();
  }

  private static boolean startsWithIgnoreCase(String s, int from, int to, String prefix) {
    return to - from >= prefix.length() && s.regionMatches(true, from, prefix, 0, prefix.length());
  }
}
