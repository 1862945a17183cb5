package dev.seam.collector.pipeline;

import dev.seam.collector.testing.Otlp;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;

/** Builders for metrics exports as the Go and Rust SDKs send them. */
final class Metrics {

  private Metrics() {}

  /** An integer point, with {@code go.memory.type} when {@code memoryType} is given. */
  static NumberDataPoint point(long value, String memoryType) {
    NumberDataPoint.Builder p =
        NumberDataPoint.newBuilder().setTimeUnixNano(Otlp.T0).setAsInt(value);
    if (memoryType != null) {
      p.addAttributes(Otlp.attr("go.memory.type", memoryType));
    }
    return p.build();
  }

  static Metric sum(String name, NumberDataPoint... points) {
    Sum.Builder s = Sum.newBuilder();
    for (NumberDataPoint p : points) {
      s.addDataPoints(p);
    }
    return Metric.newBuilder().setName(name).setSum(s).build();
  }

  static Metric gauge(String name, double value) {
    return Metric.newBuilder()
        .setName(name)
        .setGauge(
            Gauge.newBuilder()
                .addDataPoints(
                    NumberDataPoint.newBuilder().setTimeUnixNano(Otlp.T0).setAsDouble(value)))
        .build();
  }

  static Metric histogram(String name, int points) {
    Histogram.Builder h = Histogram.newBuilder();
    for (int i = 0; i < points; i++) {
      h.addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(Otlp.T0).setCount(i + 1));
    }
    return Metric.newBuilder().setName(name).setHistogram(h).build();
  }

  /** One resource's metrics in one scope. */
  static ResourceMetrics resourceMetrics(Resource resource, Metric... metrics) {
    ScopeMetrics.Builder scope =
        ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test"));
    for (Metric m : metrics) {
      scope.addMetrics(m);
    }
    return ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(scope).build();
  }

  static ExportMetricsServiceRequest metrics(ResourceMetrics... batches) {
    ExportMetricsServiceRequest.Builder r = ExportMetricsServiceRequest.newBuilder();
    for (ResourceMetrics rm : batches) {
      r.addResourceMetrics(rm);
    }
    return r.build();
  }
}
