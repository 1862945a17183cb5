package dev.seam.collector.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks and payloads shared by the OTLP receiver tests (gRPC and HTTP) that talk to a {@link
 * RunningSeam}: the names of Seam's own item and request counters, deltas between two {@link
 * Scrape}s (the counters are cumulative), the after-each "still serving, nothing in flight, nothing
 * dropped" checks, and crafted trace payloads built with {@link Otlp}.
 */
public final class ReceiverChecks {

  public static final String RECEIVED = "seam_received_items_total";
  public static final String PROCESSED = "seam_processed_items_total";
  public static final String DROPPED = "seam_dropped_items_total";
  public static final String REFUSED_ITEMS = "seam_refused_items_total";
  public static final String REFUSED_REQUESTS = "seam_refused_requests_total";

  /**
   * Sends an encoded {@link ExportTraceServiceRequest} over one transport, asserts that the
   * transport reported success, and returns the encoded {@link ExportTraceServiceResponse}.
   */
  @FunctionalInterface
  public interface TraceExport {
    byte[] send(RunningSeam seam, byte[] request) throws Exception;
  }

  private ReceiverChecks() {}

  /** How much the matching samples of {@code name} grew from {@code before} to {@code after}. */
  public static double delta(Scrape before, Scrape after, String name, String... labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }

  /**
   * A valid one-span export from {@code service} must still succeed without partial success and be
   * counted as one span received over {@code protocol}.
   */
  public static void assertServes(
      RunningSeam s, String protocol, String service, Span.Builder span, TraceExport export)
      throws Exception {
    Scrape before = s.scrape();
    ExportTraceServiceRequest req =
        Otlp.traces(Otlp.resourceSpans(Otlp.resource(service, "go"), span));
    byte[] body = export.send(s, req.toByteArray());
    assertFalse(ExportTraceServiceResponse.parseFrom(body).hasPartialSuccess());
    assertEquals(1, delta(before, s.scrape(), RECEIVED, "signal", "spans", "protocol", protocol));
  }

  /**
   * Waits until nothing is in flight, then asserts received = processed + dropped for every signal
   * and that nothing was ever dropped.
   */
  public static void assertIdleAndBalanced(RunningSeam seam) throws Exception {
    Scrape idle = seam.awaitIdle();
    for (String signal : new String[] {"spans", "logs", "metrics"}) {
      assertEquals(
          idle.sum(RECEIVED, "signal", signal),
          idle.sum(PROCESSED, "signal", signal) + idle.sum(DROPPED, "signal", signal),
          "received = processed + dropped for " + signal);
    }
    assertEquals(0.0, idle.sum(DROPPED), "seam_dropped_items_total");
  }

  /**
   * {@code n} valid internal spans, each with a fresh trace id and span id taken from {@code ids}.
   */
  public static Span.Builder[] validSpans(String tracePrefix, AtomicLong ids, int n) {
    Span.Builder[] spans = new Span.Builder[n];
    for (int i = 0; i < n; i++) {
      spans[i] =
          Otlp.span(
              traceHex(tracePrefix, ids.incrementAndGet()),
              spanHex(ids.incrementAndGet()),
              null,
              Span.SpanKind.SPAN_KIND_INTERNAL,
              Otlp.T0,
              1_000_000);
    }
    return spans;
  }

  /**
   * A 16-byte trace id in hex: the 4-hex-digit {@code prefix} (one per test class), then {@code n}.
   */
  public static String traceHex(String prefix, long n) {
    return prefix + String.format("%012x%016x", n, n);
  }

  /** An 8-byte span id in hex. */
  public static String spanHex(long n) {
    return String.format("%016x", n);
  }

  /**
   * A valid trace export of about {@code bytes} bytes from {@code service}: {@code span} with a big
   * attribute. {@code what} names the export in the failure message ("message", "body").
   */
  public static byte[] sizedTraces(Span.Builder span, String service, String what, int bytes) {
    char[] filler = new char[bytes - 200];
    Arrays.fill(filler, 'x');
    span.addAttributes(Otlp.attr("filler", new String(filler)));
    byte[] out = Otlp.traces(Otlp.resourceSpans(Otlp.resource(service, "go"), span)).toByteArray();
    assertTrue(Math.abs(out.length - bytes) < 200, "sized " + what + " is " + out.length);
    return out;
  }

  /** 50 MiB of zeros, gzipped to about 50 KiB. */
  public static byte[] gzipBomb() {
    byte[] bomb = Otlp.gzip(new byte[50 << 20]);
    assertTrue(bomb.length < 64 * 1024, "bomb is " + bomb.length + " bytes compressed");
    return bomb;
  }
}
