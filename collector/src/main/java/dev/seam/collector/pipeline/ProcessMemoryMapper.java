package dev.seam.collector.pipeline;

import dev.seam.collector.measure.TelemetryMetrics;
import dev.seam.collector.model.Origin;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.List;

/**
 * Turns the memory figures services report about their own process ({@code go.memory.used} and
 * {@code process.runtime.go.mem.heap_alloc} from Go's runtime, {@code process.memory.usage} from
 * the Rust side) into {@code seam_process_memory_bytes}; every other metric is left alone.
 */
final class ProcessMemoryMapper {

  private final TelemetryMetrics telemetry;

  ProcessMemoryMapper(TelemetryMetrics telemetry) {
    this.telemetry = telemetry;
  }

  /** Records {@code m} as its process's memory figure when it is one. */
  void map(Origin origin, Metric m) {
    String type = type(m.getName());
    if (type == null) {
      return;
    }
    List<NumberDataPoint> points;
    if (m.hasGauge()) {
      points = m.getGauge().getDataPointsList();
    } else if (m.hasSum()) {
      points = m.getSum().getDataPointsList();
    } else {
      return;
    }
    if (points.isEmpty()) {
      return;
    }
    // go.memory.used comes as one point per go.memory.type (stack, other): the process figure is
    // their sum.
    long total = 0;
    for (NumberDataPoint p : points) {
      total += p.hasAsInt() ? p.getAsInt() : (long) p.getAsDouble();
    }
    telemetry.processMemory(origin, type, total);
  }

  /** The {@code type} label of a memory metric, or {@code null} when the metric is not one. */
  static String type(String metricName) {
    switch (metricName) {
      case "go.memory.used":
      case "process.runtime.go.mem.heap_alloc":
        return TelemetryMetrics.RUNTIME;
      case "process.memory.usage":
        return TelemetryMetrics.RESIDENT;
      default:
        return null;
    }
  }
}
