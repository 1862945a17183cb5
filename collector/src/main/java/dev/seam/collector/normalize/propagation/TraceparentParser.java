package dev.seam.collector.normalize.propagation;

/** Reads a W3C {@code traceparent}: {@code version-traceid-parentid-flags}. */
final class TraceparentParser {

  /** Length of the four fields of version 00, and of the start of any later version. */
  private static final int LENGTH = 55;

  private TraceparentParser() {}

  /** Reads the header per Trace Context level 1 section 3.2; see {@link HeaderParser#parse}. */
  static boolean parse(String s, int from, int to, ParsedContext out) {
    int n = to - from;
    if (n < LENGTH || !IdParser.isHex(s, from, from + 2)) {
      return false;
    }
    int version = (int) IdParser.hex(s, from, from + 2);
    // Version ff is forbidden. Version 00 has exactly these four fields; a later version may append
    // more after another dash, and a reader of 00 must still use the first four.
    boolean fieldsEnd = version == 0 ? n == LENGTH : n == LENGTH || s.charAt(from + LENGTH) == '-';
    if (version == 0xff || !fieldsEnd) {
      return false;
    }
    if (s.charAt(from + 2) != '-' || s.charAt(from + 35) != '-' || s.charAt(from + 52) != '-') {
      return false;
    }
    if (!IdParser.isHex(s, from + 3, from + 35)
        || !IdParser.isHex(s, from + 36, from + 52)
        || !IdParser.isHex(s, from + 53, from + LENGTH)) {
      return false;
    }
    out.traceIdHex(s, from + 3, from + 35);
    out.spanId = IdParser.hex(s, from + 36, from + 52);
    out.format = HeaderFormat.W3C;
    // The spec voids the whole header when either id is all zeros.
    return !out.zeroTraceId() && out.spanId != 0;
  }
}
