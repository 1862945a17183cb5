package dev.seam.collector.normalize;

import com.google.protobuf.ByteString;
import dev.seam.collector.model.Ids;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.util.List;
import java.util.Locale;

/**
 * Finds the trace context a log record names in its attributes or body when its OTLP ids are empty.
 * Loggers that bypass the OTel log bridges (zap, slog, logrus, tracing-subscriber's JSON layer,
 * Datadog log correlation) still write the ids, as fields or as whole propagation headers;
 * docs/normalization.md, "Ids in logs that bypass the OTel bridges", lists the spellings.
 *
 * <p>Where it looks, first match wins: the record's attributes, then its body (a kvlist, or a
 * string holding one JSON object). Within one of those sources the trace id fields come first, each
 * paired with the best span id field of the same source, then the header fields, which carry both
 * ids. Within each list the earlier name wins, whatever the order of the record's keys. A value
 * that is empty, all zeros or malformed counts as absent, so the search goes on.
 *
 * <p>A dotted name matches a flat key spelled with the dots ({@code "trace.id"}), nested kvlists or
 * JSON objects ({@code trace -> id}), and any mix of the two. Names starting with {@code dd.} are
 * Datadog's: they also accept unsigned 64-bit decimal ids, as strings or ints.
 *
 * <p>It composes the configured {@code FieldNames}, a {@code LogFieldScanner} that knows where to
 * look, and the parsers of the {@code propagation} package that know what a value says. Instances
 * are immutable and safe to share between threads.
 */
public final class LogContextExtractor {

  /** Trace id field names {@link #defaults()} uses, first wins. */
  public static final List<String> DEFAULT_TRACE_ID_FIELDS =
      List.of(
          "trace_id",
          "traceId",
          "traceID",
          "TraceID",
          "TraceId",
          "trace.id",
          "dd.trace_id",
          "otel.trace_id",
          "openTelemetry.traceId");

  /** Span id field names {@link #defaults()} uses, first wins. */
  public static final List<String> DEFAULT_SPAN_ID_FIELDS =
      List.of(
          "span_id",
          "spanId",
          "spanID",
          "SpanID",
          "SpanId",
          "span.id",
          "dd.span_id",
          "otel.span_id",
          "openTelemetry.spanId");

  /** Propagation header field names {@link #defaults()} uses, first wins. */
  public static final List<String> DEFAULT_HEADER_FIELDS =
      List.of(
          "traceparent",
          "b3",
          "uber-trace-id",
          "X-Amzn-Trace-Id",
          "x-amzn-trace-id",
          "_X_AMZN_TRACE_ID");

  private static final LogContextExtractor DEFAULTS =
      new LogContextExtractor(
          DEFAULT_TRACE_ID_FIELDS, DEFAULT_SPAN_ID_FIELDS, DEFAULT_HEADER_FIELDS);

  private final LogFieldScanner scanner;

  /**
   * @param traceIdFields names of fields holding a trace id, highest priority first
   * @param spanIdFields names of fields holding a span id, highest priority first
   * @param headerFields names of fields holding a whole W3C, B3, Jaeger or X-Ray header, highest
   *     priority first; the format is recognised from the value
   * @throws IllegalArgumentException when a name is empty, has an empty dotted segment, or is in
   *     two of the lists
   * @throws NullPointerException when a list or a name is null
   */
  public LogContextExtractor(
      List<String> traceIdFields, List<String> spanIdFields, List<String> headerFields) {
    this.scanner = new LogFieldScanner(new FieldNames(traceIdFields, spanIdFields, headerFields));
  }

  /** An extractor with the default field names; shared, since it holds no state. */
  public static LogContextExtractor defaults() {
    return DEFAULTS;
  }

  /**
   * The trace context the record names outside its OTLP ids, or {@code null} when it names none or
   * when the OTLP trace id is set: OTLP context always wins, and a malformed OTLP id is for {@link
   * LogNormalizer#invalidReason} to report, not for this class to paper over.
   */
  public Result extract(LogRecord r) {
    if (hasOtlpTraceId(r)) {
      return null;
    }
    Candidates found = scanner.scanKvList(r.getAttributesList());
    Result result = found == null ? null : found.result(false);
    if (result != null) {
      return result;
    }
    AnyValue body = r.getBody();
    switch (body.getValueCase()) {
      case KVLIST_VALUE:
        found = scanner.scanKvList(body.getKvlistValue().getValuesList());
        break;
      case STRING_VALUE:
        found = scanner.scanJson(body.getStringValueBytes());
        break;
      default:
        return null;
    }
    return found == null ? null : found.result(true);
  }

  /** Whether the record's OTLP trace id is anything but empty or all zeros. */
  private static boolean hasOtlpTraceId(LogRecord r) {
    ByteString otlp = r.getTraceId();
    return !otlp.isEmpty()
        && (otlp.size() != 16 || Ids.readLong(otlp, 0) != 0 || Ids.readLong(otlp, 8) != 0);
  }

  /**
   * The trace context a log record names.
   *
   * @param traceIdHigh the first 8 bytes of the trace id; 0 for a 64-bit id
   * @param traceIdLow the last 8 bytes of the trace id
   * @param spanId the span id, or 0 when the record names only a trace
   * @param source where the ids were found, for a debug line, e.g. {@code "attribute trace_id"},
   *     {@code "body field openTelemetry.traceId"}, {@code "attribute traceparent (W3C)"}
   */
  public record Result(long traceIdHigh, long traceIdLow, long spanId, String source) {

    /** Hex ids, the way they appear in traces, so a debug line can be matched to them. */
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "trace %s span %s from %s",
          Ids.hex(traceIdHigh, traceIdLow),
          Ids.hex(spanId),
          source);
    }
  }
}
