package dev.seam.collector.measure;

import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CALLEE_ALLOCATED_BYTES;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CALLEE_DURATION;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CALLER_DURATION;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CALLS;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CONTEXT_BROKEN;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_ERRORS;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_ERROR_LOGS;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_NEGATIVE_OVERHEAD;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_OVERHEAD;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_REQUEST_BYTES;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_RESPONSE_BYTES;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_UNPAIRED;
import static dev.seam.collector.measure.MeasureMetricNames.CARDINALITY_OVERFLOW;
import static dev.seam.collector.measure.MeasureMetricNames.PAIRING_ENTRIES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.ErrorClass;
import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.model.Transport;
import dev.seam.collector.pair.Edge;
import dev.seam.collector.pair.Outcome;
import dev.seam.collector.testing.Spans;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Longer than most test classes: one case per boundary family, label rule, cap and expiry, on one
 * registry fixture.
 */
class BoundaryMetricsTest {

  private static final long MS = 1_000_000L;
  private static final long T0 = 1_767_225_600_000_000_000L;

  private static final Origin GO = new Origin("checkout", "go", "node-1/100", "node-1/100");
  private static final Origin RUST = new Origin("pricing-core", "rust", "node-2/200", "node-2/200");
  private static final Origin RUST_IN_GO_PROCESS =
      new Origin("pricing-core", "rust", "node-1/100", "rust-sdk");

  private static final Buckets BUCKETS =
      new Buckets(
          List.of(Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100)),
          List.of(Duration.ofNanos(1_000), Duration.ofMillis(1), Duration.ofMillis(10)),
          List.of(64L, 1024L, 65536L));

  private PrometheusMeterRegistry registry;
  private BoundaryMetrics metrics;

  @BeforeEach
  void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics =
        new BoundaryMetrics(registry, new ExemplarContext(), MeasureSettings.defaults(BUCKETS));
  }

  /** A span under construction. */
  private static final class S {
    private long id = 1;
    private long parent;
    private ParentLink link = ParentLink.NONE;
    private SpanKind kind = SpanKind.INTERNAL;
    private Origin origin = GO;
    private String name = "op";
    private long durationNanos = 10 * MS;
    private boolean failed;
    private String errorClass = ErrorClass.UNKNOWN;
    private ProtocolHint protocol = ProtocolHint.NONE;
    private String operation;
    private String peer;
    private long requestBytes = -1;
    private long responseBytes = -1;
    private long allocatedBytes = -1;

    S id(long v) {
      id = v;
      return this;
    }

    S parent(long v, ParentLink l) {
      parent = v;
      link = l;
      return this;
    }

    S kind(SpanKind v) {
      kind = v;
      return this;
    }

    S origin(Origin v) {
      origin = v;
      return this;
    }

    S name(String v) {
      name = v;
      return this;
    }

    S duration(long v) {
      durationNanos = v;
      return this;
    }

    S failed(String cls) {
      failed = true;
      errorClass = cls;
      return this;
    }

    S protocol(ProtocolHint v) {
      protocol = v;
      return this;
    }

    S operation(String v) {
      operation = v;
      return this;
    }

    S peer(String v) {
      peer = v;
      return this;
    }

    S request(long v) {
      requestBytes = v;
      return this;
    }

    S response(long v) {
      responseBytes = v;
      return this;
    }

    S allocated(long v) {
      allocatedBytes = v;
      return this;
    }

    Span build() {
      return Spans.builder()
          .traceIdHigh(0x0af7651916cd43ddL)
          .traceIdLow(0x8448eb211c80319cL)
          .spanId(id)
          .parentSpanId(parent)
          .parentLink(link)
          .kind(kind)
          .origin(origin)
          .name(name)
          .startNanos(T0)
          .endNanos(T0 + durationNanos)
          .failed(failed)
          .errorClass(errorClass)
          .protocol(protocol)
          .operation(operation)
          .peer(peer)
          .requestBytes(requestBytes)
          .responseBytes(responseBytes)
          .allocatedBytes(allocatedBytes)
          .build();
    }
  }

  private static S caller() {
    return new S().id(1).kind(SpanKind.CLIENT).origin(GO);
  }

  private static S callee() {
    return new S().id(2).parent(1, ParentLink.REMOTE).kind(SpanKind.SERVER).origin(RUST);
  }

  private static Edge edge(S caller, S callee, Transport t) {
    return new Edge(caller.build(), callee.build(), t);
  }

  private static Tags goToRust(String transport, String operation) {
    return Tags.of(
        "caller_service", "checkout",
        "caller_language", "go",
        "callee_service", "pricing-core",
        "callee_language", "rust",
        "transport", transport,
        "operation", operation);
  }

  private Counter counter(String name, Tags tags) {
    return registry.find(name).tags(tags).counter();
  }

  /** Count and sum of one histogram series, as the scrape sees it. */
  private record Hist(long count, double sum) {}

  private Hist timer(String name, Tags tags) {
    return histogram(name, tags);
  }

  private Hist summary(String name, Tags tags) {
    return histogram(name, tags);
  }

  /** The series of {@code family} with exactly {@code tags}, or null when there is none. */
  private Hist histogram(String family, Tags tags) {
    Labels.Builder labels = Labels.builder();
    for (Tag t : tags) {
      labels.label(t.getKey(), t.getValue());
    }
    Labels wanted = labels.build();
    for (HistogramDataPointSnapshot p : dataPoints(family)) {
      if (p.getLabels().equals(wanted)) {
        return new Hist(p.getCount(), p.getSum());
      }
    }
    return null;
  }

  /** Every series of the histogram {@code family} in the registry now. */
  private List<HistogramDataPointSnapshot> dataPoints(String family) {
    for (MetricSnapshot m : registry.getPrometheusRegistry().scrape()) {
      if (m instanceof HistogramSnapshot h && h.getMetadata().getPrometheusName().equals(family)) {
        return h.getDataPoints();
      }
    }
    return List.of();
  }

  private static void assertNanos(long expected, Hist h) {
    assertEquals(expected / 1e9, h.sum(), 1e-12);
  }

  // --- calls, durations, overhead ---

  @Test
  void callsCallerCalleeAndOverheadSums() {
    Edge e =
        edge(
            caller().protocol(ProtocolHint.HTTP).duration(10 * MS),
            callee().protocol(ProtocolHint.HTTP).operation("/quote/{sku}").duration(7 * MS),
            Transport.HTTP);
    metrics.onEdge(e);
    metrics.onEdge(e);

    Tags t = goToRust("http", "/quote/{sku}");
    assertEquals(2.0, counter(BOUNDARY_CALLS, t).count());
    Hist callerDuration = timer(BOUNDARY_CALLER_DURATION, t);
    Hist calleeDuration = timer(BOUNDARY_CALLEE_DURATION, t);
    Hist overhead = timer(BOUNDARY_OVERHEAD, t);
    assertEquals(2, callerDuration.count());
    assertNanos(20 * MS, callerDuration);
    assertEquals(2, calleeDuration.count());
    assertNanos(14 * MS, calleeDuration);
    assertEquals(2, overhead.count());
    assertNanos(6 * MS, overhead);
    assertEquals(0.0, counter(BOUNDARY_NEGATIVE_OVERHEAD, t).count());
  }

  @Test
  void everyCallOfASeriesGetsTheSameSeriesTokenAndLateLogsCountOnIt() {
    // The pairing store keeps the token with each ended span: one instance per series, not one
    // per call.
    Object first =
        metrics.onEdgeSeries(
            edge(caller(), callee().protocol(ProtocolHint.HTTP).operation("/q"), Transport.HTTP));
    Object second =
        metrics.onEdgeSeries(
            edge(caller(), callee().protocol(ProtocolHint.HTTP).operation("/q"), Transport.HTTP));
    assertSame(first, second);
    metrics.onLateErrorLogs(second, Side.CALLEE, 2);
    Tags t = goToRust("http", "/q");
    assertEquals(2.0, counter(BOUNDARY_CALLS, t).count());
    assertEquals(2.0, counter(BOUNDARY_ERROR_LOGS, t.and("side", "callee")).count());
  }

  @Test
  void negativeOverheadIsClampedToZeroAndCounted() {
    metrics.onEdge(
        edge(
            caller().duration(7 * MS),
            callee().operation("Quote").duration(10 * MS),
            Transport.GRPC));
    Tags t = goToRust("grpc", "Quote");
    Hist overhead = timer(BOUNDARY_OVERHEAD, t);
    assertEquals(1, overhead.count());
    assertNanos(0, overhead);
    assertEquals(1.0, counter(BOUNDARY_NEGATIVE_OVERHEAD, t).count());
    assertNanos(7 * MS, timer(BOUNDARY_CALLER_DURATION, t));
    assertNanos(10 * MS, timer(BOUNDARY_CALLEE_DURATION, t));
  }

  @Test
  void overheadIsNotRecordedForServerToServer() {
    metrics.onEdge(
        edge(
            caller().kind(SpanKind.SERVER).duration(10 * MS),
            callee().operation("/q").duration(7 * MS),
            Transport.HTTP));
    Tags t = goToRust("http", "/q");
    assertEquals(1.0, counter(BOUNDARY_CALLS, t).count());
    Hist overhead = timer(BOUNDARY_OVERHEAD, t);
    assertEquals(0, overhead == null ? 0 : overhead.count());
    assertEquals(0.0, counter(BOUNDARY_NEGATIVE_OVERHEAD, t).count());
  }

  @Test
  void overheadIsRecordedForProducerCallers() {
    metrics.onEdge(
        edge(
            caller().kind(SpanKind.PRODUCER).duration(10 * MS),
            callee().kind(SpanKind.CONSUMER).operation("orders").duration(7 * MS),
            Transport.MESSAGING));
    Hist overhead = timer(BOUNDARY_OVERHEAD, goToRust("messaging", "orders"));
    assertEquals(1, overhead.count());
    assertNanos(3 * MS, overhead);
  }

  @Test
  void overheadIsRecordedForFfiInternalToInternal() {
    metrics.onEdge(
        edge(
            caller().kind(SpanKind.INTERNAL).name("cgo.PriceQuote").duration(10 * MS),
            callee()
                .kind(SpanKind.INTERNAL)
                .origin(RUST_IN_GO_PROCESS)
                .name("pricing_core::quote")
                .duration(7 * MS),
            Transport.FFI));
    // The FFI operation is the callee's span name.
    Tags t = goToRust("ffi", "pricing_core::quote");
    Hist overhead = timer(BOUNDARY_OVERHEAD, t);
    assertEquals(1, overhead.count());
    assertNanos(3 * MS, overhead);
    assertEquals(1.0, counter(BOUNDARY_CALLS, t).count());
  }

  @Test
  void overheadIsNotRecordedForInternalToInternalOverOtherTransport() {
    metrics.onEdge(
        edge(
            caller().kind(SpanKind.INTERNAL).duration(10 * MS),
            callee().kind(SpanKind.INTERNAL).name("handle").duration(7 * MS),
            Transport.OTHER));
    Tags t = goToRust("other", "handle");
    assertEquals(1.0, counter(BOUNDARY_CALLS, t).count());
    Hist overhead = timer(BOUNDARY_OVERHEAD, t);
    assertEquals(0, overhead == null ? 0 : overhead.count());
  }

  // --- errors ---

  @Test
  void bothFailedTakesTheCalleesClass() {
    metrics.onEdge(
        edge(
            caller().failed("deadline_exceeded"),
            callee().operation("/q").failed("unavailable"),
            Transport.HTTP));
    Tags t = goToRust("http", "/q").and("error_side", "both", "error_class", "unavailable");
    assertEquals(1.0, counter(BOUNDARY_ERRORS, t).count());
    assertEquals(1, registry.find(BOUNDARY_ERRORS).counters().size());
  }

  @Test
  void callerOnlyFailureIsTheCallersClass() {
    metrics.onEdge(
        edge(caller().failed("deadline_exceeded"), callee().operation("/q"), Transport.HTTP));
    Tags t = goToRust("http", "/q").and("error_side", "caller", "error_class", "deadline_exceeded");
    assertEquals(1.0, counter(BOUNDARY_ERRORS, t).count());
    assertEquals(1, registry.find(BOUNDARY_ERRORS).counters().size());
  }

  @Test
  void calleeOnlyFailureIsTheCalleesClass() {
    metrics.onEdge(edge(caller(), callee().operation("/q").failed("internal"), Transport.HTTP));
    assertEquals(
        1.0,
        counter(
                BOUNDARY_ERRORS,
                goToRust("http", "/q").and("error_side", "callee", "error_class", "internal"))
            .count());
  }

  @Test
  void calleeFailedWithoutSayingWhyTakesTheCallersClass() {
    metrics.onEdge(
        edge(
            caller().failed("deadline_exceeded"),
            callee().operation("/q").failed("unknown"),
            Transport.HTTP));
    assertEquals(
        1.0,
        counter(
                BOUNDARY_ERRORS,
                goToRust("http", "/q")
                    .and("error_side", "both", "error_class", "deadline_exceeded"))
            .count());
  }

  @Test
  void noFailureNoErrorSeries() {
    metrics.onEdge(edge(caller(), callee().operation("/q"), Transport.HTTP));
    assertNull(registry.find(BOUNDARY_ERRORS).counter());
  }

  // --- bytes ---

  @Test
  void payloadHistogramsOnlyWhenKnown() {
    metrics.onEdge(edge(caller(), callee().operation("/q"), Transport.HTTP));
    assertEquals(List.of(), dataPoints("seam_boundary_request_bytes"));
    assertEquals(List.of(), dataPoints("seam_boundary_response_bytes"));
    assertEquals(List.of(), dataPoints("seam_boundary_callee_allocated_bytes"));
    assertNull(registry.find("seam_boundary_request_bytes_max").gauge());
  }

  @Test
  void payloadBytesPreferTheCallersValue() {
    metrics.onEdge(
        edge(
            caller().request(100),
            callee().operation("/q").request(200).response(5_000),
            Transport.HTTP));
    metrics.onEdge(
        edge(caller().request(300).response(7), callee().operation("/q"), Transport.HTTP));
    Tags t = goToRust("http", "/q");
    Hist request = summary(BOUNDARY_REQUEST_BYTES, t);
    assertEquals(2, request.count());
    assertEquals(400.0, request.sum());
    Hist response = summary(BOUNDARY_RESPONSE_BYTES, t);
    assertEquals(2, response.count());
    assertEquals(5_007.0, response.sum());
  }

  @Test
  void zeroBytesIsKnown() {
    metrics.onEdge(edge(caller().request(0), callee().operation("/q"), Transport.HTTP));
    Hist request = summary(BOUNDARY_REQUEST_BYTES, goToRust("http", "/q"));
    assertEquals(1, request.count());
    assertEquals(0.0, request.sum());
  }

  @Test
  void allocatedBytesComeFromTheCallee() {
    metrics.onEdge(
        edge(caller().allocated(999), callee().operation("/q").allocated(4_096), Transport.HTTP));
    metrics.onEdge(edge(caller().allocated(999), callee().operation("/q"), Transport.HTTP));
    Hist allocated = summary(BOUNDARY_CALLEE_ALLOCATED_BYTES, goToRust("http", "/q"));
    assertEquals(1, allocated.count());
    assertEquals(4_096.0, allocated.sum());
  }

  // --- the operation label ---

  @Test
  void operationsPastTheCapAreOther() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BoundaryMetrics capped =
        new BoundaryMetrics(
            registry,
            new ExemplarContext(),
            MeasureSettings.defaults(BUCKETS).withOperations(true, 2));
    capped.onEdge(edge(caller(), callee().operation("/a"), Transport.HTTP));
    capped.onEdge(edge(caller(), callee().operation("/b"), Transport.HTTP));
    capped.onEdge(edge(caller(), callee().operation("/c"), Transport.HTTP));
    capped.onEdge(edge(caller(), callee().operation("/d"), Transport.HTTP));
    capped.onEdge(edge(caller(), callee().operation("/a"), Transport.HTTP));
    assertEquals(2.0, counter(BOUNDARY_CALLS, goToRust("http", "/a")).count());
    assertEquals(1.0, counter(BOUNDARY_CALLS, goToRust("http", "/b")).count());
    assertEquals(2.0, counter(BOUNDARY_CALLS, goToRust("http", "other")).count());
    assertNull(counter(BOUNDARY_CALLS, goToRust("http", "/c")));
    assertEquals(3, registry.find(BOUNDARY_CALLS).counters().size());
  }

  @Test
  void theCapIsPerBoundary() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BoundaryMetrics capped =
        new BoundaryMetrics(
            registry,
            new ExemplarContext(),
            MeasureSettings.defaults(BUCKETS).withOperations(true, 1));
    capped.onEdge(edge(caller(), callee().operation("/a"), Transport.HTTP));
    capped.onEdge(edge(caller(), callee().operation("/b"), Transport.HTTP));
    capped.onEdge(edge(caller(), callee().operation("/b"), Transport.GRPC));
    assertEquals(1.0, counter(BOUNDARY_CALLS, goToRust("http", "/a")).count());
    assertEquals(1.0, counter(BOUNDARY_CALLS, goToRust("http", "other")).count());
    assertEquals(1.0, counter(BOUNDARY_CALLS, goToRust("grpc", "/b")).count());
  }

  @Test
  void operationDisabledIsEmpty() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BoundaryMetrics off =
        new BoundaryMetrics(
            registry,
            new ExemplarContext(),
            MeasureSettings.defaults(BUCKETS).withOperations(false, 50));
    off.onEdge(edge(caller(), callee().operation("/a"), Transport.HTTP));
    off.onEdge(edge(caller(), callee().operation("/b"), Transport.HTTP));
    assertEquals(2.0, counter(BOUNDARY_CALLS, goToRust("http", "")).count());
    assertEquals(1, registry.find(BOUNDARY_CALLS).counters().size());
  }

  @Test
  void operationFallsBackToTheCallersThenUnknown() {
    metrics.onEdge(edge(caller().operation("pricing.v1.Pricing/Quote"), callee(), Transport.GRPC));
    assertEquals(
        1.0, counter(BOUNDARY_CALLS, goToRust("grpc", "pricing.v1.Pricing/Quote")).count());
    metrics.onEdge(edge(caller(), callee(), Transport.HTTP));
    assertEquals(1.0, counter(BOUNDARY_CALLS, goToRust("http", "unknown")).count());
  }

  // --- unpaired, error logs, outcomes ---

  @Test
  void unpairedCallerIsNamedByItsPeerHint() {
    Span client =
        caller()
            .protocol(ProtocolHint.GRPC)
            .operation("pricing.v1.Pricing/Quote")
            .peer("pricing-core")
            .build();
    metrics.onUnpaired(client, Side.CALLER);
    metrics.onUnpaired(client, Side.CALLER);
    Tags t =
        Tags.of(
            "caller_service",
            "checkout",
            "caller_language",
            "go",
            "callee_service",
            "pricing-core",
            "callee_language",
            "unknown",
            "transport",
            "grpc",
            "operation",
            "pricing.v1.Pricing/Quote",
            "side",
            "caller");
    assertEquals(2.0, counter(BOUNDARY_UNPAIRED, t).count());
    assertEquals(1, registry.find(BOUNDARY_UNPAIRED).counters().size());
  }

  @Test
  void unpairedCallerWithoutPeerOrHintIsUnknownOther() {
    metrics.onUnpaired(caller().build(), Side.CALLER);
    Tags t =
        Tags.of(
            "caller_service",
            "checkout",
            "caller_language",
            "go",
            "callee_service",
            "unknown",
            "callee_language",
            "unknown",
            "transport",
            "other",
            "operation",
            "unknown",
            "side",
            "caller");
    assertEquals(1.0, counter(BOUNDARY_UNPAIRED, t).count());
  }

  @Test
  void unpairedCalleeHasAnUnknownCaller() {
    metrics.onUnpaired(
        callee().protocol(ProtocolHint.HTTP).operation("/quote").build(), Side.CALLEE);
    Tags t =
        Tags.of(
            "caller_service",
            "unknown",
            "caller_language",
            "unknown",
            "callee_service",
            "pricing-core",
            "callee_language",
            "rust",
            "transport",
            "http",
            "operation",
            "/quote",
            "side",
            "callee");
    assertEquals(1.0, counter(BOUNDARY_UNPAIRED, t).count());
  }

  @Test
  void unpairedInternalCalleeIsFfiNamedBySpan() {
    metrics.onUnpaired(
        callee().kind(SpanKind.INTERNAL).name("pricing_core::quote").build(), Side.CALLEE);
    Tags t =
        Tags.of(
            "caller_service",
            "unknown",
            "caller_language",
            "unknown",
            "callee_service",
            "pricing-core",
            "callee_language",
            "rust",
            "transport",
            "ffi",
            "operation",
            "pricing_core::quote",
            "side",
            "callee");
    assertEquals(1.0, counter(BOUNDARY_UNPAIRED, t).count());
  }

  @Test
  void errorLogsAreCountedBySide() {
    Edge e = edge(caller(), callee().operation("/q"), Transport.HTTP);
    metrics.onEdge(e);
    metrics.onErrorLogs(e, Side.CALLER, 3);
    metrics.onErrorLogs(e, Side.CALLEE, 1);
    metrics.onErrorLogs(e, Side.CALLER, 2);
    Tags t = goToRust("http", "/q");
    assertEquals(5.0, counter(BOUNDARY_ERROR_LOGS, t.and("side", "caller")).count());
    assertEquals(1.0, counter(BOUNDARY_ERROR_LOGS, t.and("side", "callee")).count());
  }

  @Test
  void lateErrorLogsCountOnTheSeriesTheEdgeWasCountedIn() {
    Edge e = edge(caller(), callee().operation("/q"), Transport.HTTP);
    Object series = metrics.onEdgeSeries(e);
    metrics.onErrorLogs(e, Side.CALLER, 1);
    metrics.onLateErrorLogs(series, Side.CALLER, 2);
    metrics.onLateErrorLogs(series, Side.CALLEE, 1);
    Tags t = goToRust("http", "/q");
    assertEquals(1.0, counter(BOUNDARY_CALLS, t).count(), "onEdgeSeries counts the call once");
    assertEquals(3.0, counter(BOUNDARY_ERROR_LOGS, t.and("side", "caller")).count());
    assertEquals(1.0, counter(BOUNDARY_ERROR_LOGS, t.and("side", "callee")).count());
  }

  @Test
  void pairingOutcomesAreCounted() {
    metrics.onOutcome(Outcome.PAIRED, 3);
    metrics.onOutcome(Outcome.EXPIRED, 1);
    metrics.onOutcome(Outcome.PAIRED, 2);
    assertEquals(5.0, registry.find(PAIRING_ENTRIES).tag("outcome", "paired").counter().count());
    assertEquals(1.0, registry.find(PAIRING_ENTRIES).tag("outcome", "expired").counter().count());
    assertEquals(0.0, registry.find(PAIRING_ENTRIES).tag("outcome", "evicted").counter().count());
  }

  // --- the exported names ---

  @Test
  void scrapeUsesTheDocumentedNames() {
    Edge e =
        edge(
            caller().request(100).response(200).failed("deadline_exceeded"),
            callee().operation("/q").allocated(64),
            Transport.HTTP);
    metrics.onEdge(e);
    metrics.onErrorLogs(e, Side.CALLEE, 1);
    metrics.onUnpaired(caller().peer("x").build(), Side.CALLER);
    metrics.onOutcome(Outcome.EVICTED, 4);
    String text = registry.scrape();
    for (String name :
        List.of(
            "seam_boundary_calls_total{",
            "seam_boundary_errors_total{",
            "seam_boundary_caller_duration_seconds_bucket{",
            "seam_boundary_callee_duration_seconds_count{",
            "seam_boundary_overhead_seconds_sum{",
            "seam_boundary_negative_overhead_total{",
            "seam_boundary_request_bytes_bucket{",
            "seam_boundary_response_bytes_count{",
            "seam_boundary_callee_allocated_bytes_sum{",
            "seam_boundary_unpaired_total{",
            "seam_boundary_error_logs_total{",
            "seam_pairing_entries_total{outcome=\"evicted\"} 4.0")) {
      assertTrue(text.contains(name), "scrape lacks " + name + ":\n" + text);
    }
    assertNotNull(registry.find(BOUNDARY_CALLS).counter());
  }

  @Test
  void cardinalityCapsSendNewBoundariesAndServicesToOther() {
    PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BoundaryMetrics capped =
        new BoundaryMetrics(
            r, new ExemplarContext(), MeasureSettings.defaults(BUCKETS).withCaps(3, 4));
    // Services: checkout (caller of all) + 3 callees fit the cap of 4; the 4th callee is "other".
    for (int i = 0; i < 5; i++) {
      Origin callee = new Origin("svc-" + i, "rust", "h/" + i, "i");
      capped.onEdge(
          edge(
              caller().protocol(ProtocolHint.HTTP),
              callee().origin(callee).operation("/x"),
              Transport.HTTP));
    }
    assertEquals(1.0, r.get(BOUNDARY_CALLS).tags("callee_service", "svc-0").counter().count());
    assertEquals(1.0, r.get(BOUNDARY_CALLS).tags("callee_service", "svc-2").counter().count());
    assertEquals(0, r.find(BOUNDARY_CALLS).tags("callee_service", "svc-3").counters().size());
    // svc-3 and svc-4 became "other" (service cap); that boundary would be a 4th series: the
    // boundary cap of 3 folds both observations into the all-"other" series of their transport.
    assertEquals(2.0, r.get(CARDINALITY_OVERFLOW).tags("reason", "max_services").counter().count());
    assertEquals(
        2.0, r.get(CARDINALITY_OVERFLOW).tags("reason", "max_boundaries").counter().count());
    assertEquals(
        2.0,
        r.get(BOUNDARY_CALLS)
            .tags("caller_service", "other", "callee_service", "other", "transport", "http")
            .counter()
            .count());
    assertEquals(4, r.find(BOUNDARY_CALLS).counters().size());
  }

  // --- idle series ---

  private static final long TTL = 60_000 * MS;

  @Test
  void idleBoundariesAreRemovedAndComeBackFromZero() {
    AtomicLong now = new AtomicLong();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BoundaryMetrics timed =
        new BoundaryMetrics(
            registry,
            new ExemplarContext(),
            MeasureSettings.defaults(BUCKETS).withNanoClock(now::get));
    Edge e =
        edge(caller().request(10), callee().operation("/q").failed("internal"), Transport.HTTP);
    timed.onEdge(e);
    timed.onErrorLogs(e, Side.CALLEE, 1);
    now.addAndGet(TTL);
    assertEquals(0, timed.expireIdle(TTL), "idle for exactly the ttl is not yet idle");
    now.addAndGet(1);
    assertEquals(1, timed.expireIdle(TTL));
    assertEquals(
        0,
        registry.getMeters().stream()
            .filter(
                m ->
                    m.getId().getName().startsWith("seam.boundary.")
                        || m.getId().getName().startsWith("seam_boundary_"))
            .count());
    for (String family :
        List.of(
            "seam_boundary_caller_duration_seconds",
            "seam_boundary_callee_duration_seconds",
            "seam_boundary_overhead_seconds",
            "seam_boundary_request_bytes")) {
      assertEquals(List.of(), dataPoints(family), family);
    }
    timed.onEdge(e);
    assertEquals(1.0, counter(BOUNDARY_CALLS, goToRust("http", "/q")).count());
    assertEquals(1, summary(BOUNDARY_REQUEST_BYTES, goToRust("http", "/q")).count());
  }

  @Test
  void anIdleUnpairedCounterLeavesTheCallsOfItsBoundaryAlone() {
    AtomicLong now = new AtomicLong();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BoundaryMetrics timed =
        new BoundaryMetrics(
            registry,
            new ExemplarContext(),
            MeasureSettings.defaults(BUCKETS).withNanoClock(now::get));
    S client = caller().protocol(ProtocolHint.HTTP);
    S server = callee().protocol(ProtocolHint.HTTP).operation("/q");
    // One call lost its context long ago; calls on the same boundary keep coming.
    timed.onContextBroken(client.build(), server.build());
    now.addAndGet(TTL / 2);
    timed.onEdge(edge(client, server, Transport.HTTP));
    now.addAndGet(TTL / 2 + 1);
    assertEquals(1, timed.expireIdle(TTL));
    Tags t = goToRust("http", "/q");
    assertNull(registry.find(BOUNDARY_UNPAIRED).counter());
    timed.onEdge(edge(client, server, Transport.HTTP));
    assertEquals(2.0, counter(BOUNDARY_CALLS, t).count(), "the live series stays exported");
    assertEquals(1.0, counter(BOUNDARY_CONTEXT_BROKEN, t).count());
  }

  @Test
  void anUnpairedCounterStillCountingOutlivesTheIdleCallsOfItsBoundary() {
    AtomicLong now = new AtomicLong();
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BoundaryMetrics timed =
        new BoundaryMetrics(
            registry,
            new ExemplarContext(),
            MeasureSettings.defaults(BUCKETS).withNanoClock(now::get));
    S client = caller().protocol(ProtocolHint.HTTP);
    S server = callee().protocol(ProtocolHint.HTTP).operation("/q");
    timed.onEdge(edge(client, server, Transport.HTTP));
    now.addAndGet(TTL / 2);
    timed.onContextBroken(client.build(), server.build());
    now.addAndGet(TTL / 2 + 1);
    // The boundary's meters (calls, context broken) were last used with the broken call.
    assertEquals(0, timed.expireIdle(TTL));
    now.addAndGet(TTL / 2);
    assertEquals(2, timed.expireIdle(TTL), "the meters of the label set and its unpaired counter");
    timed.onContextBroken(client.build(), server.build());
    Tags t = goToRust("http", "/q");
    assertEquals(
        1.0,
        counter(BOUNDARY_UNPAIRED, t.and("side", "caller", "reason", "context_broken")).count());
    assertEquals(0.0, counter(BOUNDARY_CALLS, t).count(), "back from zero");
  }

  @Test
  void servicesOfExpiredSeriesCountAfreshAgainstTheCap() {
    AtomicLong now = new AtomicLong();
    PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BoundaryMetrics capped =
        new BoundaryMetrics(
            r,
            new ExemplarContext(),
            MeasureSettings.defaults(BUCKETS).withCaps(10, 2).withNanoClock(now::get));
    capped.onEdge(edge(caller(), callee().operation("/q"), Transport.HTTP));
    Origin billing = new Origin("billing", "rust", "node-3/300", "node-3/300");
    capped.onEdge(edge(caller(), callee().origin(billing).operation("/q"), Transport.HTTP));
    assertEquals(1.0, r.get(BOUNDARY_CALLS).tags("callee_service", "other").counter().count());
    assertEquals(1.0, r.get(CARDINALITY_OVERFLOW).tags("reason", "max_services").counter().count());
    now.addAndGet(TTL + 1);
    assertEquals(2, capped.expireIdle(TTL));
    capped.onEdge(edge(caller(), callee().origin(billing).operation("/q"), Transport.HTTP));
    assertEquals(1.0, r.get(BOUNDARY_CALLS).tags("callee_service", "billing").counter().count());
    assertEquals(1, r.find(BOUNDARY_CALLS).counters().size());
  }

  @Test
  void settingsRefuseCapsBelowOne() {
    MeasureSettings d = MeasureSettings.defaults(BUCKETS);
    assertThrows(IllegalArgumentException.class, () -> d.withOperations(true, 0));
    assertThrows(IllegalArgumentException.class, () -> d.withCaps(0, 10));
    assertThrows(IllegalArgumentException.class, () -> d.withCaps(10, 0));
    assertThrows(NullPointerException.class, () -> d.withNanoClock(null));
  }
}
