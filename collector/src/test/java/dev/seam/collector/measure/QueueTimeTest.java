package dev.seam.collector.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.model.Transport;
import dev.seam.collector.pair.Edge;
import dev.seam.collector.testing.Scrape;
import dev.seam.collector.testing.Spans;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code seam_boundary_queue_seconds}: producer end to consumer start, clocks corrected. */
class QueueTimeTest {

  private static final long MS = 1_000_000L;
  private static final long T0 = 1_767_225_600_000_000_000L;
  private static final String QUEUE = "seam_boundary_queue_seconds";

  private static final Origin CHECKOUT = new Origin("checkout", "go", "node-a/5151", "node-a");
  private static final Origin LEDGER = new Origin("ledger", "rust", "node-d/31", "node-d");
  private static final Origin LEDGER_IN_CHECKOUT =
      new Origin("ledger", "rust", "node-a/5151", "node-a");

  private static final String[] MESSAGING =
      Scrape.with(
          new String[0],
          "caller_service",
          "checkout",
          "callee_service",
          "ledger",
          "transport",
          "messaging");

  private PrometheusMeterRegistry registry;
  private BoundaryMetrics metrics;

  @BeforeEach
  void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Buckets buckets =
        new Buckets(
            List.of(Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100)),
            List.of(Duration.ofNanos(1_000), Duration.ofMillis(1)),
            List.of(64L, 1024L));
    metrics =
        new BoundaryMetrics(registry, new ExemplarContext(), MeasureSettings.defaults(buckets));
  }

  private static Span span(
      Origin origin, SpanKind kind, ProtocolHint protocol, long start, long end, long id) {
    return Spans.builder()
        .traceIdLow(id)
        .spanId(id)
        .parentSpanId(kind.isOutgoing() ? 0 : id - 1)
        .parentLink(kind.isOutgoing() ? ParentLink.NONE : ParentLink.REMOTE)
        .kind(kind)
        .origin(origin)
        .name("op")
        .startNanos(start)
        .endNanos(end)
        .protocol(protocol)
        .operation(protocol == ProtocolHint.MESSAGING ? "orders" : "ledger.v1.Ledger/Post")
        .build();
  }

  /** A Kafka message: produced over [start, end] by checkout, consumed from consumerStart. */
  private void message(Origin consumer, long producerStart, long producerEnd, long consumerStart) {
    Span p =
        span(CHECKOUT, SpanKind.PRODUCER, ProtocolHint.MESSAGING, producerStart, producerEnd, 10);
    Span c =
        span(
            consumer,
            SpanKind.CONSUMER,
            ProtocolHint.MESSAGING,
            consumerStart,
            consumerStart + MS,
            11);
    metrics.onEdge(new Edge(p, c, Transport.MESSAGING));
  }

  /** A gRPC call between two services; the callee starts {@code calleeStartIn} after the caller. */
  private void grpc(Origin caller, Origin callee, long calleeStartIn) {
    Span c = span(caller, SpanKind.CLIENT, ProtocolHint.GRPC, T0, T0 + 10 * MS, 20);
    Span s =
        span(
            callee,
            SpanKind.SERVER,
            ProtocolHint.GRPC,
            T0 + calleeStartIn,
            T0 + calleeStartIn + 6 * MS,
            21);
    metrics.onEdge(new Edge(c, s, Transport.GRPC));
  }

  private Scrape scrape() {
    return new Scrape(registry.scrape());
  }

  @Test
  void queueTimeIsConsumerStartMinusProducerEnd() {
    message(LEDGER, T0, T0 + 2 * MS, T0 + 7 * MS);
    message(LEDGER, T0, T0 + MS, T0 + 3_500_000);

    Scrape s = scrape();
    assertEquals(2, s.value(QUEUE + "_count", MESSAGING));
    assertEquals(0.0075, s.value(QUEUE + "_sum", MESSAGING), 1e-12);
    assertEquals(0.005, s.value(QUEUE + "_max", MESSAGING), 1e-12);
    assertEquals(0, s.value(QUEUE + "_bucket", Scrape.with(MESSAGING, "le", "0.001")));
    assertEquals(2, s.value(QUEUE + "_bucket", Scrape.with(MESSAGING, "le", "0.01")));
  }

  @Test
  void theConsumersClockIsCorrectedByTheCallsBetweenTheSameTwoServices() {
    // gRPC checkout -> ledger: overhead 4 ms, callee starts 6 ms in by ledger's clock: ledger is
    // 6 - 4 / 2 = 4 ms ahead.
    grpc(CHECKOUT, LEDGER, 6 * MS);
    // 7 ms on ledger's clock is 3 ms on checkout's: 1 ms after the producer ended.
    message(LEDGER, T0, T0 + 2 * MS, T0 + 7 * MS);

    assertEquals(0.001, scrape().value(QUEUE + "_sum", MESSAGING), 1e-12);
  }

  @Test
  void aCallTheOtherWayCorrectsWithTheOppositeSign() {
    // gRPC ledger -> checkout, checkout's server span starts 1 ms in by checkout's clock with an
    // overhead of 4 ms: checkout is 1 - 2 = -1 ms ahead, so ledger is 1 ms ahead of checkout.
    grpc(LEDGER, CHECKOUT, MS);
    message(LEDGER, T0, T0 + 2 * MS, T0 + 7 * MS);

    assertEquals(0.004, scrape().value(QUEUE + "_sum", MESSAGING), 1e-12);
  }

  @Test
  void aNegativeWaitIsRecordedAsZero() {
    // The producer span ended on a slow acknowledgement, after the consumer had started.
    message(LEDGER, T0, T0 + 10 * MS, T0 + 8 * MS);

    Scrape s = scrape();
    assertEquals(1, s.value(QUEUE + "_count", MESSAGING));
    assertEquals(0, s.value(QUEUE + "_sum", MESSAGING));
  }

  @Test
  void oneProcessHasOneClockWhateverOtherCallsSay() {
    grpc(CHECKOUT, LEDGER, 6 * MS);
    message(LEDGER_IN_CHECKOUT, T0, T0 + 2 * MS, T0 + 7 * MS);

    assertEquals(0.005, scrape().value(QUEUE + "_sum", MESSAGING), 1e-12);
  }

  @Test
  void messagingCallsDoNotMoveTheCorrection() {
    // A consumer inside its producer's span (overhead 9 ms, sample 8 - 4.5 = 3.5 ms) says nothing
    // about the clocks: the next message is not corrected by it.
    Span p = span(CHECKOUT, SpanKind.PRODUCER, ProtocolHint.MESSAGING, T0, T0 + 10 * MS, 10);
    Span c = span(LEDGER, SpanKind.CONSUMER, ProtocolHint.MESSAGING, T0 + 8 * MS, T0 + 9 * MS, 11);
    metrics.onEdge(new Edge(p, c, Transport.MESSAGING));
    message(LEDGER, T0, T0 + 2 * MS, T0 + 7 * MS);

    assertEquals(0.005, scrape().value(QUEUE + "_sum", MESSAGING), 1e-12);
  }

  @Test
  void otherTransportsHaveNoQueueTime() {
    grpc(CHECKOUT, LEDGER, 6 * MS);

    assertTrue(scrape().find(QUEUE + "_count").isEmpty());
  }
}
