package dev.seam.collector;

import static dev.seam.collector.testing.Otlp.REMOTE_PARENT;
import static dev.seam.collector.testing.Otlp.T0;
import static dev.seam.collector.testing.Otlp.attr;
import static dev.seam.collector.testing.Otlp.resource;
import static dev.seam.collector.testing.Otlp.resourceSpans;
import static dev.seam.collector.testing.Otlp.span;
import static dev.seam.collector.testing.Otlp.traces;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Crafted payloads sent over real sockets for what a golden case (GoldenTest) cannot show: series
 * that disappear after they stop updating, and come back from zero.
 */
class CraftedPayloadTest {

  private static final long MS = 1_000_000L;
  private static final Resource GO =
      resource("gateway", "go", attr("host.name", "node-a"), attr("process.pid", 4242));
  private static final Resource RUST =
      resource("pricing", "rust", attr("host.name", "node-b"), attr("process.pid", 777));

  @Test
  void seriesThatStopUpdatingExpire() throws Exception {
    try (RunningSeam seam = RunningSeam.start("limits: {series-ttl: 300ms}")) {
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
      for (int round = 0; round < 2; round++) {
        String trace = "00000000000000000000000000007a0" + round;
        postProtobuf(
            seam,
            traces(
                resourceSpans(
                    GO,
                    span(
                            trace,
                            "0000000000007a0" + round,
                            "",
                            SpanKind.SPAN_KIND_CLIENT,
                            T0,
                            4 * MS)
                        .addAttributes(attr("http.request.method", "GET"))),
                resourceSpans(
                    RUST,
                    span(
                            trace,
                            "0000000000007b0" + round,
                            "0000000000007a0" + round,
                            SpanKind.SPAN_KIND_SERVER,
                            T0 + MS,
                            2 * MS)
                        .setFlags(REMOTE_PARENT)
                        .addAttributes(attr("http.route", "/ttl")))));
        assertEquals(
            200,
            seam.post("/v1/metrics", "application/x-protobuf", null, memory.toByteArray())
                .statusCode());
        Scrape s =
            seam.awaitScrape(
                Duration.ofSeconds(5),
                x ->
                    x.sum("seam_boundary_calls_total") == 1
                        && x.sum("seam_process_memory_bytes") > 0);
        assertEquals(
            1,
            s.value("seam_boundary_calls_total", "operation", "/ttl"),
            "a boundary that comes back starts from zero");
        assertEquals(
            42_000_000,
            s.value("seam_process_memory_bytes", "service", "pricing", "type", "resident"));
        s =
            seam.awaitScrape(
                Duration.ofSeconds(5),
                x ->
                    x.find("seam_boundary_calls_total").isEmpty()
                        && x.find("seam_process_memory_bytes").isEmpty());
        assertEquals(
            0, s.find("seam_boundary_calls_total").size(), "idle boundary series are removed");
        assertEquals(0, s.find("seam_boundary_caller_duration_seconds_count").size());
        assertEquals(
            0,
            s.find("seam_process_memory_bytes").size(),
            "a process that stopped reporting is removed");
      }
    }
  }

  private static void postProtobuf(RunningSeam seam, ExportTraceServiceRequest request)
      throws Exception {
    HttpResponse<byte[]> r =
        seam.post("/v1/traces", "application/x-protobuf", null, request.toByteArray());
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
  }
}
