package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.model.Transport;
import dev.seam.collector.testing.Spans;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Longer than most test classes: one case per pairing rule (orders, kinds, waits, logs, eviction),
 * on one store fixture.
 */
class PairingStoreTest {

  private static final long WINDOW = 1_000_000L;
  private static final long TRACE_HIGH = 0x5b8efff798038103L;

  private static final Origin GO = new Origin("checkout", "go", "node-1/100", "node-1/100");
  private static final Origin GO_OTHER_INSTANCE =
      new Origin("checkout", "go", "node-3/300", "node-3/300");
  private static final Origin RUST = new Origin("pricing-core", "rust", "node-2/200", "node-2/200");

  private final AtomicLong clock = new AtomicLong(0);
  private RecordingListener listener;
  private PairingStore store;

  @BeforeEach
  void setUp() {
    listener = new RecordingListener();
    store = new PairingStore(WINDOW, 10_000, 1, listener, clock::get);
  }

  private static Span span(
      long trace,
      long id,
      long parent,
      ParentLink link,
      SpanKind kind,
      Origin origin,
      ProtocolHint hint) {
    return Spans.builder()
        .traceIdHigh(TRACE_HIGH)
        .traceIdLow(trace)
        .spanId(id)
        .parentSpanId(parent)
        .parentLink(link)
        .kind(kind)
        .origin(origin)
        .name("span-" + id)
        .startNanos(1_000L * id)
        .endNanos(1_000L * id + 500L)
        .protocol(hint)
        .build();
  }

  private static Span root(long trace, long id, SpanKind kind, Origin origin) {
    return span(trace, id, 0L, ParentLink.NONE, kind, origin, ProtocolHint.NONE);
  }

  private static Span child(
      long trace, long id, long parent, ParentLink link, SpanKind kind, Origin origin) {
    return span(trace, id, parent, link, kind, origin, ProtocolHint.NONE);
  }

  private void expireAt(long nanos) {
    clock.set(nanos);
    store.expire();
  }

  // --- pairing in either order ---

  @Test
  void parentThenRemoteChildGivesOneEdge() {
    Span parent = span(1, 10, 0, ParentLink.NONE, SpanKind.CLIENT, GO, ProtocolHint.GRPC);
    Span child = span(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST, ProtocolHint.GRPC);
    assertTrue(store.offerSpan(parent, false));
    assertTrue(store.offerSpan(child, false));

    List<Edge> edges = listener.edges();
    assertEquals(1, edges.size());
    assertEquals(parent, edges.get(0).caller());
    assertEquals(child, edges.get(0).callee());
    assertEquals(Transport.GRPC, edges.get(0).transport());
    assertEquals(2, store.pending());

    expireAt(WINDOW);
    assertEquals(0, store.pending());
    // The parent, which found its child, ends paired; the child's own candidate-parent entry
    // expires.
    assertEquals(1, listener.outcome(Outcome.PAIRED));
    assertEquals(1, listener.outcome(Outcome.EXPIRED));
    assertEquals(0, listener.outcome(Outcome.EVICTED));
    assertEquals(List.of(), listener.unpaired());
  }

  @Test
  void childThenParentGivesOneEdge() {
    Span parent = root(1, 10, SpanKind.CLIENT, GO);
    Span child = child(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST);
    assertTrue(store.offerSpan(child, false));
    assertEquals(List.of(), listener.edges());
    assertEquals(
        2, store.pending(), "the child is held as a candidate parent and waits for its own parent");

    clock.set(5);
    assertTrue(store.offerSpan(parent, false));
    List<Edge> edges = listener.edges();
    assertEquals(1, edges.size());
    assertEquals(parent, edges.get(0).caller());
    assertEquals(child, edges.get(0).callee());
    assertEquals(Transport.OTHER, edges.get(0).transport());
    // The child's wait ended as soon as the parent arrived.
    assertEquals(1, listener.outcome(Outcome.PAIRED));
    assertEquals(2, store.pending());

    expireAt(WINDOW);
    assertEquals(1, store.pending(), "the parent arrived 5ns later and is still in its window");
    assertEquals(1, listener.outcome(Outcome.EXPIRED));

    expireAt(WINDOW + 5);
    assertEquals(0, store.pending());
    assertEquals(
        2,
        listener.outcome(Outcome.PAIRED),
        "the candidate parent that found its child counts as paired");
    assertEquals(1, listener.outcome(Outcome.EXPIRED));
    assertEquals(0, listener.outcome(Outcome.EVICTED));
    assertEquals(List.of(), listener.unpaired());
  }

  @Test
  void ffiInternalToInternalPairs() {
    Origin goProc = new Origin("checkout", "go", "node-1/100", "a");
    Origin rustProc = new Origin("pricing-core", "rust", "node-1/100", "b");
    Span parent = root(1, 10, SpanKind.INTERNAL, goProc);
    Span child = child(1, 20, 10, ParentLink.REMOTE, SpanKind.INTERNAL, rustProc);
    store.offerSpan(child, false);
    store.offerSpan(parent, false);
    assertEquals(1, listener.edges().size());
    assertEquals(Transport.FFI, listener.edges().get(0).transport());
  }

  @Test
  void sameSideParentAndRemoteChildGiveNoEdge() {
    Span parent = root(1, 10, SpanKind.CLIENT, GO);
    Span child = child(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, GO_OTHER_INSTANCE);
    store.offerSpan(parent, false);
    store.offerSpan(child, false);
    Span parent2 = root(2, 10, SpanKind.CLIENT, GO);
    Span child2 = child(2, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, GO_OTHER_INSTANCE);
    store.offerSpan(child2, false);
    store.offerSpan(parent2, false);
    assertEquals(List.of(), listener.edges());
  }

  @Test
  void childWithLocalParentFlagNeverLooksItsParentUpSoGivesNoEdgeEvenAcrossSides() {
    // 0x100 without 0x200: the SDK says the parent is in its own process and SDK, so the child
    // did not cross; even a parent (wrongly) on another side does not make an edge.
    Span parent = root(1, 10, SpanKind.CLIENT, GO);
    Span child = child(1, 20, 10, ParentLink.LOCAL, SpanKind.SERVER, RUST);
    store.offerSpan(parent, false);
    store.offerSpan(child, false);
    Span parent2 = root(2, 10, SpanKind.CLIENT, GO);
    Span child2 = child(2, 20, 10, ParentLink.LOCAL, SpanKind.SERVER, RUST);
    store.offerSpan(child2, false);
    store.offerSpan(parent2, false);
    assertEquals(List.of(), listener.edges());
    assertEquals(4, store.pending(), "no child waited");
  }

  @Test
  void unknownFlagsWithParentInBatchDoNotLookUp() {
    Span parent = root(1, 10, SpanKind.CLIENT, GO);
    Span child = child(1, 20, 10, ParentLink.UNKNOWN, SpanKind.SERVER, RUST);
    store.offerSpan(parent, false);
    store.offerSpan(child, true);
    assertEquals(List.of(), listener.edges());
    assertEquals(2, store.pending());
  }

  @Test
  void unknownFlagsWithParentOutsideTheBatchPair() {
    Span parent = root(1, 10, SpanKind.CLIENT, GO);
    Span child = child(1, 20, 10, ParentLink.UNKNOWN, SpanKind.SERVER, RUST);
    store.offerSpan(parent, false);
    store.offerSpan(child, false);
    assertEquals(1, listener.edges().size());

    Span parent2 = root(2, 10, SpanKind.CLIENT, GO);
    Span child2 = child(2, 20, 10, ParentLink.UNKNOWN, SpanKind.SERVER, RUST);
    store.offerSpan(child2, false);
    store.offerSpan(parent2, false);
    assertEquals(2, listener.edges().size());
    assertEquals(child2, listener.edges().get(1).callee());
  }

  @Test
  void oneParentWithTwoRemoteChildrenOnAnotherSideGivesTwoEdges() {
    Span parent = root(1, 10, SpanKind.INTERNAL, GO);
    Span a = child(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST);
    Span b = child(1, 30, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST);
    store.offerSpan(a, false);
    store.offerSpan(parent, false);
    store.offerSpan(b, false);
    List<Edge> edges = listener.edges();
    assertEquals(2, edges.size());
    assertEquals(parent, edges.get(0).caller());
    assertEquals(a, edges.get(0).callee());
    assertEquals(parent, edges.get(1).caller());
    assertEquals(b, edges.get(1).callee());

    Span parent2 = root(2, 10, SpanKind.INTERNAL, GO);
    store.offerSpan(child(2, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST), false);
    store.offerSpan(child(2, 30, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST), false);
    store.offerSpan(parent2, false);
    assertEquals(4, listener.edges().size());
  }

  // --- the window ---

  @Test
  void clientSpanAloneIsReportedUnpairedCallerAtExpiry() {
    Span client = root(1, 10, SpanKind.CLIENT, GO);
    store.offerSpan(client, false);
    expireAt(WINDOW);
    assertEquals(List.of(new RecordingListener.Unpaired(client, Side.CALLER)), listener.unpaired());
    assertEquals(1, listener.outcome(Outcome.EXPIRED));
    assertEquals(1, listener.outcomeTotal());
    assertEquals(0, store.pending());
  }

  @Test
  void producerSpanAloneIsReportedUnpairedCaller() {
    Span producer = root(1, 10, SpanKind.PRODUCER, GO);
    store.offerSpan(producer, false);
    expireAt(WINDOW);
    assertEquals(
        List.of(new RecordingListener.Unpaired(producer, Side.CALLER)), listener.unpaired());
  }

  @Test
  void internalSpanAloneExpiresWithoutUnpaired() {
    store.offerSpan(root(1, 10, SpanKind.INTERNAL, GO), false);
    store.offerSpan(root(2, 10, SpanKind.SERVER, GO), false);
    expireAt(WINDOW);
    assertEquals(List.of(), listener.unpaired());
    assertEquals(2, listener.outcome(Outcome.EXPIRED));
  }

  @Test
  void databaseClientSpanIsNeverUnpaired() {
    store.offerSpan(
        span(1, 10, 0, ParentLink.NONE, SpanKind.CLIENT, GO, ProtocolHint.DATABASE), false);
    expireAt(WINDOW);
    assertEquals(List.of(), listener.unpaired());
    assertEquals(1, listener.outcome(Outcome.EXPIRED));
  }

  @Test
  void remoteChildWhoseParentNeverComesIsUnpairedCallee() {
    Span orphan = child(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST);
    store.offerSpan(orphan, false);
    expireAt(WINDOW);
    assertEquals(List.of(new RecordingListener.Unpaired(orphan, Side.CALLEE)), listener.unpaired());
    assertEquals(2, listener.outcome(Outcome.EXPIRED), "its own entry and its wait");
    assertEquals(0, store.pending());
  }

  @Test
  void remoteInternalChildWhoseParentNeverComesIsUnpairedCallee() {
    Span orphan = child(1, 20, 10, ParentLink.REMOTE, SpanKind.INTERNAL, RUST);
    store.offerSpan(orphan, false);
    expireAt(WINDOW);
    assertEquals(List.of(new RecordingListener.Unpaired(orphan, Side.CALLEE)), listener.unpaired());
  }

  @Test
  void expiryRespectsTheWindowExactly() {
    clock.set(1_000);
    Span client = root(1, 10, SpanKind.CLIENT, GO);
    store.offerSpan(client, false);

    expireAt(1_000 + WINDOW - 1);
    assertEquals(1, store.pending());
    assertEquals(0, listener.outcomeTotal());
    assertEquals(List.of(), listener.unpaired());

    expireAt(1_000 + WINDOW);
    assertEquals(0, store.pending());
    assertEquals(1, listener.outcome(Outcome.EXPIRED));
    assertEquals(1, listener.unpaired().size());
  }

  @Test
  void parentArrivingAfterTheChildExpiredGivesNoEdge() {
    Span child = child(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST);
    store.offerSpan(child, false);
    expireAt(WINDOW);
    store.offerSpan(root(1, 10, SpanKind.CLIENT, GO), false);
    assertEquals(List.of(), listener.edges());
  }

  @Test
  void childArrivingJustInsideTheWindowPairs() {
    Span parent = root(1, 10, SpanKind.CLIENT, GO);
    store.offerSpan(parent, false);
    expireAt(WINDOW - 1);
    store.offerSpan(child(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST), false);
    assertEquals(1, listener.edges().size());
    expireAt(2 * WINDOW);
    assertEquals(List.of(), listener.unpaired());
    assertEquals(0, store.pending());
  }

  @Test
  void secondChildWaitsItsOwnFullWindowEvenWhenASiblingCameFirst() {
    // Both children wait under their parent's id. The second arrives late in the first one's
    // window; it must still get a whole window of its own (docs/boundary-model.md, "Pairing the
    // two halves").
    Span first = child(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST);
    Span second = child(1, 30, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST);
    store.offerSpan(first, false);
    clock.set(WINDOW - 10);
    store.offerSpan(second, false);

    expireAt(WINDOW);
    assertFalse(
        listener.unpaired().contains(new RecordingListener.Unpaired(second, Side.CALLEE)),
        "the second child was reported unpaired " + 10 + "ns after it arrived");

    clock.set(WINDOW + 10);
    Span parent = root(1, 10, SpanKind.INTERNAL, GO);
    store.offerSpan(parent, false);
    assertTrue(
        listener.edges().stream()
            .anyMatch(e -> e.callee().equals(second) && e.caller().equals(parent)),
        "the second child is inside its window when the parent arrives");
  }

  @Test
  void childWaitsItsOwnFullWindowEvenWhenAnErrorLogForTheParentCameFirst() {
    // A long-running parent: its error log is exported at once, its child late, the parent last.
    store.offerErrorLog(TRACE_HIGH, 1, 10);
    clock.set(WINDOW - 10);
    Span child = child(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST);
    store.offerSpan(child, false);

    expireAt(WINDOW);
    assertEquals(List.of(), listener.unpaired(), "the child is still inside its window");

    clock.set(WINDOW + 10);
    store.offerSpan(root(1, 10, SpanKind.SERVER, GO), false);
    assertEquals(1, listener.edges().size());
  }

  // --- the bound ---

  @Test
  void boundEvictsTheOldestAndCountsThem() {
    PairingStore small = new PairingStore(WINDOW, 8, 1, listener, clock::get);
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      Span s = root(i, 10, SpanKind.CLIENT, GO);
      spans.add(s);
      assertTrue(small.offerSpan(s, false));
      assertTrue(small.pending() <= 8);
    }
    assertEquals(8, small.pending());
    assertEquals(12, listener.outcome(Outcome.EVICTED));
    assertEquals(12, listener.outcomeTotal());
    assertEquals(List.of(), listener.unpaired(), "evicted spans are not reported unpaired");

    small.expireAll();
    assertEquals(0, small.pending());
    assertEquals(8, listener.outcome(Outcome.EXPIRED));
    List<RecordingListener.Unpaired> unpaired = listener.unpaired();
    assertEquals(8, unpaired.size());
    for (int i = 0; i < 8; i++) {
      assertEquals(spans.get(12 + i), unpaired.get(i).span(), "the newest spans were kept");
    }
  }

  @Test
  void boundCountsWaitsAndLogsAsEntries() {
    PairingStore small = new PairingStore(WINDOW, 4, 1, listener, clock::get);
    small.offerSpan(child(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST), false); // 2 entries
    small.offerErrorLog(TRACE_HIGH, 2, 99); // 3
    small.offerErrorLog(TRACE_HIGH, 2, 99); // 4
    assertEquals(4, small.pending());
    assertEquals(0, listener.outcomeTotal());
    small.offerSpan(root(3, 10, SpanKind.INTERNAL, GO), false); // 5: evicts the child's own entry
    assertEquals(4, small.pending());
    assertEquals(1, listener.outcome(Outcome.EVICTED));
    small.offerSpan(root(4, 10, SpanKind.INTERNAL, GO), false); // evicts the child's wait
    assertEquals(2, listener.outcome(Outcome.EVICTED));
    assertEquals(List.of(), listener.unpaired());
    small.expireAll();
    assertEquals(0, small.pending());
    assertEquals(4, listener.outcome(Outcome.EXPIRED));
  }

  @Test
  void windowMustBePositive() {
    assertThrows(
        IllegalArgumentException.class, () -> new PairingStore(0, 10, 1, listener, clock::get));
  }

  // --- duplicates ---

  @Test
  void duplicateSpanIsRefusedAndCountedOnce() {
    Span parent = root(1, 10, SpanKind.CLIENT, GO);
    Span child = child(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST);
    assertTrue(store.offerSpan(parent, false));
    assertTrue(store.offerSpan(child, false));
    assertFalse(store.offerSpan(child, false));
    assertFalse(store.offerSpan(parent, false));
    assertEquals(1, listener.edges().size());
    assertEquals(2, store.pending());
  }

  @Test
  void duplicateWaitingChildIsRefusedAndPairsOnce() {
    Span parent = root(1, 10, SpanKind.CLIENT, GO);
    Span child = child(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST);
    assertTrue(store.offerSpan(child, false));
    assertFalse(store.offerSpan(child, false));
    assertEquals(2, store.pending());
    assertTrue(store.offerSpan(parent, false));
    assertEquals(1, listener.edges().size());
    assertEquals(1, listener.outcome(Outcome.PAIRED));
  }

  // --- error logs ---

  @Test
  void errorLogsBeforeTheSpansAreCountedOnTheirSideWhenTheEdgeForms() {
    store.offerErrorLog(TRACE_HIGH, 1, 20);
    store.offerErrorLog(TRACE_HIGH, 1, 10);
    store.offerErrorLog(TRACE_HIGH, 1, 10);
    assertEquals(3, store.pending());
    Span parent = root(1, 10, SpanKind.CLIENT, GO);
    Span child = child(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST);
    store.offerSpan(parent, false);
    assertEquals(List.of(), listener.errorLogs());
    store.offerSpan(child, false);

    Edge edge = listener.edges().get(0);
    assertEquals(
        Set.of(
            new RecordingListener.ErrorLogs(edge, Side.CALLER, 2),
            new RecordingListener.ErrorLogs(edge, Side.CALLEE, 1)),
        Set.copyOf(listener.errorLogs()));
    assertEquals(2, listener.errorLogs().size());
    assertEquals(3, listener.outcome(Outcome.PAIRED), "the three log entries ended paired");
    assertEquals(2, store.pending());
  }

  @Test
  void errorLogsAfterTheEdgeAreCountedAtOnce() {
    Span parent = root(1, 10, SpanKind.CLIENT, GO);
    Span child = child(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST);
    store.offerSpan(child, false);
    store.offerSpan(parent, false);
    Edge edge = listener.edges().get(0);
    long before = store.pending();

    store.offerErrorLog(TRACE_HIGH, 1, 20);
    assertEquals(
        List.of(new RecordingListener.ErrorLogs(edge, Side.CALLEE, 1)), listener.errorLogs());
    store.offerErrorLog(TRACE_HIGH, 1, 10);
    assertEquals(
        new RecordingListener.ErrorLogs(edge, Side.CALLER, 1), listener.errorLogs().get(1));
    assertEquals(before, store.pending(), "a log matched at once holds no entry");
  }

  @Test
  void errorLogsWithOnlyTheLow64BitsOfTheTraceIdFindTheirSpans() {
    // Datadog's dd.trace_id, 64-bit B3 and Jaeger ids: the low half of the SDK's 128-bit id.
    store.offerErrorLog(0, 1, 20); // before the spans: held, then counted when the edge forms
    Span parent = root(1, 10, SpanKind.CLIENT, GO);
    Span child = child(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST);
    store.offerSpan(child, false);
    store.offerSpan(parent, false);
    Edge edge = listener.edges().get(0);
    assertEquals(
        List.of(new RecordingListener.ErrorLogs(edge, Side.CALLEE, 1)), listener.errorLogs());

    store.offerErrorLog(0, 1, 10); // after the edge: counted at once
    assertEquals(
        new RecordingListener.ErrorLogs(edge, Side.CALLER, 1), listener.errorLogs().get(1));

    // The same low half under another (128-bit) high half is another trace: no match.
    long before = store.pending();
    store.offerErrorLog(TRACE_HIGH + 1, 1, 10);
    assertEquals(2, listener.errorLogs().size());
    assertEquals(before + 1, store.pending(), "held for a span that may still come");
    // A 64-bit id with another span id matches nothing either.
    store.offerErrorLog(0, 1, 30);
    assertEquals(2, listener.errorLogs().size());
  }

  @Test
  void errorLogForASpanThatNeverPairsExpires() {
    store.offerSpan(root(1, 10, SpanKind.INTERNAL, GO), false);
    store.offerErrorLog(TRACE_HIGH, 1, 10);
    store.offerErrorLog(TRACE_HIGH, 1, 77); // names a span that never comes
    assertEquals(3, store.pending());
    expireAt(WINDOW);
    assertEquals(0, store.pending());
    assertEquals(3, listener.outcome(Outcome.EXPIRED));
    assertEquals(List.of(), listener.errorLogs());
  }

  @Test
  void errorLogForASameSideChildIsNotCountedAgainstABoundary() {
    store.offerSpan(root(1, 10, SpanKind.CLIENT, GO), false);
    store.offerSpan(child(1, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, GO_OTHER_INSTANCE), false);
    store.offerErrorLog(TRACE_HIGH, 1, 20);
    assertEquals(List.of(), listener.errorLogs());
    store.expireAll();
    assertEquals(0, store.pending());
  }

  // --- conservation ---

  /** One span the random test may offer, with what the model needs to know about it. */
  private record Planned(Span span, boolean parentInBatch) {}

  private static boolean crosses(Planned p) {
    ParentLink link = p.span().parentLink();
    return link == ParentLink.REMOTE || (link == ParentLink.UNKNOWN && !p.parentInBatch());
  }

  private record Key(long trace, long id) {}

  private static Key keyOf(Span s) {
    return new Key(s.traceIdLow(), s.spanId());
  }

  @Test
  void everyEntryEndsInExactlyOneOutcome() {
    Random random = new Random(20260101L);
    List<Object> events = new ArrayList<>(); // Planned spans and Key logs
    for (long t = 1; events.size() < 10_000; t++) {
      List<Planned> trace = new ArrayList<>();
      trace.add(new Planned(root(t, 1, SpanKind.CLIENT, GO), false)); // P
      trace.add(
          new Planned(
              child(t, 2, 1, ParentLink.REMOTE, SpanKind.SERVER, RUST), false)); // C1 crosses
      trace.add(
          new Planned(child(t, 3, 2, ParentLink.LOCAL, SpanKind.INTERNAL, RUST), true)); // C2 local
      trace.add(
          new Planned(
              child(t, 4, 1, ParentLink.REMOTE, SpanKind.SERVER, GO_OTHER_INSTANCE),
              false)); // same side
      trace.add(
          new Planned(
              child(t, 5, 3, ParentLink.UNKNOWN, SpanKind.INTERNAL, GO),
              random.nextBoolean())); // silent flags
      trace.add(
          new Planned(
              child(t, 6, 999, ParentLink.REMOTE, SpanKind.SERVER, RUST),
              false)); // parent never comes
      trace.add(
          new Planned(
              span(t, 7, 0, ParentLink.NONE, SpanKind.CLIENT, GO, ProtocolHint.DATABASE), false));
      for (Planned p : trace) {
        if (random.nextInt(10) < 9) {
          events.add(p);
          if (random.nextInt(20) == 0) {
            events.add(p); // a duplicate
          }
        }
      }
      int logs = random.nextInt(3);
      for (int i = 0; i < logs; i++) {
        events.add(new Key(t, 1 + random.nextInt(8)));
      }
    }
    Collections.shuffle(events, random);

    PairingStore big = new PairingStore(WINDOW, 1_000_000, 4, listener, clock::get);
    // The model.
    Set<Key> offered = new HashSet<>();
    Map<Key, Span> spans = new HashMap<>();
    Map<Key, List<Span>> waiting = new HashMap<>();
    Set<Key> hasEdge = new HashSet<>();
    Set<Key> spanPaired = new HashSet<>();
    Map<Key, Integer> heldLogs = new HashMap<>();
    long accepted = 0;
    long waits = 0;
    long waitsPaired = 0;
    long logsTotal = 0;
    long logsDirect = 0;
    long logsReleased = 0;
    long edges = 0;

    for (Object e : events) {
      if (e instanceof Key k) {
        logsTotal++;
        big.offerErrorLog(TRACE_HIGH, k.trace(), k.id());
        if (hasEdge.contains(k)) {
          logsDirect++;
        } else {
          heldLogs.merge(k, 1, Integer::sum);
        }
        continue;
      }
      Planned p = (Planned) e;
      Span s = p.span();
      Key k = keyOf(s);
      boolean duplicate = offered.contains(k);
      assertEquals(!duplicate, big.offerSpan(s, p.parentInBatch()));
      if (duplicate) {
        continue;
      }
      accepted++;
      offered.add(k);
      spans.put(k, s);
      List<Key> newEdges = new ArrayList<>();
      for (Span c : waiting.getOrDefault(k, List.of())) {
        waitsPaired++;
        spanPaired.add(k);
        if (s.origin().differentSide(c.origin())) {
          edges++;
          newEdges.add(k);
          newEdges.add(keyOf(c));
        }
      }
      waiting.remove(k);
      if (crosses(p)) {
        Key parentKey = new Key(s.traceIdLow(), s.parentSpanId());
        if (offered.contains(parentKey)) {
          spanPaired.add(parentKey);
          if (spans.get(parentKey).origin().differentSide(s.origin())) {
            edges++;
            newEdges.add(parentKey);
            newEdges.add(k);
          }
        } else {
          waits++;
          waiting.computeIfAbsent(parentKey, x -> new ArrayList<>()).add(s);
        }
      }
      for (Key x : newEdges) {
        if (hasEdge.add(x)) {
          Integer held = heldLogs.remove(x);
          if (held != null) {
            logsReleased += held;
          }
        }
      }
    }
    assertEquals(edges, listener.edges().size());
    assertEquals(logsDirect + logsReleased, listener.errorLogCount());
    long entries = accepted + waits + (logsTotal - logsDirect);
    // So far only waits whose parent came and held logs whose span paired have ended.
    assertEquals(waitsPaired + logsReleased, listener.outcomeTotal());
    assertEquals(entries - waitsPaired - logsReleased, big.pending());

    big.expireAll();
    assertEquals(0, big.pending());
    assertEquals(entries, listener.outcomeTotal());
    assertEquals(waitsPaired + spanPaired.size() + logsReleased, listener.outcome(Outcome.PAIRED));
    assertEquals(entries - listener.outcome(Outcome.PAIRED), listener.outcome(Outcome.EXPIRED));
    assertEquals(0, listener.outcome(Outcome.EVICTED));
    assertTrue(edges > 1000, "the mix pairs plenty: " + edges);
    assertTrue(logsReleased > 0 && logsDirect > 0 && waitsPaired > 0);
  }

  @Test
  void boundHoldsUnderARandomMixWithExpiryAndEveryEntryEnds() {
    Random random = new Random(7L);
    RecordingListener l = new RecordingListener();
    PairingStore small = new PairingStore(WINDOW, 64, 4, l, clock::get);
    for (int i = 0; i < 10_000; i++) {
      long t = 1 + random.nextInt(200);
      switch (random.nextInt(4)) {
        case 0 -> small.offerSpan(root(t, 1, SpanKind.CLIENT, GO), false);
        case 1 -> small.offerSpan(child(t, 2, 1, ParentLink.REMOTE, SpanKind.SERVER, RUST), false);
        case 2 ->
            small.offerSpan(
                child(t, 3, 2, ParentLink.UNKNOWN, SpanKind.INTERNAL, GO), random.nextBoolean());
        default -> small.offerErrorLog(TRACE_HIGH, t, 1 + random.nextInt(3));
      }
      assertTrue(small.pending() <= 64, "pending " + small.pending());
      clock.addAndGet(random.nextInt(20_000));
      if (i % 100 == 0) {
        small.expire();
      }
    }
    small.expireAll();
    assertEquals(0, small.pending());
    assertTrue(l.outcome(Outcome.EVICTED) > 0);
    assertTrue(l.outcome(Outcome.EXPIRED) > 0);
    assertTrue(l.outcome(Outcome.PAIRED) > 0);
  }

  // --- concurrency ---

  @Test
  void concurrentOffersOnDifferentTracesPairEveryCall() throws Exception {
    int threads = 4;
    int perThread = 5_000;
    PairingStore shared = new PairingStore(WINDOW, 10_000_000, 16, listener, clock::get);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int th = 0; th < threads; th++) {
        long base = (long) th * 1_000_000L;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    long t = base + i + 1;
                    Span parent = root(t, 10, SpanKind.CLIENT, GO);
                    Span child = child(t, 20, 10, ParentLink.REMOTE, SpanKind.SERVER, RUST);
                    if (i % 2 == 0) {
                      shared.offerSpan(parent, false);
                      shared.offerSpan(child, false);
                    } else {
                      shared.offerSpan(child, false);
                      shared.offerSpan(parent, false);
                    }
                    shared.offerErrorLog(TRACE_HIGH, t, 20);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long calls = (long) threads * perThread;
    assertEquals(calls, listener.edges().size());
    assertEquals(calls, listener.errorLogCount());
    long childFirst = (long) threads * (perThread / 2);
    assertEquals(
        childFirst, listener.outcome(Outcome.PAIRED), "the waits ended when the parents came");
    assertEquals(2 * calls, shared.pending());

    shared.expireAll();
    assertEquals(0, shared.pending());
    assertEquals(calls + childFirst, listener.outcome(Outcome.PAIRED));
    assertEquals(calls, listener.outcome(Outcome.EXPIRED));
    assertEquals(List.of(), listener.unpaired());
  }
}
