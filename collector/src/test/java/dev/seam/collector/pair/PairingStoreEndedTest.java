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
import dev.seam.collector.pair.PairingStore.ErrorLogOutcome;
import dev.seam.collector.testing.Spans;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The boundary spans the store remembers after they leave it ({@code pairing.log-window}): error
 * logs that come late count against the side their span was, and copies of a counted span that come
 * after the window are not counted again. The clock is the store's, moved by the test.
 */
class PairingStoreEndedTest {

  private static final long S = TimeUnit.SECONDS.toNanos(1);
  private static final long TRACE_HIGH = 0x5b8efff798038103L;
  private static final Origin GO = new Origin("checkout", "go", "node-1/100", "node-1/100");
  private static final Origin RUST = new Origin("pricing-core", "rust", "node-2/200", "node-2/200");

  /** Names each edge's series by its caller's span id, and records what comes late. */
  private static final class Listener implements BoundaryListener {
    record Late(Object series, Side side, int count) {}

    final List<Edge> edges = new ArrayList<>();
    final List<Late> late = new ArrayList<>();
    final List<Side> unpaired = new ArrayList<>();
    int errorLogs;

    @Override
    public void onEdge(Edge edge) {
      edges.add(edge);
    }

    @Override
    public Object onEdgeSeries(Edge edge) {
      onEdge(edge);
      return "series-of-" + edge.caller().spanId();
    }

    @Override
    public void onUnpaired(Span span, Side side) {
      unpaired.add(side);
    }

    @Override
    public void onErrorLogs(Edge edge, Side side, int count) {
      errorLogs += count;
    }

    @Override
    public void onLateErrorLogs(Object series, Side side, int count) {
      late.add(new Late(series, side, count));
    }

    @Override
    public void onOutcome(Outcome outcome, int count) {}
  }

  private final AtomicLong clock = new AtomicLong(0);
  private final Listener listener = new Listener();

  private PairingStore store(long window, long logWindow, int maxEnded) {
    return new PairingStore(window, 10_000, 1, listener, clock::get, logWindow, maxEnded);
  }

  private static Span caller(long trace, long id) {
    return span(trace, id, 0, ParentLink.NONE, SpanKind.CLIENT, GO);
  }

  private static Span callee(long trace, long id, long parent) {
    return span(trace, id, parent, ParentLink.REMOTE, SpanKind.SERVER, RUST);
  }

  private static Span span(
      long trace, long id, long parent, ParentLink link, SpanKind kind, Origin origin) {
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
        .protocol(ProtocolHint.HTTP)
        .build();
  }

  private void at(PairingStore store, long nanos) {
    clock.set(nanos);
    store.expire();
  }

  @Test
  void errorLogsThirtyAndNinetySecondsLateCountAgainstTheirSide() {
    PairingStore store = store(10 * S, 120 * S, 1000);
    store.offerSpan(caller(1, 10), false);
    store.offerSpan(callee(1, 20, 10), false);
    assertEquals(1, listener.edges.size());
    at(store, 10 * S); // both halves leave the store
    assertEquals(0, store.pending());
    assertEquals(2, store.endedSpans());

    at(store, 30 * S);
    store.offerErrorLog(TRACE_HIGH, 1, 10); // 30 s late, the caller
    at(store, 90 * S);
    store.offerErrorLog(TRACE_HIGH, 1, 20); // 90 s late, the callee
    store.offerErrorLog(0, 1, 20); // and with the 64-bit trace id of a log dialect

    assertEquals(
        List.of(
            new Listener.Late("series-of-10", Side.CALLER, 1),
            new Listener.Late("series-of-10", Side.CALLEE, 1),
            new Listener.Late("series-of-10", Side.CALLEE, 1)),
        listener.late);
    assertEquals(0, listener.errorLogs);
    assertEquals(3, store.errorLogs(ErrorLogOutcome.LATE));
    assertEquals(0, store.errorLogs(ErrorLogOutcome.UNTIED));
    assertEquals(0, store.pending(), "a late log tied to its side waits for nothing");
  }

  @Test
  void anErrorLogBeyondTheLogWindowIsCountedUntied() {
    PairingStore store = store(10 * S, 120 * S, 1000);
    store.offerSpan(caller(1, 10), false);
    store.offerSpan(callee(1, 20, 10), false);
    at(store, 10 * S);
    at(store, 130 * S); // the log window has passed since both halves left
    assertEquals(0, store.endedSpans());
    assertEquals(2, store.endedSpansForgotten(false));

    store.offerErrorLog(TRACE_HIGH, 1, 20);
    assertEquals(1, store.pending(), "it waits for its span like any log");
    at(store, 140 * S);
    assertEquals(0, store.pending());
    assertEquals(List.of(), listener.late);
    assertEquals(1, store.errorLogs(ErrorLogOutcome.UNTIED));
    assertEquals(0, store.errorLogs(ErrorLogOutcome.LATE));
  }

  @Test
  void errorLogsInTheWindowAreTiedAsBefore() {
    PairingStore store = store(10 * S, 120 * S, 1000);
    store.offerErrorLog(TRACE_HIGH, 1, 20); // before its span
    store.offerSpan(caller(1, 10), false);
    store.offerSpan(callee(1, 20, 10), false);
    store.offerErrorLog(TRACE_HIGH, 1, 10); // after
    assertEquals(2, listener.errorLogs);
    assertEquals(2, store.errorLogs(ErrorLogOutcome.TIED));
    assertEquals(List.of(), listener.late);
  }

  @Test
  void anErrorLogForAnUnpairedHalfThatEndedIsUntiedAtOnce() {
    PairingStore store = store(10 * S, 120 * S, 1000);
    store.offerSpan(caller(1, 10), false);
    at(store, 10 * S);
    assertEquals(List.of(Side.CALLER), listener.unpaired);
    store.offerErrorLog(TRACE_HIGH, 1, 10);
    assertEquals(0, store.pending());
    assertEquals(1, store.errorLogs(ErrorLogOutcome.UNTIED));
    assertEquals(List.of(), listener.late);
  }

  /** Issue 16's case: three calls, the same two requests again 5 s later, a 2 s window. */
  @Test
  void aRetryAfterTheWindowIsADuplicateNotACall() {
    PairingStore store = store(2 * S, 120 * S, 1000);
    for (int t = 1; t <= 3; t++) {
      store.offerSpan(caller(t, 10), false);
      store.offerSpan(callee(t, 20, 10), false);
    }
    at(store, 2 * S);
    at(store, 5 * S);
    for (int t = 1; t <= 2; t++) {
      assertFalse(store.offerSpan(caller(t, 10), false));
      assertFalse(store.offerSpan(callee(t, 20, 10), false));
    }
    at(store, 10 * S);
    assertEquals(3, listener.edges.size());
    assertEquals(List.of(), listener.unpaired);
    assertEquals(4, store.duplicateSpans(true));
    assertEquals(0, store.duplicateSpans(false));
    assertEquals(0, store.pending());
  }

  @Test
  void withoutRememberingEndedSpansTheRetryCountsAgain() {
    PairingStore store = new PairingStore(2 * S, 10_000, 1, listener, clock::get);
    for (int t = 1; t <= 3; t++) {
      store.offerSpan(caller(t, 10), false);
      store.offerSpan(callee(t, 20, 10), false);
    }
    at(store, 5 * S);
    for (int t = 1; t <= 2; t++) {
      assertTrue(store.offerSpan(caller(t, 10), false));
      assertTrue(store.offerSpan(callee(t, 20, 10), false));
    }
    assertEquals(5, listener.edges.size(), "the failure the index is there to prevent");
  }

  @Test
  void aCopyWhileHeldIsAPendingDuplicate() {
    PairingStore store = store(2 * S, 120 * S, 1000);
    assertTrue(store.offerSpan(caller(1, 10), false));
    assertFalse(store.offerSpan(caller(1, 10), false));
    assertEquals(1, store.duplicateSpans(false));
    assertEquals(0, store.duplicateSpans(true));
  }

  @Test
  void aRetriedUnpairedHalfIsNotReportedTwice() {
    PairingStore store = store(2 * S, 120 * S, 1000);
    store.offerSpan(caller(1, 10), false);
    at(store, 2 * S);
    assertFalse(store.offerSpan(caller(1, 10), false));
    at(store, 10 * S);
    assertEquals(List.of(Side.CALLER), listener.unpaired);
  }

  @Test
  void spansThatCountedNowhereAreNotRemembered() {
    PairingStore store = store(2 * S, 120 * S, 1000);
    // A root INTERNAL span and its local child: no boundary.
    store.offerSpan(span(1, 10, 0, ParentLink.NONE, SpanKind.INTERNAL, GO), false);
    store.offerSpan(span(1, 11, 10, ParentLink.LOCAL, SpanKind.INTERNAL, GO), true);
    at(store, 2 * S);
    assertEquals(0, store.endedSpans());
    assertTrue(store.offerSpan(span(1, 10, 0, ParentLink.NONE, SpanKind.INTERNAL, GO), false));
  }

  @Test
  void pastTheBoundTheOldestAreForgottenAndCounted() {
    PairingStore store = store(2 * S, 120 * S, 4);
    for (int t = 1; t <= 3; t++) {
      store.offerSpan(caller(t, 10), false);
      store.offerSpan(callee(t, 20, 10), false);
    }
    at(store, 2 * S);
    assertEquals(4, store.endedSpans());
    assertEquals(2, store.endedSpansForgotten(true));
    // The first call's halves were forgotten: a copy of it counts again, the others do not.
    assertTrue(store.offerSpan(caller(1, 10), false));
    assertFalse(store.offerSpan(caller(3, 10), false));
  }

  @Test
  void aHalfEvictedFromAFullStoreIsRememberedWithItsSide() {
    // Room for two entries: the caller pairs, then a third span evicts it.
    PairingStore store = new PairingStore(10 * S, 2, 1, listener, clock::get, 120 * S, 1000);
    store.offerSpan(caller(1, 10), false);
    store.offerSpan(callee(1, 20, 10), false);
    store.offerSpan(caller(2, 10), false);
    store.offerErrorLog(TRACE_HIGH, 1, 10);
    assertEquals(List.of(new Listener.Late("series-of-10", Side.CALLER, 1)), listener.late);
    assertFalse(store.offerSpan(caller(1, 10), false));
  }
}
