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

import dev.seam.collector.testing.GrpcCall;
import dev.seam.collector.testing.Otlp;
import dev.seam.collector.testing.ReceiverChecks;
import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.grpc.common.GrpcStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OTLP/gRPC against a real collector over loopback: raw unary calls with Vert.x's gRPC client for
 * crafted payloads (gzip, garbage, oversize, bombs, unknown methods), and the OpenTelemetry SDK's
 * own gRPC exporters. Counters are cumulative, so every assertion is a delta.
 *
 * <p>Longer than most test classes: every status, encoding, limit and refusal of the OTLP/gRPC
 * receiver, against one running receiver.
 */
class OtlpGrpcReceiverTest {

  private static final String TRACES = "opentelemetry.proto.collector.trace.v1.TraceService/Export";
  private static final String LOGS = "opentelemetry.proto.collector.logs.v1.LogsService/Export";
  private static final String METRICS =
      "opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

  /** Every trace id this class sends starts with this, followed by a number from {@link #IDS}. */
  private static final String TRACE_PREFIX = "97c0";

  private static final AtomicLong IDS = new AtomicLong(0x900000);

  private static RunningSeam seam;

  /** The client side's own Vert.x, independent of the collector's. */
  private static Vertx client;

  @BeforeAll
  static void start() throws Exception {
    seam = RunningSeam.start();
    client = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (client != null) {
        client.close().await(10, TimeUnit.SECONDS);
      }
    } finally {
      if (seam != null) {
        seam.close();
      }
    }
  }

  /**
   * After every test: a valid call still succeeds, nothing is in flight and nothing was dropped.
   */
  @AfterEach
  void stillServingAndBalanced() throws Exception {
    assertServes(seam);
    assertIdleAndBalanced(seam);
  }

  // ---------------------------------------------------------------------------------------------
  // Valid exports

  @Test
  void tracesAreAnsweredOkAndCountedAsGrpc() throws Exception {
    ExportTraceServiceRequest req =
        Otlp.traces(
            Otlp.resourceSpans(Otlp.resource("grpc-go", "go"), validSpans(5)),
            Otlp.resourceSpans(Otlp.resource("grpc-rust", "rust"), validSpans(4)));
    Scrape before = seam.scrape();

    GrpcCall.Result r =
        GrpcCall.call(client, seam.grpcPort(), TRACES, "identity", req.toByteArray());

    assertEquals(GrpcStatus.OK, r.status(), r.message());
    ExportTraceServiceResponse resp = ExportTraceServiceResponse.parseFrom(r.body());
    assertFalse(resp.hasPartialSuccess(), resp.toString());
    Scrape after = seam.scrape();
    assertEquals(9, delta(before, after, RECEIVED, "signal", "spans", "protocol", "grpc"));
    assertEquals(0, delta(before, after, RECEIVED, "signal", "spans", "protocol", "http"));
    assertEquals(9, delta(before, after, PROCESSED, "signal", "spans"));
    assertEquals(0, delta(before, after, REFUSED_REQUESTS));
  }

  @Test
  void gzipCompressedTracesAreInflatedAndCounted() throws Exception {
    ExportTraceServiceRequest req =
        Otlp.traces(Otlp.resourceSpans(Otlp.resource("grpc-gz", "go"), validSpans(7)));
    Scrape before = seam.scrape();

    GrpcCall.Result r =
        GrpcCall.call(client, seam.grpcPort(), TRACES, "gzip", Otlp.gzip(req.toByteArray()));

    assertEquals(GrpcStatus.OK, r.status(), r.message());
    assertFalse(ExportTraceServiceResponse.parseFrom(r.body()).hasPartialSuccess());
    Scrape after = seam.scrape();
    assertEquals(7, delta(before, after, RECEIVED, "signal", "spans", "protocol", "grpc"));
    assertEquals(7, delta(before, after, PROCESSED, "signal", "spans"));
  }

  @Test
  void logsCountLogRecords() throws Exception {
    ExportLogsServiceRequest req =
        Otlp.logs(
            Otlp.resource("grpc-log", "rust"),
            LogRecord.newBuilder()
                .setTimeUnixNano(Otlp.T0)
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO),
            LogRecord.newBuilder()
                .setTimeUnixNano(Otlp.T0)
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
                .setTraceId(Otlp.id(traceHex(IDS.incrementAndGet())))
                .setSpanId(Otlp.id(spanHex(IDS.incrementAndGet()))),
            LogRecord.newBuilder().setObservedTimeUnixNano(Otlp.T0).setSeverityText("warn"));
    Scrape before = seam.scrape();

    GrpcCall.Result r =
        GrpcCall.call(client, seam.grpcPort(), LOGS, "gzip", Otlp.gzip(req.toByteArray()));

    assertEquals(GrpcStatus.OK, r.status(), r.message());
    assertFalse(ExportLogsServiceResponse.parseFrom(r.body()).hasPartialSuccess());
    Scrape after = seam.scrape();
    assertEquals(3, delta(before, after, RECEIVED, "signal", "logs", "protocol", "grpc"));
    assertEquals(3, delta(before, after, PROCESSED, "signal", "logs"));
  }

  @Test
  void metricsCountDataPoints() throws Exception {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (int i = 0; i < 4; i++) {
      gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(Otlp.T0).setAsDouble(i));
    }
    ExportMetricsServiceRequest req =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(Otlp.resource("grpc-metrics", "go"))
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(Metric.newBuilder().setName("temperature").setGauge(gauge))
                            .addMetrics(
                                Metric.newBuilder()
                                    .setName("process.memory.usage")
                                    .setSum(
                                        Sum.newBuilder()
                                            .addDataPoints(
                                                NumberDataPoint.newBuilder()
                                                    .setTimeUnixNano(Otlp.T0)
                                                    .setAsInt(1 << 20))))))
            .build();
    Scrape before = seam.scrape();

    GrpcCall.Result r =
        GrpcCall.call(client, seam.grpcPort(), METRICS, "identity", req.toByteArray());

    assertEquals(GrpcStatus.OK, r.status(), r.message());
    assertFalse(ExportMetricsServiceResponse.parseFrom(r.body()).hasPartialSuccess());
    Scrape after = seam.scrape();
    assertEquals(5, delta(before, after, RECEIVED, "signal", "metrics", "protocol", "grpc"));
    assertEquals(5, delta(before, after, PROCESSED, "signal", "metrics"));
  }

  @Test
  void invalidSpansGetPartialSuccess() throws Exception {
    Span.Builder[] good = validSpans(3);
    Span.Builder shortTrace =
        Otlp.span(
            "0102030405060708090a0b0c0d0e0f",
            spanHex(IDS.incrementAndGet()),
            null,
            Span.SpanKind.SPAN_KIND_CLIENT,
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
    ExportTraceServiceRequest req =
        Otlp.traces(
            Otlp.resourceSpans(
                Otlp.resource("grpc-partial", "go"),
                shortTrace,
                good[0],
                good[1],
                zeroSpan,
                good[2]));
    Scrape before = seam.scrape();

    GrpcCall.Result r =
        GrpcCall.call(client, seam.grpcPort(), TRACES, "identity", req.toByteArray());

    assertEquals(GrpcStatus.OK, r.status(), r.message());
    ExportTraceServiceResponse resp = ExportTraceServiceResponse.parseFrom(r.body());
    assertTrue(resp.hasPartialSuccess());
    assertEquals(2, resp.getPartialSuccess().getRejectedSpans());
    assertEquals(
        "rejected 2 of 5 spans: span has a 15-byte trace_id (want 16) (and 1 more)",
        resp.getPartialSuccess().getErrorMessage());
    Scrape after = seam.scrape();
    assertEquals(3, delta(before, after, RECEIVED, "signal", "spans", "protocol", "grpc"));
    assertEquals(2, delta(before, after, REFUSED_ITEMS, "signal", "spans", "reason", "invalid"));
    assertEquals(0, delta(before, after, REFUSED_REQUESTS));
  }

  @Test
  void invalidLogRecordGetsPartialSuccess() throws Exception {
    ExportLogsServiceRequest req =
        Otlp.logs(
            Otlp.resource("grpc-log-partial", "go"),
            LogRecord.newBuilder().setTimeUnixNano(Otlp.T0),
            LogRecord.newBuilder().setTimeUnixNano(Otlp.T0).setSpanId(Otlp.id("010203")));
    Scrape before = seam.scrape();

    GrpcCall.Result r = GrpcCall.call(client, seam.grpcPort(), LOGS, "identity", req.toByteArray());

    assertEquals(GrpcStatus.OK, r.status(), r.message());
    ExportLogsServiceResponse resp = ExportLogsServiceResponse.parseFrom(r.body());
    assertEquals(1, resp.getPartialSuccess().getRejectedLogRecords());
    assertEquals(
        "rejected 1 of 2 log records: log record has a 3-byte span_id (want 0 or 8)",
        resp.getPartialSuccess().getErrorMessage());
    Scrape after = seam.scrape();
    assertEquals(1, delta(before, after, RECEIVED, "signal", "logs", "protocol", "grpc"));
    assertEquals(1, delta(before, after, REFUSED_ITEMS, "signal", "logs", "reason", "invalid"));
  }

  // ---------------------------------------------------------------------------------------------
  // Refused calls

  @Test
  void garbageIsInvalidArgument() throws Exception {
    byte[] garbage = new byte[16];
    Arrays.fill(garbage, (byte) 0xFF);
    Scrape before = seam.scrape();

    GrpcCall.Result r = GrpcCall.call(client, seam.grpcPort(), TRACES, "identity", garbage);

    assertEquals(GrpcStatus.INVALID_ARGUMENT, r.status());
    assertTrue(
        r.message() != null
            && r.message().startsWith("invalid OTLP protobuf ExportTraceServiceRequest: "),
        r.message());
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
            "grpc",
            "reason",
            "malformed"));
    assertEquals(1, delta(before, after, REFUSED_REQUESTS));
    assertEquals(0, delta(before, after, RECEIVED));
  }

  @Test
  void garbageGzipIsInvalidArgument() throws Exception {
    Scrape before = seam.scrape();

    GrpcCall.Result r =
        GrpcCall.call(
            client,
            seam.grpcPort(),
            LOGS,
            "gzip",
            "not gzip at all".getBytes(StandardCharsets.US_ASCII));

    assertEquals(GrpcStatus.INVALID_ARGUMENT, r.status());
    assertTrue(r.message() != null && r.message().startsWith("invalid gzip body"), r.message());
    assertEquals(
        1,
        delta(
            before,
            seam.scrape(),
            REFUSED_REQUESTS,
            "signal",
            "logs",
            "protocol",
            "grpc",
            "reason",
            "malformed"));
  }

  @Test
  void unknownServiceIsUnimplemented() throws Exception {
    Scrape before = seam.scrape();

    GrpcCall.Result r =
        GrpcCall.call(client, seam.grpcPort(), "foo.Bar/Export", "identity", new byte[0]);

    assertEquals(GrpcStatus.UNIMPLEMENTED, r.status());
    assertEquals("no such method: foo.Bar/Export", r.message());
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
            "grpc",
            "reason",
            "not_found"));
    assertEquals(1, delta(before, after, REFUSED_REQUESTS));
  }

  @Test
  void unknownMethodOfAKnownServiceIsUnimplemented() throws Exception {
    Scrape before = seam.scrape();

    GrpcCall.Result r =
        GrpcCall.call(
            client,
            seam.grpcPort(),
            "opentelemetry.proto.collector.trace.v1.TraceService/Import",
            "identity",
            new byte[0]);

    assertEquals(GrpcStatus.UNIMPLEMENTED, r.status());
    assertEquals(
        1,
        delta(before, seam.scrape(), REFUSED_REQUESTS, "protocol", "grpc", "reason", "not_found"));
  }

  @Test
  void unsupportedGrpcEncodingIsUnimplemented() throws Exception {
    // Vert.x's gRPC client will not send an encoding it does not know, so this call is framed by
    // hand.
    Scrape before = seam.scrape();

    RawGrpc r =
        rawCall(
            seam.grpcPort(),
            TRACES,
            "deflate",
            frame(true, new byte[] {0x78, (byte) 0x9c, 3, 0, 0, 0, 0, 1}));

    assertEquals(200, r.httpStatus());
    assertEquals(12, r.grpcStatus(), "UNIMPLEMENTED");
    assertEquals("unsupported grpc-encoding 'deflate'; use gzip or identity", r.grpcMessage());
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
            "grpc",
            "reason",
            "unsupported_encoding"));
    assertEquals(1, delta(before, after, REFUSED_REQUESTS));
  }

  @Test
  void twoMessagesInOneUnaryCallAreInvalidArgument() throws Exception {
    byte[] one =
        Otlp.traces(Otlp.resourceSpans(Otlp.resource("grpc-two", "go"), validSpans(1)))
            .toByteArray();
    byte[] two =
        Otlp.traces(Otlp.resourceSpans(Otlp.resource("grpc-two", "go"), validSpans(1)))
            .toByteArray();
    Scrape before = seam.scrape();

    RawGrpc r =
        rawCall(seam.grpcPort(), TRACES, null, frame(false, one).appendBuffer(frame(false, two)));

    assertEquals(3, r.grpcStatus(), "INVALID_ARGUMENT");
    assertEquals("Export is unary: one message per call", r.grpcMessage());
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
            "grpc",
            "reason",
            "malformed"));
    assertEquals(0, delta(before, after, RECEIVED), "neither message is processed");
  }

  @Test
  void callWithoutMessageIsInvalidArgument() throws Exception {
    Scrape before = seam.scrape();

    RawGrpc r = rawCall(seam.grpcPort(), LOGS, null, Buffer.buffer());

    assertEquals(3, r.grpcStatus(), "INVALID_ARGUMENT");
    assertEquals("the call carried no message", r.grpcMessage());
    assertEquals(
        1,
        delta(
            before,
            seam.scrape(),
            REFUSED_REQUESTS,
            "signal",
            "logs",
            "protocol",
            "grpc",
            "reason",
            "malformed"));
  }

  @Test
  void oversizeAndGzipBombsAreResourceExhausted() throws Exception {
    try (RunningSeam small =
        RunningSeam.start(
            "receivers: {otlp: {http: {max-body-size: 64KiB}, grpc: {max-message-size: 64KiB}}}")) {
      Scrape before = small.scrape();

      // Just under the limit: accepted.
      GrpcCall.Result ok =
          GrpcCall.call(client, small.grpcPort(), TRACES, "identity", sizedTraces(60 * 1024));
      assertEquals(GrpcStatus.OK, ok.status(), ok.message());

      // Over the limit on the wire.
      GrpcCall.Result big =
          GrpcCall.call(client, small.grpcPort(), TRACES, "identity", sizedTraces(100 * 1024));
      assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, big.status(), big.message());
      assertServes(small);

      // Under the limit compressed, over it inflated.
      byte[] inflatesOver = Otlp.gzip(sizedTraces(100 * 1024));
      assertTrue(inflatesOver.length < 64 * 1024);
      GrpcCall.Result over = GrpcCall.call(client, small.grpcPort(), TRACES, "gzip", inflatesOver);
      assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, over.status(), over.message());
      assertEquals("body exceeds the limit of 65536 bytes after decompression", over.message());
      assertServes(small);

      // A gzip bomb: 50 MiB of zeros in about 50 KiB.
      GrpcCall.Result bomb = GrpcCall.call(client, small.grpcPort(), TRACES, "gzip", gzipBomb());
      assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, bomb.status(), bomb.message());
      assertEquals("body exceeds the limit of 65536 bytes after decompression", bomb.message());
      assertServes(small);

      Scrape after = small.awaitIdle();
      assertEquals(
          3,
          delta(
              before,
              after,
              REFUSED_REQUESTS,
              "signal",
              "spans",
              "protocol",
              "grpc",
              "reason",
              "too_large"));
      assertEquals(3, delta(before, after, REFUSED_REQUESTS));
      assertEquals(0.0, after.sum(DROPPED));
    }
  }

  @Test
  void gzipBombAgainstTheDefaultLimitIsResourceExhausted() throws Exception {
    Scrape before = seam.scrape();

    GrpcCall.Result r = GrpcCall.call(client, seam.grpcPort(), METRICS, "gzip", gzipBomb());

    assertEquals(GrpcStatus.RESOURCE_EXHAUSTED, r.status(), r.message());
    assertEquals("body exceeds the limit of 16777216 bytes after decompression", r.message());
    Scrape after = seam.scrape();
    assertEquals(
        1,
        delta(
            before,
            after,
            REFUSED_REQUESTS,
            "signal",
            "metrics",
            "protocol",
            "grpc",
            "reason",
            "too_large"));
    assertEquals(0, delta(before, after, RECEIVED));
  }

  // ---------------------------------------------------------------------------------------------
  // The OpenTelemetry SDK's own exporters

  @Test
  void openTelemetryGrpcSpanExporterWithGzipIsCountedExactly() throws Exception {
    OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint(seam.grpcEndpoint())
            .setCompression("gzip")
            .setTimeout(Duration.ofSeconds(10))
            .build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault().toBuilder().put("service.name", "otel-grpc-exporter").build())
            .addSpanProcessor(
                BatchSpanProcessor.builder(exporter)
                    .setScheduleDelay(Duration.ofSeconds(30))
                    .build())
            .build();
    Scrape before = seam.scrape();
    try {
      Tracer tracer = provider.get("seam-test");
      for (int i = 0; i < 4; i++) {
        io.opentelemetry.api.trace.Span parent =
            tracer.spanBuilder("parent-" + i).setSpanKind(SpanKind.SERVER).startSpan();
        try (var scope = parent.makeCurrent()) {
          tracer.spanBuilder("child-a-" + i).startSpan().end();
          tracer.spanBuilder("child-b-" + i).setSpanKind(SpanKind.CLIENT).startSpan().end();
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
    assertEquals(12, delta(before, after, RECEIVED, "signal", "spans", "protocol", "grpc"));
    assertEquals(0, delta(before, after, RECEIVED, "signal", "spans", "protocol", "http"));
    assertEquals(12, delta(before, after, PROCESSED, "signal", "spans"));
    assertEquals(0, delta(before, after, REFUSED_ITEMS));
    assertEquals(0, delta(before, after, REFUSED_REQUESTS));
  }

  @Test
  void openTelemetryGrpcSpanExporterWithSimpleProcessorSendsOneCallPerSpan() throws Exception {
    OtlpGrpcSpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint(seam.grpcEndpoint())
            .setCompression("gzip")
            .setTimeout(Duration.ofSeconds(10))
            .build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    Scrape before = seam.scrape();
    try {
      Tracer tracer = provider.get("seam-test");
      for (int i = 0; i < 3; i++) {
        tracer.spanBuilder("simple-" + i).startSpan().end();
      }
      assertTrue(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess());
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    assertEquals(3, delta(before, seam.scrape(), RECEIVED, "signal", "spans", "protocol", "grpc"));
  }

  @Test
  void openTelemetryGrpcLogExporterWithGzipIsCountedExactly() throws Exception {
    OtlpGrpcLogRecordExporter exporter =
        OtlpGrpcLogRecordExporter.builder()
            .setEndpoint(seam.grpcEndpoint())
            .setCompression("gzip")
            .setTimeout(Duration.ofSeconds(10))
            .build();
    SdkLoggerProvider provider =
        SdkLoggerProvider.builder()
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter))
            .build();
    Scrape before = seam.scrape();
    try {
      Logger logger = provider.get("seam-test");
      for (int i = 0; i < 3; i++) {
        logger.logRecordBuilder().setBody("record " + i).setSeverity(Severity.INFO).emit();
      }
      assertTrue(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess());
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    Scrape after = seam.scrape();
    assertEquals(3, delta(before, after, RECEIVED, "signal", "logs", "protocol", "grpc"));
    assertEquals(3, delta(before, after, PROCESSED, "signal", "logs"));
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** What a hand-framed gRPC call got back. */
  private record RawGrpc(int httpStatus, int grpcStatus, String grpcMessage, byte[] body) {}

  /** One length-prefixed gRPC message. */
  private static Buffer frame(boolean compressed, byte[] payload) {
    return Buffer.buffer()
        .appendByte((byte) (compressed ? 1 : 0))
        .appendInt(payload.length)
        .appendBytes(payload);
  }

  /** A gRPC call framed by hand over HTTP/2 with prior knowledge, for what no gRPC client sends. */
  private static RawGrpc rawCall(int port, String fullMethod, String encoding, Buffer frames)
      throws Exception {
    HttpClientAgent http =
        client.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    try {
      return http.request(
              new RequestOptions()
                  .setMethod(HttpMethod.POST)
                  .setHost("127.0.0.1")
                  .setPort(port)
                  .setURI("/" + fullMethod))
          .compose(
              req -> {
                req.putHeader("content-type", "application/grpc").putHeader("te", "trailers");
                if (encoding != null) {
                  req.putHeader("grpc-encoding", encoding);
                }
                return req.send(frames);
              })
          .compose(
              resp ->
                  resp.body()
                      .map(
                          body -> {
                            // A trailers-only reply carries the status in the headers.
                            String status =
                                resp.trailers().get("grpc-status") != null
                                    ? resp.trailers().get("grpc-status")
                                    : resp.headers().get("grpc-status");
                            String message =
                                resp.trailers().get("grpc-status") != null
                                    ? resp.trailers().get("grpc-message")
                                    : resp.headers().get("grpc-message");
                            return new RawGrpc(
                                resp.statusCode(),
                                status == null ? -1 : Integer.parseInt(status),
                                percentDecode(message),
                                body.getBytes());
                          }))
          .await(10, TimeUnit.SECONDS);
    } finally {
      http.close();
    }
  }

  private static String percentDecode(String s) {
    if (s == null) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A valid one-span call must still be OK and counted. */
  private static void assertServes(RunningSeam s) throws Exception {
    ReceiverChecks.assertServes(
        s,
        "grpc",
        "grpc-canary",
        validSpans(1)[0],
        (target, request) -> {
          GrpcCall.Result r = GrpcCall.call(client, target.grpcPort(), TRACES, "identity", request);
          assertEquals(
              GrpcStatus.OK, r.status(), "a valid call after the previous ones: " + r.message());
          return r.body();
        });
  }

  private static Span.Builder[] validSpans(int n) {
    return ReceiverChecks.validSpans(TRACE_PREFIX, IDS, n);
  }

  private static String traceHex(long n) {
    return ReceiverChecks.traceHex(TRACE_PREFIX, n);
  }

  /** A valid trace export of about {@code bytes} bytes: one span with a big attribute. */
  private static byte[] sizedTraces(int bytes) {
    return ReceiverChecks.sizedTraces(validSpans(1)[0], "grpc-sized", "message", bytes);
  }
}
