package dev.seam.collector.normalize;

import dev.seam.collector.model.Ids;
import dev.seam.collector.model.Severity;
import io.opentelemetry.proto.logs.v1.LogRecord;

/** The facts of an OTLP log record Seam uses: severity, effective time, and the span it names. */
public final class LogNormalizer {

  private LogNormalizer() {}

  /**
   * Why a record cannot be used, or {@code null}. Ids are optional on logs, but when present they
   * must have their OTLP lengths.
   */
  public static String invalidReason(LogRecord r) {
    int t = r.getTraceId().size();
    if (t != 0 && t != 16) {
      return "log record has a " + t + "-byte trace_id (want 0 or 16)";
    }
    int s = r.getSpanId().size();
    if (s != 0 && s != 8) {
      return "log record has a " + s + "-byte span_id (want 0 or 8)";
    }
    return null;
  }

  /** The record's severity range. */
  public static Severity severity(LogRecord r) {
    return Severity.of(r.getSeverityNumberValue(), r.getSeverityText());
  }

  /**
   * When the record happened: its own time, or the observed time when the sender left it 0 (the
   * Rust appender does).
   */
  public static long timeNanos(LogRecord r) {
    return r.getTimeUnixNano() != 0 ? r.getTimeUnixNano() : r.getObservedTimeUnixNano();
  }

  /**
   * The span context the record names, or {@code null} when it names none: empty and all-zero ids
   * both mean "no context".
   */
  public static SpanRef spanRef(LogRecord r) {
    if (r.getTraceId().size() != 16 || r.getSpanId().size() != 8) {
      return null;
    }
    long hi = Ids.readLong(r.getTraceId(), 0);
    long lo = Ids.readLong(r.getTraceId(), 8);
    long span = Ids.readLong(r.getSpanId(), 0);
    if ((hi == 0 && lo == 0) || span == 0) {
      return null;
    }
    return new SpanRef(hi, lo, span);
  }

  /** A trace id and span id a log record points at. */
  public record SpanRef(long traceIdHigh, long traceIdLow, long spanId) {}
}
