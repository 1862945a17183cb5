package dev.seam.collector.normalize.propagation;

/**
 * Reads a whole propagation header in whichever format its punctuation says: the four formats share
 * none, so the value, not the name of the field it came in, picks the parser.
 */
public final class HeaderParser {

  private HeaderParser() {}

  /**
   * Reads the header in the region into {@code out}: its trace id, its span id (0 for an X-Ray
   * header without a Parent) and its format.
   *
   * @return whether the region is a well-formed header with a non-zero trace id
   */
  public static boolean parse(String s, int from, int to, ParsedContext out) {
    return switch (formatOf(s, from, to)) {
      case XRAY -> XRayParser.parse(s, from, to, out);
      case JAEGER -> UberTraceIdParser.parse(s, from, to, out);
      case W3C -> TraceparentParser.parse(s, from, to, out);
      case B3 -> B3SingleParser.parse(s, from, to, out);
    };
  }

  /** The only format the region could be in, judged by its punctuation alone. */
  static HeaderFormat formatOf(String s, int from, int to) {
    if (indexOf(s, '=', from, to) >= 0) {
      return HeaderFormat.XRAY;
    }
    if (indexOf(s, ':', from, to) >= 0 || indexOf(s, '%', from, to) >= 0) {
      return HeaderFormat.JAEGER;
    }
    // W3C opens with a 2-digit version; B3 with a 16- or 32-digit trace id.
    return indexOf(s, '-', from, to) - from == 2 ? HeaderFormat.W3C : HeaderFormat.B3;
  }

  /** Index of the first {@code c} in the region, or -1. */
  static int indexOf(String s, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }
}
