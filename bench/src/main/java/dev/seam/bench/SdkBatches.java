package dev.seam.bench;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Spans and log records of one group (or probe), per SDK and scope, wrapped as each SDK wraps them.
 */
final class SdkBatches {

  private static final String OTELHTTP =
      "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp";
  private static final String OTELGRPC =
      "go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc";
  private static final String CONTRIB_VERSION = "0.72.0";
  private static final String GATEWAY_SCOPE = "seam.example/examples/cmd/gateway";
  private static final String PRICING_SCOPE = "pricing-service";
  private static final String FFI_SCOPE = "pricing_ffi";
  private static final String APPENDER_SCOPE = "opentelemetry-appender-tracing";
  private static final String SCHEMA = "https://opentelemetry.io/schemas/1.37.0";

  final List<Span> goHttp = new ArrayList<>();
  final List<Span> goGrpc = new ArrayList<>();
  final List<Span> goApp = new ArrayList<>();
  final List<Span> rust = new ArrayList<>();
  final List<Span> lib = new ArrayList<>();
  final List<LogRecord> goLogs = new ArrayList<>();
  final List<LogRecord> rustLogs = new ArrayList<>();

  /**
   * The Go gateway's spans, one scope per instrumentation (otelhttp, otelgrpc, the app's tracer).
   */
  ResourceSpans goSpans(Resource r) {
    ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(r).setSchemaUrl(SCHEMA);
    if (!goHttp.isEmpty()) {
      rs.addScopeSpans(
          ScopeSpans.newBuilder().setScope(scope(OTELHTTP, CONTRIB_VERSION)).addAllSpans(goHttp));
    }
    if (!goGrpc.isEmpty()) {
      rs.addScopeSpans(
          ScopeSpans.newBuilder().setScope(scope(OTELGRPC, CONTRIB_VERSION)).addAllSpans(goGrpc));
    }
    if (!goApp.isEmpty()) {
      rs.addScopeSpans(
          ScopeSpans.newBuilder().setScope(scope(GATEWAY_SCOPE, "")).addAllSpans(goApp));
    }
    return rs.build();
  }

  /** The Rust service's spans. */
  ResourceSpans rustSpans(Resource r) {
    return ResourceSpans.newBuilder()
        .setResource(r)
        .addScopeSpans(ScopeSpans.newBuilder().setScope(scope(PRICING_SCOPE, "")).addAllSpans(rust))
        .build();
  }

  /** The Rust library's spans. */
  ResourceSpans libSpans(Resource r) {
    return ResourceSpans.newBuilder()
        .setResource(r)
        .addScopeSpans(ScopeSpans.newBuilder().setScope(scope(FFI_SCOPE, "")).addAllSpans(lib))
        .build();
  }

  /**
   * The error log records: the Go gateway's and the Rust service's, as two ResourceLogs of one
   * request; {@code null} when there are none.
   */
  ExportLogsServiceRequest logRequest(Resource gatewayGo, Resource pricing) {
    ExportLogsServiceRequest.Builder logs = ExportLogsServiceRequest.newBuilder();
    if (!goLogs.isEmpty()) {
      logs.addResourceLogs(
          ResourceLogs.newBuilder()
              .setResource(gatewayGo)
              .setSchemaUrl(SCHEMA)
              .addScopeLogs(
                  ScopeLogs.newBuilder()
                      .setScope(scope(GATEWAY_SCOPE, ""))
                      .addAllLogRecords(goLogs)));
    }
    if (!rustLogs.isEmpty()) {
      logs.addResourceLogs(
          ResourceLogs.newBuilder()
              .setResource(pricing)
              .addScopeLogs(
                  ScopeLogs.newBuilder()
                      .setScope(scope(APPENDER_SCOPE, "0.33.0"))
                      .addAllLogRecords(rustLogs)));
    }
    return logs.getResourceLogsCount() == 0 ? null : logs.build();
  }

  private static InstrumentationScope scope(String name, String version) {
    return InstrumentationScope.newBuilder().setName(name).setVersion(version).build();
  }
}
