package dev.seam.collector.component;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** The range checks components' {@code validate()} methods share; each names the key it checks. */
public final class Checks {

  private Checks() {}

  /** {@code value} must lie in {@code [min, max]}. */
  public static void between(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new InvalidConfigException(
          key, "must be between " + min + " and " + max + ", got " + value);
    }
  }

  /** {@code value} must lie in {@code [min, max]}. */
  public static void between(String key, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new InvalidConfigException(
          key, "must be between " + min + " and " + max + ", got " + value);
    }
  }

  /** {@code size} must lie in {@code [min, max]} bytes. */
  public static void between(String key, Size size, long min, long max) {
    if (size.bytes() < min || size.bytes() > max) {
      throw new InvalidConfigException(
          key, "must be between " + min + " and " + max + " bytes, got " + size.bytes());
    }
  }

  /** A port number, 0 meaning "any free one". */
  public static void port(String key, int port) {
    between(key, port, 0, 65535);
  }

  /** {@code d} must be longer than zero. */
  public static void positive(String key, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new InvalidConfigException(
          key,
          "must be a positive duration such as 10s or 500ms, got '" + Durations.format(d) + "'");
    }
  }

  /** {@code d} must be at least {@code min}. */
  public static void atLeast(String key, Duration d, Duration min) {
    if (d.compareTo(min) < 0) {
      throw new InvalidConfigException(
          key, "must be at least " + Durations.format(min) + ", got " + Durations.format(d));
    }
  }

  /** {@code text} must not be blank. */
  public static void notBlank(String key, String text) {
    if (text.isBlank()) {
      throw new InvalidConfigException(key, "must not be empty");
    }
  }

  /** {@code text} must be one of {@code allowed}. */
  public static void oneOf(String key, String text, Collection<String> allowed) {
    if (!allowed.contains(text)) {
      throw new InvalidConfigException(
          key, "must be one of " + String.join(", ", allowed) + ", got '" + text + "'");
    }
  }

  /** {@code values} must not be empty and must rise strictly. */
  public static <T extends Comparable<? super T>> void ascending(String key, List<T> values) {
    if (values.isEmpty()) {
      throw new InvalidConfigException(key, "must not be empty");
    }
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i).compareTo(values.get(i - 1)) <= 0) {
        throw new InvalidConfigException(key, "must be in ascending order");
      }
    }
  }
}
