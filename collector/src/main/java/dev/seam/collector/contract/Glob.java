package dev.seam.collector.contract;

/**
 * A name pattern as contract files write them: {@code *} stands for any run of characters
 * (including none), {@code ?} for one; everything else matches itself.
 */
final class Glob {

  private final String pattern;
  private final boolean literal;

  private Glob(String pattern) {
    this.pattern = pattern;
    this.literal = pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
  }

  static Glob of(String pattern) {
    return new Glob(pattern);
  }

  /** Whether the pattern has no wildcard, so it names exactly one value. */
  boolean literal() {
    return literal;
  }

  String pattern() {
    return pattern;
  }

  boolean matches(String text) {
    return literal ? pattern.equals(text) : wildcardMatch(text);
  }

  private boolean wildcardMatch(String text) {
    // Iterative with one backtrack point: the last star seen.
    int t = 0;
    int p = 0;
    int star = -1;
    int mark = 0;
    while (t < text.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        t++;
        p++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Glob g && g.pattern.equals(pattern);
  }

  @Override
  public int hashCode() {
    return pattern.hashCode();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
