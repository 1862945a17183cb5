package dev.seam.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's retry: an exporter that gave up waiting for Seam's answer sends the same export again
 * after the pairing window. A Go-shaped gateway (OTLP/gRPC) and a Rust-shaped service (OTLP/HTTP)
 * export three calls through the real OpenTelemetry exporters, and once the 2 s window has passed
 * send the very same two export requests again: three calls are counted, not six.
 */
class RetriedExportTest {

  private static final long MS = 1_000_000L;
  private static final long BASE = 1_767_225_600_000_000_000L;

  /** Keeps what a tracer ended, to be exported (and exported again) by the test. */
  private static final class Keep implements SpanExporter {
    final List<SpanData> spans = new ArrayList<>();

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> batch) {
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
  }

  private static SdkTracerProvider provider(Keep keep, String service, String language) {
    return SdkTracerProvider.builder()
        .setResource(
            Resource.getDefault()
                .merge(
                    Resource.create(
                        Attributes.builder()
                            .put("service.name", service)
                            .put("telemetry.sdk.language", language)
                            .build())))
        .addSpanProcessor(SimpleSpanProcessor.create(keep))
        .build();
  }

  @Test
  void aBatchSentAgainAfterTheWindowCountsItsCallsOnce() throws Exception {
    Keep goSpans = new Keep();
    Keep rustSpans = new Keep();
    try (SdkTracerProvider go = provider(goSpans, "gateway", "go");
        SdkTracerProvider rust = provider(rustSpans, "pricing", "rust")) {
      Tracer gateway = go.get("test");
      Tracer pricing = rust.get("test");
      long t = BASE;
      for (int i = 0; i < 3; i++) {
        Span client =
            gateway
                .spanBuilder("GET")
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(t, TimeUnit.NANOSECONDS)
                .setAttribute("http.request.method", "GET")
                .setAttribute("server.address", "pricing")
                .setAttribute("http.response.status_code", 200L)
                .startSpan();
        Span server =
            pricing
                .spanBuilder("GET /price/{id}")
                .setSpanKind(SpanKind.SERVER)
                .setParent(remote(client))
                .setStartTimestamp(t + 2 * MS, TimeUnit.NANOSECONDS)
                .setAttribute("http.request.method", "GET")
                .setAttribute("http.route", "/price/{id}")
                .setAttribute("http.response.status_code", 200L)
                .startSpan();
        server.end(t + 9 * MS, TimeUnit.NANOSECONDS);
        client.end(t + 10 * MS, TimeUnit.NANOSECONDS);
        t += 20 * MS;
      }
    }
    assertEquals(3, goSpans.spans.size());
    assertEquals(3, rustSpans.spans.size());

    try (RunningSeam seam = RunningSeam.start("pairing: {window: 2s}")) {
      SpanExporter goExporter =
          OtlpGrpcSpanExporter.builder().setEndpoint(seam.grpcEndpoint()).build();
      SpanExporter rustExporter =
          OtlpHttpSpanExporter.builder().setEndpoint(seam.httpBase() + "/v1/traces").build();
      try {
        export(goExporter, goSpans.spans);
        export(rustExporter, rustSpans.spans);
        // Once both halves of every call have left the store (their window passed) ...
        seam.awaitScrape(
            Duration.ofSeconds(15),
            s ->
                s.sum("seam_pairing_pending") == 0
                    && s.sum("seam_pairing_ended_spans") == 6
                    && s.sum("seam_boundary_calls_total") == 3);
        // ... the same two requests come again, as an exporter's retry sends them.
        export(goExporter, goSpans.spans);
        export(rustExporter, rustSpans.spans);

        Scrape s =
            seam.awaitScrape(
                Duration.ofSeconds(15),
                x ->
                    x.sum("seam_processed_items_total", "signal", "spans") == 12
                        && x.sum("seam_pairing_pending") == 0);
        assertEquals(3, s.sum("seam_boundary_calls_total"), "three calls, not six");
        assertEquals(6, s.value("seam_pairing_duplicate_spans_total", "state", "ended"));
        assertEquals(0, s.value("seam_pairing_duplicate_spans_total", "state", "pending"));
        assertEquals(0, s.sum("seam_boundary_unpaired_total"));
        assertEquals(12, s.sum("seam_received_items_total", "signal", "spans"));
      } finally {
        goExporter.shutdown().join(10, TimeUnit.SECONDS);
        rustExporter.shutdown().join(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void export(SpanExporter exporter, List<SpanData> spans) {
    CompletableResultCode result = exporter.export(spans).join(10, TimeUnit.SECONDS);
    assertTrue(result.isSuccess(), "the export was accepted");
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
