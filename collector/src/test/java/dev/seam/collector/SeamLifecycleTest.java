package dev.seam.collector;

import static dev.seam.collector.testing.Otlp.REMOTE_PARENT;
import static dev.seam.collector.testing.Otlp.T0;
import static dev.seam.collector.testing.Otlp.attr;
import static dev.seam.collector.testing.Otlp.resource;
import static dev.seam.collector.testing.Otlp.resourceSpans;
import static dev.seam.collector.testing.Otlp.span;
import static dev.seam.collector.testing.Otlp.traces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping Seam ends every pending pairing entry as a counted outcome, within the bound. */
class SeamLifecycleTest {

  @Test
  void stoppingFlushesPendingHalvesAsCountedOutcomes() throws Exception {
    try (RunningSeam seam = RunningSeam.start("limits: {shutdown-timeout: 2s}")) {
      byte[] halves =
          traces(
                  resourceSpans(
                      resource("gateway", "go"),
                      span(
                              "00000000000000000000000000008a01",
                              "0000000000008a01",
                              "",
                              SpanKind.SPAN_KIND_CLIENT,
                              T0,
                              3_000_000)
                          .addAttributes(attr("http.request.method", "GET"))
                          .addAttributes(attr("peer.service", "pricing"))),
                  resourceSpans(
                      resource("pricing", "rust"),
                      span(
                              "00000000000000000000000000008a02",
                              "0000000000008a03",
                              "0000000000008a02",
                              SpanKind.SPAN_KIND_SERVER,
                              T0,
                              1_000_000)
                          .setFlags(REMOTE_PARENT)
                          .addAttributes(attr("http.route", "/q"))))
              .toByteArray();
      assertEquals(
          200, seam.post("/v1/traces", "application/x-protobuf", null, halves).statusCode());
      Scrape before =
          seam.awaitScrape(Duration.ofSeconds(5), x -> x.sum("seam_pairing_pending") == 3);
      assertEquals(
          3,
          before.value("seam_pairing_pending"),
          "2 spans held as parents + 1 callee waiting: the window is 10 s");

      long started = System.nanoTime();
      seam.seam().stop().await(10, TimeUnit.SECONDS);
      assertTrue(
          System.nanoTime() - started < TimeUnit.SECONDS.toNanos(3),
          "stopped within the 2 s bound");

      Scrape after = new Scrape(seam.seam().registry().scrape());
      assertEquals(0, after.value("seam_pairing_pending"));
      assertEquals(3, after.value("seam_pairing_entries_total", "outcome", "expired"));
      assertEquals(
          1,
          after.value(
              "seam_boundary_unpaired_total", "side", "caller", "reason", "callee_missing"));
      assertEquals(
          1,
          after.value(
              "seam_boundary_unpaired_total", "side", "callee", "reason", "caller_missing"));
      assertEquals(2, after.value("seam_processed_items_total", "signal", "spans"));
    }
  }
}
