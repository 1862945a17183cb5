package dev.seam.collector.model;

import java.util.Locale;

/** Log severity in the six ranges of the OTLP severity number. */
public enum Severity {
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR,
  FATAL;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The value of the {@code severity} label. */
  public String label() {
    return label;
  }

  /**
   * The range an OTLP severity number falls in (1-4 trace ... 21-24 fatal). An unspecified number
   * (0) falls back to the severity text, and to {@link #INFO} when that says nothing either,
   * because a record that states no level is not an error report.
   */
  public static Severity of(int number, String text) {
    if (number >= 1 && number <= 24) {
      return values()[(number - 1) / 4];
    }
    if (text != null && !text.isEmpty()) {
      String t = text.trim().toUpperCase(Locale.ROOT);
      if (t.startsWith("TRACE")) return TRACE;
      if (t.startsWith("DEBUG")) return DEBUG;
      if (t.startsWith("WARN")) return WARN;
      if (t.startsWith("ERR")) return ERROR;
      if (t.startsWith("FATAL")
          || t.startsWith("CRIT")
          || t.startsWith("PANIC")
          || t.startsWith("EMERG")) {
        return FATAL;
      }
    }
    return INFO;
  }

  /** True for ERROR and FATAL: the records counted against a boundary side. */
  public boolean isError() {
    return this == ERROR || this == FATAL;
  }
}
