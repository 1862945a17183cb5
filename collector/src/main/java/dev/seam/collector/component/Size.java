package dev.seam.collector.component;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of bytes as configuration files write it: {@code 16MiB}, {@code 512KiB}, {@code 5GB} or
 * a plain number. {@link #toString()} writes it back in the largest binary unit that divides it, so
 * defaults print the way the documentation shows them.
 *
 * @param bytes the size in bytes, never negative
 */
public record Size(long bytes) implements Comparable<Size> {

  private static final Pattern TEXT =
      Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB|k|K|M|G)?");

  public Size {
    if (bytes < 0) {
      throw new IllegalArgumentException("a size is never negative: " + bytes);
    }
  }

  /** {@code n} bytes. */
  public static Size bytes(long n) {
    return new Size(n);
  }

  /** {@code n} KiB. */
  public static Size kib(long n) {
    return new Size(Math.multiplyExact(n, 1L << 10));
  }

  /** {@code n} MiB. */
  public static Size mib(long n) {
    return new Size(Math.multiplyExact(n, 1L << 20));
  }

  /**
   * Parses {@code 16MiB}, {@code 512KiB}, {@code 1048576}, {@code 5GB}.
   *
   * @return the size, or {@code null} when the text is malformed or beyond a long
   */
  public static Size parse(String text) {
    Matcher m = TEXT.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    long factor =
        switch (m.group(2) == null ? "B" : m.group(2)) {
          case "KiB", "k", "K" -> 1L << 10;
          case "MiB", "M" -> 1L << 20;
          case "GiB", "G" -> 1L << 30;
          case "KB" -> 1000L;
          case "MB" -> 1000_000L;
          case "GB" -> 1000_000_000L;
          default -> 1L;
        };
    try {
      return new Size(Math.multiplyExact(Long.parseLong(m.group(1)), factor));
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  @Override
  public int compareTo(Size other) {
    return Long.compare(bytes, other.bytes);
  }

  /** The size in the largest of GiB, MiB, KiB that divides it, else in bytes as a plain number. */
  @Override
  public String toString() {
    if (bytes != 0) {
      if (bytes % (1L << 30) == 0) {
        return bytes / (1L << 30) + "GiB";
      }
      if (bytes % (1L << 20) == 0) {
        return bytes / (1L << 20) + "MiB";
      }
      if (bytes % (1L << 10) == 0) {
        return bytes / (1L << 10) + "KiB";
      }
    }
    return Long.toString(bytes);
  }
}
