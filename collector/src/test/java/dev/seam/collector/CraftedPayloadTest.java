package dev.seam.collector;

import static dev.seam.collector.testing.Otlp.LOCAL_PARENT;
import static dev.seam.collector.testing.Otlp.REMOTE_PARENT;
import static dev.seam.collector.testing.Otlp.T0;
import static dev.seam.collector.testing.Otlp.attr;
import static dev.seam.collector.testing.Otlp.error;
import static dev.seam.collector.testing.Otlp.resource;
import static dev.seam.collector.testing.Otlp.resourceSpans;
import static dev.seam.collector.testing.Otlp.span;
import static dev.seam.collector.testing.Otlp.traces;
import static dev.seam.collector.testing.Scrape.with;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seam.collector.testing.GrpcCall;
import dev.seam.collector.testing.Otlp;
import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.vertx.grpc.common.GrpcStatus;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Payloads an SDK will not produce on demand, sent over real sockets: halves out of order and
 * seconds apart on different connections, expiring windows, in-process FFI, missing kinds, the
 * error vocabulary on either side, and Rust-style logs.
 */
class CraftedPayloadTest {

  private static final long MS = 1_000_000L;
  private static final String TRACE_SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService/Export";
  private static final Resource GO = resource("gateway", "go", attr("host.name", "node-a"), attr("process.pid", 4242));
  private static final Resource RUST = resource("pricing", "rust", attr("host.name", "node-b"), attr("process.pid", 777));
  private static final Resource RUST_IN_GO = resource("gateway", "rust", attr("host.name", "node-a"), attr("process.pid", 4242));

  @Test
  void calleeArrivingFirstOnAnotherConnectionPairsWithCallerSecondsLater() throws Exception {
    try (RunningSeam seam = RunningSeam.start()) {
      // The Rust callee comes first, as OTLP JSON over HTTP...
      String json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":["
          + "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"pricing\"}},"
          + "{\"key\":\"telemetry.sdk.language\",\"value\":{\"stringValue\":\"rust\"}}]},"
          + "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5B8EFFF798038103D269B633813FC60C\",\"spanId\":\"eee19b7ec3c1b174\","
          + "\"parentSpanId\":\"EEE19B7EC3C1B173\",\"name\":\"GET /price/{id}\",\"kind\":2,\"flags\":768,"
          + "\"startTimeUnixNano\":\"" + (T0 + 3 * MS) + "\",\"endTimeUnixNano\":" + (T0 + 10 * MS) + ","
          + "\"attributes\":[{\"key\":\"http.route\",\"value\":{\"stringValue\":\"/price/{id}\"}},"
          + "{\"key\":\"http.request.method\",\"value\":{\"stringValue\":\"GET\"}}]}]}]}]}";
      HttpResponse<byte[]> r = seam.post("/v1/traces", "application/json", null, json.getBytes(StandardCharsets.UTF_8));
      assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
      Thread.sleep(1500);
      // ...and the Go caller a second and a half later, as protobuf over gRPC.
      ExportTraceServiceRequest caller = traces(resourceSpans(GO,
          span("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b173", "", SpanKind.SPAN_KIND_CLIENT, T0, 12 * MS)
              .addAttributes(attr("http.request.method", "GET"))));
      assertEquals(GrpcStatus.OK, GrpcCall.call(seam.vertx(), seam.grpcPort(), TRACE_SERVICE, "identity", caller.toByteArray()).status());

      Scrape s = seam.awaitScrape(Duration.ofSeconds(5), x -> x.sum("seam_boundary_calls_total") == 1);
      String[] b = {"caller_service", "gateway", "callee_service", "pricing", "transport", "http", "operation", "/price/{id}"};
      assertEquals(1, s.value("seam_boundary_calls_total", b));
      assertEquals(0.012, s.value("seam_boundary_caller_duration_seconds_sum", b), 1e-9);
      assertEquals(0.007, s.value("seam_boundary_callee_duration_seconds_sum", b), 1e-9);
      assertEquals(0.005, s.value("seam_boundary_overhead_seconds_sum", b), 1e-9);
      // The waiting callee ended as paired; both spans are still held as candidate parents.
      assertEquals(1, s.value("seam_pairing_entries_total", "outcome", "paired"));
      assertEquals(2, s.value("seam_pairing_pending"));
      assertEquals(2_000_000, s.value("seam_pairing_capacity"), "pairing.max-pending, for alerts on how full the store is");
    }
  }

  @Test
  void aRetriedBatchIsNotCountedTwice() throws Exception {
    try (RunningSeam seam = RunningSeam.start()) {
      ExportTraceServiceRequest both = traces(
          resourceSpans(GO, span("00000000000000000000000000000a01", "00000000000000a1", "", SpanKind.SPAN_KIND_CLIENT, T0, 4 * MS)
              .addAttributes(attr("rpc.system", "grpc"))),
          resourceSpans(RUST, span("00000000000000000000000000000a01", "00000000000000a2", "00000000000000a1", SpanKind.SPAN_KIND_SERVER, T0 + MS, 2 * MS)
              .setFlags(REMOTE_PARENT)));
      postProtobuf(seam, both);
      postProtobuf(seam, both);
      Scrape s = seam.awaitIdle();
      assertEquals(1, s.sum("seam_boundary_calls_total"));
      assertEquals(4, s.sum("seam_received_items_total", "signal", "spans"));
      assertEquals(4, s.sum("seam_processed_items_total", "signal", "spans"));
    }
  }

  @Test
  void halvesWhoseCounterpartNeverArrivesAreCountedUnpairedOnTheirSide() throws Exception {
    try (RunningSeam seam = RunningSeam.start("pairing: {window: 300ms}")) {
      // A Go caller whose callee never reports: named by its peer hint.
      postProtobuf(seam, traces(resourceSpans(GO,
          span("00000000000000000000000000000b01", "00000000000000b1", "", SpanKind.SPAN_KIND_CLIENT, T0, 4 * MS)
              .addAttributes(attr("rpc.system", "grpc"))
              .addAttributes(attr("rpc.service", "pricing.v1.Pricing"))
              .addAttributes(attr("rpc.method", "Quote"))
              .addAttributes(attr("peer.service", "pricing")))));
      // A Rust callee whose remote caller never reports.
      postProtobuf(seam, traces(resourceSpans(RUST,
          span("00000000000000000000000000000b02", "00000000000000b3", "00000000000000b2", SpanKind.SPAN_KIND_SERVER, T0, 2 * MS)
              .setFlags(REMOTE_PARENT)
              .addAttributes(attr("http.request.method", "POST"))
              .addAttributes(attr("http.route", "/quote")))));
      // An in-process Go span with no boundary: it expires without being called unpaired.
      postProtobuf(seam, traces(resourceSpans(GO,
          span("00000000000000000000000000000b03", "00000000000000b4", "", SpanKind.SPAN_KIND_INTERNAL, T0, 2 * MS))));

      Scrape s = seam.awaitScrape(Duration.ofSeconds(5), x -> x.sum("seam_boundary_unpaired_total") == 2 && x.sum("seam_pairing_pending") == 0);
      assertEquals(1, s.value("seam_boundary_unpaired_total",
          "side", "caller", "caller_service", "gateway", "caller_language", "go",
          "callee_service", "pricing", "callee_language", "unknown", "transport", "grpc", "operation", "pricing.v1.Pricing/Quote"));
      assertEquals(1, s.value("seam_boundary_unpaired_total",
          "side", "callee", "caller_service", "unknown", "caller_language", "unknown",
          "callee_service", "pricing", "callee_language", "rust", "transport", "http", "operation", "/quote"));
      // Entries: 3 spans held as candidate parents + 1 callee waiting for its caller, all expired.
      assertEquals(4, s.value("seam_pairing_entries_total", "outcome", "expired"));
      assertEquals(0, s.value("seam_pairing_entries_total", "outcome", "paired"));
      assertEquals(0, s.value("seam_pairing_pending"));

      // The caller that finally arrives after the window pairs with nothing.
      postProtobuf(seam, traces(resourceSpans(GO,
          span("00000000000000000000000000000b02", "00000000000000b2", "", SpanKind.SPAN_KIND_CLIENT, T0, 4 * MS)
              .addAttributes(attr("http.request.method", "POST")))));
      s = seam.awaitScrape(Duration.ofSeconds(5), x -> x.sum("seam_boundary_unpaired_total") == 3);
      assertEquals(0, s.sum("seam_boundary_calls_total"));
      assertEquals(3, s.sum("seam_boundary_unpaired_total"));
    }
  }

  @Test
  void aCallWhoseContextWasLostIsCountedAsBrokenOnItsBoundary() throws Exception {
    try (RunningSeam seam = RunningSeam.start("pairing: {window: 300ms}")) {
      // The Go client sent no traceparent: the Rust server began a trace of its own.
      postProtobuf(seam, traces(
          resourceSpans(GO, span("00000000000000000000000000001a01", "0000000000001a01", "", SpanKind.SPAN_KIND_CLIENT, T0, 10 * MS)
              .addAttributes(attr("http.request.method", "GET")).addAttributes(attr("peer.service", "pricing"))),
          resourceSpans(RUST, span("00000000000000000000000000001b01", "0000000000001b01", "", SpanKind.SPAN_KIND_SERVER, T0 + 2 * MS, 5 * MS)
              .addAttributes(attr("http.request.method", "GET")).addAttributes(attr("http.route", "/price/{id}")))));
      Scrape s = seam.awaitScrape(Duration.ofSeconds(15),
          x -> x.sum("seam_boundary_unpaired_total") == 1 && x.sum("seam_boundary_context_broken_total") == 1 && x.sum("seam_pairing_pending") == 0);
      String[] b = {"caller_service", "gateway", "caller_language", "go", "callee_service", "pricing", "callee_language", "rust", "transport", "http", "operation", "/price/{id}"};
      assertEquals(1, s.value("seam_boundary_context_broken_total", b));
      assertEquals(1, s.value("seam_boundary_unpaired_total", with(b, "side", "caller", "reason", "context_broken")));
      assertEquals(0, s.sum("seam_boundary_unpaired_total", "reason", "callee_missing"));
      assertEquals(0, s.sum("seam_boundary_calls_total"));
    }
  }

  @Test
  void clockSkewBetweenHostsIsEstimatedPerRemoteBoundary() throws Exception {
    try (RunningSeam seam = RunningSeam.start()) {
      // pricing's clock runs 250 ms ahead of gateway's: each callee starts 2 ms into its caller
      // by the caller's clock, and the crossing takes 2 ms each way.
      for (int i = 0; i < 3; i++) {
        String trace = "000000000000000000000000000020" + String.format("%02x", i);
        postProtobuf(seam, traces(
            resourceSpans(GO, span(trace, "00000000000020a" + i, "", SpanKind.SPAN_KIND_CLIENT, T0, 10 * MS)
                .addAttributes(attr("rpc.system", "grpc")).addAttributes(attr("rpc.method", "p.P/Q"))),
            resourceSpans(RUST, span(trace, "00000000000020b" + i, "00000000000020a" + i, SpanKind.SPAN_KIND_SERVER, T0 + 250 * MS + 2 * MS, 6 * MS)
                .setFlags(REMOTE_PARENT).addAttributes(attr("rpc.system", "grpc")).addAttributes(attr("rpc.method", "p.P/Q")))));
      }
      Scrape s = seam.awaitScrape(Duration.ofSeconds(5), x -> x.sum("seam_boundary_calls_total") == 3);
      assertEquals(0.25, s.value("seam_boundary_clock_skew_seconds", "caller_service", "gateway", "callee_service", "pricing", "transport", "grpc"), 1e-9);
    }
  }

  @Test
  void countersStandForEverySampledCallHistogramsHoldTheSampledOnes() throws Exception {
    try (RunningSeam seam = RunningSeam.start()) {
      // The caller sampled at 25 % (rejection threshold 0xc / 16): each call it reports stands for 4.
      postProtobuf(seam, traces(
          resourceSpans(GO, span("00000000000000000000000000003a01", "0000000000003a01", "", SpanKind.SPAN_KIND_CLIENT, T0, 10 * MS)
              .setTraceState("ot=th:c").addAttributes(attr("http.request.method", "GET")).addAttributes(attr("http.response.status_code", 503))
              .setStatus(error(""))),
          resourceSpans(RUST, span("00000000000000000000000000003a01", "0000000000003a02", "0000000000003a01", SpanKind.SPAN_KIND_SERVER, T0 + MS, 5 * MS)
              .setTraceState("ot=th:c").setFlags(REMOTE_PARENT).addAttributes(attr("http.route", "/s")).addAttributes(attr("http.response.status_code", 503))
              .setStatus(error("")))));
      Scrape s = seam.awaitScrape(Duration.ofSeconds(5), x -> x.sum("seam_boundary_calls_total") > 0);
      assertEquals(4.0, s.value("seam_boundary_calls_total", "operation", "/s"));
      assertEquals(4.0, s.value("seam_boundary_errors_total", "operation", "/s", "error_side", "both", "error_class", "unavailable"));
      assertEquals(1, s.value("seam_boundary_caller_duration_seconds_count", "operation", "/s"));
    }
  }

  @Test
  void aCalleeCutOffWhenItsCallerGaveUpRecordsNoOverhead() throws Exception {
    try (RunningSeam seam = RunningSeam.start()) {
      // Go timed out after 150 ms and hung up; axum dropped the handler and its span ended with
      // no status code and a duration that says nothing (as tracing-opentelemetry reports it).
      postProtobuf(seam, traces(
          resourceSpans(GO, span("00000000000000000000000000004a01", "0000000000004a01", "", SpanKind.SPAN_KIND_CLIENT, T0, 150 * MS)
              .addAttributes(attr("http.request.method", "GET")).setStatus(error("Get \"http://pricing/price/1\": context deadline exceeded"))),
          resourceSpans(RUST, span("00000000000000000000000000004a01", "0000000000004a02", "0000000000004a01", SpanKind.SPAN_KIND_SERVER, T0 + MS, 80_000L)
              .setFlags(REMOTE_PARENT).addAttributes(attr("http.request.method", "GET")).addAttributes(attr("http.route", "/slow")))));
      Scrape s = seam.awaitScrape(Duration.ofSeconds(5), x -> x.sum("seam_boundary_calls_total") == 1);
      String[] b = {"operation", "/slow"};
      assertEquals(1, s.value("seam_boundary_errors_total", with(b, "error_side", "caller", "error_class", "deadline_exceeded")));
      assertEquals(0, s.value("seam_boundary_overhead_seconds_count", b));
      assertEquals(0, s.value("seam_boundary_negative_overhead_total", b));
      assertEquals(1, s.value("seam_boundary_caller_duration_seconds_count", b));
    }
  }

  @Test
  void tempoServiceGraphMetricsWhenSwitchedOn() throws Exception {
    try (RunningSeam seam = RunningSeam.start("compat: {service-graph: {enabled: true}}")) {
      postProtobuf(seam, pairs(
          pair("51", "svc-a", "http", 200, false, 200, false),
          pair("52", "svc-a", "http", 503, true, 503, true),
          pair("53", "svc-b", "grpc", 0, false, 0, false)));
      Scrape s = seam.awaitScrape(Duration.ofSeconds(5), x -> x.sum("seam_boundary_calls_total") == 3);
      assertEquals(2, s.value("traces_service_graph_request_total", "client", "gateway", "server", "svc-a", "connection_type", ""));
      assertEquals(1, s.value("traces_service_graph_request_failed_total", "client", "gateway", "server", "svc-a", "connection_type", ""));
      assertEquals(1, s.value("traces_service_graph_request_total", "client", "gateway", "server", "svc-b", "connection_type", ""));
      assertEquals(0, s.value("traces_service_graph_request_failed_total", "client", "gateway", "server", "svc-b"));
      assertEquals(0.010, s.value("traces_service_graph_request_client_seconds_sum", "server", "svc-a"), 1e-9);
      assertEquals(0.006, s.value("traces_service_graph_request_server_seconds_sum", "server", "svc-a"), 1e-9);
      assertEquals(2, s.value("traces_service_graph_request_server_seconds_count", "server", "svc-a"));
    }
    try (RunningSeam off = RunningSeam.start()) {
      postProtobuf(off, pairs(pair("54", "svc-c", "http", 200, false, 200, false)));
      Scrape s = off.awaitScrape(Duration.ofSeconds(5), x -> x.sum("seam_boundary_calls_total") == 1);
      assertEquals(0, s.find("traces_service_graph_request_total").size(), "off by default");
    }
  }

  @Test
  void hostileNamesAreSanitizedInEveryLabel() throws Exception {
    try (RunningSeam seam = RunningSeam.start()) {
      String evil = "evil\nservice\u0000" + "x".repeat(5_000);
      postProtobuf(seam, traces(
          resourceSpans(resource(evil, "go"), span("00000000000000000000000000006a01", "0000000000006a01", "", SpanKind.SPAN_KIND_CLIENT, T0, 4 * MS)
              .addAttributes(attr("http.request.method", "GET"))),
          resourceSpans(RUST, span("00000000000000000000000000006a01", "0000000000006a02", "0000000000006a01", SpanKind.SPAN_KIND_SERVER, T0 + MS, 2 * MS)
              .setFlags(REMOTE_PARENT).addAttributes(attr("http.route", "/r\r\n# HELP injected")))));
      Scrape s = seam.awaitScrape(Duration.ofSeconds(5), x -> x.sum("seam_boundary_calls_total") == 1);
      Scrape.Sample call = s.find("seam_boundary_calls_total").get(0);
      assertEquals("evil_service_" + "x".repeat(256 - 13), call.labels().get("caller_service"));
      assertEquals("/r__# HELP injected", call.labels().get("operation"));
      assertEquals(false, s.text().contains("\n# HELP injected"), "no label value can start a line of its own");
    }
  }

  @Test
  void seriesThatStopUpdatingExpire() throws Exception {
    try (RunningSeam seam = RunningSeam.start("limits: {series-ttl: 300ms}")) {
      io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest memory =
          io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.newBuilder()
              .addResourceMetrics(io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder().setResource(RUST)
                  .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                      .addMetrics(io.opentelemetry.proto.metrics.v1.Metric.newBuilder().setName("process.memory.usage").setUnit("By")
                          .setGauge(io.opentelemetry.proto.metrics.v1.Gauge.newBuilder()
                              .addDataPoints(io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder().setAsInt(42_000_000L))))))
              .build();
      for (int round = 0; round < 2; round++) {
        String trace = "00000000000000000000000000007a0" + round;
        postProtobuf(seam, traces(
            resourceSpans(GO, span(trace, "0000000000007a0" + round, "", SpanKind.SPAN_KIND_CLIENT, T0, 4 * MS).addAttributes(attr("http.request.method", "GET"))),
            resourceSpans(RUST, span(trace, "0000000000007b0" + round, "0000000000007a0" + round, SpanKind.SPAN_KIND_SERVER, T0 + MS, 2 * MS)
                .setFlags(REMOTE_PARENT).addAttributes(attr("http.route", "/ttl")))));
        assertEquals(200, seam.post("/v1/metrics", "application/x-protobuf", null, memory.toByteArray()).statusCode());
        Scrape s = seam.awaitScrape(Duration.ofSeconds(5), x -> x.sum("seam_boundary_calls_total") == 1 && x.sum("seam_process_memory_bytes") > 0);
        assertEquals(1, s.value("seam_boundary_calls_total", "operation", "/ttl"), "a boundary that comes back starts from zero");
        assertEquals(42_000_000, s.value("seam_process_memory_bytes", "service", "pricing", "type", "resident"));
        s = seam.awaitScrape(Duration.ofSeconds(5), x -> x.find("seam_boundary_calls_total").isEmpty() && x.find("seam_process_memory_bytes").isEmpty());
        assertEquals(0, s.find("seam_boundary_calls_total").size(), "idle boundary series are removed");
        assertEquals(0, s.find("seam_boundary_caller_duration_seconds_count").size());
        assertEquals(0, s.find("seam_process_memory_bytes").size(), "a process that stopped reporting is removed");
      }
    }
  }

  @Test
  void ffiCallInOneProcessIsInternalToInternal() throws Exception {
    try (RunningSeam seam = RunningSeam.start()) {
      postProtobuf(seam, traces(
          resourceSpans(GO,
              span("00000000000000000000000000000c01", "00000000000000c1", "", SpanKind.SPAN_KIND_SERVER, T0, 10 * MS),
              span("00000000000000000000000000000c01", "00000000000000c2", "00000000000000c1", SpanKind.SPAN_KIND_INTERNAL, T0 + MS, 200_000L)
                  .setFlags(LOCAL_PARENT).setName("pricing_ffi.quote")),
          resourceSpans(RUST_IN_GO,
              span("00000000000000000000000000000c01", "00000000000000c3", "00000000000000c2", SpanKind.SPAN_KIND_INTERNAL, T0 + MS + 3_000L, 194_000L)
                  .setFlags(REMOTE_PARENT).setName("quote"))));
      Scrape s = seam.awaitScrape(Duration.ofSeconds(5), x -> x.sum("seam_boundary_calls_total") == 1);
      String[] ffi = {"caller_service", "gateway", "caller_language", "go", "callee_service", "gateway", "callee_language", "rust", "transport", "ffi", "operation", "quote"};
      assertEquals(1, s.value("seam_boundary_calls_total", ffi));
      assertEquals(6e-6, s.value("seam_boundary_overhead_seconds_sum", ffi), 1e-12);
      assertEquals(1, s.value("seam_boundary_overhead_seconds_bucket", with(ffi, "le", "1.0E-5")));
      assertEquals(0, s.value("seam_boundary_overhead_seconds_bucket", with(ffi, "le", "5.0E-6")));
    }
  }

  @Test
  void edgesAreFoundWhateverTheKinds() throws Exception {
    try (RunningSeam seam = RunningSeam.start()) {
      postProtobuf(seam, traces(
          // Old HTTP names, no kinds and no flags at all (an old SDK).
          resourceSpans(GO, span("00000000000000000000000000000d01", "00000000000000d1", "", SpanKind.SPAN_KIND_UNSPECIFIED, T0, 8 * MS)
              .addAttributes(attr("http.method", "GET")).addAttributes(attr("http.status_code", 200))),
          resourceSpans(RUST, span("00000000000000000000000000000d01", "00000000000000d2", "00000000000000d1", SpanKind.SPAN_KIND_UNSPECIFIED, T0 + MS, 5 * MS)
              .addAttributes(attr("http.method", "GET")).addAttributes(attr("http.route", "/a"))),
          // A Go CLIENT whose child is a Rust tracing span without otel.kind: INTERNAL.
          resourceSpans(GO, span("00000000000000000000000000000d02", "00000000000000d3", "", SpanKind.SPAN_KIND_CLIENT, T0, 8 * MS)
              .addAttributes(attr("http.request.method", "GET"))),
          resourceSpans(RUST, span("00000000000000000000000000000d02", "00000000000000d4", "00000000000000d3", SpanKind.SPAN_KIND_INTERNAL, T0 + MS, 6 * MS)
              .setFlags(REMOTE_PARENT).addAttributes(attr("http.route", "/b")))));
      Scrape s = seam.awaitScrape(Duration.ofSeconds(5), x -> x.sum("seam_boundary_calls_total") == 2);
      String[] a = {"transport", "http", "operation", "/a"};
      String[] b = {"transport", "http", "operation", "/b"};
      assertEquals(1, s.value("seam_boundary_calls_total", a));
      assertEquals(1, s.value("seam_boundary_calls_total", b));
      // Overhead needs a caller that is the outgoing half: not known for the kind-less pair.
      assertEquals(0, s.value("seam_boundary_overhead_seconds_count", a));
      assertEquals(0.002, s.value("seam_boundary_overhead_seconds_sum", b), 1e-9);
    }
  }

  @Test
  void errorsMapToOneVocabularyOnEitherSide() throws Exception {
    try (RunningSeam seam = RunningSeam.start()) {
      postProtobuf(seam, pairs(
          pair("e1", "svc-grpc-unavailable", "grpc", 14, true, 14, true),
          pair("e2", "svc-grpc-not-found", "grpc", 5, true, 5, false),
          pair("e3", "svc-http-504", "http", 504, true, 504, true),
          pair("e4", "svc-http-429", "http", 429, true, 429, false),
          pair("e5", "svc-http-500-callee-only", "http", 200, false, 500, true),
          pair("e6", "svc-ok", "grpc", 0, false, 0, false)));
      Scrape s = seam.awaitScrape(Duration.ofSeconds(5), x -> x.sum("seam_boundary_calls_total") == 6);
      assertEquals(1, s.value("seam_boundary_errors_total", "callee_service", "svc-grpc-unavailable", "error_side", "both", "error_class", "unavailable"));
      assertEquals(1, s.value("seam_boundary_errors_total", "callee_service", "svc-grpc-not-found", "error_side", "caller", "error_class", "not_found"));
      assertEquals(1, s.value("seam_boundary_errors_total", "callee_service", "svc-http-504", "error_side", "both", "error_class", "deadline_exceeded"));
      assertEquals(1, s.value("seam_boundary_errors_total", "callee_service", "svc-http-429", "error_side", "caller", "error_class", "resource_exhausted"));
      assertEquals(1, s.value("seam_boundary_errors_total", "callee_service", "svc-http-500-callee-only", "error_side", "callee", "error_class", "internal"));
      assertEquals(0, s.sum("seam_boundary_errors_total", "callee_service", "svc-ok"));
      assertEquals(5, s.sum("seam_boundary_errors_total"));
    }
  }

  @Test
  void rustStyleLogsCountAndTieErrorsToTheirSide() throws Exception {
    try (RunningSeam seam = RunningSeam.start()) {
      postProtobuf(seam, traces(
          resourceSpans(GO, span("00000000000000000000000000000f01", "00000000000000f1", "", SpanKind.SPAN_KIND_CLIENT, T0, 4 * MS)
              .addAttributes(attr("rpc.system", "grpc")).addAttributes(attr("rpc.method", "p.P/Q")).setStatus(error("boom"))),
          resourceSpans(RUST, span("00000000000000000000000000000f01", "00000000000000f2", "00000000000000f1", SpanKind.SPAN_KIND_SERVER, T0 + MS, 2 * MS)
              .setFlags(REMOTE_PARENT).addAttributes(attr("rpc.system", "grpc")).addAttributes(attr("rpc.method", "p.P/Q")))));
      long observed = T0 + 5 * MS;
      ExportLogsServiceRequest logs = Otlp.logs(RUST,
          // time 0, empty ids: the appender's shape for a record outside any span.
          LogRecord.newBuilder().setTimeUnixNano(0).setObservedTimeUnixNano(observed).setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
              .setSeverityText("ERROR"),
          LogRecord.newBuilder().setTimeUnixNano(0).setObservedTimeUnixNano(observed).setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO),
          // All-zero ids mean no context too.
          LogRecord.newBuilder().setObservedTimeUnixNano(observed).setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
              .setTraceId(Otlp.id("00000000000000000000000000000000")).setSpanId(Otlp.id("0000000000000000")),
          // Two errors inside the callee span.
          LogRecord.newBuilder().setObservedTimeUnixNano(observed).setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
              .setTraceId(Otlp.id("00000000000000000000000000000f01")).setSpanId(Otlp.id("00000000000000f2")),
          LogRecord.newBuilder().setObservedTimeUnixNano(observed).setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_FATAL)
              .setTraceId(Otlp.id("00000000000000000000000000000f01")).setSpanId(Otlp.id("00000000000000f2")),
          // A warning inside the callee span is counted but not tied to the boundary.
          LogRecord.newBuilder().setObservedTimeUnixNano(observed).setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
              .setTraceId(Otlp.id("00000000000000000000000000000f01")).setSpanId(Otlp.id("00000000000000f2")));
      HttpResponse<byte[]> r = seam.post("/v1/logs", "application/x-protobuf", "gzip", Otlp.gzip(logs.toByteArray()));
      assertEquals(200, r.statusCode());
      Scrape s = seam.awaitScrape(Duration.ofSeconds(5), x -> x.sum("seam_boundary_error_logs_total") == 2);
      assertEquals(2, s.value("seam_boundary_error_logs_total", "side", "callee", "callee_service", "pricing", "operation", "p.P/Q"));
      assertEquals(0, s.sum("seam_boundary_error_logs_total", "side", "caller"));
      assertEquals(3, s.value("seam_log_records_total", "service", "pricing", "language", "rust", "severity", "error"));
      assertEquals(1, s.value("seam_log_records_total", "service", "pricing", "severity", "fatal"));
      assertEquals(1, s.value("seam_log_records_total", "service", "pricing", "severity", "warn"));
      assertEquals(1, s.value("seam_log_records_total", "service", "pricing", "severity", "info"));
      s = seam.awaitIdle();
      assertEquals(6, s.sum("seam_received_items_total", "signal", "logs"));
      assertEquals(6, s.sum("seam_processed_items_total", "signal", "logs"));
    }
  }

  /** A Go client and its Rust server child, each with a status code and a failed flag, in a trace of its own. */
  private static io.opentelemetry.proto.trace.v1.ResourceSpans[] pair(String id, String callee, String transport, long callerCode, boolean callerFailed, long calleeCode, boolean calleeFailed) {
    String trace = "000000000000000000000000000000" + id;
    String parent = "00000000000000" + id;
    String child = "000000000000" + id + "99";
    var c = span(trace, parent, "", SpanKind.SPAN_KIND_CLIENT, T0, 5 * MS);
    var v = span(trace, child, parent, SpanKind.SPAN_KIND_SERVER, T0 + MS, 3 * MS).setFlags(REMOTE_PARENT);
    if (transport.equals("grpc")) {
      c.addAttributes(attr("rpc.system", "grpc")).addAttributes(attr("rpc.grpc.status_code", callerCode));
      v.addAttributes(attr("rpc.system", "grpc")).addAttributes(attr("rpc.grpc.status_code", calleeCode));
    } else {
      c.addAttributes(attr("http.request.method", "GET")).addAttributes(attr("http.response.status_code", callerCode));
      v.addAttributes(attr("http.request.method", "GET")).addAttributes(attr("http.response.status_code", calleeCode));
    }
    if (callerFailed) {
      c.setStatus(error(""));
    }
    if (calleeFailed) {
      v.setStatus(error(""));
    }
    return new io.opentelemetry.proto.trace.v1.ResourceSpans[] {resourceSpans(GO, c), resourceSpans(resource(callee, "rust"), v)};
  }


  private static ExportTraceServiceRequest pairs(io.opentelemetry.proto.trace.v1.ResourceSpans[]... pairs) {
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    for (io.opentelemetry.proto.trace.v1.ResourceSpans[] p : pairs) {
      for (io.opentelemetry.proto.trace.v1.ResourceSpans rs : p) {
        b.addResourceSpans(rs);
      }
    }
    return b.build();
  }

  private static void postProtobuf(RunningSeam seam, ExportTraceServiceRequest request) throws Exception {
    HttpResponse<byte[]> r = seam.post("/v1/traces", "application/x-protobuf", null, request.toByteArray());
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
  }

}
