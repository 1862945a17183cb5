package dev.seam.collector.pipeline;

import static dev.seam.collector.pipeline.Metrics.gauge;
import static dev.seam.collector.pipeline.Metrics.histogram;
import static dev.seam.collector.pipeline.Metrics.metrics;
import static dev.seam.collector.pipeline.Metrics.point;
import static dev.seam.collector.pipeline.Metrics.resourceMetrics;
import static dev.seam.collector.pipeline.Metrics.sum;
import static dev.seam.collector.testing.Otlp.attr;
import static dev.seam.collector.testing.Otlp.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.seam.collector.normalize.ServiceNames;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metrics exports through the metric handler: every data point counted, memory figures kept. */
class MetricHandlerTest {

  private static MetricHandler handler(Parts parts, ServiceNames names) {
    return new MetricHandler(
        new Origins(names), new ProcessMemoryMapper(parts.telemetry), parts.accounting);
  }

  @Test
  void countsEveryDataPointAndKeepsTheMemoryFigures() {
    Parts parts = new Parts();
    ExportMetricsServiceResponse response =
        handler(parts, ServiceNames.AS_REPORTED)
            .export(
                metrics(
                    resourceMetrics(
                        resource("gateway", "go", attr("service.instance.id", "gw-1")),
                        sum("go.memory.used", point(1000, "stack"), point(2000, "other")),
                        histogram("http.server.request.duration", 3)),
                    resourceMetrics(
                        resource("pricing", "rust", attr("service.instance.id", "pr-1")),
                        gauge("process.memory.usage", 4096.0),
                        sum("", point(1, null), point(2, null)),
                        Metric.newBuilder().build())),
                "grpc");

    // Two metrics without a name: one with two points, one with none (counted as one).
    assertEquals(3, response.getPartialSuccess().getRejectedDataPoints());
    assertEquals(
        "rejected 3 of 9 data points: metric has no name (and 1 more)",
        response.getPartialSuccess().getErrorMessage());
    Scrape s = parts.scrape();
    assertEquals(6, s.value("seam_received_items_total", "signal", "metrics", "protocol", "grpc"));
    assertEquals(3, s.value("seam_refused_items_total", "signal", "metrics", "reason", "invalid"));
    assertEquals(6, s.value("seam_processed_items_total", "signal", "metrics"));
    assertEquals(
        0, s.value("seam_dropped_items_total", "signal", "metrics", "reason", "internal_error"));
    assertEquals(2, s.find("seam_process_memory_bytes").size());
    assertEquals(
        3000,
        s.value(
            "seam_process_memory_bytes",
            "service",
            "gateway",
            "language",
            "go",
            "service_instance",
            "gw-1",
            "type",
            "runtime"));
    assertEquals(
        4096,
        s.value(
            "seam_process_memory_bytes",
            "service",
            "pricing",
            "language",
            "rust",
            "service_instance",
            "pr-1",
            "type",
            "resident"));
  }

  @Test
  void memoryFiguresAreShownUnderTheServiceNameSeamShows() {
    Parts parts = new Parts();
    ExportMetricsServiceResponse response =
        handler(parts, new ServiceNames(Map.of("pricing_svc", "pricing"), false))
            .export(
                metrics(
                    resourceMetrics(
                        resource("pricing_svc", "rust"), gauge("process.memory.usage", 512.0))),
                "http");

    assertFalse(response.hasPartialSuccess());
    Scrape s = parts.scrape();
    assertEquals(1, s.value("seam_received_items_total", "signal", "metrics", "protocol", "http"));
    assertEquals(
        512, s.value("seam_process_memory_bytes", "service", "pricing", "type", "resident"));
    assertEquals(0, s.find("seam_process_memory_bytes", "service", "pricing_svc").size());
  }
}
