package dev.seam.collector.pipeline;

import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;

/**
 * The name of a resource's first instrumentation scope, which {@code OriginResolver} reads the
 * language from when the resource does not say; empty when the resource has no scope.
 */
final class FirstScope {

  private FirstScope() {}

  static String name(ResourceSpans rs) {
    return rs.getScopeSpansCount() > 0 ? rs.getScopeSpans(0).getScope().getName() : "";
  }

  static String name(ResourceLogs rl) {
    return rl.getScopeLogsCount() > 0 ? rl.getScopeLogs(0).getScope().getName() : "";
  }

  static String name(ResourceMetrics rm) {
    return rm.getScopeMetricsCount() > 0 ? rm.getScopeMetrics(0).getScope().getName() : "";
  }
}
