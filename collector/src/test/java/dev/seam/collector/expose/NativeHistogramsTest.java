package dev.seam.collector.expose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.testing.Otlp;
import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_35_0.Metrics;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The boundary histograms as native histograms: a real Seam is sent paired calls of known durations
 * over OTLP/HTTP, then {@code /metrics} is scraped as Prometheus does when it ingests native
 * histograms (protobuf) and the delimited {@code MetricFamily} messages are decoded with the Java
 * client's own generated classes. The native buckets, zero bucket, count and sum must be exactly
 * those of the calls, the classic buckets in the same message exactly those of the text format, and
 * the switch must leave only the classic buckets.
 */
class NativeHistogramsTest {

  /** What Prometheus 2.x sends with {@code --enable-feature=native-histograms}. */
  static final String PROMETHEUS_NATIVE_ACCEPT =
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
          + "encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,"
          + "application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,"
          + "*/*;q=0.2";

  /** What it sends without the flag. */
  static final String PROMETHEUS_CLASSIC_ACCEPT =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
          + "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  private static final AtomicLong IDS = new AtomicLong(0x4e0000);

  /** Caller and callee durations in nanoseconds of the calls sent. */
  private static final long[][] CALLS = {
    {3_000_000, 2_000_000}, // overhead 1 ms
    {50_000, 20_000}, // overhead 30 us
    {1_000_000, 1_000_000}, // overhead 0: the zero bucket
    {2_500_000, 500_000}, // overhead 2 ms
  };

  @Test
  void protobufScrapeCarriesNativeBucketsNextToTheClassicOnes() throws Exception {
    try (RunningSeam seam = RunningSeam.start()) {
      sendCalls(seam, "nh-go", "nh-rust");
      Scrape text =
          seam.awaitScrape(
              Duration.ofSeconds(15),
              s -> s.sum("seam_boundary_calls_total", "caller_service", "nh-go") == CALLS.length);

      Map<String, Metrics.MetricFamily> families = scrapeProtobuf(seam);
      Metrics.Histogram overhead =
          histogram(families, "seam_boundary_overhead_seconds", "nh-go").getHistogram();
      assertEquals(4, overhead.getSampleCount());
      assertEquals(0.001 + 0.000_03 + 0 + 0.002, overhead.getSampleSum(), 1e-15);
      // Schema 5: bucket i holds (2^((i-1)/32), 2^(i/32)]; i = ceil(32 * log2(v)):
      // 1 ms -> ceil(-318.91) = -318, 30 us -> ceil(-480.75) = -480, 2 ms -> ceil(-286.91) = -286.
      assertEquals(5, overhead.getSchema());
      assertEquals(1, overhead.getZeroCount());
      assertEquals(Map.of(-480, 1L, -318, 1L, -286, 1L), nativeBuckets(overhead));
      assertEquals(0, overhead.getNegativeSpanCount());

      Metrics.Histogram caller =
          histogram(families, "seam_boundary_caller_duration_seconds", "nh-go").getHistogram();
      assertEquals(4, caller.getSampleCount());
      assertEquals(0.003 + 0.000_05 + 0.001 + 0.0025, caller.getSampleSum(), 1e-15);
      assertEquals(0, caller.getZeroCount());
      // 3 ms -> ceil(-268.19), 50 us -> ceil(-457.17), 1 ms -> ceil(-318.91), 2.5 ms ->
      // ceil(-276.61)
      assertEquals(Map.of(-457, 1L, -318, 1L, -276, 1L, -268, 1L), nativeBuckets(caller));

      // The classic buckets in the protobuf message are those of the text format, series by
      // series, and the text format has nothing native in it.
      for (String family :
          List.of(
              "seam_boundary_caller_duration_seconds",
              "seam_boundary_callee_duration_seconds",
              "seam_boundary_overhead_seconds")) {
        Metrics.Histogram h = histogram(families, family, "nh-go").getHistogram();
        assertEquals(classic(text, family, "nh-go"), classic(h), family);
        assertEquals(
            (double) h.getSampleCount(),
            text.value(family + "_count", "caller_service", "nh-go"),
            family);
        assertTrue(h.getBucketCount() > 0, family + " keeps its classic buckets");
      }
      assertEquals(
          3.0,
          text.value(
              "seam_boundary_overhead_seconds_bucket", "caller_service", "nh-go", "le", "0.001"));
      // The _max gauge stays a family of its own in both formats.
      assertEquals(
          0.002, text.value("seam_boundary_overhead_seconds_max", "caller_service", "nh-go"));
      Metrics.MetricFamily max = families.get("seam_boundary_overhead_seconds_max");
      assertNotNull(max, "seam_boundary_overhead_seconds_max in the protobuf scrape");
      assertEquals(Metrics.MetricType.GAUGE, max.getType());
    }
  }

  @Test
  void switchedOffTheProtobufScrapeHasClassicBucketsOnly() throws Exception {
    try (RunningSeam seam = RunningSeam.start("boundary: {native-histograms: false}\n")) {
      sendCalls(seam, "nh-off-go", "nh-off-rust");
      Scrape text =
          seam.awaitScrape(
              Duration.ofSeconds(15),
              s ->
                  s.sum("seam_boundary_calls_total", "caller_service", "nh-off-go")
                      == CALLS.length);
      Metrics.Histogram overhead =
          histogram(scrapeProtobuf(seam), "seam_boundary_overhead_seconds", "nh-off-go")
              .getHistogram();
      assertEquals(4, overhead.getSampleCount());
      assertFalse(overhead.hasSchema(), "no schema: Prometheus reads a classic histogram");
      assertEquals(0, overhead.getPositiveSpanCount());
      assertEquals(0.0, overhead.getZeroThreshold());
      assertEquals(classic(text, "seam_boundary_overhead_seconds", "nh-off-go"), classic(overhead));
    }
  }

  @Test
  void theAcceptHeaderPicksTheFormat() {
    assertEquals(MetricsServer.PROTOBUF, MetricsServer.contentType(PROMETHEUS_NATIVE_ACCEPT));
    assertEquals(MetricsServer.OPENMETRICS, MetricsServer.contentType(PROMETHEUS_CLASSIC_ACCEPT));
    assertEquals(MetricsServer.PROMETHEUS_TEXT, MetricsServer.contentType(null));
    assertEquals(MetricsServer.PROMETHEUS_TEXT, MetricsServer.contentType("*/*"));
    // Protobuf only as delimited MetricFamily messages, the one protobuf format there is.
    assertEquals(
        MetricsServer.PROMETHEUS_TEXT,
        MetricsServer.contentType(
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                + "encoding=text"));
    // The higher quality wins, wherever it stands.
    assertEquals(
        MetricsServer.OPENMETRICS,
        MetricsServer.contentType(
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                + "encoding=delimited;q=0.2,application/openmetrics-text;version=1.0.0;q=0.9"));
    assertEquals(
        MetricsServer.PROMETHEUS_TEXT,
        MetricsServer.contentType("application/openmetrics-text;q=0.5, text/plain"));
  }

  /** One CLIENT -> SERVER pair per entry of {@link #CALLS}, over OTLP/HTTP protobuf. */
  private static void sendCalls(RunningSeam seam, String callerService, String calleeService)
      throws Exception {
    List<Span.Builder> callers = new ArrayList<>();
    List<Span.Builder> callees = new ArrayList<>();
    for (long[] call : CALLS) {
      String trace = String.format("4e00%012x%016x", IDS.incrementAndGet(), IDS.incrementAndGet());
      String callerId = String.format("c1%014x", IDS.incrementAndGet());
      String calleeId = String.format("5f%014x", IDS.incrementAndGet());
      callers.add(
          Otlp.span(trace, callerId, null, Span.SpanKind.SPAN_KIND_CLIENT, Otlp.T0, call[0])
              .setName("quote"));
      // The callee runs inside its caller, half-way through the crossing.
      long start = Otlp.T0 + (call[0] - call[1]) / 2;
      callees.add(
          Otlp.span(trace, calleeId, callerId, Span.SpanKind.SPAN_KIND_SERVER, start, call[1])
              .setName("quote")
              .setFlags(Otlp.REMOTE_PARENT));
    }
    ResourceSpans goSide =
        Otlp.resourceSpans(
            Otlp.resource(callerService, "go"), callers.toArray(Span.Builder[]::new));
    ResourceSpans rustSide =
        Otlp.resourceSpans(
            Otlp.resource(calleeService, "rust"), callees.toArray(Span.Builder[]::new));
    ExportTraceServiceRequest req = Otlp.traces(goSide, rustSide);
    HttpResponse<byte[]> posted =
        seam.post("/v1/traces", "application/x-protobuf", null, req.toByteArray());
    assertEquals(200, posted.statusCode());
  }

  /** GETs /metrics as Prometheus scraping native histograms does, decoded by family name. */
  private static Map<String, Metrics.MetricFamily> scrapeProtobuf(RunningSeam seam)
      throws Exception {
    HttpResponse<byte[]> r =
        seam.httpClient()
            .send(
                HttpRequest.newBuilder(URI.create(seam.metricsBase() + "/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Accept", PROMETHEUS_NATIVE_ACCEPT)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals(MetricsServer.PROTOBUF, r.headers().firstValue("Content-Type").orElse(null));
    Map<String, Metrics.MetricFamily> families = new TreeMap<>();
    InputStream in = new ByteArrayInputStream(r.body());
    Metrics.MetricFamily f;
    while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
      assertEquals(null, families.put(f.getName(), f), "one message per family: " + f.getName());
    }
    return families;
  }

  /** The series of {@code family} whose caller is {@code callerService}. */
  private static Metrics.Metric histogram(
      Map<String, Metrics.MetricFamily> families, String family, String callerService) {
    Metrics.MetricFamily f = families.get(family);
    assertNotNull(f, family + " in the protobuf scrape: " + families.keySet());
    assertEquals(Metrics.MetricType.HISTOGRAM, f.getType());
    Metrics.Metric found = null;
    for (Metrics.Metric m : f.getMetricList()) {
      for (Metrics.LabelPair l : m.getLabelList()) {
        if (l.getName().equals("caller_service") && l.getValue().equals(callerService)) {
          assertEquals(null, found, "one series of " + family + " for " + callerService);
          found = m;
        }
      }
    }
    assertNotNull(found, family + " of " + callerService);
    return found;
  }

  /** Native bucket index -> count, from the spans and the delta-encoded counts. */
  private static Map<Integer, Long> nativeBuckets(Metrics.Histogram h) {
    Map<Integer, Long> buckets = new TreeMap<>();
    int index = 0;
    int delta = 0;
    long count = 0;
    for (Metrics.BucketSpan span : h.getPositiveSpanList()) {
      index += span.getOffset();
      for (int i = 0; i < span.getLength(); i++) {
        count += h.getPositiveDelta(delta++);
        if (count != 0) {
          buckets.put(index, count);
        }
        index++;
      }
    }
    assertEquals(h.getPositiveDeltaCount(), delta, "one delta per bucket the spans cover");
    return buckets;
  }

  /** Upper bound -> cumulative count of the classic buckets (+Inf is the sample count). */
  private static Map<Double, Long> classic(Metrics.Histogram h) {
    Map<Double, Long> out = new TreeMap<>();
    for (Metrics.Bucket b : h.getBucketList()) {
      out.put(b.getUpperBound(), b.getCumulativeCount());
    }
    out.put(Double.POSITIVE_INFINITY, h.getSampleCount());
    return out;
  }

  private static Map<Double, Long> classic(Scrape text, String family, String callerService) {
    Map<Double, Long> out = new TreeMap<>();
    for (Scrape.Sample s : text.find(family + "_bucket", "caller_service", callerService)) {
      String le = s.labels().get("le");
      out.put(
          le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), (long) s.value());
    }
    return out;
  }
}
