package dev.seam.collector.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import dev.seam.collector.testing.GrpcCall;
import dev.seam.collector.testing.Otlp;
import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vertx.grpc.common.GrpcStatus;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Past its in-flight bound Seam answers so that clients retry (HTTP 503 + Retry-After, gRPC
 * UNAVAILABLE + RetryInfo), counts each refusal, loses nothing a retrying client sent, and takes
 * work again by itself once the backlog drains.
 */
class OverloadTest {

  /** A tiny bound and one pipeline thread: a handful of concurrent exports is already too many. */
  private static final String TIGHT =
      "limits: {max-inflight-bytes: 1KiB}\npipeline: {threads: 1}\n";

  private static byte[] request(int index, int spans) {
    Span.Builder[] b = new Span.Builder[spans];
    for (int i = 0; i < spans; i++) {
      b[i] =
          Otlp.span(
                  String.format("%016x%016x", index + 1L, i + 1L),
                  String.format("%016x", i + 1L),
                  "",
                  Span.SpanKind.SPAN_KIND_SERVER,
                  Otlp.T0,
                  1_000_000)
              .addAttributes(Otlp.attr("http.route", "/r" + (i % 7)));
    }
    return Otlp.traces(Otlp.resourceSpans(Otlp.resource("load", "go"), b)).toByteArray();
  }

  @Test
  void httpRefusalsAskForARetryAndAreCounted() throws Exception {
    try (RunningSeam seam = RunningSeam.start(TIGHT)) {
      ExecutorService pool = Executors.newFixedThreadPool(24);
      List<Future<HttpResponse<byte[]>>> calls = new ArrayList<>();
      // With the pipeline held, the first body admitted (larger than the whole bound) stays in
      // flight, so each of the other 47 is refused: exactly one is taken.
      AutoCloseable stall = seam.stallPipeline(1);
      for (int i = 0; i < 48; i++) {
        byte[] body = request(i, 400);
        calls.add(pool.submit(() -> seam.post("/v1/traces", "application/x-protobuf", null, body)));
      }
      awaitRefused(seam, 47);
      stall.close();
      int ok = 0;
      int refused = 0;
      for (Future<HttpResponse<byte[]>> f : calls) {
        HttpResponse<byte[]> r = f.get(60, TimeUnit.SECONDS);
        if (r.statusCode() == 200) {
          ok++;
        } else {
          assertEquals(503, r.statusCode());
          assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
          Status st = Status.parseFrom(r.body());
          assertEquals(14, st.getCode(), "UNAVAILABLE");
          assertTrue(st.getMessage().startsWith("Seam is overloaded ("), st.getMessage());
          refused++;
        }
      }
      pool.shutdown();
      assertEquals(1, ok, "one export admitted while the pipeline was held");
      assertEquals(47, refused);
      Scrape s = seam.awaitIdle();
      assertEquals(
          47,
          s.value(
              "seam_refused_requests_total",
              "signal",
              "spans",
              "protocol",
              "http",
              "reason",
              "overloaded"));
      assertEquals(400, s.sum("seam_received_items_total", "signal", "spans"));
      assertEquals(0, s.value("seam_pipeline_inflight_bytes"));
      // The backlog drained: Seam takes work again by itself.
      assertEquals(
          200,
          seam.post("/v1/traces", "application/x-protobuf", null, request(99, 10)).statusCode());
    }
  }

  @Test
  void grpcRefusalsAreUnavailableWithRetryInfo() throws Exception {
    try (RunningSeam seam = RunningSeam.start(TIGHT)) {
      ExecutorService pool = Executors.newFixedThreadPool(24);
      List<Future<GrpcCall.Result>> calls = new ArrayList<>();
      AutoCloseable stall = seam.stallPipeline(1);
      for (int i = 0; i < 48; i++) {
        byte[] body = request(i, 400);
        calls.add(
            pool.submit(
                () ->
                    GrpcCall.call(
                        seam.vertx(),
                        seam.grpcPort(),
                        "opentelemetry.proto.collector.trace.v1.TraceService/Export",
                        "identity",
                        body)));
      }
      awaitRefused(seam, 47);
      stall.close();
      int refused = 0;
      for (Future<GrpcCall.Result> f : calls) {
        GrpcCall.Result r = f.get(60, TimeUnit.SECONDS);
        if (r.status() != GrpcStatus.OK) {
          assertEquals(GrpcStatus.UNAVAILABLE, r.status(), r.message());
          Status details = Status.parseFrom(Base64.getDecoder().decode(r.statusDetailsBin()));
          assertEquals(14, details.getCode());
          RetryInfo retry = details.getDetails(0).unpack(RetryInfo.class);
          assertEquals(1, retry.getRetryDelay().getSeconds());
          refused++;
        }
      }
      pool.shutdown();
      assertEquals(47, refused, "all but the one export admitted while the pipeline was held");
      Scrape s = seam.awaitIdle();
      assertEquals(
          47,
          s.value(
              "seam_refused_requests_total",
              "signal",
              "spans",
              "protocol",
              "grpc",
              "reason",
              "overloaded"));
      assertEquals(400, s.sum("seam_received_items_total", "signal", "spans"));
    }
  }

  @Test
  void retryingSdkExportersLoseNothing() throws Exception {
    // Room for a few exports at once; 16 concurrent senders are still several times too many.
    try (RunningSeam seam =
        RunningSeam.start("limits: {max-inflight-bytes: 48KiB}\npipeline: {threads: 1}\n")) {
      RetryPolicy retry =
          RetryPolicy.builder()
              .setMaxAttempts(5)
              .setInitialBackoff(Duration.ofMillis(100))
              .setMaxBackoff(Duration.ofSeconds(2))
              .build();
      // One exporter per sender, as each service has its own (an exporter sends one batch at a
      // time).
      List<SpanExporter> exporters = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        exporters.add(
            i % 2 == 0
                ? OtlpGrpcSpanExporter.builder()
                    .setEndpoint(seam.grpcEndpoint())
                    .setRetryPolicy(retry)
                    .setTimeout(Duration.ofSeconds(30))
                    .build()
                : OtlpHttpSpanExporter.builder()
                    .setEndpoint(seam.httpBase() + "/v1/traces")
                    .setRetryPolicy(retry)
                    .setTimeout(Duration.ofSeconds(30))
                    .build());
      }
      // Collect spans from a real SDK, then export the same batches concurrently through both
      // exporters.
      List<SpanData> spans = new CopyOnWriteArrayList<>();
      SdkTracerProvider provider =
          SdkTracerProvider.builder()
              .setResource(
                  Resource.create(
                      Attributes.builder()
                          .put("service.name", "retrying")
                          .put("telemetry.sdk.language", "go")
                          .build()))
              .addSpanProcessor(
                  SimpleSpanProcessor.create(
                      new SpanExporter() {
                        @Override
                        public CompletableResultCode export(Collection<SpanData> batch) {
                          spans.addAll(batch);
                          return CompletableResultCode.ofSuccess();
                        }

                        @Override
                        public CompletableResultCode flush() {
                          return CompletableResultCode.ofSuccess();
                        }

                        @Override
                        public CompletableResultCode shutdown() {
                          return CompletableResultCode.ofSuccess();
                        }
                      }))
              .build();
      for (int i = 0; i < 200; i++) {
        provider.get("t").spanBuilder("op-" + i).setSpanKind(SpanKind.SERVER).startSpan().end();
      }
      provider.shutdown().join(5, TimeUnit.SECONDS);
      List<SpanData> batch = List.copyOf(spans);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<Boolean>> results = new ArrayList<>();
      // The pipeline is held until the clients have been pushed back, whatever the timing: the
      // bound fills with the exports admitted meanwhile and every later one is refused.
      AutoCloseable stall = seam.stallPipeline(1);
      Callable<Boolean> pending = null;
      // 16 senders, 2 batches each, one after the other (an exporter sends one batch at a time).
      for (int i = 0; i < 32; i++) {
        SpanExporter exporter = exporters.get(i / 2);
        // The SDK retries up to 5 times; a batch it still could not deliver is exported again, as
        // a batching processor's next attempt would (the exporter's give-ups are counted below).
        Callable<Boolean> send =
            () -> {
              Throwable last = null;
              for (int attempt = 0; attempt < 20; attempt++) {
                CompletableResultCode result = exporter.export(batch).join(60, TimeUnit.SECONDS);
                if (result.isSuccess()) {
                  return attempt == 0;
                }
                last = result.getFailureThrowable();
              }
              throw new AssertionError(
                  "20 exports of one batch failed through " + exporter + "; last: " + last, last);
            };
        if (i % 2 == 0) {
          pending = send;
        } else {
          Callable<Boolean> first = pending;
          results.add(pool.submit(() -> first.call() & send.call()));
        }
      }
      awaitRefused(seam, 8);
      stall.close();
      int firstTry = 0;
      for (Future<Boolean> r : results) {
        if (r.get(120, TimeUnit.SECONDS)) {
          firstTry++;
        }
      }
      System.out.println(
          "senders whose two batches the SDK's own retries delivered: " + firstTry + " of 16");
      pool.shutdown();
      Scrape s = seam.awaitIdle();
      assertEquals(
          32 * 200,
          s.sum("seam_received_items_total", "signal", "spans"),
          "every span the clients sent was received once");
      assertEquals(32 * 200, s.sum("seam_processed_items_total", "signal", "spans"));
      assertEquals(0, s.sum("seam_dropped_items_total"));
      assertTrue(
          s.sum("seam_refused_requests_total", "reason", "overloaded") >= 8,
          "the clients were pushed back while the pipeline was held");
      for (SpanExporter e : exporters) {
        e.shutdown().join(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Waits until {@code n} exports were refused as overloaded; fails after 30 s. */
  private static void awaitRefused(RunningSeam seam, int n) throws Exception {
    Scrape s =
        seam.awaitScrape(
            Duration.ofSeconds(30),
            x -> x.sum("seam_refused_requests_total", "reason", "overloaded") >= n);
    assertTrue(
        s.sum("seam_refused_requests_total", "reason", "overloaded") >= n,
        "fewer than " + n + " exports refused while the pipeline was held");
  }
}
