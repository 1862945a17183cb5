package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.testing.Spans;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The bounds and layout of the store's ring ({@link SpanArena}): growth while wrapped, many laps
 * with expiry in between, deletion from crowded index runs, the tick epoch moving, and spans and
 * edges rebuilt from the ring. Every check is on what the listener and {@link
 * PairingStore#pending()} show.
 *
 * <p>Longer than most test classes: the ring cases (growth, wrap, eviction, rebase) share the same
 * store fixture.
 */
class PairingStoreRingTest {

  private static final long WINDOW = 1_000_000L;
  private static final long TRACE_HIGH = 0x4bf92f3577b34da6L;

  /** The multiplier SpanArena's hash applies to the trace id's low half (see collidingKeys). */
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private static final Origin GO = new Origin("checkout", "go", "node-1/100", "node-1/100");
  private static final Origin RUST = new Origin("pricing-core", "rust", "node-2/200", "node-2/200");

  private final AtomicLong clock = new AtomicLong();
  private final RecordingListener listener = new RecordingListener();

  private PairingStore store(long window, int maxEntries) {
    return new PairingStore(window, maxEntries, 1, listener, clock::get);
  }

  private static Span client(long traceLow, long id) {
    return Spans.builder()
        .traceIdHigh(TRACE_HIGH)
        .traceIdLow(traceLow)
        .spanId(id)
        .kind(SpanKind.CLIENT)
        .origin(GO)
        .name("GET /items")
        .startNanos(1_000L * id)
        .endNanos(1_000L * id + 500L)
        .protocol(ProtocolHint.HTTP)
        .operation("/items")
        .peer("pricing")
        .build();
  }

  private static Span server(long traceLow, long id, long parent) {
    return Spans.builder()
        .traceIdHigh(TRACE_HIGH)
        .traceIdLow(traceLow)
        .spanId(id)
        .parentSpanId(parent)
        .parentLink(ParentLink.REMOTE)
        .kind(SpanKind.SERVER)
        .origin(RUST)
        .name("GET /items")
        .startNanos(1_000L * id + 10L)
        .endNanos(1_000L * id + 400L)
        .protocol(ProtocolHint.HTTP)
        .operation("/items")
        .build();
  }

  private static long calleeSpanId(Edge e) {
    return e.callee().spanId();
  }

  @Test
  void ringGrowsWhileWrappedAndKeepsHeldSpansAndWaitsFindable() {
    // The ring starts at 256 positions. Move its head, wrap it, then make it grow while wrapped:
    // every held span, waiting chain and edge must survive the renumbering.
    PairingStore store = store(WINDOW, 100_000);
    for (long t = 1; t <= 200; t++) {
      assertTrue(store.offerSpan(client(t, 1), false));
    }
    clock.set(WINDOW / 2);
    for (long t = 201; t <= 240; t++) {
      assertTrue(store.offerSpan(server(t, 2, 1), false)); // waits for parent 1 of trace t
    }
    clock.set(WINDOW);
    store.expire(); // the first 200 leave: the head is now far into the ring
    assertEquals(200, listener.outcome(Outcome.EXPIRED));
    assertEquals(80, store.pending(), "40 children, each held and waiting");

    for (long t = 1_001; t <= 1_600; t++) {
      assertTrue(store.offerSpan(client(t, 1), false)); // wraps past position 255, then grows twice
    }
    assertEquals(680, store.pending());

    // Everything held is still found: duplicates are refused ...
    for (long t = 1_001; t <= 1_600; t++) {
      assertFalse(store.offerSpan(client(t, 1), false), "trace " + t);
    }
    for (long t = 201; t <= 240; t++) {
      assertFalse(store.offerSpan(server(t, 2, 1), false), "trace " + t);
    }
    // ... the waits made before the growth end when their parents come after it ...
    for (long t = 201; t <= 240; t++) {
      assertTrue(store.offerSpan(client(t, 1), false));
    }
    assertEquals(40, listener.edges().size());
    for (int i = 0; i < 40; i++) {
      assertEquals(server(201 + i, 2, 1), listener.edges().get(i).callee());
      assertEquals(client(201 + i, 1), listener.edges().get(i).caller());
    }
    // ... and the spans held across the growth pair as parents.
    for (long t = 1_001; t <= 1_600; t++) {
      store.offerSpan(server(t, 2, 1), false);
    }
    assertEquals(640, listener.edges().size());
    assertEquals(client(1_600, 1), listener.edges().get(639).caller());

    store.expireAll();
    assertEquals(0, store.pending());
    assertEquals(200 + 2 * 40 + 600 + 40 + 600, listener.outcomeTotal(), "every entry ended once");
  }

  @Test
  void boundedRingRunsManyLapsWithExpiryInBetween() {
    // A bound of 100 entries caps the ring at 101 positions; 50 laps of it, with expiry and
    // eviction taking the oldest, leave exactly the newest spans held and findable.
    PairingStore store = store(WINDOW, 100);
    long offered = 0;
    for (long t = 1; t <= 5_000; t++) {
      clock.addAndGet(WINDOW / 70); // about 70 spans per window: some laps expire, some evict
      assertTrue(store.offerSpan(client(t, 1), false));
      offered++;
      if (t % 7 == 0) {
        store.expire();
      }
      assertTrue(store.pending() <= 100);
    }
    long held = store.pending();
    assertEquals(offered - held, listener.outcomeTotal());
    assertTrue(listener.outcome(Outcome.EXPIRED) > 0 && listener.outcome(Outcome.EVICTED) == 0);
    for (long t = 5_000 - held + 1; t <= 5_000; t++) {
      assertFalse(store.offerSpan(client(t, 1), false), "the newest are held: " + t);
    }
    assertTrue(store.offerSpan(client(5_000 - held, 1), false), "the one before them is not");

    PairingStore small = store(WINDOW, 10);
    for (long t = 1; t <= 1_000; t++) {
      small.offerSpan(client(t, 1), false);
    }
    for (long t = 991; t <= 1_000; t++) {
      assertFalse(small.offerSpan(client(t, 1), false));
    }
    assertTrue(small.offerSpan(client(990, 1), false), "evicted oldest first");
  }

  @Test
  void deletionKeepsKeysOfOneTraceReachable() {
    // Thousands of spans of one trace crowd one index; entries leave from all over its probe
    // runs (expiry takes the oldest, whose slots are anywhere) and the rest must stay findable.
    PairingStore store = store(WINDOW, 100_000);
    long trace = 42;
    for (long id = 1; id <= 4_000; id++) {
      clock.set(id * (WINDOW / 4_000));
      assertTrue(store.offerSpan(client(trace, id), false));
    }
    clock.set(WINDOW + 2_000 * (WINDOW / 4_000));
    store.expire(); // ids 1..2000 leave
    assertEquals(2_000, store.pending());
    for (long id = 2_001; id <= 4_000; id++) {
      assertFalse(store.offerSpan(client(trace, id), false), "id " + id);
    }
    for (long id = 2_001; id <= 4_000; id += 3) {
      store.offerSpan(server(trace, 10_000 + id, id), false);
    }
    assertEquals(667, listener.edges().size());
    for (long id = 1; id <= 2_000; id++) {
      assertTrue(
          store.offerSpan(client(trace, id), false), "id " + id + " left and comes back as new");
    }
  }

  /**
   * Keys whose hashes are all equal: SpanArena hashes traceLow * GOLDEN + id, so raising the trace
   * id by one and lowering the span id by GOLDEN keeps it. They share one home slot and a
   * fingerprint, so they form one probe run longer than the distances an entry's bits can tell.
   */
  private static long collidingTrace(int i) {
    return 7_000 + i;
  }

  private static long collidingId(int i) {
    return 0x1234_5678L - i * GOLDEN;
  }

  @Test
  void deletionFromOneLongRunOfCollidingKeys() {
    PairingStore store = store(WINDOW, 100_000);
    int n = 600;
    for (int i = 0; i < n; i++) {
      clock.set(i);
      assertTrue(store.offerSpan(client(collidingTrace(i), collidingId(i)), false));
    }
    for (int i = 0; i < n; i++) {
      assertFalse(store.offerSpan(client(collidingTrace(i), collidingId(i)), false), "held " + i);
    }
    clock.set(WINDOW + 299);
    store.expire(); // the first 300 leave from the front of the run
    assertEquals(300, store.pending());
    for (int i = 300; i < n; i++) {
      assertFalse(store.offerSpan(client(collidingTrace(i), collidingId(i)), false), "held " + i);
    }
    // Children of the colliding spans, whose parent keys collide the same way, wait or pair.
    for (int i = 0; i < n; i++) {
      store.offerSpan(server(collidingTrace(i), 99, collidingId(i)), false);
    }
    assertEquals(300, listener.edges().size(), "the 300 held parents");
    assertEquals(
        300 + 300 * 2 + 300,
        store.pending(),
        "300 parents, 300 waiting children, 300 paired children");
    for (int i = 0; i < 300; i++) {
      assertTrue(store.offerSpan(client(collidingTrace(i), collidingId(i)), false), "left: " + i);
    }
    assertEquals(600, listener.edges().size(), "the waits found their parents in the crowded run");
    store.expireAll();
    assertEquals(0, store.pending());
  }

  @Test
  void manyChildrenWaitForOneParentAndTheOldestLeaveFirst() {
    PairingStore store = store(WINDOW, 100_000);
    for (long id = 1; id <= 3_000; id++) {
      clock.set(id * 100);
      store.offerSpan(server(5, 1_000 + id, 1), false);
    }
    clock.set(WINDOW + 1_000 * 100);
    store.expire(); // the first 1000 children leave, waits included
    assertEquals(1_000, listener.unpaired().size());
    assertEquals(
        new RecordingListener.Unpaired(server(5, 1_001, 1), Side.CALLEE),
        listener.unpaired().get(0));
    assertEquals(4_000, store.pending());
    store.offerSpan(client(5, 1), false);
    List<Edge> edges = listener.edges();
    assertEquals(2_000, edges.size());
    for (int i = 0; i < 2_000; i++) {
      assertEquals(1_000 + 1_001 + i, calleeSpanId(edges.get(i)), "in the order they came");
    }
    assertEquals(2_000, listener.outcome(Outcome.PAIRED));
  }

  @Test
  void windowIsExactAcrossTheTickEpochMoving() {
    // With a 1 ms window ticks are nanoseconds, and the epoch moves once they pass 2^30.
    PairingStore store = store(WINDOW, 1_000);
    long[] arrivals = new long[50];
    for (int i = 0; i < arrivals.length; i++) {
      arrivals[i] = (1L << 30) - 25 * (WINDOW / 100) + i * (WINDOW / 100);
      clock.set(arrivals[i]);
      store.offerSpan(client(i + 1, 1), false);
      store.expire();
    }
    assertEquals(50, store.pending());
    for (int i = 0; i < arrivals.length; i++) {
      clock.set(arrivals[i] + WINDOW - 1);
      store.expire();
      assertEquals(i, listener.outcome(Outcome.EXPIRED), "not before its window: " + i);
      clock.set(arrivals[i] + WINDOW);
      store.expire();
      assertEquals(i + 1, listener.outcome(Outcome.EXPIRED), "exactly at its window: " + i);
    }
    // A long silence, many epochs' worth, then one span: the old one leaves, the new one waits
    // its whole window.
    store.offerSpan(client(500, 1), false);
    clock.addAndGet(10_000_000_000L);
    store.offerSpan(client(501, 1), false);
    clock.addAndGet(WINDOW - 1);
    store.expire();
    assertEquals(1, store.pending());
    clock.addAndGet(1);
    store.expire();
    assertEquals(0, store.pending());
  }

  @Test
  void longWindowsAreJudgedToWithinOneTick() {
    long window = 15_000_000_000L; // ticks of 64 ns
    PairingStore store = store(window, 1_000);
    clock.set(123_456_789L);
    store.offerSpan(client(1, 1), false);
    clock.addAndGet(window - 64);
    store.expire();
    assertEquals(1, store.pending());
    clock.addAndGet(64);
    store.expire();
    assertEquals(0, store.pending());
  }

  @Test
  void errorLogsAfterTheOlderHalfLeftCountAgainstAnEqualEdge() {
    PairingStore store = store(WINDOW, 1_000);
    store.offerSpan(client(1, 10), false); // trace 1: the parent first
    clock.set(WINDOW / 4);
    store.offerSpan(server(2, 20, 10), false); // trace 2: the child first, waiting
    clock.set(WINDOW / 2);
    store.offerSpan(server(1, 20, 10), false);
    clock.set(3 * WINDOW / 4);
    store.offerSpan(client(2, 10), false);
    Edge parentFirst = listener.edges().get(0);
    Edge childFirst = listener.edges().get(1);

    clock.set(WINDOW);
    store.expire(); // the parent of trace 1 leaves
    clock.set(WINDOW + WINDOW / 4);
    store.expire(); // the child of trace 2 leaves
    assertEquals(2, store.pending(), "the newer halves");

    store.offerErrorLog(TRACE_HIGH, 1, 20);
    store.offerErrorLog(TRACE_HIGH, 2, 10);
    assertEquals(
        List.of(
            new RecordingListener.ErrorLogs(parentFirst, Side.CALLEE, 1),
            new RecordingListener.ErrorLogs(childFirst, Side.CALLER, 1)),
        listener.errorLogs());
    // A log naming a half that has left waits like any other.
    store.offerErrorLog(TRACE_HIGH, 1, 10);
    assertEquals(3, store.pending());
  }

  @Test
  void rebuiltSpansCarryEveryField() {
    PairingStore store = store(WINDOW, 1_000);
    List<Span> spans = new ArrayList<>();
    spans.add(
        Spans.builder()
            .traceIdHigh(TRACE_HIGH)
            .traceIdLow(1)
            .spanId(10)
            .kind(SpanKind.CLIENT)
            .origin(GO)
            .name("POST /pay")
            .startNanos(5L)
            .endNanos(5L + 10_000_000_000L)
            .failed(true)
            .errorClass("unavailable")
            .protocol(ProtocolHint.GRPC)
            .operation("pay.Pay/Charge")
            .peer("payments")
            .requestBytes(512)
            .responseBytes(2_048)
            .allocatedBytes(4_096)
            .adjustedCount(4.0)
            .answered(false)
            .build());
    spans.add(
        Spans.builder()
            .traceIdHigh(TRACE_HIGH)
            .traceIdLow(2)
            .spanId(10)
            .kind(SpanKind.PRODUCER)
            .origin(GO)
            .name("publish")
            .startNanos(Long.MAX_VALUE - 5)
            .endNanos(Long.MIN_VALUE + 5)
            .protocol(ProtocolHint.MESSAGING)
            .adjustedCount(1.0)
            .answered(true)
            .build());
    spans.add(
        Spans.builder()
            .traceIdHigh(TRACE_HIGH)
            .traceIdLow(3)
            .spanId(10)
            .kind(SpanKind.CLIENT)
            .origin(GO)
            .name("GET")
            .startNanos(1_000)
            .endNanos(900)
            .protocol(ProtocolHint.OTHER_RPC)
            .operation("op")
            .peer("peer")
            .adjustedCount(-0.0)
            .build());
    for (Span s : spans) {
      store.offerSpan(s, false);
    }
    // The third becomes a half of an edge first, with its extras moved along.
    Span callee =
        Spans.builder()
            .traceIdHigh(TRACE_HIGH)
            .traceIdLow(3)
            .spanId(11)
            .parentSpanId(10)
            .parentLink(ParentLink.REMOTE)
            .kind(SpanKind.SERVER)
            .origin(RUST)
            .name("GET")
            .startNanos(950)
            .endNanos(960)
            .protocol(ProtocolHint.OTHER_RPC)
            .operation("op")
            .requestBytes(7)
            .build();
    store.offerSpan(callee, false);
    store.offerErrorLog(TRACE_HIGH, 3, 10);
    assertEquals(
        new Edge(spans.get(2), callee, TransportClassifier.classify(spans.get(2), callee)),
        listener.errorLogs().get(0).edge());

    store.expireAll();
    List<Span> reported = new ArrayList<>();
    for (RecordingListener.Unpaired u : listener.unpaired()) {
      reported.add(u.span());
    }
    assertEquals(
        spans.subList(0, 2), reported, "the third was found by its child, so it is not unpaired");
  }
}
