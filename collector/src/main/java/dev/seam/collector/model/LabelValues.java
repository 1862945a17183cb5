package dev.seam.collector.model;

/**
 * Makes the names clients send safe to use as label values: control characters (which break
 * exposition lines and terminals) become {@code _}, and values are cut at {@link #MAX_LENGTH}
 * characters so a hostile or buggy client cannot make every series enormous. Strings decoded from
 * protobuf are already valid Unicode (invalid UTF-8 is replaced on parsing).
 */
public final class LabelValues {

  /** The longest label value kept. */
  public static final int MAX_LENGTH = 256;

  private LabelValues() {}

  /** The value as a label may carry it; the same instance when it is already fine. */
  public static String sanitize(String value) {
    if (value == null) {
      return null;
    }
    int n = value.length();
    boolean clean = n <= MAX_LENGTH;
    for (int i = 0; clean && i < n; i++) {
      char c = value.charAt(i);
      clean = c >= 0x20 && c != 0x7f;
    }
    if (clean) {
      return value;
    }
    int end = Math.min(n, MAX_LENGTH);
    if (end < n && Character.isHighSurrogate(value.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    StringBuilder out = new StringBuilder(end);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? '_' : c);
    }
    return out.toString();
  }
}
