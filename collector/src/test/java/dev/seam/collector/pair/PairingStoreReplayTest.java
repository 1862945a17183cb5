package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.testing.Spans;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the store does with spans and error logs seen again after their Kafka partition changed
 * owner ({@link Replay}), and how it hands the traces of a revoked partition over ({@link
 * PairingStore#forget}).
 */
class PairingStoreReplayTest {

  private static final long WINDOW = 1_000_000L;
  private static final long TRACE_HIGH = 0x11aa22bb33cc44ddL;
  private static final Origin GO = new Origin("checkout", "go", "node-1/100", "node-1/100");
  private static final Origin RUST = new Origin("pricing-core", "rust", "node-2/200", "node-2/200");

  private final AtomicLong clock = new AtomicLong();
  private RecordingListener listener;
  private PairingStore store;

  @BeforeEach
  void setUp() {
    listener = new RecordingListener();
    store = new PairingStore(WINDOW, 10_000, 4, listener, clock::get);
  }

  private static Span caller(long trace) {
    return Spans.builder()
        .traceIdHigh(TRACE_HIGH)
        .traceIdLow(trace)
        .spanId(10)
        .kind(SpanKind.CLIENT)
        .origin(GO)
        .build();
  }

  private static Span callee(long trace) {
    return Spans.builder()
        .traceIdHigh(TRACE_HIGH)
        .traceIdLow(trace)
        .spanId(20)
        .parentSpanId(10)
        .parentLink(ParentLink.REMOTE)
        .kind(SpanKind.SERVER)
        .origin(RUST)
        .build();
  }

  private void expireAt(long nanos) {
    clock.set(nanos);
    store.expire();
  }

  @Test
  void aCallOfTwoReplayedHalvesIsNotCountedAgainInEitherOrder() {
    store.offerSpan(caller(1), false, Replay.REPLAYED);
    store.offerSpan(callee(1), false, Replay.REPLAYED);
    store.offerSpan(callee(2), false, Replay.REPLAYED);
    store.offerSpan(caller(2), false, Replay.REPLAYED);
    assertEquals(List.of(), listener.edges());
    assertEquals(2, store.replayedPairs());
    expireAt(WINDOW);
    assertEquals(List.of(), listener.unpaired(), "both calls paired; nothing is left unpaired");
    assertEquals(0, store.pending());
  }

  @Test
  void aCallWithOneNewHalfIsCounted() {
    store.offerSpan(caller(1), false, Replay.REPLAYED);
    store.offerSpan(callee(1), false, Replay.NONE);
    store.offerSpan(callee(2), false, Replay.REPLAYED);
    store.offerSpan(caller(2), false, Replay.NONE);
    assertEquals(2, listener.edges().size());
    assertEquals(0, store.replayedPairs());
  }

  @Test
  void replayedHalvesWhoseCounterpartNeverComesAreReportedUnpaired() {
    store.offerSpan(caller(1), false, Replay.REPLAYED);
    store.offerSpan(callee(2), false, Replay.REPLAYED);
    expireAt(WINDOW);
    assertEquals(
        List.of(Side.CALLER, Side.CALLEE),
        listener.unpaired().stream().map(RecordingListener.Unpaired::side).sorted().toList());
  }

  @Test
  void aContextHalfIsNeverReportedAndPairsOnlyWithReplayedHalves() {
    // A context caller: its window had passed at the previous owner, which reported it there.
    store.offerSpan(caller(1), false, Replay.CONTEXT);
    // A callee seen for the first time does not pair with it: it waits, as it would have there.
    store.offerSpan(callee(1), false, Replay.NONE);
    // A replayed callee pairs with a context caller, silently: they were paired there.
    store.offerSpan(caller(2), false, Replay.CONTEXT);
    store.offerSpan(callee(2), false, Replay.REPLAYED);
    // A context callee whose caller never comes is not reported either.
    store.offerSpan(callee(3), false, Replay.CONTEXT);
    assertEquals(List.of(), listener.edges());
    assertEquals(1, store.replayedPairs());
    expireAt(WINDOW);
    assertEquals(
        1, listener.unpaired().size(), "only the new callee of trace 1: " + listener.unpaired());
    assertEquals(Side.CALLEE, listener.unpaired().get(0).side());
    assertEquals(1L, listener.unpaired().get(0).span().traceIdLow());
  }

  @Test
  void replayedErrorLogsTiedToACallCountedBeforeAreNotCountedAgain() {
    // Held before the call forms: one replayed log and one new log name the callee.
    store.offerErrorLog(TRACE_HIGH, 1, 20, Replay.REPLAYED);
    store.offerErrorLog(TRACE_HIGH, 1, 20, Replay.NONE);
    store.offerErrorLog(TRACE_HIGH, 1, 20, Replay.CONTEXT);
    assertEquals(2, store.pending(), "a context log is not held");
    store.offerSpan(caller(1), false, Replay.REPLAYED);
    store.offerSpan(callee(1), false, Replay.REPLAYED);
    assertEquals(1, listener.errorLogCount(), "the new log only");
    // After the call formed.
    store.offerErrorLog(TRACE_HIGH, 1, 10, Replay.REPLAYED);
    assertEquals(1, listener.errorLogCount());
    store.offerErrorLog(TRACE_HIGH, 1, 10, Replay.NONE);
    assertEquals(2, listener.errorLogCount());
    assertEquals(2, listener.errorLogs().size());
    assertEquals(Side.CALLER, listener.errorLogs().get(1).side());

    // A call with a new half: the replayed log held for it was never counted.
    store.offerErrorLog(TRACE_HIGH, 2, 20, Replay.REPLAYED);
    store.offerSpan(caller(2), false, Replay.REPLAYED);
    store.offerSpan(callee(2), false, Replay.NONE);
    assertEquals(3, listener.errorLogCount());
    store.offerErrorLog(TRACE_HIGH, 2, 20, Replay.REPLAYED);
    assertEquals(4, listener.errorLogCount());
  }

  @Test
  void forgottenTracesLeaveWithoutAnOutcomeAndTheRestCarriesOn() {
    // Traces 1..6: even ones are handed over. Each has a caller and a callee waiting for a
    // parent that has not come (4 entries a trace) and an error log waiting for its span.
    for (long t = 1; t <= 6; t++) {
      clock.set(t);
      store.offerSpan(caller(t), false);
      store.offerSpan(
          Spans.builder()
              .traceIdHigh(TRACE_HIGH)
              .traceIdLow(t)
              .spanId(30)
              .parentSpanId(99)
              .parentLink(ParentLink.REMOTE)
              .kind(SpanKind.SERVER)
              .origin(RUST)
              .build(),
          false);
      store.offerErrorLog(TRACE_HIGH, t, 77);
    }
    assertEquals(6 * 4, store.pending());
    PairingStore.Forgotten gone = store.forget((high, low) -> high == TRACE_HIGH && low % 2 == 0);
    assertEquals(3 * 4, gone.entries());
    assertEquals(Long.MIN_VALUE, gone.settledBefore(), "nothing has expired yet");
    assertEquals(3 * 4, store.pending());
    assertEquals(0, listener.outcomeTotal(), "forgetting is no outcome");

    // A handed-over span is not there to pair with; a kept one is.
    store.offerSpan(callee(2), false);
    store.offerSpan(callee(3), false);
    assertEquals(1, listener.edges().size());
    assertEquals(3L, listener.edges().get(0).caller().traceIdLow());

    expireAt(WINDOW + 10);
    // Kept: 3 callers (2 unpaired, one paired), 3 waiting callees, 3 logs; the new callee of
    // trace 2 and the candidate-parent entry of the callee of trace 3.
    assertEquals(0, store.pending());
    assertEquals(2, listener.unpaired().stream().filter(u -> u.side() == Side.CALLER).count());
    assertEquals(4, listener.unpaired().stream().filter(u -> u.side() == Side.CALLEE).count());
    assertTrue(
        listener.unpaired().stream()
            .noneMatch(u -> u.span().traceIdLow() % 2 == 0 && u.span().spanId() != 20),
        "no handed-over span is reported: " + listener.unpaired());
    assertTrue(
        store.settledBefore() >= 10 - 1,
        "every entry that arrived by the sweep minus a window has ended: " + store.settledBefore());
  }

  @Test
  void forgettingInTheMiddleOfAFullRingLeavesRoomForNewSpans() {
    // One shard of 8 entries: fill it, forget every other trace, then keep offering.
    RecordingListener l = new RecordingListener();
    PairingStore small = new PairingStore(WINDOW, 8, 1, l, clock::get);
    for (long t = 1; t <= 8; t++) {
      small.offerSpan(caller(t), false);
    }
    assertEquals(4, small.forget((high, low) -> low % 2 == 0).entries());
    for (long t = 11; t <= 30; t++) {
      assertTrue(small.offerSpan(caller(t), false));
    }
    assertEquals(8, small.pending());
    // Entries gone: 4 forgotten, the rest of the 28 minus the 8 held were evicted, oldest first.
    assertEquals(28 - 4 - 8, l.outcome(Outcome.EVICTED));
    clock.set(WINDOW);
    small.expire();
    assertEquals(0, small.pending());
    assertEquals(8, l.outcome(Outcome.EXPIRED));
  }
}
