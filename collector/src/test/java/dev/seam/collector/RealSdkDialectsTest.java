package dev.seam.collector;

import static dev.seam.collector.testing.Otlp.T0;
import static dev.seam.collector.testing.Otlp.attr;
import static dev.seam.collector.testing.Otlp.id;
import static dev.seam.collector.testing.Scrape.with;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seam.collector.testing.Otlp;
import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Spans and logs shaped exactly as the example services' SDKs sent them (captured on the wire from
 * examples/: opentelemetry-go 1.47 with otelhttp/otelgrpc 0.72 and otelslog; opentelemetry 0.33,
 * tracing-opentelemetry 0.34, axum- and tonic-tracing-opentelemetry 0.42,
 * opentelemetry-appender-tracing), so every dialect stays covered without the toolchains.
 *
 * <p>Longer than most test classes: one case per SDK dialect, each shaped as the real SDK sends it.
 */
class RealSdkDialectsTest {

  private static final long MS = 1_000_000L;
  private static final Resource GO =
      Resource.newBuilder()
          .addAttributes(attr("service.name", "gateway"))
          .addAttributes(attr("host.name", "vm"))
          .addAttributes(attr("process.pid", 4242))
          .addAttributes(attr("telemetry.sdk.language", "go"))
          .addAttributes(attr("telemetry.sdk.name", "opentelemetry"))
          .addAttributes(attr("telemetry.sdk.version", "1.47.0"))
          .build();
  private static final Resource RUST =
      Resource.newBuilder()
          .addAttributes(attr("service.name", "pricing"))
          .addAttributes(attr("telemetry.sdk.name", "opentelemetry"))
          .addAttributes(attr("telemetry.sdk.language", "rust"))
          .addAttributes(attr("telemetry.sdk.version", "0.33.1"))
          .addAttributes(attr("host.name", "vm"))
          .addAttributes(attr("host.arch", "amd64"))
          .addAttributes(attr("process.pid", 777))
          .addAttributes(attr("process.runtime.name", "rustc"))
          .build();
  private static final Resource RUST_LIB =
      Resource.newBuilder()
          .addAttributes(attr("service.name", "gateway"))
          .addAttributes(attr("telemetry.sdk.language", "rust"))
          .addAttributes(attr("host.name", "vm"))
          .addAttributes(attr("process.pid", 4242))
          .build();

  private final List<Span> goSpans = new ArrayList<>();
  private final List<Span> rustSpans = new ArrayList<>();
  private final List<Span> libSpans = new ArrayList<>();
  private final List<LogRecord> rustLogs = new ArrayList<>();
  private final List<LogRecord> goLogs = new ArrayList<>();
  private int next = 1;

  private String trace() {
    return String.format("%032x", 0xabc000L + next);
  }

  private String spanId() {
    return String.format("%016x", 0xdef000L + next++);
  }

  private static Span.Builder span(
      String trace,
      String id,
      String parent,
      String name,
      SpanKind kind,
      int flags,
      long start,
      long dur) {
    return Span.newBuilder()
        .setTraceId(id(trace))
        .setSpanId(id(id))
        .setParentSpanId(id(parent))
        .setName(name)
        .setKind(kind)
        .setFlags(flags)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(start + dur);
  }

  /** tracing-opentelemetry adds these to every span. */
  private static Span.Builder rustExtras(Span.Builder b, String module) {
    return b.addAttributes(attr("code.file.path", "pricing-service/src/http.rs"))
        .addAttributes(attr("code.module.name", module))
        .addAttributes(attr("code.line.number", 43))
        .addAttributes(attr("thread.id", 3))
        .addAttributes(attr("thread.name", "tokio-runtime-worker"))
        .addAttributes(attr("target", "otel::tracing"))
        .addAttributes(attr("busy_ns", 61_000))
        .addAttributes(attr("idle_ns", 18_000));
  }

  /**
   * A call over HTTP: otelhttp client -> axum server. {@code status} 0 means the server was cut
   * off.
   */
  private void httpCall(
      long start, long clientDur, long serverDur, int status, boolean timeout, boolean propagate) {
    String trace = trace();
    String server = spanId();
    String handler = spanId();
    String client = spanId();
    Span.Builder c =
        span(trace, client, server, "HTTP GET", SpanKind.SPAN_KIND_CLIENT, 0x101, start, clientDur)
            .addAttributes(attr("peer.service", "pricing"))
            .addAttributes(attr("http.request.method", "GET"))
            .addAttributes(attr("url.full", "http://127.0.0.1:18080/price/1"))
            .addAttributes(attr("server.address", "127.0.0.1"))
            .addAttributes(attr("server.port", 18080))
            .addAttributes(attr("network.protocol.version", "1.1"));
    if (timeout) {
      c.addAttributes(attr("error.type", "context.deadlineExceededError"))
          .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "context deadline exceeded"));
    } else {
      c.addAttributes(attr("http.response.status_code", status));
      if (status >= 400) {
        c.addAttributes(attr("error.type", Integer.toString(status)))
            .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, ""));
      }
    }
    goSpans.add(
        span(
                trace,
                server,
                "",
                "GET /quote/http/{id}",
                SpanKind.SPAN_KIND_SERVER,
                0x100,
                start - MS,
                clientDur + 2 * MS)
            .addAttributes(attr("http.route", "/quote/http/{id}"))
            .addAttributes(attr("http.request.method", "GET"))
            .build());
    goSpans.add(c.build());
    String rustTrace = propagate ? trace : String.format("%032x", 0xfeed000L + next);
    Span.Builder s =
        rustExtras(
                span(
                    rustTrace,
                    handler,
                    propagate ? client : "",
                    "GET /price/{id}",
                    SpanKind.SPAN_KIND_SERVER,
                    propagate ? 0x301 : 0x101,
                    start + MS / 10,
                    serverDur),
                "pricing_service::http")
            .addAttributes(attr("http.request.method", "GET"))
            .addAttributes(attr("http.route", "/price/{id}"))
            .addAttributes(attr("network.protocol.version", "1.1"))
            .addAttributes(attr("server.address", "127.0.0.1"))
            .addAttributes(attr("url.path", "/price/1"))
            .addAttributes(attr("url.scheme", ""))
            .addAttributes(attr("span.type", "web"))
            .addAttributes(attr("user_agent.original", "Go-http-client/1.1"));
    if (status > 0 && !timeout) {
      s.addAttributes(attr("http.response.status_code", status));
      if (status >= 500) {
        s.setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, ""));
        rustLogs.add(rustErrorLog(rustTrace, handler, "pricing backend unavailable"));
      }
    }
    rustSpans.add(s.build());
  }

  /**
   * A call over gRPC: otelgrpc client (new rpc names) -> tonic server (old rpc names, codes as
   * strings).
   */
  private void grpcCall(
      long start,
      long clientDur,
      long serverDur,
      String clientCode,
      String clientMessage,
      String serverCode) {
    String trace = trace();
    String client = spanId();
    String server = spanId();
    Span.Builder c =
        span(
                trace,
                client,
                "",
                "pricing.v1.Pricing/Quote",
                SpanKind.SPAN_KIND_CLIENT,
                0x100,
                start,
                clientDur)
            .addAttributes(attr("rpc.system.name", "grpc"))
            .addAttributes(attr("rpc.method", "pricing.v1.Pricing/Quote"))
            .addAttributes(attr("peer.service", "pricing"))
            .addAttributes(attr("server.address", "127.0.0.1"))
            .addAttributes(attr("server.port", 18081))
            .addAttributes(attr("rpc.response.status_code", clientCode));
    if (!clientCode.equals("OK")) {
      c.setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, clientMessage));
    }
    goSpans.add(c.build());
    Span.Builder s =
        rustExtras(
                span(
                    trace,
                    server,
                    client,
                    "pricing.v1.Pricing/Quote",
                    SpanKind.SPAN_KIND_SERVER,
                    0x301,
                    start + MS / 5,
                    serverDur),
                "pricing_service::grpc")
            .addAttributes(attr("rpc.system", "grpc"))
            .addAttributes(attr("rpc.service", "pricing.v1.Pricing"))
            .addAttributes(attr("rpc.method", "Quote"))
            .addAttributes(attr("http.user_agent", "grpc-go/1.85.0"))
            .addAttributes(attr("server.address", "127.0.0.1"))
            .addAttributes(attr("rpc.grpc.status_code", serverCode))
            .setStatus(
                serverCode.equals("0")
                    ? status(Status.StatusCode.STATUS_CODE_OK, "")
                    : status(Status.StatusCode.STATUS_CODE_ERROR, "pricing backend unavailable"));
    if (!serverCode.equals("0")) {
      rustLogs.add(rustErrorLog(trace, server, "pricing backend unavailable"));
    }
    rustSpans.add(s.build());
  }

  /**
   * A cgo call: a Go INTERNAL wrapper, the library's INTERNAL span with a remote parent, one
   * process.
   */
  private void ffiCall(long start, boolean fail) {
    String trace = trace();
    String wrapper = spanId();
    String quote = spanId();
    Span.Builder w =
        span(
            trace,
            wrapper,
            "",
            "pricing_ffi.quote",
            SpanKind.SPAN_KIND_INTERNAL,
            0x100,
            start,
            40_000L);
    Span.Builder q =
        span(
                trace,
                quote,
                wrapper,
                "quote",
                SpanKind.SPAN_KIND_INTERNAL,
                0x301,
                start + 10_000L,
                12_000L)
            .addAttributes(attr("item.id", "x"))
            .addAttributes(attr("seam.allocated_bytes", fail ? 34 : 8226))
            .addAttributes(attr("code.module.name", "pricing_ffi"))
            .addAttributes(attr("busy_ns", 9_000));
    if (fail) {
      w.setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "pricing_ffi: backend unavailable"))
          .addEvents(
              Span.Event.newBuilder()
                  .setName("exception")
                  .addAttributes(attr("exception.type", "*errors.errorString"))
                  .addAttributes(attr("exception.message", "pricing_ffi: backend unavailable")));
      q.setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "backend unavailable"));
      goLogs.add(
          LogRecord.newBuilder()
              .setTimeUnixNano(start)
              .setObservedTimeUnixNano(start)
              .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
              .setSeverityText("ERROR")
              .setFlags(1)
              .setTraceId(id(trace))
              .setSpanId(id(wrapper))
              .setBody(AnyValue.newBuilder().setStringValue("pricing ffi call failed"))
              .addAttributes(attr("exception.type", "*errors.errorString"))
              .build());
    }
    goSpans.add(w.build());
    libSpans.add(q.build());
  }

  /** opentelemetry-appender-tracing: time 0, observed time set, the current span's ids. */
  private static LogRecord rustErrorLog(String trace, String span, String message) {
    return LogRecord.newBuilder()
        .setTimeUnixNano(0)
        .setObservedTimeUnixNano(T0)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
        .setSeverityText("ERROR")
        .setFlags(1)
        .setEventName("event pricing-service/src/http.rs:52")
        .setTraceId(id(trace))
        .setSpanId(id(span))
        .setBody(AnyValue.newBuilder().setStringValue(message))
        .addAttributes(attr("item.id", "x"))
        .build();
  }

  private static Status status(Status.StatusCode code, String message) {
    return Status.newBuilder().setCode(code).setMessage(message).build();
  }

  private static ResourceSpans batch(Resource r, String scope, List<Span> spans) {
    return ResourceSpans.newBuilder()
        .setResource(r)
        .addScopeSpans(
            ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(scope))
                .addAllSpans(spans))
        .build();
  }

  private static ExportLogsServiceRequest logs(Resource r, String scope, List<LogRecord> records) {
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(r)
                .addScopeLogs(
                    ScopeLogs.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName(scope))
                        .addAllLogRecords(records)))
        .build();
  }

  @Test
  void theExampleServicesDialectsPairAsOneView() throws Exception {
    long t = T0;
    for (int i = 0; i < 4; i++, t += 10 * MS) {
      httpCall(t, 1_200_000L, 80_000L, 200, false, true);
    }
    httpCall(t, 900_000L, 70_000L, 503, false, true);
    t += 10 * MS;
    httpCall(t, 150 * MS, 80_000L, 0, true, true); // Go gave up; axum's span was cut off
    t += 200 * MS;
    httpCall(t, 1_000_000L, 60_000L, 200, false, false); // no context propagated
    t += 10 * MS;
    grpcCall(t, 2 * MS, MS, "OK", "", "0");
    t += 10 * MS;
    grpcCall(t, 2 * MS, MS, "UNAVAILABLE", "pricing backend unavailable", "14");
    t += 10 * MS;
    grpcCall(t, 150 * MS, 400 * MS, "DEADLINE_EXCEEDED", "context deadline exceeded", "0");
    t += 500 * MS;
    grpcCall(
        t,
        150 * MS,
        400 * MS,
        "CANCELLED",
        "Timeout expired",
        "0"); // tonic's own timeout answer won the race
    t += 500 * MS;
    ffiCall(t, false);
    ffiCall(t + MS, true);

    try (RunningSeam seam = RunningSeam.start("pairing: {window: 500ms}")) {
      ExportTraceServiceRequest rust =
          ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(batch(RUST, "pricing_service::http", rustSpans))
              .build();
      ExportTraceServiceRequest go =
          ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(
                  batch(
                      GO, "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", goSpans))
              .build();
      ExportTraceServiceRequest lib =
          ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(batch(RUST_LIB, "pricing_ffi", libSpans))
              .build();
      // Rust over OTLP/HTTP, Go and the library in the order their batches happened to flush.
      assertEquals(
          200,
          seam.post("/v1/traces", "application/x-protobuf", null, rust.toByteArray()).statusCode());
      assertEquals(
          200,
          seam.post("/v1/traces", "application/x-protobuf", "gzip", Otlp.gzip(go.toByteArray()))
              .statusCode());
      assertEquals(
          200,
          seam.post("/v1/traces", "application/x-protobuf", null, lib.toByteArray()).statusCode());
      assertEquals(
          200,
          seam.post(
                  "/v1/logs",
                  "application/x-protobuf",
                  null,
                  logs(RUST, "pricing_service::http", rustLogs).toByteArray())
              .statusCode());
      assertEquals(
          200,
          seam.post(
                  "/v1/logs",
                  "application/x-protobuf",
                  null,
                  logs(GO, "seam.example/gateway", goLogs).toByteArray())
              .statusCode());

      Scrape s =
          seam.awaitScrape(
              Duration.ofSeconds(10),
              x ->
                  x.sum("seam_boundary_context_broken_total") == 1
                      && x.sum("seam_pairing_pending") == 0);
      String[] http = {
        "caller_service",
        "gateway",
        "caller_language",
        "go",
        "callee_service",
        "pricing",
        "callee_language",
        "rust",
        "transport",
        "http",
        "operation",
        "/price/{id}"
      };
      String[] grpc = {
        "caller_service",
        "gateway",
        "caller_language",
        "go",
        "callee_service",
        "pricing",
        "callee_language",
        "rust",
        "transport",
        "grpc",
        "operation",
        "pricing.v1.Pricing/Quote"
      };
      String[] ffi = {
        "caller_service",
        "gateway",
        "caller_language",
        "go",
        "callee_service",
        "gateway",
        "callee_language",
        "rust",
        "transport",
        "ffi",
        "operation",
        "quote"
      };

      assertEquals(
          3,
          s.find("seam_boundary_calls_total").size(),
          s.find("seam_boundary_calls_total").toString());
      assertEquals(6, s.value("seam_boundary_calls_total", http));
      assertEquals(4, s.value("seam_boundary_calls_total", grpc));
      assertEquals(2, s.value("seam_boundary_calls_total", ffi));

      assertEquals(
          5,
          s.find("seam_boundary_errors_total").size(),
          s.find("seam_boundary_errors_total").toString());
      assertEquals(
          1,
          s.value(
              "seam_boundary_errors_total",
              with(http, "error_side", "both", "error_class", "unavailable")));
      assertEquals(
          1,
          s.value(
              "seam_boundary_errors_total",
              with(http, "error_side", "caller", "error_class", "deadline_exceeded")));
      assertEquals(
          1,
          s.value(
              "seam_boundary_errors_total",
              with(grpc, "error_side", "both", "error_class", "unavailable")));
      assertEquals(
          2,
          s.value(
              "seam_boundary_errors_total",
              with(grpc, "error_side", "caller", "error_class", "deadline_exceeded")));
      assertEquals(
          1,
          s.value(
              "seam_boundary_errors_total",
              with(ffi, "error_side", "both", "error_class", "unavailable")));

      // The cut-off axum span gives no overhead; tonic's handler outlasting its caller is clamped.
      assertEquals(5, s.value("seam_boundary_overhead_seconds_count", http));
      assertEquals(2, s.value("seam_boundary_negative_overhead_total", grpc));
      assertEquals(2, s.value("seam_boundary_overhead_seconds_count", ffi));
      assertEquals(2 * 28e-6, s.value("seam_boundary_overhead_seconds_sum", ffi), 1e-12);
      assertEquals(8226 + 34, s.value("seam_boundary_callee_allocated_bytes_sum", ffi));

      assertEquals(1, s.value("seam_boundary_context_broken_total", http));
      assertEquals(
          1,
          s.value(
              "seam_boundary_unpaired_total",
              with(http, "side", "caller", "reason", "context_broken")));
      assertEquals(1, s.sum("seam_boundary_unpaired_total"));

      assertEquals(1, s.value("seam_boundary_error_logs_total", with(http, "side", "callee")));
      assertEquals(1, s.value("seam_boundary_error_logs_total", with(grpc, "side", "callee")));
      assertEquals(1, s.value("seam_boundary_error_logs_total", with(ffi, "side", "caller")));
      assertEquals(
          2,
          s.value(
              "seam_log_records_total",
              "service",
              "pricing",
              "language",
              "rust",
              "severity",
              "error"));

      // Language inference: the library's resource says rust; a Go resource without it would be
      // recognised by its otelhttp scope. Both clocks are one host's here: no skew to speak of.
      assertEquals(0.0, s.value("seam_boundary_clock_skew_seconds", grpc), 0.01);
      s = seam.awaitIdle();
      assertEquals(0, s.sum("seam_refused_items_total") + s.sum("seam_dropped_items_total"));
    }
  }
}
