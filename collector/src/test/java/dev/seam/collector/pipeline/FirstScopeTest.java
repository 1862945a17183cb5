package dev.seam.collector.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import org.junit.jupiter.api.Test;

/** The first scope's name of each signal's resource batch, empty when there is no scope. */
class FirstScopeTest {

  private static InstrumentationScope scope(String name) {
    return InstrumentationScope.newBuilder().setName(name).build();
  }

  @Test
  void namesTheFirstScopeOfEachSignal() {
    assertEquals(
        "opentelemetry-otlp",
        FirstScope.name(
            ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().setScope(scope("opentelemetry-otlp")))
                .addScopeSpans(ScopeSpans.newBuilder().setScope(scope("second")))
                .build()));
    assertEquals(
        "go.opentelemetry.io/contrib/bridges/otelslog",
        FirstScope.name(
            ResourceLogs.newBuilder()
                .addScopeLogs(
                    ScopeLogs.newBuilder()
                        .setScope(scope("go.opentelemetry.io/contrib/bridges/otelslog")))
                .build()));
    assertEquals(
        "go.opentelemetry.io/contrib/instrumentation/runtime",
        FirstScope.name(
            ResourceMetrics.newBuilder()
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .setScope(scope("go.opentelemetry.io/contrib/instrumentation/runtime")))
                .build()));
  }

  @Test
  void noScopeIsAnEmptyName() {
    assertEquals("", FirstScope.name(ResourceSpans.getDefaultInstance()));
    assertEquals("", FirstScope.name(ResourceLogs.getDefaultInstance()));
    assertEquals("", FirstScope.name(ResourceMetrics.getDefaultInstance()));
  }
}
