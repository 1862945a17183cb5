package dev.seam.collector;

import static dev.seam.collector.testing.Scrape.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two OpenTelemetry SDK instances shaped like a Go gateway and a Rust service (plus the Rust
 * library the gateway calls through cgo) export through the real OTLP exporters; the test reads
 * /metrics and checks every boundary, count, duration sum and overhead exactly.
 *
 * <p>Longer than most test classes: the boundary cases share the OpenTelemetry SDK exporters and
 * one running Seam.
 */
class SdkBoundaryTest {

  private static final long MS = 1_000_000L;
  private static final long US = 1_000L;
  private static final long BASE = 1_767_225_600_000_000_000L;

  /** One side's SDK: traces, logs and metrics exported to Seam over one protocol. */
  private static final class Sdk implements AutoCloseable {
    final SdkTracerProvider traces;
    final SdkLoggerProvider logs;
    final SdkMeterProvider meters;

    Sdk(RunningSeam seam, boolean grpc, String service, String language, String host, long pid) {
      Resource resource =
          Resource.getDefault()
              .merge(
                  Resource.create(
                      Attributes.builder()
                          .put("service.name", service)
                          .put("telemetry.sdk.language", language)
                          .put("host.name", host)
                          .put("process.pid", pid)
                          .build()));
      SpanExporter spans =
          grpc
              ? OtlpGrpcSpanExporter.builder()
                  .setEndpoint(seam.grpcEndpoint())
                  .setCompression("gzip")
                  .build()
              : OtlpHttpSpanExporter.builder().setEndpoint(seam.httpBase() + "/v1/traces").build();
      LogRecordExporter logExporter =
          grpc
              ? OtlpGrpcLogRecordExporter.builder().setEndpoint(seam.grpcEndpoint()).build()
              : OtlpHttpLogRecordExporter.builder()
                  .setEndpoint(seam.httpBase() + "/v1/logs")
                  .setCompression("gzip")
                  .build();
      MetricExporter metricExporter =
          grpc
              ? OtlpGrpcMetricExporter.builder().setEndpoint(seam.grpcEndpoint()).build()
              : OtlpHttpMetricExporter.builder()
                  .setEndpoint(seam.httpBase() + "/v1/metrics")
                  .build();
      traces =
          SdkTracerProvider.builder()
              .setResource(resource)
              .addSpanProcessor(BatchSpanProcessor.builder(spans).build())
              .build();
      logs =
          SdkLoggerProvider.builder()
              .setResource(resource)
              .addLogRecordProcessor(SimpleLogRecordProcessor.create(logExporter))
              .build();
      meters =
          SdkMeterProvider.builder()
              .setResource(resource)
              .registerMetricReader(
                  PeriodicMetricReader.builder(metricExporter)
                      .setInterval(Duration.ofHours(1))
                      .build())
              .build();
    }

    Tracer tracer() {
      return traces.get("test");
    }

    void flush() {
      traces.forceFlush().join(10, TimeUnit.SECONDS);
      logs.forceFlush().join(10, TimeUnit.SECONDS);
      meters.forceFlush().join(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      traces.shutdown().join(10, TimeUnit.SECONDS);
      logs.shutdown().join(10, TimeUnit.SECONDS);
      meters.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest(name = "go over {0}")
  @ValueSource(strings = {"grpc", "http"})
  void pairsEveryBoundaryTheSdksReport(String goProtocol) throws Exception {
    boolean goGrpc = goProtocol.equals("grpc");
    try (RunningSeam seam = RunningSeam.start();
        Sdk go = new Sdk(seam, goGrpc, "gateway", "go", "node-a", 4242);
        Sdk rust = new Sdk(seam, !goGrpc, "pricing", "rust", "node-b", 777);
        Sdk rustLib = new Sdk(seam, goGrpc, "gateway", "rust", "node-a", 4242)) {

      long t = BASE;
      // 5 HTTP calls, the last answered 503 on both sides; the Rust handler logs an error for it.
      for (int i = 0; i < 5; i++) {
        boolean fail = i == 4;
        Span client =
            go.tracer()
                .spanBuilder("GET")
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(t, TimeUnit.NANOSECONDS)
                .setAttribute("http.request.method", "GET")
                .setAttribute("server.address", "pricing")
                .setAttribute("http.response.status_code", fail ? 503L : 200L)
                .startSpan();
        if (fail) {
          client.setStatus(StatusCode.ERROR);
        }
        Span server =
            rust.tracer()
                .spanBuilder("GET /price/{id}")
                .setSpanKind(SpanKind.SERVER)
                .setParent(remote(client))
                .setStartTimestamp(t + 2 * MS, TimeUnit.NANOSECONDS)
                .setAttribute("http.request.method", "GET")
                .setAttribute("http.route", "/price/{id}")
                .setAttribute("http.response.status_code", fail ? 503L : 200L)
                .startSpan();
        if (fail) {
          server.setStatus(StatusCode.ERROR);
          rust.logs
              .get("pricing")
              .logRecordBuilder()
              .setSeverity(Severity.ERROR)
              .setBody("quote backend unavailable")
              .setContext(Context.root().with(server))
              .emit();
        }
        server.end(t + 9 * MS, TimeUnit.NANOSECONDS);
        client.end(t + 10 * MS, TimeUnit.NANOSECONDS);
        t += 20 * MS;
      }
      // 2 gRPC calls: Go speaks the new rpc names, Rust (tonic) the old ones; the second call
      // times out on the caller while the callee finishes fine.
      for (int i = 0; i < 2; i++) {
        boolean timeout = i == 1;
        Span client =
            go.tracer()
                .spanBuilder("pricing.v1.Pricing/Quote")
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(t, TimeUnit.NANOSECONDS)
                .setAttribute("rpc.system.name", "grpc")
                .setAttribute("rpc.method", "pricing.v1.Pricing/Quote")
                .setAttribute("rpc.response.status_code", timeout ? "DEADLINE_EXCEEDED" : "OK")
                .startSpan();
        if (timeout) {
          client.setStatus(StatusCode.ERROR, "context deadline exceeded");
        }
        Span server =
            rust.tracer()
                .spanBuilder("pricing.v1.Pricing/Quote")
                .setSpanKind(SpanKind.SERVER)
                .setParent(remote(client))
                .setStartTimestamp(t + 1 * MS, TimeUnit.NANOSECONDS)
                .setAttribute("rpc.system", "grpc")
                .setAttribute("rpc.service", "pricing.v1.Pricing")
                .setAttribute("rpc.method", "Quote")
                .setAttribute(AttributeKey.longKey("rpc.grpc.status_code"), 0L)
                .startSpan();
        server.end(t + (timeout ? 30 : 5) * MS, TimeUnit.NANOSECONDS);
        client.end(t + (timeout ? 25 : 6) * MS, TimeUnit.NANOSECONDS);
        t += 40 * MS;
      }
      // 3 calls through cgo: INTERNAL -> INTERNAL, same process, two SDKs; 10 us of marshalling
      // each.
      for (int i = 0; i < 3; i++) {
        Span wrapper =
            go.tracer()
                .spanBuilder("pricing_ffi.quote")
                .setStartTimestamp(t, TimeUnit.NANOSECONDS)
                .startSpan();
        Span inner =
            rustLib
                .tracer()
                .spanBuilder("quote")
                .setParent(remote(wrapper))
                .setStartTimestamp(t + 5 * US, TimeUnit.NANOSECONDS)
                .setAttribute("seam.allocated_bytes", 4096L)
                .startSpan();
        inner.end(t + 5 * US + 990 * US, TimeUnit.NANOSECONDS);
        wrapper.end(t + 1 * MS, TimeUnit.NANOSECONDS);
        t += 2 * MS;
      }
      go.meters
          .get("runtime")
          .gaugeBuilder("go.memory.used")
          .ofLongs()
          .setUnit("By")
          .buildWithCallback(
              m -> {
                m.record(
                    3_000_000L, Attributes.of(AttributeKey.stringKey("go.memory.type"), "other"));
                m.record(
                    500_000L, Attributes.of(AttributeKey.stringKey("go.memory.type"), "stack"));
              });
      rust.meters
          .get("process")
          .gaugeBuilder("process.memory.usage")
          .ofLongs()
          .setUnit("By")
          .buildWithCallback(m -> m.record(50_000_000L));
      go.flush();
      rust.flush();
      rustLib.flush();

      Scrape s =
          seam.awaitScrape(
              Duration.ofSeconds(10),
              x ->
                  x.sum("seam_boundary_calls_total") == 10
                      && x.sum("seam_boundary_error_logs_total") == 1
                      && x.sum("seam_process_memory_bytes") == 53_500_000);

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
          "exactly the three boundaries that happened:\n" + s.find("seam_boundary_calls_total"));
      assertEquals(5, s.value("seam_boundary_calls_total", http));
      assertEquals(2, s.value("seam_boundary_calls_total", grpc));
      assertEquals(3, s.value("seam_boundary_calls_total", ffi));

      assertEquals(0.050, s.value("seam_boundary_caller_duration_seconds_sum", http), 1e-9);
      assertEquals(0.035, s.value("seam_boundary_callee_duration_seconds_sum", http), 1e-9);
      assertEquals(0.015, s.value("seam_boundary_overhead_seconds_sum", http), 1e-9);
      assertEquals(5, s.value("seam_boundary_overhead_seconds_count", http));

      assertEquals(0.031, s.value("seam_boundary_caller_duration_seconds_sum", grpc), 1e-9);
      assertEquals(0.033, s.value("seam_boundary_callee_duration_seconds_sum", grpc), 1e-9);
      // The timed-out call's callee outlasted its caller: overhead 2 ms for the first, 0 (clamped)
      // for the second.
      assertEquals(0.002, s.value("seam_boundary_overhead_seconds_sum", grpc), 1e-9);
      assertEquals(1, s.value("seam_boundary_negative_overhead_total", grpc));

      assertEquals(0.003, s.value("seam_boundary_caller_duration_seconds_sum", ffi), 1e-9);
      assertEquals(0.00297, s.value("seam_boundary_callee_duration_seconds_sum", ffi), 1e-9);
      assertEquals(0.00003, s.value("seam_boundary_overhead_seconds_sum", ffi), 1e-9);
      // 10 us of overhead lands in the (5 us, 10 us] bucket: the ffi buckets resolve microseconds.
      assertEquals(0, s.value("seam_boundary_overhead_seconds_bucket", with(ffi, "le", "5.0E-6")));
      assertEquals(3, s.value("seam_boundary_overhead_seconds_bucket", with(ffi, "le", "1.0E-5")));
      assertEquals(3, s.value("seam_boundary_callee_allocated_bytes_count", ffi));
      assertEquals(3 * 4096, s.value("seam_boundary_callee_allocated_bytes_sum", ffi));

      assertEquals(
          2,
          s.find("seam_boundary_errors_total").size(),
          "only the two failures:\n" + s.find("seam_boundary_errors_total"));
      assertEquals(
          1,
          s.value(
              "seam_boundary_errors_total",
              with(http, "error_side", "both", "error_class", "unavailable")));
      assertEquals(
          1,
          s.value(
              "seam_boundary_errors_total",
              with(grpc, "error_side", "caller", "error_class", "deadline_exceeded")));
      assertEquals(1, s.value("seam_boundary_error_logs_total", with(http, "side", "callee")));
      assertEquals(
          1,
          s.value(
              "seam_log_records_total",
              "service",
              "pricing",
              "language",
              "rust",
              "severity",
              "error"));

      assertEquals(
          3_500_000,
          s.value(
              "seam_process_memory_bytes",
              "service",
              "gateway",
              "language",
              "go",
              "type",
              "runtime",
              "service_instance",
              "node-a/4242"));
      assertEquals(
          50_000_000,
          s.value(
              "seam_process_memory_bytes",
              "service",
              "pricing",
              "language",
              "rust",
              "type",
              "resident"));

      assertEquals(20, s.sum("seam_received_items_total", "signal", "spans"));
      assertEquals(20, s.sum("seam_processed_items_total", "signal", "spans"));
      assertEquals(1, s.sum("seam_received_items_total", "signal", "logs"));
      assertTrue(
          s.sum("seam_received_items_total", "signal", "metrics") >= 3,
          "metric data points received");
      assertEquals(0, s.sum("seam_dropped_items_total"));
      assertEquals(0, s.sum("seam_refused_items_total"));
      assertEquals(0, s.sum("seam_boundary_unpaired_total"));
    }
  }

  private static Context remote(Span parent) {
    SpanContext sc = parent.getSpanContext();
    return Context.root()
        .with(
            Span.wrap(
                SpanContext.createFromRemoteParent(
                    sc.getTraceId(),
                    sc.getSpanId(),
                    TraceFlags.getSampled(),
                    TraceState.getDefault())));
  }
}
