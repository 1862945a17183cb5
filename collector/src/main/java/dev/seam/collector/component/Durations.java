package dev.seam.collector.component;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as configuration files write them: a number and a unit, {@code 10s}, {@code 2.5us}. */
public final class Durations {

  private static final Pattern TEXT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h)");
  private static final long[] UNIT_NANOS = {
    3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L
  };
  private static final String[] UNIT_NAMES = {"h", "m", "s", "ms", "us", "ns"};

  private Durations() {}

  /**
   * Parses {@code 10s}, {@code 500ms}, {@code 2.5us}, {@code 1m}, {@code 2h}.
   *
   * @return the duration, or {@code null} when the text has no unit or is malformed
   */
  public static Duration parse(String text) {
    Matcher m = TEXT.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    double nanosPer =
        switch (m.group(2)) {
          case "ns" -> 1;
          case "us", "µs" -> 1e3;
          case "ms" -> 1e6;
          case "s" -> 1e9;
          case "m" -> 60e9;
          default -> 3600e9;
        };
    return Duration.ofNanos(Math.round(Double.parseDouble(m.group(1)) * nanosPer));
  }

  /**
   * Writes {@code d} in the largest unit it fills, as the documentation writes defaults: {@code
   * 10s}, {@code 500ms}, {@code 2.5ms}, {@code 1h}. Seconds and smaller take one decimal where that
   * is exact; minutes and hours only whole numbers ({@code 90s}, not {@code 1.5m}).
   */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    for (int i = 0; i < UNIT_NANOS.length; i++) {
      long unit = UNIT_NANOS[i];
      if (nanos == 0 || nanos < unit) {
        continue;
      }
      if (nanos % unit == 0) {
        return nanos / unit + UNIT_NAMES[i];
      }
      boolean decimal = unit <= 1_000_000_000L && unit >= 1_000L;
      if (decimal && nanos % (unit / 10) == 0) {
        return nanos / unit + "." + (nanos % unit) / (unit / 10) + UNIT_NAMES[i];
      }
    }
    return nanos + "ns";
  }
}
