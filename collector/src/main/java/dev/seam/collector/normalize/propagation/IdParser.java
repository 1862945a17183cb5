package dev.seam.collector.normalize.propagation;

/**
 * Hex and unsigned decimal digits in a region of a String, as the id parsers of this package read
 * them: ASCII only, in place, without allocating.
 */
final class IdParser {

  /** The largest unsigned 64-bit value, in decimal. */
  private static final String U64_MAX = "18446744073709551615";

  private IdParser() {}

  /** The value of an ASCII hex digit of either case, or -1. */
  static int hexDigit(char c) {
    // Not Character.digit: that accepts full-width and other non-ASCII digits.
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** Whether every char in the region is a hex digit; true for an empty region. */
  static boolean isHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (hexDigit(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether the region is 1 to {@code maxDigits} hex digits. */
  static boolean isHex(String s, int from, int to, int maxDigits) {
    return to > from && to - from <= maxDigits && isHex(s, from, to);
  }

  /** The value of at most 16 hex digits already checked by {@link #isHex}. */
  static long hex(String s, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      v = (v << 4) | hexDigit(s.charAt(i));
    }
    return v;
  }

  /** The first 8 bytes of at most 32 checked hex digits read as a left-padded 128-bit id. */
  static long hexHigh(String s, int from, int to) {
    return hex(s, from, Math.max(from, to - 16));
  }

  /** The last 8 bytes of at most 32 checked hex digits read as a left-padded 128-bit id. */
  static long hexLow(String s, int from, int to) {
    return hex(s, Math.max(from, to - 16), to);
  }

  /** Whether the region is one or more ASCII decimal digits. */
  static boolean isDigits(String s, int from, int to) {
    if (from == to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Whether decimal digits checked by {@link #isDigits} are at most 2^64 - 1. */
  static boolean fitsUnsigned64(String s, int from, int to) {
    while (to - from > 1 && s.charAt(from) == '0') {
      from++;
    }
    int n = to - from;
    if (n != U64_MAX.length()) {
      return n < U64_MAX.length();
    }
    for (int i = 0; i < n; i++) {
      int d = s.charAt(from + i) - U64_MAX.charAt(i);
      if (d != 0) {
        return d < 0;
      }
    }
    return true;
  }

  /**
   * The value of decimal digits that {@link #fitsUnsigned64 fit in 64 bits}, as the long with the
   * same bits (so values at or above 2^63 are negative).
   */
  static long unsigned64(String s, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      // Wraps modulo 2^64, which leaves exactly the unsigned bits of any value that fits.
      v = v * 10 + (s.charAt(i) - '0');
    }
    return v;
  }
}
