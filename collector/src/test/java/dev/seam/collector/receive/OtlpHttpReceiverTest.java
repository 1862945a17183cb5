package dev.seam.collector.receive;

import static dev.seam.collector.testing.ReceiverChecks.DROPPED;
import static dev.seam.collector.testing.ReceiverChecks.PROCESSED;
import static dev.seam.collector.testing.ReceiverChecks.RECEIVED;
import static dev.seam.collector.testing.ReceiverChecks.REFUSED_ITEMS;
import static dev.seam.collector.testing.ReceiverChecks.REFUSED_REQUESTS;
import static dev.seam.collector.testing.ReceiverChecks.assertIdleAndBalanced;
import static dev.seam.collector.testing.ReceiverChecks.delta;
import static dev.seam.collector.testing.ReceiverChecks.gzipBomb;
import static dev.seam.collector.testing.ReceiverChecks.spanHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Status;
import dev.seam.collector.testing.Otlp;
import dev.seam.collector.testing.ReceiverChecks;
import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OTLP/HTTP against a real collector over loopback sockets: protobuf and JSON bodies, gzip, partial
 * success, every kind of refusal with its status code and reason label, size limits and gzip bombs,
 * and concurrent clients. Counters are cumulative, so every assertion is a delta.
 *
 * <p>Longer than most test classes: every status, encoding, limit and refusal of the OTLP/HTTP
 * receiver, against one running receiver.
 */
class OtlpHttpReceiverTest {

  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";

  /** A default collector (16 MiB body limit), shared by the tests that need no special config. */
  private static RunningSeam seam;

  /** Unique ids for every span this class sends, so nothing is ever a duplicate of anything. */
  private static final AtomicLong IDS = new AtomicLong(0x1000);

  /** Every trace id this class sends starts with this, followed by a number from {@link #IDS}. */
  private static final String TRACE_PREFIX = "5eed";

  /**
   * Exceptions that escaped a handler onto an event loop (Vert.x reports them as "Unhandled
   * exception"), and warnings from Seam itself: a bad request must get an answer, never an
   * exception, so either one fails the test during which it was logged.
   */
  private static final List<java.util.logging.LogRecord> ESCAPED = new CopyOnWriteArrayList<>();

  private static final Logger VERTX_LOG = Logger.getLogger("io.vertx");
  private static final Logger SEAM_LOG = Logger.getLogger("dev.seam");
  private static final Handler CAPTURE =
      new Handler() {
        @Override
        public void publish(java.util.logging.LogRecord r) {
          boolean unhandled =
              r.getLevel().intValue() >= Level.SEVERE.intValue()
                  && r.getLoggerName() != null
                  && r.getLoggerName().startsWith("io.vertx.core.impl.Context");
          boolean seamWarning =
              r.getLevel().intValue() >= Level.WARNING.intValue()
                  && r.getLoggerName() != null
                  && r.getLoggerName().startsWith("dev.seam");
          if (unhandled || seamWarning) {
            ESCAPED.add(r);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeAll
  static void start() throws Exception {
    VERTX_LOG.addHandler(CAPTURE);
    SEAM_LOG.addHandler(CAPTURE);
    seam = RunningSeam.start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (seam != null) {
        seam.close();
      }
    } finally {
      VERTX_LOG.removeHandler(CAPTURE);
      SEAM_LOG.removeHandler(CAPTURE);
    }
  }

  @BeforeEach
  void forgetEarlierLogs() {
    ESCAPED.clear();
  }

  /**
   * After every test, bad request or not: the collector still takes a valid export, nothing is in
   * flight (received = processed + dropped per signal), and nothing was ever dropped.
   */
  @AfterEach
  void stillServingAndBalanced() throws Exception {
    List<String> escaped = new ArrayList<>();
    for (java.util.logging.LogRecord r : ESCAPED) {
      escaped.add(
          r.getLoggerName()
              + ": "
              + r.getMessage()
              + (r.getThrown() != null
                  ? " " + r.getThrown() + " at " + firstFrames(r.getThrown())
                  : ""));
    }
    assertEquals(
        List.of(), escaped, "exceptions escaped onto the event loop, or Seam logged a warning");
    assertServes(seam);
    assertIdleAndBalanced(seam);
  }

  // ---------------------------------------------------------------------------------------------
  // Valid exports

  @Test
  void protobufTracesAreAnsweredInProtobufAndCountedExactly() throws Exception {
    ExportTraceServiceRequest req =
        Otlp.traces(
            Otlp.resourceSpans(Otlp.resource("svc-a", "go"), validSpans(4)),
            Otlp.resourceSpans(Otlp.resource("svc-b", "rust"), validSpans(3)));
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/traces", PROTOBUF, null, req.toByteArray());

    assertEquals(200, r.statusCode());
    assertEquals(PROTOBUF, r.headers().firstValue("Content-Type").orElse(null));
    ExportTraceServiceResponse resp = ExportTraceServiceResponse.parseFrom(r.body());
    assertFalse(
        resp.hasPartialSuccess(), "no partial_success for a fully accepted request: " + resp);
    Scrape after = seam.scrape();
    assertEquals(7, delta(before, after, RECEIVED, "signal", "spans", "protocol", "http"));
    assertEquals(0, delta(before, after, RECEIVED, "signal", "spans", "protocol", "grpc"));
    assertEquals(7, delta(before, after, PROCESSED, "signal", "spans"));
    assertEquals(0, delta(before, after, REFUSED_ITEMS, "signal", "spans"));
    assertEquals(0, delta(before, after, REFUSED_REQUESTS));
  }

  @Test
  void jsonTracesWithHexIdsAndStringOrNumberTimesAreAcceptedAndAnsweredInJson() throws Exception {
    // A Go client span and its Rust server child, in OTLP JSON: hex ids (one upper case), the
    // 64-bit times once as strings and once as numbers. If any id or time were misread the two
    // would not pair, or their durations would be wrong.
    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    String client = "00f067aa0ba902b7";
    String server = "B7AD6B7169203331";
    long t0 = Otlp.T0;
    String body =
        "{\"resourceSpans\":["
            + resourceSpansJson(
                "json-go-client",
                "go",
                "{\"traceId\":\""
                    + trace
                    + "\",\"spanId\":\""
                    + client
                    + "\",\"name\":\"GET /items\",\"kind\":3,"
                    + "\"startTimeUnixNano\":\""
                    + t0
                    + "\",\"endTimeUnixNano\":"
                    + (t0 + 2_000_000)
                    + "}")
            + ","
            + resourceSpansJson(
                "json-rust-server",
                "rust",
                "{\"traceId\":\""
                    + trace.toUpperCase()
                    + "\",\"spanId\":\""
                    + server
                    + "\",\"parentSpanId\":\""
                    + client
                    + "\","
                    + "\"flags\":768,\"name\":\"GET /items\",\"kind\":2,"
                    + "\"startTimeUnixNano\":"
                    + (t0 + 500_000)
                    + ",\"endTimeUnixNano\":\""
                    + (t0 + 1_500_000)
                    + "\"}")
            + "]}";
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/traces", JSON, null, utf8(body));

    assertEquals(200, r.statusCode(), () -> text(r));
    assertEquals(JSON, r.headers().firstValue("Content-Type").orElse(null));
    assertEquals("{}", text(r), "a full success is the empty response");
    ExportTraceServiceResponse.Builder resp = ExportTraceServiceResponse.newBuilder();
    JsonFormat.parser().merge(text(r), resp);
    assertFalse(resp.hasPartialSuccess());
    Scrape after = seam.scrape();
    assertEquals(2, delta(before, after, RECEIVED, "signal", "spans", "protocol", "http"));
    assertEquals(2, delta(before, after, PROCESSED, "signal", "spans"));
    String[] boundary = {"caller_service", "json-go-client", "callee_service", "json-rust-server"};
    assertEquals(1.0, after.value("seam_boundary_calls_total", boundary));
    assertEquals(0.002, after.value("seam_boundary_caller_duration_seconds_sum", boundary), 1e-12);
    assertEquals(0.001, after.value("seam_boundary_callee_duration_seconds_sum", boundary), 1e-12);
  }

  @Test
  void jsonWithCharsetParameterIsAccepted() throws Exception {
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r =
        seam.post("/v1/traces", "application/json; charset=utf-8", null, utf8(tracesJson(3)));

    assertEquals(200, r.statusCode(), () -> text(r));
    assertEquals(JSON, r.headers().firstValue("Content-Type").orElse(null));
    assertEquals("{}", text(r));
    assertEquals(3, delta(before, seam.scrape(), RECEIVED, "signal", "spans", "protocol", "http"));
  }

  @Test
  void gzipProtobufIsInflatedAndCounted() throws Exception {
    ExportTraceServiceRequest req =
        Otlp.traces(Otlp.resourceSpans(Otlp.resource("gz-pb", "go"), validSpans(6)));
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r =
        seam.post("/v1/traces", PROTOBUF, "gzip", Otlp.gzip(req.toByteArray()));

    assertEquals(200, r.statusCode());
    assertEquals(PROTOBUF, r.headers().firstValue("Content-Type").orElse(null));
    assertFalse(ExportTraceServiceResponse.parseFrom(r.body()).hasPartialSuccess());
    Scrape after = seam.scrape();
    assertEquals(6, delta(before, after, RECEIVED, "signal", "spans", "protocol", "http"));
    assertEquals(6, delta(before, after, PROCESSED, "signal", "spans"));
  }

  @Test
  void gzipJsonIsInflatedAndCounted() throws Exception {
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/traces", JSON, "gzip", Otlp.gzip(utf8(tracesJson(5))));

    assertEquals(200, r.statusCode(), () -> text(r));
    assertEquals(JSON, r.headers().firstValue("Content-Type").orElse(null));
    assertEquals("{}", text(r));
    Scrape after = seam.scrape();
    assertEquals(5, delta(before, after, RECEIVED, "signal", "spans", "protocol", "http"));
    assertEquals(5, delta(before, after, PROCESSED, "signal", "spans"));
  }

  @Test
  void logsCountLogRecords() throws Exception {
    ExportLogsServiceRequest req =
        Otlp.logs(
            Otlp.resource("log-svc", "go"),
            LogRecord.newBuilder()
                .setTimeUnixNano(Otlp.T0)
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO)
                .setBody(str("a")),
            LogRecord.newBuilder()
                .setTimeUnixNano(Otlp.T0)
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
                .setBody(str("b")),
            LogRecord.newBuilder()
                .setObservedTimeUnixNano(Otlp.T0)
                .setSeverityText("ERROR")
                .setBody(str("c"))
                .setTraceId(Otlp.id(traceHex(IDS.incrementAndGet())))
                .setSpanId(Otlp.id(spanHex(IDS.incrementAndGet()))),
            LogRecord.newBuilder().setTimeUnixNano(Otlp.T0).setBody(str("d")));
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/logs", PROTOBUF, null, req.toByteArray());

    assertEquals(200, r.statusCode());
    assertEquals(PROTOBUF, r.headers().firstValue("Content-Type").orElse(null));
    assertFalse(ExportLogsServiceResponse.parseFrom(r.body()).hasPartialSuccess());
    Scrape after = seam.scrape();
    assertEquals(4, delta(before, after, RECEIVED, "signal", "logs", "protocol", "http"));
    assertEquals(4, delta(before, after, PROCESSED, "signal", "logs"));
    assertEquals(0, delta(before, after, RECEIVED, "signal", "spans"));
  }

  @Test
  void logsInJsonCountLogRecords() throws Exception {
    String body =
        "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"json-log\"}}]},"
            + "\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\""
            + Otlp.T0
            + "\",\"severityNumber\":9,\"body\":{\"stringValue\":\"x\"}},"
            + "{\"timeUnixNano\":"
            + Otlp.T0
            + ",\"severityNumber\":17,\"traceId\":\""
            + traceHex(IDS.incrementAndGet())
            + "\",\"spanId\":\""
            + spanHex(IDS.incrementAndGet())
            + "\",\"body\":{\"stringValue\":\"y\"}}"
            + "]}]}]}";
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/logs", JSON, null, utf8(body));

    assertEquals(200, r.statusCode(), () -> text(r));
    assertEquals("{}", text(r));
    Scrape after = seam.scrape();
    assertEquals(2, delta(before, after, RECEIVED, "signal", "logs", "protocol", "http"));
    assertEquals(2, delta(before, after, PROCESSED, "signal", "logs"));
  }

  @Test
  void metricsCountDataPoints() throws Exception {
    ExportMetricsServiceRequest req = metricsRequest();
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/metrics", PROTOBUF, null, req.toByteArray());

    assertEquals(200, r.statusCode());
    assertEquals(PROTOBUF, r.headers().firstValue("Content-Type").orElse(null));
    assertFalse(ExportMetricsServiceResponse.parseFrom(r.body()).hasPartialSuccess());
    Scrape after = seam.scrape();
    assertEquals(8, delta(before, after, RECEIVED, "signal", "metrics", "protocol", "http"));
    assertEquals(8, delta(before, after, PROCESSED, "signal", "metrics"));
  }

  @Test
  void gzipMetricsCountDataPoints() throws Exception {
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r =
        seam.post("/v1/metrics", PROTOBUF, "gzip", Otlp.gzip(metricsRequest().toByteArray()));

    assertEquals(200, r.statusCode());
    assertEquals(
        8, delta(before, seam.scrape(), RECEIVED, "signal", "metrics", "protocol", "http"));
  }

  @Test
  void metricWithoutNameIsRejectedAsPartialSuccess() throws Exception {
    ExportMetricsServiceRequest req =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(Otlp.resource("nameless", "go"))
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(gauge("ok.gauge", 2))
                            .addMetrics(gauge("", 3))))
            .build();
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/metrics", PROTOBUF, null, req.toByteArray());

    assertEquals(200, r.statusCode());
    ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(r.body());
    assertTrue(resp.hasPartialSuccess());
    assertEquals(3, resp.getPartialSuccess().getRejectedDataPoints());
    assertEquals(
        "rejected 3 of 5 data points: metric has no name",
        resp.getPartialSuccess().getErrorMessage());
    Scrape after = seam.scrape();
    assertEquals(2, delta(before, after, RECEIVED, "signal", "metrics", "protocol", "http"));
    assertEquals(3, delta(before, after, REFUSED_ITEMS, "signal", "metrics", "reason", "invalid"));
  }

  // ---------------------------------------------------------------------------------------------
  // Partial success

  @Test
  void invalidSpansAreRejectedIndividuallyWithPartialSuccess() throws Exception {
    Span.Builder badTrace =
        Otlp.span(
            "0102030405060708090a0b0c0d0e0f",
            spanHex(IDS.incrementAndGet()),
            null,
            Span.SpanKind.SPAN_KIND_SERVER,
            Otlp.T0,
            1_000);
    Span.Builder zeroSpan =
        Otlp.span(
            traceHex(IDS.incrementAndGet()),
            "0000000000000000",
            null,
            Span.SpanKind.SPAN_KIND_SERVER,
            Otlp.T0,
            1_000);
    Span.Builder[] good = validSpans(3);
    ExportTraceServiceRequest req =
        Otlp.traces(
            Otlp.resourceSpans(
                Otlp.resource("partial", "go"), good[0], badTrace, good[1], zeroSpan, good[2]));
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/traces", PROTOBUF, null, req.toByteArray());

    assertEquals(200, r.statusCode());
    ExportTraceServiceResponse resp = ExportTraceServiceResponse.parseFrom(r.body());
    assertTrue(resp.hasPartialSuccess());
    assertEquals(2, resp.getPartialSuccess().getRejectedSpans());
    assertEquals(
        "rejected 2 of 5 spans: span has a 15-byte trace_id (want 16) (and 1 more)",
        resp.getPartialSuccess().getErrorMessage());
    Scrape after = seam.scrape();
    assertEquals(3, delta(before, after, RECEIVED, "signal", "spans", "protocol", "http"));
    assertEquals(3, delta(before, after, PROCESSED, "signal", "spans"));
    assertEquals(2, delta(before, after, REFUSED_ITEMS, "signal", "spans", "reason", "invalid"));
    assertEquals(
        0, delta(before, after, REFUSED_REQUESTS), "a partial success is not a refused request");
  }

  @Test
  void allZeroSpanIdAloneIsExplained() throws Exception {
    Span.Builder zeroSpan =
        Otlp.span(
            traceHex(IDS.incrementAndGet()),
            "0000000000000000",
            null,
            Span.SpanKind.SPAN_KIND_CLIENT,
            Otlp.T0,
            1_000);
    ExportTraceServiceRequest req =
        Otlp.traces(Otlp.resourceSpans(Otlp.resource("zero", "go"), validSpans(1)[0], zeroSpan));

    HttpResponse<byte[]> r = seam.post("/v1/traces", PROTOBUF, null, req.toByteArray());

    assertEquals(200, r.statusCode());
    ExportTraceServiceResponse resp = ExportTraceServiceResponse.parseFrom(r.body());
    assertEquals(1, resp.getPartialSuccess().getRejectedSpans());
    assertEquals(
        "rejected 1 of 2 spans: span has an all-zero span_id",
        resp.getPartialSuccess().getErrorMessage());
  }

  @Test
  void partialSuccessInJsonNamesRejectedSpans() throws Exception {
    // A 15-byte (30 hex digit) trace id in JSON is rejected as an item, not the whole request.
    String body =
        "{\"resourceSpans\":["
            + resourceSpansJson(
                "json-partial",
                "go",
                spanJson(traceHex(IDS.incrementAndGet()), spanHex(IDS.incrementAndGet()))
                    + ","
                    + spanJson("0102030405060708090a0b0c0d0e0f", spanHex(IDS.incrementAndGet())))
            + "]}";
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/traces", JSON, null, utf8(body));

    assertEquals(200, r.statusCode(), () -> text(r));
    assertEquals(JSON, r.headers().firstValue("Content-Type").orElse(null));
    ExportTraceServiceResponse.Builder resp = ExportTraceServiceResponse.newBuilder();
    JsonFormat.parser().merge(text(r), resp);
    assertEquals(1, resp.getPartialSuccess().getRejectedSpans());
    assertEquals(
        "rejected 1 of 2 spans: span has a 15-byte trace_id (want 16)",
        resp.getPartialSuccess().getErrorMessage());
    Scrape after = seam.scrape();
    assertEquals(1, delta(before, after, RECEIVED, "signal", "spans", "protocol", "http"));
    assertEquals(1, delta(before, after, REFUSED_ITEMS, "signal", "spans", "reason", "invalid"));
  }

  @Test
  void logRecordWithThreeByteSpanIdIsRejectedWithPartialSuccess() throws Exception {
    ExportLogsServiceRequest req =
        Otlp.logs(
            Otlp.resource("log-partial", "rust"),
            LogRecord.newBuilder().setTimeUnixNano(Otlp.T0).setBody(str("ok 1")),
            LogRecord.newBuilder()
                .setTimeUnixNano(Otlp.T0)
                .setBody(str("bad"))
                .setTraceId(Otlp.id(traceHex(IDS.incrementAndGet())))
                .setSpanId(Otlp.id("0a0b0c")),
            LogRecord.newBuilder().setTimeUnixNano(Otlp.T0).setBody(str("ok 2")));
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/logs", PROTOBUF, null, req.toByteArray());

    assertEquals(200, r.statusCode());
    ExportLogsServiceResponse resp = ExportLogsServiceResponse.parseFrom(r.body());
    assertTrue(resp.hasPartialSuccess());
    assertEquals(1, resp.getPartialSuccess().getRejectedLogRecords());
    assertEquals(
        "rejected 1 of 3 log records: log record has a 3-byte span_id (want 0 or 8)",
        resp.getPartialSuccess().getErrorMessage());
    Scrape after = seam.scrape();
    assertEquals(2, delta(before, after, RECEIVED, "signal", "logs", "protocol", "http"));
    assertEquals(2, delta(before, after, PROCESSED, "signal", "logs"));
    assertEquals(1, delta(before, after, REFUSED_ITEMS, "signal", "logs", "reason", "invalid"));
  }

  // ---------------------------------------------------------------------------------------------
  // Refused requests

  @Test
  void garbageProtobufIs400WithProtobufStatus() throws Exception {
    byte[] garbage = new byte[16];
    Arrays.fill(garbage, (byte) 0xFF); // a varint that never ends
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/traces", PROTOBUF, null, garbage);

    assertEquals(400, r.statusCode());
    assertEquals(PROTOBUF, r.headers().firstValue("Content-Type").orElse(null));
    Status status = Status.parseFrom(r.body());
    assertEquals(3, status.getCode(), "INVALID_ARGUMENT");
    assertTrue(
        status.getMessage().startsWith("invalid OTLP protobuf ExportTraceServiceRequest: "),
        status.getMessage());
    Scrape after = seam.scrape();
    assertEquals(
        1,
        delta(
            before,
            after,
            REFUSED_REQUESTS,
            "signal",
            "spans",
            "protocol",
            "http",
            "reason",
            "malformed"));
    assertEquals(1, delta(before, after, REFUSED_REQUESTS), "only that one refusal");
    assertEquals(0, delta(before, after, RECEIVED));
  }

  @Test
  void garbageProtobufOnLogsAndMetricsIsCountedUnderItsSignal() throws Exception {
    byte[] garbage = {0x0A, 0x7F, 0x01}; // field 1, length 127, one byte present
    Scrape before = seam.scrape();

    HttpResponse<byte[]> logs = seam.post("/v1/logs", PROTOBUF, null, garbage);
    HttpResponse<byte[]> metrics = seam.post("/v1/metrics", PROTOBUF, null, garbage);

    assertEquals(400, logs.statusCode());
    assertEquals(400, metrics.statusCode());
    assertTrue(
        Status.parseFrom(logs.body())
            .getMessage()
            .startsWith("invalid OTLP protobuf ExportLogsServiceRequest: "));
    assertTrue(
        Status.parseFrom(metrics.body())
            .getMessage()
            .startsWith("invalid OTLP protobuf ExportMetricsServiceRequest: "));
    Scrape after = seam.scrape();
    assertEquals(
        1,
        delta(
            before,
            after,
            REFUSED_REQUESTS,
            "signal",
            "logs",
            "protocol",
            "http",
            "reason",
            "malformed"));
    assertEquals(
        1,
        delta(
            before,
            after,
            REFUSED_REQUESTS,
            "signal",
            "metrics",
            "protocol",
            "http",
            "reason",
            "malformed"));
  }

  @Test
  void brokenJsonIs400WithJsonStatus() throws Exception {
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r =
        seam.post("/v1/traces", JSON, null, utf8("{\"resourceSpans\": [ {\"resource\": "));

    assertEquals(400, r.statusCode());
    assertEquals(JSON, r.headers().firstValue("Content-Type").orElse(null));
    Status.Builder status = Status.newBuilder();
    JsonFormat.parser().merge(text(r), status);
    assertEquals(3, status.getCode());
    assertTrue(status.getMessage().startsWith("invalid OTLP JSON"), status.getMessage());
    assertTrue(text(r).startsWith("{\"code\":3,\"message\":\"invalid OTLP JSON"), text(r));
    Scrape after = seam.scrape();
    assertEquals(
        1,
        delta(
            before,
            after,
            REFUSED_REQUESTS,
            "signal",
            "spans",
            "protocol",
            "http",
            "reason",
            "malformed"));
    assertEquals(0, delta(before, after, RECEIVED));
  }

  @Test
  void brokenGzipIs400Malformed() throws Exception {
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/traces", PROTOBUF, "gzip", utf8("this is not gzip"));

    assertEquals(400, r.statusCode());
    Status status = Status.parseFrom(r.body());
    assertEquals(3, status.getCode());
    assertTrue(status.getMessage().startsWith("invalid gzip body"), status.getMessage());
    assertEquals(
        1,
        delta(
            before,
            seam.scrape(),
            REFUSED_REQUESTS,
            "signal",
            "spans",
            "protocol",
            "http",
            "reason",
            "malformed"));
  }

  @Test
  void textPlainIs415() throws Exception {
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/traces", "text/plain", null, utf8("hello"));

    assertEquals(415, r.statusCode());
    assertEquals(JSON, r.headers().firstValue("Content-Type").orElse(null));
    Status status = jsonStatus(r);
    assertEquals(3, status.getCode());
    assertEquals(
        "unsupported Content-Type 'text/plain'; use application/x-protobuf or application/json",
        status.getMessage());
    Scrape after = seam.scrape();
    assertEquals(
        1,
        delta(
            before,
            after,
            REFUSED_REQUESTS,
            "signal",
            "spans",
            "protocol",
            "http",
            "reason",
            "unsupported_media_type"));
    assertEquals(1, delta(before, after, REFUSED_REQUESTS));
  }

  @Test
  void missingContentTypeIs415() throws Exception {
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r =
        seam.post(
            "/v1/logs",
            null,
            null,
            Otlp.logs(Otlp.resource("x", "go"), LogRecord.newBuilder()).toByteArray());

    assertEquals(415, r.statusCode());
    assertEquals(
        1,
        delta(
            before,
            seam.scrape(),
            REFUSED_REQUESTS,
            "signal",
            "logs",
            "protocol",
            "http",
            "reason",
            "unsupported_media_type"));
  }

  @Test
  void brotliIs415() throws Exception {
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/traces", PROTOBUF, "br", new byte[] {1, 2, 3});

    assertEquals(415, r.statusCode());
    assertEquals(PROTOBUF, r.headers().firstValue("Content-Type").orElse(null));
    Status status = Status.parseFrom(r.body());
    assertEquals(3, status.getCode());
    assertEquals("unsupported Content-Encoding 'br'; use gzip or none", status.getMessage());
    Scrape after = seam.scrape();
    assertEquals(
        1,
        delta(
            before,
            after,
            REFUSED_REQUESTS,
            "signal",
            "spans",
            "protocol",
            "http",
            "reason",
            "unsupported_encoding"));
    assertEquals(1, delta(before, after, REFUSED_REQUESTS));
  }

  @Test
  void getIs405WithAllowPost() throws Exception {
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r =
        seam.httpClient()
            .send(
                HttpRequest.newBuilder(URI.create(seam.httpBase() + "/v1/traces"))
                    .timeout(Duration.ofSeconds(10))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());

    assertEquals(405, r.statusCode());
    assertEquals("POST", r.headers().firstValue("Allow").orElse(null));
    assertEquals(12, jsonStatus(r).getCode(), "UNIMPLEMENTED");
    Scrape after = seam.scrape();
    assertEquals(
        1,
        delta(
            before,
            after,
            REFUSED_REQUESTS,
            "signal",
            "spans",
            "protocol",
            "http",
            "reason",
            "method_not_allowed"));
    assertEquals(1, delta(before, after, REFUSED_REQUESTS));
  }

  @Test
  void unknownPathIs404() throws Exception {
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v2/whatever", PROTOBUF, null, new byte[0]);

    assertEquals(404, r.statusCode());
    assertEquals(5, jsonStatus(r).getCode(), "NOT_FOUND");
    Scrape after = seam.scrape();
    assertEquals(
        1,
        delta(
            before,
            after,
            REFUSED_REQUESTS,
            "signal",
            "unknown",
            "protocol",
            "http",
            "reason",
            "not_found"));
    assertEquals(1, delta(before, after, REFUSED_REQUESTS));
  }

  @Test
  void emptyProtobufBodyIsAnEmptyExport() throws Exception {
    // An empty body is a valid ExportTraceServiceRequest with nothing in it.
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/traces", PROTOBUF, null, new byte[0]);

    assertEquals(200, r.statusCode());
    assertFalse(ExportTraceServiceResponse.parseFrom(r.body()).hasPartialSuccess());
    Scrape after = seam.scrape();
    assertEquals(0, delta(before, after, RECEIVED));
    assertEquals(0, delta(before, after, REFUSED_REQUESTS));
  }

  // ---------------------------------------------------------------------------------------------
  // Size limits and gzip bombs

  @Test
  void bodiesOverTheLimitAre413AndTheCollectorKeepsServing() throws Exception {
    try (RunningSeam small =
        RunningSeam.start(
            "receivers: {otlp: {http: {max-body-size: 64KiB}, grpc: {max-message-size: 64KiB}}}")) {
      Scrape before = small.scrape();

      // Just under the limit: accepted.
      byte[] under = sizedTraces(60 * 1024);
      assertTrue(under.length < 64 * 1024);
      HttpResponse<byte[]> ok = small.post("/v1/traces", PROTOBUF, null, under);
      assertEquals(200, ok.statusCode());

      // Over the limit, announced by Content-Length: refused before the body is read.
      byte[] over = sizedTraces(100 * 1024);
      HttpResponse<byte[]> r1 = small.post("/v1/traces", PROTOBUF, null, over);
      assertEquals(413, r1.statusCode());
      Status s1 = Status.parseFrom(r1.body());
      assertEquals(8, s1.getCode(), "RESOURCE_EXHAUSTED");
      assertEquals("body exceeds the limit of 65536 bytes", s1.getMessage());
      assertServes(small);

      // Over the limit, streamed without a Content-Length: refused once the limit is passed.
      HttpResponse<byte[]> r2 =
          small
              .httpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(small.httpBase() + "/v1/traces"))
                      .timeout(Duration.ofSeconds(10))
                      .header("Content-Type", PROTOBUF)
                      .POST(
                          HttpRequest.BodyPublishers.ofInputStream(
                              () -> new ByteArrayInputStream(over)))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(413, r2.statusCode());
      assertEquals(8, Status.parseFrom(r2.body()).getCode());
      assertServes(small);

      // Small compressed, over the limit once inflated.
      byte[] inflatesOver = Otlp.gzip(over);
      assertTrue(inflatesOver.length < 64 * 1024);
      HttpResponse<byte[]> r3 = small.post("/v1/traces", PROTOBUF, "gzip", inflatesOver);
      assertEquals(413, r3.statusCode());
      assertEquals(
          "body exceeds the limit of 65536 bytes after decompression",
          Status.parseFrom(r3.body()).getMessage());
      assertServes(small);

      // A gzip bomb: 50 MiB of zeros in about 50 KiB.
      HttpResponse<byte[]> r4 = small.post("/v1/traces", JSON, "gzip", gzipBomb());
      assertEquals(413, r4.statusCode());
      assertEquals(JSON, r4.headers().firstValue("Content-Type").orElse(null));
      Status s4 = jsonStatus(r4);
      assertEquals(8, s4.getCode());
      assertEquals("body exceeds the limit of 65536 bytes after decompression", s4.getMessage());
      assertServes(small);

      Scrape after = small.awaitIdle();
      assertEquals(
          4,
          delta(
              before,
              after,
              REFUSED_REQUESTS,
              "signal",
              "spans",
              "protocol",
              "http",
              "reason",
              "too_large"));
      assertEquals(4, delta(before, after, REFUSED_REQUESTS));
      assertEquals(0.0, after.sum(DROPPED));
      assertEquals(after.sum(RECEIVED, "signal", "spans"), after.sum(PROCESSED, "signal", "spans"));
    }
  }

  @Test
  void oversizedContentLengthOverHttp11Is413AndTheConnectionIsClosed() throws Exception {
    // The body is announced but never sent: the 413 must come at once, from the headers alone,
    // and the server must then close the connection, as its "Connection: close" says.
    try (RunningSeam small =
            RunningSeam.start("receivers: {otlp: {http: {max-body-size: 64KiB}}}");
        Socket socket = new Socket("127.0.0.1", small.httpPort())) {
      Scrape before = small.scrape();
      socket.setSoTimeout(3000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
                  + "Content-Length: 10000000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();

      RawResponse r = readResponse(socket.getInputStream());
      assertEquals("HTTP/1.1 413 Request Entity Too Large", r.statusLine());
      assertEquals("close", r.header("connection"));
      assertEquals(8, Status.parseFrom(r.body()).getCode());
      assertTrue(
          closedByServer(socket.getInputStream()),
          "the server left the connection open after 413 with Connection: close");
      Scrape after = small.scrape();
      assertEquals(
          1,
          delta(
              before,
              after,
              REFUSED_REQUESTS,
              "signal",
              "spans",
              "protocol",
              "http",
              "reason",
              "too_large"));
      assertServes(small);
    }
  }

  @Test
  void oversizedChunkedBodyOverHttp11Is413AndTheConnectionIsClosed() throws Exception {
    try (RunningSeam small =
            RunningSeam.start("receivers: {otlp: {http: {max-body-size: 64KiB}}}");
        Socket socket = new Socket("127.0.0.1", small.httpPort())) {
      socket.setSoTimeout(3000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[70 * 1024];
      out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(chunk);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush(); // ...and the body never ends

      RawResponse r = readResponse(socket.getInputStream());
      assertEquals("HTTP/1.1 413 Request Entity Too Large", r.statusLine());
      assertEquals("close", r.header("connection"));
      assertEquals(
          "body exceeds the limit of 65536 bytes", Status.parseFrom(r.body()).getMessage());
      assertTrue(
          closedByServer(socket.getInputStream()),
          "the server left the connection open after 413 with Connection: close");
      assertServes(small);
    }
  }

  @Test
  void announcedContentLengthDoesNotReserveMemoryUpFront() throws Exception {
    // Memory must follow the bytes that arrive, not the bytes a client announces: otherwise a few
    // idle connections that each claim a body of max-body-size hold that much heap apiece.
    int connections = 16;
    long announced = 8L << 20;
    Assumptions.assumeTrue(
        Runtime.getRuntime().maxMemory() >= 4 * connections * announced,
        "heap too small to measure safely");
    try (RunningSeam limited =
        RunningSeam.start("receivers: {otlp: {http: {max-body-size: 8MiB}}}")) {
      assertServes(limited);
      long baseline = heapAfterGc();
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < connections; i++) {
          Socket socket = new Socket("127.0.0.1", limited.httpPort());
          sockets.add(socket);
          socket
              .getOutputStream()
              .write(
                  ("POST /v1/traces HTTP/1.1\r\n"
                          + "Host: 127.0.0.1\r\n"
                          + "Content-Type: application/x-protobuf\r\n"
                          + "Content-Length: "
                          + announced
                          + "\r\n\r\n\n")
                      .getBytes(StandardCharsets.US_ASCII));
          socket.getOutputStream().flush();
        }
        Thread.sleep(300); // let the server take every request's headers
        long held = heapAfterGc() - baseline;
        // A small fixed head start per request is fine; a quarter of what was announced is not.
        assertTrue(
            held < connections * announced / 4,
            connections
                + " requests that announced "
                + (announced >> 20)
                + " MiB each and sent 1 byte hold "
                + (held >> 20)
                + " MiB of heap");
      } finally {
        for (Socket socket : sockets) {
          socket.close();
        }
      }
      assertServes(limited);
    }
  }

  private static long heapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(20);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  @Test
  void expectContinueIsAnsweredWith100() throws Exception {
    // RFC 9110 10.1.1: a server receiving "Expect: 100-continue" sends 100 (Continue) or a final
    // status at once; curl and others otherwise stall before sending the body.
    byte[] body =
        Otlp.traces(Otlp.resourceSpans(Otlp.resource("expect", "go"), validSpans(2))).toByteArray();
    Scrape before = seam.scrape();
    try (Socket socket = new Socket("127.0.0.1", seam.httpPort())) {
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\nExpect: 100-continue\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String interim;
      try {
        interim = readHead(socket.getInputStream());
      } catch (SocketTimeoutException e) {
        interim = "(nothing within 2 s)";
      }
      assertEquals(
          "HTTP/1.1 100 Continue",
          interim.split("\r\n", 2)[0],
          "interim response to Expect: 100-continue");
      out.write(body);
      out.flush();
      RawResponse r = readResponse(socket.getInputStream());
      assertEquals("HTTP/1.1 200 OK", r.statusLine());
    }
    assertEquals(2, delta(before, seam.scrape(), RECEIVED, "signal", "spans", "protocol", "http"));
  }

  @Test
  void oversizedBodyWithExpectContinueIs413WithoutReadingIt() throws Exception {
    try (RunningSeam small =
            RunningSeam.start("receivers: {otlp: {http: {max-body-size: 64KiB}}}");
        Socket socket = new Socket("127.0.0.1", small.httpPort())) {
      socket.setSoTimeout(3000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
                  + "Content-Length: 100000\r\nExpect: 100-continue\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();

      RawResponse r = readResponse(socket.getInputStream());
      assertEquals("HTTP/1.1 413 Request Entity Too Large", r.statusLine());
    }
  }

  @Test
  void oversizedBodyOverHttp2Is413WithoutConnectionSpecificHeaders() throws Exception {
    // RFC 9113 8.2.2: an HTTP/2 message must not carry Connection (strict clients such as
    // nghttp2 or Go's x/net/http2 treat it as malformed and never see the 413).
    HttpClient http2 =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try (RunningSeam small =
        RunningSeam.start("receivers: {otlp: {http: {max-body-size: 64KiB}}}")) {
      // The first request upgrades the connection to h2c.
      HttpResponse<byte[]> first =
          http2.send(
              HttpRequest.newBuilder(URI.create(small.httpBase() + "/v1/traces"))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(405, first.statusCode());
      HttpResponse<byte[]> r =
          http2.send(
              HttpRequest.newBuilder(URI.create(small.httpBase() + "/v1/traces"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", PROTOBUF)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100 * 1024]))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(HttpClient.Version.HTTP_2, r.version());
      assertEquals(413, r.statusCode());
      assertEquals(
          "body exceeds the limit of 65536 bytes", Status.parseFrom(r.body()).getMessage());
      assertEquals(
          Optional.empty(),
          r.headers().firstValue("connection"),
          "connection-specific header in an HTTP/2 response");
      assertServes(small);
    }
  }

  @Test
  void oversizedBodyFromAnHttp11ClientIs413() throws Exception {
    HttpClient http11 =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try (RunningSeam small =
        RunningSeam.start("receivers: {otlp: {http: {max-body-size: 64KiB}}}")) {
      HttpResponse<byte[]> r =
          http11.send(
              HttpRequest.newBuilder(URI.create(small.httpBase() + "/v1/traces"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", JSON)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100 * 1024]))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(HttpClient.Version.HTTP_1_1, r.version());
      assertEquals(413, r.statusCode());
      assertEquals("body exceeds the limit of 65536 bytes", jsonStatus(r).getMessage());
      assertServes(small);
    }
  }

  @Test
  void gzipBombAgainstTheDefaultLimitIs413() throws Exception {
    byte[] bomb = gzipBomb();
    Scrape before = seam.scrape();

    HttpResponse<byte[]> r = seam.post("/v1/traces", PROTOBUF, "gzip", bomb);

    assertEquals(413, r.statusCode());
    Status status = Status.parseFrom(r.body());
    assertEquals(8, status.getCode());
    assertEquals(
        "body exceeds the limit of 16777216 bytes after decompression", status.getMessage());
    Scrape after = seam.scrape();
    assertEquals(
        1,
        delta(
            before,
            after,
            REFUSED_REQUESTS,
            "signal",
            "spans",
            "protocol",
            "http",
            "reason",
            "too_large"));
    assertEquals(0, delta(before, after, RECEIVED));
  }

  // ---------------------------------------------------------------------------------------------
  // Concurrency and real exporters

  @Test
  void concurrentClientsAreCountedExactly() throws Exception {
    int threads = 8;
    int requests = 50;
    int spans = 20;
    Scrape before = seam.scrape();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                (Callable<Integer>)
                    () -> {
                      int ok = 0;
                      for (int i = 0; i < requests; i++) {
                        ExportTraceServiceRequest req =
                            Otlp.traces(
                                Otlp.resourceSpans(
                                    Otlp.resource("concurrent-" + thread, "go"),
                                    validSpans(spans)));
                        HttpResponse<byte[]> r =
                            seam.post(
                                "/v1/traces",
                                PROTOBUF,
                                i % 2 == 0 ? "gzip" : null,
                                i % 2 == 0 ? Otlp.gzip(req.toByteArray()) : req.toByteArray());
                        if (r.statusCode() == 200
                            && !ExportTraceServiceResponse.parseFrom(r.body())
                                .hasPartialSuccess()) {
                          ok++;
                        }
                      }
                      return ok;
                    }));
      }
      for (Future<Integer> f : done) {
        assertEquals(requests, f.get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    Scrape after = seam.awaitIdle();
    assertEquals(
        threads * requests * spans,
        delta(before, after, RECEIVED, "signal", "spans", "protocol", "http"));
    assertEquals(threads * requests * spans, delta(before, after, PROCESSED, "signal", "spans"));
    assertEquals(0, delta(before, after, REFUSED_REQUESTS));
  }

  @Test
  void openTelemetryHttpExporterWithGzipIsCountedExactly() throws Exception {
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(seam.httpBase() + "/v1/traces")
            .setCompression("gzip")
            .setTimeout(Duration.ofSeconds(10))
            .build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault().toBuilder().put("service.name", "otel-http-exporter").build())
            .addSpanProcessor(
                BatchSpanProcessor.builder(exporter)
                    .setScheduleDelay(Duration.ofSeconds(30))
                    .build())
            .build();
    Scrape before = seam.scrape();
    try {
      Tracer tracer = provider.get("seam-test");
      for (int i = 0; i < 5; i++) {
        io.opentelemetry.api.trace.Span parent = tracer.spanBuilder("parent-" + i).startSpan();
        try (var scope = parent.makeCurrent()) {
          tracer.spanBuilder("child-" + i).startSpan().end();
        } finally {
          parent.end();
        }
      }
      CompletableResultCode flushed = provider.forceFlush().join(10, TimeUnit.SECONDS);
      assertTrue(flushed.isSuccess(), "export succeeded");
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    Scrape after = seam.scrape();
    assertEquals(10, delta(before, after, RECEIVED, "signal", "spans", "protocol", "http"));
    assertEquals(0, delta(before, after, RECEIVED, "signal", "spans", "protocol", "grpc"));
    assertEquals(10, delta(before, after, PROCESSED, "signal", "spans"));
    assertEquals(0, delta(before, after, REFUSED_ITEMS));
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** A valid one-span export must still get 200 and be counted. */
  static void assertServes(RunningSeam s) throws Exception {
    ReceiverChecks.assertServes(
        s,
        "http",
        "canary",
        validSpans(1)[0],
        (target, request) -> {
          HttpResponse<byte[]> r = target.post("/v1/traces", PROTOBUF, null, request);
          assertEquals(200, r.statusCode(), "a valid export after the previous requests");
          return r.body();
        });
  }

  /** A response read off a raw socket. */
  private record RawResponse(String statusLine, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Reads up to and including the blank line that ends a response head. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException(
            "connection closed inside a response head: "
                + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
      state =
          (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
              ? state + 1
              : b == '\r' ? 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads one final HTTP/1.1 response with a content-length body. */
  private static RawResponse readResponse(InputStream in) throws IOException {
    String head = readHead(in);
    String[] lines = head.split("\r\n");
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new RawResponse(lines[0], headers, body);
  }

  /** Whether the server closes the connection (EOF or reset) within the socket's timeout. */
  private static boolean closedByServer(InputStream in) throws IOException {
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset
    }
  }

  private static String firstFrames(Throwable t) {
    StringBuilder b = new StringBuilder();
    StackTraceElement[] st = t.getStackTrace();
    for (int i = 0; i < Math.min(3, st.length); i++) {
      b.append(i == 0 ? "" : " < ").append(st[i]);
    }
    return b.toString();
  }

  static Span.Builder[] validSpans(int n) {
    return ReceiverChecks.validSpans(TRACE_PREFIX, IDS, n);
  }

  static String traceHex(long n) {
    return ReceiverChecks.traceHex(TRACE_PREFIX, n);
  }

  private static String spanJson(String traceHex, String spanHex) {
    return "{\"traceId\":\""
        + traceHex
        + "\",\"spanId\":\""
        + spanHex
        + "\",\"name\":\"op\",\"kind\":1,"
        + "\"startTimeUnixNano\":\""
        + Otlp.T0
        + "\",\"endTimeUnixNano\":"
        + (Otlp.T0 + 1000)
        + "}";
  }

  private static String resourceSpansJson(String service, String language, String spans) {
    return "{\"resource\":{\"attributes\":["
        + "{\"key\":\"service.name\",\"value\":{\"stringValue\":\""
        + service
        + "\"}},"
        + "{\"key\":\"telemetry.sdk.language\",\"value\":{\"stringValue\":\""
        + language
        + "\"}}]},"
        + "\"scopeSpans\":[{\"scope\":{\"name\":\"test\"},\"spans\":["
        + spans
        + "]}]}";
  }

  private static String tracesJson(int n) {
    StringBuilder spans = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        spans.append(',');
      }
      spans.append(spanJson(traceHex(IDS.incrementAndGet()), spanHex(IDS.incrementAndGet())));
    }
    return "{\"resourceSpans\":[" + resourceSpansJson("json-svc", "go", spans.toString()) + "]}";
  }

  /** A valid trace export of about {@code bytes} bytes: one span with a big attribute. */
  private static byte[] sizedTraces(int bytes) {
    return ReceiverChecks.sizedTraces(validSpans(1)[0], "sized", "body", bytes);
  }

  private static ExportMetricsServiceRequest metricsRequest() {
    Metric histogram =
        Metric.newBuilder()
            .setName("http.server.request.duration")
            .setHistogram(
                Histogram.newBuilder()
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .setTimeUnixNano(Otlp.T0)
                            .setCount(3)
                            .setSum(1.5)
                            .addExplicitBounds(1)
                            .addBucketCounts(2)
                            .addBucketCounts(1)))
            .build();
    Metric sum =
        Metric.newBuilder()
            .setName("requests")
            .setSum(
                Sum.newBuilder()
                    .setIsMonotonic(true)
                    .addDataPoints(
                        NumberDataPoint.newBuilder().setTimeUnixNano(Otlp.T0).setAsInt(5))
                    .addDataPoints(
                        NumberDataPoint.newBuilder().setTimeUnixNano(Otlp.T0).setAsInt(7)))
            .build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(Otlp.resource("metric-svc", "go"))
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("test"))
                        .addMetrics(gauge("queue.depth", 3))
                        .addMetrics(sum)
                        .addMetrics(histogram)
                        .addMetrics(gauge("go.memory.used", 2))))
        .build();
  }

  private static Metric gauge(String name, int points) {
    Gauge.Builder g = Gauge.newBuilder();
    for (int i = 0; i < points; i++) {
      g.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(Otlp.T0).setAsInt(1000 + i));
    }
    return Metric.newBuilder().setName(name).setGauge(g).build();
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static Status jsonStatus(HttpResponse<byte[]> r) throws Exception {
    assertEquals(JSON, r.headers().firstValue("Content-Type").orElse(null));
    Status.Builder status = Status.newBuilder();
    JsonFormat.parser().merge(text(r), status);
    return status.build();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
