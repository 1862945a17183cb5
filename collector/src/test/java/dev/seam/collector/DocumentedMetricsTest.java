package dev.seam.collector;

import static dev.seam.collector.testing.Otlp.LOCAL_PARENT;
import static dev.seam.collector.testing.Otlp.REMOTE_PARENT;
import static dev.seam.collector.testing.Otlp.T0;
import static dev.seam.collector.testing.Otlp.attr;
import static dev.seam.collector.testing.Otlp.error;
import static dev.seam.collector.testing.Otlp.id;
import static dev.seam.collector.testing.Otlp.resource;
import static dev.seam.collector.testing.Otlp.resourceSpans;
import static dev.seam.collector.testing.Otlp.span;
import static dev.seam.collector.testing.Otlp.traces;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.seam.collector.contract.ContractMetricNames;
import dev.seam.collector.forward.ForwardMetricNames;
import dev.seam.collector.measure.MeasureMetricNames;
import dev.seam.collector.testing.DocumentedFamilies;
import dev.seam.collector.testing.GrpcCall;
import dev.seam.collector.testing.MetricsDoc;
import dev.seam.collector.testing.Otlp;
import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.vertx.grpc.common.GrpcStatus;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/metrics.md is Seam's interface. A real Seam with every optional part on (service graph,
 * forwarding, broken-context detection) is fed over its sockets until every family it can export
 * has appeared; then the {@code seam_*} and {@code traces_service_graph_*} families on /metrics
 * must be exactly those the page documents, with its types and label names, and every metric-name
 * constant must name one of them.
 *
 * <p>Longer than most test classes: it drives a real Seam through every family it can export before
 * comparing with the page.
 */
class DocumentedMetricsTest {

  private static final long MS = 1_000_000L;
  private static final long S = 1_000 * MS;
  private static final Path METRICS_MD =
      Path.of("").toAbsolutePath().getParent().resolve("docs/metrics.md");
  private static final String KAFKA_FAMILIES = "seam_kafka_";
  private static final String METRICS_SERVICE =
      "opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
  private static final String TRACE_SERVICE =
      "opentelemetry.proto.collector.trace.v1.TraceService/Export";
  private static final Resource GO =
      resource("gateway", "go", attr("host.name", "node-a"), attr("process.pid", 4242));
  private static final Resource RUST =
      resource("pricing", "rust", attr("host.name", "node-b"), attr("process.pid", 777));
  private static final Resource RUST_IN_GO =
      resource("gateway", "rust", attr("host.name", "node-a"), attr("process.pid", 4242));

  /** Trace and span ids of the HTTP call, which the error logs point at. */
  private static final String HTTP_TRACE = "000000000000000000000000000d0c01";

  private static final String HTTP_CALLER = "00000000000d0c11";
  private static final String HTTP_CALLEE = "00000000000d0c12";

  @Test
  void everyExportedFamilyIsDocumentedWithItsLabelsAndNamedByAConstant(@TempDir Path dir)
      throws Exception {
    // Contracts for the gRPC call (an interface, a deprecated one, budgets) and for a boundary
    // never seen; the other calls are undeclared.
    Path contracts = dir.resolve("contracts.yaml");
    Files.writeString(
        contracts,
        String.join(
            "\n",
            "owners: {gateway: {team: edge, escalation: '#edge'}, '*': {team: platform}}",
            "boundaries:",
            "  - caller: gateway",
            "    callee: pricing",
            "    transport: grpc",
            "    interface: {current: pricing.v1, deprecated: {pricing.v0: 2027-03-31}}",
            "    budgets: {caller_p99: 250ms, error_ratio: 0.001}",
            "  - {caller: gateway, callee: ledger, transport: grpc}",
            ""));
    AtomicBoolean throttled = new AtomicBoolean();
    HttpServer downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    downstream.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          // The first log batch is throttled once, so the retry counter moves too.
          boolean throttle =
              exchange.getRequestURI().getPath().equals("/v1/logs")
                  && throttled.compareAndSet(false, true);
          exchange.sendResponseHeaders(throttle ? 503 : 200, -1);
          exchange.close();
        });
    downstream.start();
    // Six boundary series and three services fill the caps exactly; the last call passes both.
    String yaml =
        String.join(
            "\n",
            "compat: {service-graph: {enabled: true}}",
            "pairing: {window: 2s}",
            "forward: {enabled: true, endpoint: 'http://127.0.0.1:"
                + downstream.getAddress().getPort()
                + "', retry: {initial-backoff: 50ms}}",
            "limits: {max-boundaries: 6, max-services: 3}",
            "contracts: {file: '" + contracts + "'}");
    try (RunningSeam seam = RunningSeam.start(yaml)) {
      sendEverything(seam);
      Scrape s =
          seam.awaitScrape(
              Duration.ofSeconds(15),
              x ->
                  x.sum("seam_boundary_calls_total") == 5
                      && x.sum("seam_boundary_unpaired_total") == 3
                      && x.sum("seam_boundary_context_broken_total") == 1
                      && x.sum("seam_boundary_error_logs_total") == 2
                      && x.sum("seam_pairing_pending") == 0);
      assertEquals(
          1,
          s.value(
              "seam_boundary_context_broken_total",
              "callee_service",
              "pricing",
              "operation",
              "/broken"));
      assertEquals(5, s.sum("seam_boundary_calls_total"));
      assertEquals(3, s.sum("seam_boundary_unpaired_total"));
      assertEquals(2, s.sum("seam_boundary_error_logs_total"));
      assertEquals(0, s.sum("seam_pairing_pending"));

      // A new service on a new boundary once both caps are full.
      post(
          seam,
          traces(
              pair(
                  "0000000000000000000000000000e001",
                  resource("ledger", "rust"),
                  50 * S,
                  a -> a.addAttributes(attr("http.request.method", "POST")),
                  b ->
                      b.addAttributes(attr("http.request.method", "POST"))
                          .addAttributes(attr("http.route", "/ledger")))));
      s =
          seam.awaitScrape(
              Duration.ofSeconds(15),
              x -> x.sum("seam_boundary_calls_total") == 6 && forwardedEverything(x));

      assertExactCounts(s);
      // The Kafka families need a broker: KafkaFleetIT holds them to the page.
      MetricsDoc doc =
          MetricsDoc.read(METRICS_MD).filtered(name -> !name.startsWith(KAFKA_FAMILIES));
      DocumentedFamilies.assertExported(s, doc, name -> !name.startsWith(KAFKA_FAMILIES));
      DocumentedFamilies.assertConstantsNameTheFamilies(
          seam.seam().registry(),
          doc,
          name -> !name.startsWith("seam.kafka."),
          MeasureMetricNames.class,
          ForwardMetricNames.class,
          ContractMetricNames.class);
    } finally {
      downstream.stop(0);
    }
  }

  /**
   * Process memory over gRPC; then, within the pairing window of each other over HTTP, error logs
   * (they wait for their spans) and the calls; then unpaired halves over gRPC and a malformed
   * request.
   */
  private static void sendEverything(RunningSeam seam) throws Exception {
    ExportMetricsServiceRequest memory =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(RUST)
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(
                                Metric.newBuilder()
                                    .setName("process.memory.usage")
                                    .setUnit("By")
                                    .setGauge(
                                        Gauge.newBuilder()
                                            .addDataPoints(
                                                NumberDataPoint.newBuilder()
                                                    .setAsInt(42_000_000L))))))
            .build();
    assertEquals(
        GrpcStatus.OK,
        GrpcCall.call(
                seam.vertx(), seam.grpcPort(), METRICS_SERVICE, "identity", memory.toByteArray())
            .status());

    long observed = T0 + 5 * MS;
    HttpResponse<byte[]> r =
        seam.post(
            "/v1/logs",
            "application/x-protobuf",
            "gzip",
            Otlp.gzip(
                Otlp.logs(
                        RUST,
                        LogRecord.newBuilder()
                            .setObservedTimeUnixNano(observed)
                            .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
                            .setTraceId(id(HTTP_TRACE))
                            .setSpanId(id(HTTP_CALLEE)),
                        // No OTLP context: the ids are in the attributes.
                        LogRecord.newBuilder()
                            .setObservedTimeUnixNano(observed)
                            .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO)
                            .addAttributes(attr("trace_id", HTTP_TRACE))
                            .addAttributes(attr("span_id", HTTP_CALLEE)))
                    .toByteArray()));
    assertEquals(200, r.statusCode());
    r =
        seam.post(
            "/v1/logs",
            "application/x-protobuf",
            null,
            Otlp.logs(
                    GO,
                    LogRecord.newBuilder()
                        .setObservedTimeUnixNano(observed)
                        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
                        .setTraceId(id(HTTP_TRACE))
                        .setSpanId(id(HTTP_CALLER)))
                .toByteArray());
    assertEquals(200, r.statusCode());

    // One paired call per transport, each in its own trace and its own second; one span with a
    // 4-byte id is refused on its own.
    List<ResourceSpans> paired = new ArrayList<>();
    paired.addAll(
        List.of(
            pair(
                HTTP_TRACE,
                HTTP_CALLER,
                HTTP_CALLEE,
                RUST,
                0,
                a ->
                    a.addAttributes(attr("http.request.method", "GET"))
                        .addAttributes(attr("http.request.body.size", 100))
                        .addAttributes(attr("http.response.body.size", 2_000))
                        .setStatus(error("context deadline exceeded")),
                b ->
                    b.addAttributes(attr("http.request.method", "GET"))
                        .addAttributes(attr("http.route", "/price/{id}"))
                        .addAttributes(attr("seam.allocated_bytes", 4_096)))));
    paired.addAll(
        List.of(
            pair(
                "000000000000000000000000000d0c02",
                RUST,
                10 * S,
                a ->
                    a.addAttributes(attr("rpc.system", "grpc"))
                        .addAttributes(attr("rpc.method", "pricing.v1.Pricing/Quote")),
                b ->
                    b.addAttributes(attr("rpc.system", "grpc"))
                        .addAttributes(attr("rpc.method", "pricing.v1.Pricing/Quote"))
                        .addAttributes(attr("rpc.grpc.status_code", 14))
                        .setStatus(error("")))));
    paired.addAll(
        List.of(
            pair(
                "000000000000000000000000000d0c03",
                RUST,
                20 * S,
                a ->
                    a.setKind(SpanKind.SPAN_KIND_PRODUCER)
                        .addAttributes(attr("messaging.system", "kafka"))
                        .addAttributes(attr("messaging.destination.name", "orders")),
                b ->
                    b.setKind(SpanKind.SPAN_KIND_CONSUMER)
                        .addAttributes(attr("messaging.system", "kafka"))
                        .addAttributes(attr("messaging.destination.name", "orders")))));
    paired.addAll(
        List.of(
            pair(
                "000000000000000000000000000d0c04",
                RUST,
                30 * S,
                a -> a,
                b -> b.setName("handle"))));
    String ffi = "000000000000000000000000000d0c05";
    paired.add(
        resourceSpans(
            GO,
            span(ffi, "00000000000d0c51", "", SpanKind.SPAN_KIND_SERVER, T0 + 40 * S, 10 * MS),
            span(
                    ffi,
                    "00000000000d0c52",
                    "00000000000d0c51",
                    SpanKind.SPAN_KIND_INTERNAL,
                    T0 + 40 * S + MS,
                    200_000L)
                .setFlags(LOCAL_PARENT)
                .setName("pricing_ffi.quote")));
    paired.add(
        resourceSpans(
            RUST_IN_GO,
            span(
                    ffi,
                    "00000000000d0c53",
                    "00000000000d0c52",
                    SpanKind.SPAN_KIND_INTERNAL,
                    T0 + 40 * S + MS + 3_000L,
                    194_000L)
                .setFlags(REMOTE_PARENT)
                .setName("quote"),
            span(
                ffi,
                "0d0c5400",
                "00000000000d0c52",
                SpanKind.SPAN_KIND_INTERNAL,
                T0 + 40 * S,
                MS)));
    post(seam, traces(paired.toArray(ResourceSpans[]::new)));

    // Over gRPC: a caller whose callee never reports, a callee whose caller never reports, and a
    // call whose context was lost (the callee began a trace of its own).
    ExportTraceServiceRequest halves =
        traces(
            resourceSpans(
                GO,
                span(
                        "000000000000000000000000000d0c06",
                        "00000000000d0c61",
                        "",
                        SpanKind.SPAN_KIND_CLIENT,
                        T0 + 60 * S,
                        4 * MS)
                    .addAttributes(attr("rpc.system", "grpc"))
                    .addAttributes(attr("rpc.method", "inventory.v1.Stock/Get"))
                    .addAttributes(attr("peer.service", "inventory")),
                span(
                        "000000000000000000000000000d0c08",
                        "00000000000d0c81",
                        "",
                        SpanKind.SPAN_KIND_CLIENT,
                        T0 + 80 * S,
                        10 * MS)
                    .addAttributes(attr("http.request.method", "GET"))
                    .addAttributes(attr("peer.service", "pricing"))),
            resourceSpans(
                RUST,
                span(
                        "000000000000000000000000000d0c07",
                        "00000000000d0c72",
                        "00000000000d0c71",
                        SpanKind.SPAN_KIND_SERVER,
                        T0 + 70 * S,
                        2 * MS)
                    .setFlags(REMOTE_PARENT)
                    .addAttributes(attr("http.request.method", "POST"))
                    .addAttributes(attr("http.route", "/orphan")),
                span(
                        "000000000000000000000000000d0c09",
                        "00000000000d0c91",
                        "",
                        SpanKind.SPAN_KIND_SERVER,
                        T0 + 80 * S + 2 * MS,
                        5 * MS)
                    .addAttributes(attr("http.request.method", "GET"))
                    .addAttributes(attr("http.route", "/broken"))));
    assertEquals(
        GrpcStatus.OK,
        GrpcCall.call(
                seam.vertx(), seam.grpcPort(), TRACE_SERVICE, "identity", halves.toByteArray())
            .status());

    HttpResponse<byte[]> malformed =
        seam.post(
            "/v1/traces",
            "application/x-protobuf",
            null,
            "not protobuf".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, malformed.statusCode());
  }

  /** The counts that show each family appeared for the reason it documents. */
  private static void assertExactCounts(Scrape s) {
    for (String transport : List.of("http", "grpc", "messaging", "other", "ffi")) {
      assertEquals(
          1,
          s.sum("seam_boundary_calls_total", "caller_service", "gateway", "transport", transport),
          transport);
    }
    assertEquals(
        1,
        s.value(
            "seam_boundary_calls_total",
            "caller_service",
            "other",
            "callee_service",
            "other",
            "transport",
            "http",
            "operation",
            "other"));
    assertEquals(1, s.value("seam_cardinality_overflow_total", "reason", "max_boundaries"));
    assertEquals(1, s.value("seam_cardinality_overflow_total", "reason", "max_services"));
    assertEquals(
        1,
        s.value(
            "seam_boundary_errors_total",
            "transport",
            "http",
            "error_side",
            "caller",
            "error_class",
            "deadline_exceeded"));
    assertEquals(
        1,
        s.value(
            "seam_boundary_errors_total",
            "transport",
            "grpc",
            "error_side",
            "callee",
            "error_class",
            "unavailable"));
    assertEquals(1, s.value("seam_boundary_request_bytes_count", "operation", "/price/{id}"));
    assertEquals(2_000, s.value("seam_boundary_response_bytes_sum", "operation", "/price/{id}"));
    assertEquals(
        4_096, s.value("seam_boundary_callee_allocated_bytes_sum", "operation", "/price/{id}"));
    assertEquals(
        1, s.value("seam_boundary_error_logs_total", "operation", "/price/{id}", "side", "caller"));
    assertEquals(
        1, s.value("seam_boundary_error_logs_total", "operation", "/price/{id}", "side", "callee"));
    assertEquals(
        1,
        s.value(
            "seam_boundary_unpaired_total",
            "reason",
            "callee_missing",
            "callee_service",
            "inventory"));
    assertEquals(
        1,
        s.value(
            "seam_boundary_unpaired_total", "reason", "caller_missing", "operation", "/orphan"));
    assertEquals(
        1,
        s.value(
            "seam_boundary_unpaired_total", "reason", "context_broken", "operation", "/broken"));
    assertEquals(
        3,
        s.value(
            "traces_service_graph_request_total",
            "client",
            "gateway",
            "server",
            "pricing",
            "connection_type",
            ""));
    assertEquals(
        1,
        s.value(
            "traces_service_graph_request_total",
            "server",
            "pricing",
            "connection_type",
            "messaging_system"));
    assertEquals(
        2,
        s.value(
            "traces_service_graph_request_failed_total",
            "server",
            "pricing",
            "connection_type",
            ""),
        "the http and grpc calls");
    assertEquals(
        42_000_000, s.value("seam_process_memory_bytes", "service", "pricing", "type", "resident"));
    assertEquals(1, s.value("seam_log_context_recovered_total", "service", "pricing"));
    assertEquals(2, s.sum("seam_log_records_total", "service", "pricing"));
    assertEquals(1, s.value("seam_refused_items_total", "signal", "spans", "reason", "invalid"));
    assertEquals(
        1,
        s.value(
            "seam_refused_requests_total",
            "signal",
            "spans",
            "protocol",
            "http",
            "reason",
            "malformed"));
    assertEquals(1, s.value("seam_forward_retries_total", "signal", "logs"));
    assertEquals(0, s.value("seam_forward_queue_items"));
    String[] grpc = {"caller_service", "gateway", "callee_service", "pricing", "transport", "grpc"};
    assertEquals(
        1,
        s.value(
            "seam_boundary_interface_calls_total",
            Scrape.with(grpc, "interface", "pricing.v1", "status", "current")));
    assertEquals(
        1,
        s.value(
            "seam_boundary_owner_info",
            Scrape.with(
                grpc,
                "caller_owner",
                "edge",
                "callee_owner",
                "platform",
                "caller_escalation",
                "#edge",
                "callee_escalation",
                "unknown")));
    assertEquals(1, s.value("seam_boundary_declared", grpc));
    assertEquals(
        1,
        s.value("seam_boundary_declared", "callee_service", "ledger", "transport", "grpc"),
        "declared, never seen");
    assertEquals(
        0,
        s.value(
            "seam_boundary_declared",
            "caller_service",
            "gateway",
            "callee_service",
            "pricing",
            "transport",
            "http"));
    assertEquals(
        0.25, s.value("seam_boundary_budget", Scrape.with(grpc, "budget", "caller_p99_seconds")));
    assertEquals(1, s.value("seam_contracts_reload_total", "outcome", "loaded"));
  }

  /** Every item Seam accepted was forwarded and the downstream took it. */
  private static boolean forwardedEverything(Scrape s) {
    for (String signal : List.of("spans", "logs")) {
      double received = s.sum("seam_received_items_total", "signal", signal);
      if (received == 0
          || s.value("seam_forwarded_items_total", "signal", signal, "outcome", "sent")
              != received) {
        return false;
      }
    }
    return s.value("seam_forward_queue_items") == 0;
  }

  /** A Go client and its server child in a trace of its own, starting {@code offset} after T0. */
  private static ResourceSpans[] pair(
      String trace,
      Resource callee,
      long offset,
      UnaryOperator<Span.Builder> caller,
      UnaryOperator<Span.Builder> server) {
    String prefix = trace.substring(16, 31);
    return pair(trace, prefix + "a", prefix + "b", callee, offset, caller, server);
  }

  private static ResourceSpans[] pair(
      String trace,
      String parent,
      String child,
      Resource callee,
      long offset,
      UnaryOperator<Span.Builder> caller,
      UnaryOperator<Span.Builder> server) {
    return new ResourceSpans[] {
      resourceSpans(
          GO,
          caller.apply(span(trace, parent, "", SpanKind.SPAN_KIND_CLIENT, T0 + offset, 10 * MS))),
      resourceSpans(
          callee,
          server.apply(
              span(trace, child, parent, SpanKind.SPAN_KIND_SERVER, T0 + offset + 2 * MS, 6 * MS)
                  .setFlags(REMOTE_PARENT)))
    };
  }

  private static void post(RunningSeam seam, ExportTraceServiceRequest request) throws Exception {
    HttpResponse<byte[]> r =
        seam.post("/v1/traces", "application/x-protobuf", null, request.toByteArray());
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
  }
}
