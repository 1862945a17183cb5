package dev.seam.collector.pair;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Holds spans and error logs until the other half of their boundary call arrives, in any order,
 * within a window.
 *
 * <p>Every span is kept as a candidate parent, because a parent does not announce that a child on
 * another side will name it. A child that may have crossed (its remote-parent flag is set, or the
 * flags are silent and its parent is not in its own batch) looks its parent up, and waits under the
 * parent's id when the parent has not come yet. Error logs wait under the id of the span they name.
 * Each held item is one <em>entry</em>; every entry ends as paired, expired or evicted and is
 * reported to the {@link BoundaryListener}.
 *
 * <p>The store is split into shards by trace id, each behind its own lock, so pipeline threads
 * working on different traces rarely meet. The listener is always called after the lock is
 * released, with the {@link PairingEvents} collected under it.
 *
 * <h2>Layout</h2>
 *
 * <p>The store holds up to a million spans, so a held span must be small: each is one position in
 * its shard's {@link SpanArena}, a ring of flat arrays in arrival order with open-addressing
 * indexes (about 92 bytes a span with its share of the index, plus about 20 once it is a half of an
 * edge, and no allocation to hold one; {@link SpanRing} has the details). One position carries up
 * to two entries: the span as a candidate parent ({@link SpanArena#OWN}) and, for a child that
 * crossed before its parent came, its wait ({@link SpanArena#WAIT}); such a position counts twice
 * in {@link #pending()}, once for each entry. Both parts start their window when the span arrives,
 * which is why one ring in arrival order serves expiry and eviction for both. Arrivals are kept in
 * the shard's {@link TickClock} ticks.
 *
 * <p>The store keeps no {@link Span} object. A held span handed to the listener (a half of an edge,
 * an unpaired half) is rebuilt from the ring when it is reported: equal field by field to the
 * offered one, but not the same object; the half being offered at that moment is handed on as it
 * is. Likewise the edge given with error logs that arrive after their span paired is rebuilt, equal
 * to the one {@link BoundaryListener#onEdge} was given.
 *
 * <p>Error logs that name a span not yet in an edge wait in the shard's {@link HeldErrorLogs}.
 * Eviction takes whichever is older, the ring's head or the oldest logs, comparing arrival numbers
 * ({@link SpanArena#tailSerial} when the logs came).
 *
 * <h2>Windows</h2>
 *
 * <p>Every entry waits a full window from its own arrival: a span from its arrival, the wait of a
 * child from the child's arrival (each sibling on its own clock: a parent's children may come
 * minutes apart), error logs for one span from the latest of them. A later error log does not
 * restart the window of the span or of the waits under the same id; each of those was already given
 * a full window of its own.
 *
 * <h2>Handing traces over</h2>
 *
 * <p>When Seam consumes Kafka, a partition (and with it every trace it holds) can move to another
 * instance. {@link #forget} then removes the entries of its traces without ending them: the new
 * owner reads their records again and ends them. What it reads again comes back with a {@link
 * Replay}: a call whose two halves are both replayed was counted here and is not counted there
 * ({@link #replayedPairs()}), and a span whose every part had ended here is held there silently.
 *
 * <p>Longer than most classes here because the rules for pairing, ending and handing over share the
 * shard's state and its lock; the state itself lives in {@link SpanArena}.
 */
public final class PairingStore {

  /** Positions a shard's ring starts with: an idle shard costs about 25 KB. */
  private static final int INITIAL_RING = 256;

  private final PairingShard[] shards;
  private final int shardMask;
  private final long windowNanos;
  private final long windowTicks;
  private final int maxEntriesPerShard;
  private final BoundaryListener listener;
  private final LongSupplier nanoClock;
  private final long tickNanos;
  private final LongAdder replayedPairs = new LongAdder();
  private final StoreCounts counts = new StoreCounts();

  /** Held while entries are ended by time or forgotten, so that each sees the other complete. */
  private final Object sweepLock = new Object();

  /**
   * Every entry that arrived at or before this clock reading has ended (see {@link
   * #settledBefore}).
   */
  @GuardedBy("sweepLock")
  private long settledBefore = Long.MIN_VALUE;

  /**
   * @param windowNanos how long an entry waits for its counterpart
   * @param maxEntries bound on entries held at once, split evenly over the shards
   * @param shardCount number of shards, rounded up to a power of two
   * @param listener receives edges, unpaired halves, error-log matches and outcomes
   * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime} outside tests)
   */
  public PairingStore(
      long windowNanos,
      int maxEntries,
      int shardCount,
      BoundaryListener listener,
      LongSupplier nanoClock) {
    this(windowNanos, maxEntries, shardCount, listener, nanoClock, 0, 1);
  }

  /**
   * A store that also remembers the boundary spans it ended, for error logs that come late and for
   * copies of spans that come again ({@link EndedSpans}).
   *
   * @param endedNanos how long an ended boundary span is remembered ({@code pairing.log-window}); 0
   *     for not at all
   * @param maxEnded bound on ended spans remembered at once, split evenly over the shards
   */
  public PairingStore(
      long windowNanos,
      int maxEntries,
      int shardCount,
      BoundaryListener listener,
      LongSupplier nanoClock,
      long endedNanos,
      int maxEnded) {
    if (windowNanos <= 0) {
      throw new IllegalArgumentException("window must be positive");
    }
    int n = Integer.highestOneBit(Math.max(1, shardCount - 1)) << 1;
    if (shardCount == 1) {
      n = 1;
    }
    this.shardMask = n - 1;
    this.windowNanos = windowNanos;
    this.windowTicks = TickClock.windowTicks(windowNanos);
    this.maxEntriesPerShard = Math.max(1, maxEntries / n);
    this.listener = listener;
    this.nanoClock = nanoClock;
    this.tickNanos = 1L << TickClock.shiftFor(windowNanos);
    // A shard holds no more spans than entries, plus the newest before it evicts for it.
    int ringBound = (int) Math.min(maxEntriesPerShard + 1L, SpanArena.MAX_CAPACITY);
    long epoch = nanoClock.getAsLong();
    this.shards = new PairingShard[n];
    int endedPerShard = Math.max(1, maxEnded / n);
    for (int i = 0; i < n; i++) {
      SpanArena arena = new SpanArena(INITIAL_RING, ringBound);
      EndedSpans ended =
          endedNanos > 0
              ? new EndedSpans(
                  endedPerShard, endedNanos, ThreadLocalRandom.current().nextLong(), nanoClock)
              : null;
      shards[i] = new PairingShard(arena, new TickClock(windowNanos, epoch), ended, counts);
    }
  }

  /** Entries held right now. */
  public long pending() {
    long sum = 0;
    for (PairingShard s : shards) {
      sum += s.published;
    }
    return sum;
  }

  /** Ended boundary spans remembered right now ({@link EndedSpans}). */
  public long endedSpans() {
    long sum = 0;
    for (PairingShard s : shards) {
      sum += s.publishedEnded;
    }
    return sum;
  }

  /**
   * Spans ignored as copies of one already seen: of one still held ({@code ended} false) or of a
   * boundary span that ended within {@code pairing.log-window} ({@code ended} true).
   */
  public long duplicateSpans(boolean ended) {
    return (ended ? counts.duplicatesEnded : counts.duplicatesPending).sum();
  }

  /** How error logs that named a span ended. */
  public enum ErrorLogOutcome {
    /** Counted against a half of an edge still held. */
    TIED,
    /** Counted against a half of an edge that had left the store ({@code pairing.log-window}). */
    LATE,
    /** Ended without an edge to count against. */
    UNTIED
  }

  /** Error logs that ended with {@code outcome}. */
  public long errorLogs(ErrorLogOutcome outcome) {
    return switch (outcome) {
      case TIED -> counts.logsTied.sum();
      case LATE -> counts.logsLate.sum();
      case UNTIED -> counts.logsUntied.sum();
    };
  }

  /**
   * Ended spans forgotten: as their {@code pairing.log-window} passed ({@code evicted} false) or
   * early, to stay within {@code pairing.max-ended-spans} ({@code evicted} true).
   */
  public long endedSpansForgotten(boolean evicted) {
    return (evicted ? counts.endedEvicted : counts.endedExpired).sum();
  }

  /**
   * Takes one span.
   *
   * @param span the normalized span
   * @param parentInBatch whether its parent was in the same resource batch (and so on its side)
   * @return false when the span was already held, or is a boundary span that ended within {@code
   *     pairing.log-window} (a duplicate, such as a client's retry), which is then ignored so that
   *     no call is counted twice
   */
  public boolean offerSpan(Span span, boolean parentInBatch) {
    return offerSpan(span, parentInBatch, Replay.NONE);
  }

  /**
   * Takes one span that may be seen again ({@link Replay}). A span seen for the first time does not
   * pair with a {@link Replay#CONTEXT} parent: that parent's window had passed at the previous
   * owner, so the child waits as it would have there. A silent span comes before every span of its
   * partition that is not replayed, so no such child is waiting when it comes.
   *
   * @return false when the span was already held, as for {@link #offerSpan(Span, boolean)}
   */
  public boolean offerSpan(Span span, boolean parentInBatch, Replay replay) {
    long traceHigh = span.traceIdHigh();
    long traceLow = span.traceIdLow();
    PairingShard shard = shardOf(traceLow);
    PairingEvents ev = null;
    shard.lock.lock();
    try {
      SpanArena arena = shard.arena;
      if (arena.find(traceHigh, traceLow, span.spanId()) != SpanArena.NONE) {
        counts.duplicatesPending.increment();
        return false;
      }
      // A replayed span was counted by the previous owner or not at all; Replay decides.
      if (replay == Replay.NONE
          && shard.ended != null
          && shard.ended.find(traceLow, span.spanId()) != EndedSpans.NONE) {
        counts.duplicatesEnded.increment();
        return false;
      }
      while (arena.fullAtBound()) {
        ev = evictOldest(shard, ev);
      }
      int own = arena.append(span, shard.clock.tick(nanoClock.getAsLong(), arena), replay.bits);
      shard.add(1);

      // Children that crossed and came first stop waiting, in the order they came.
      int first = arena.takeWaiting(traceHigh, traceLow, span.spanId());
      if (first != SpanArena.NONE) {
        int n = 0;
        for (int c = first; c != SpanArena.NONE; c = arena.nextTaken(c)) {
          n++;
          // The edge goes to whichever position holds the child as a candidate parent now: its
          // own, or none if that part was evicted (a re-offered copy, if one came since).
          int childOwn = arena.find(arena.traceHi(c), arena.traceLo(c), arena.spanId(c));
          ev = pair(shard, own, span, c, null, childOwn, ev);
        }
        shard.add(-n);
        ev = PairingEvents.of(ev).outcome(Outcome.PAIRED, n);
        popDeadHeads(arena);
      }

      if (mayHaveCrossed(span, parentInBatch)) {
        int parent = arena.find(traceHigh, traceLow, span.parentSpanId());
        if (parent != SpanArena.NONE
            && (replay != Replay.NONE || !arena.has(parent, SpanArena.SILENT))) {
          ev = pair(shard, parent, null, own, span, own, ev);
        } else {
          arena.addWait(own);
          shard.add(1);
        }
      }
      ev = evictOverflow(shard, ev);
    } finally {
      shard.publish();
      shard.lock.unlock();
    }
    dispatch(ev);
    return true;
  }

  /**
   * Takes one ERROR-or-worse log record that names a span. A trace id whose high half is zero is
   * taken as a 64-bit id (Datadog's {@code dd.trace_id}, 64-bit B3 and Jaeger ids), which names the
   * span whose trace id ends in those 64 bits: OpenTelemetry SDKs make 128-bit ids, and 64-bit
   * dialects carry their low half.
   */
  public void offerErrorLog(long traceIdHigh, long traceIdLow, long spanId) {
    offerErrorLog(traceIdHigh, traceIdLow, spanId, Replay.NONE);
  }

  /**
   * Takes one ERROR-or-worse log record that may be seen again ({@link Replay}): a replayed log
   * tied to a call of two replayed halves was counted by the previous owner, and a {@link
   * Replay#CONTEXT} log had ended there, so it is ignored.
   */
  public void offerErrorLog(long traceIdHigh, long traceIdLow, long spanId, Replay replay) {
    if (replay == Replay.CONTEXT) {
      return;
    }
    PairingShard shard = shardOf(traceIdLow);
    PairingEvents ev = null;
    shard.lock.lock();
    try {
      SpanArena arena = shard.arena;
      int p =
          traceIdHigh == 0
              ? arena.findByLow(traceIdLow, spanId)
              : arena.find(traceIdHigh, traceIdLow, spanId);
      int e;
      if (p != SpanArena.NONE && arena.hasEdge(p)) {
        if (replay == Replay.NONE || !arena.has(p, SpanArena.UNCOUNTED_EDGE)) {
          ev = PairingEvents.of(ev).errorLogs(arena.edge(p), arena.edgeSide(p), 1);
          counts.logsTied.increment();
        }
      } else if (p == SpanArena.NONE
          && replay == Replay.NONE
          && shard.ended != null
          && (e = shard.ended.find(traceIdLow, spanId)) != EndedSpans.NONE) {
        // Its span ended: counted against the side it was, or never tied if it was in no edge.
        Object series = shard.ended.series(e);
        if (series != null) {
          ev = PairingEvents.of(ev).lateErrorLog(series, shard.ended.side(e));
          counts.logsLate.increment();
        } else {
          counts.logsUntied.increment();
        }
      } else {
        shard.logs.add(
            traceIdHigh,
            traceIdLow,
            spanId,
            nanoClock.getAsLong(),
            arena.tailSerial(),
            replay == Replay.REPLAYED);
        shard.add(1);
        ev = evictOverflow(shard, ev);
      }
    } finally {
      shard.publish();
      shard.lock.unlock();
    }
    dispatch(ev);
  }

  /** Ends every entry whose window has passed. Call it periodically. */
  public void expire() {
    synchronized (sweepLock) {
      long now = nanoClock.getAsLong();
      expireShards(now);
      // An entry's window is judged in whole ticks: one tick of margin.
      settledBefore = Math.max(settledBefore, now - windowNanos - tickNanos);
    }
  }

  /**
   * A clock reading at or before which every entry has arrived and ended, as of the last {@link
   * #expire}: a record whose entries all arrived by then has nothing left here, whatever became of
   * its halves ({@link Long#MIN_VALUE} before the first expiry).
   */
  public long settledBefore() {
    synchronized (sweepLock) {
      return settledBefore;
    }
  }

  /** Calls whose two halves were both replayed, and so were not reported again. */
  public long replayedPairs() {
    return replayedPairs.sum();
  }

  /** What {@link #forget} removed, and how far expiry had gone when it did. */
  public record Forgotten(long entries, long settledBefore) {}

  /**
   * Removes, without ending them, the entries of every trace {@code which} accepts: their Kafka
   * partition now belongs to another instance, which reads their records again. No expiry runs
   * meanwhile, so {@link Forgotten#settledBefore()} says exactly which of those records had ended
   * here.
   */
  public Forgotten forget(TraceIdPredicate which) {
    synchronized (sweepLock) {
      long n = 0;
      for (PairingShard shard : shards) {
        shard.lock.lock();
        try {
          n += shard.forget(which);
        } finally {
          shard.publish();
          shard.lock.unlock();
        }
      }
      return new Forgotten(n, settledBefore);
    }
  }

  private void expireShards(long now) {
    for (PairingShard shard : shards) {
      PairingEvents ev = null;
      shard.lock.lock();
      try {
        SpanArena arena = shard.arena;
        if (shard.ended != null) {
          int forgotten = shard.ended.expire(now);
          if (forgotten > 0) {
            counts.endedExpired.add(forgotten);
          }
        }
        long nowTick = shard.clock.tick(now, arena);
        // The ring is in arrival order: stop at the first span still in its window.
        while (arena.size() > 0 && nowTick - arena.arrived(arena.head()) >= windowTicks) {
          ev = endOldest(shard, Outcome.EXPIRED, ev);
        }
        int logs = shard.logs.expire(now, windowNanos);
        if (logs > 0) {
          shard.add(-logs);
          counts.logsUntied.add(logs);
          ev = PairingEvents.of(ev).outcome(Outcome.EXPIRED, logs);
        }
      } finally {
        shard.publish();
        shard.lock.unlock();
      }
      dispatch(ev);
    }
  }

  /** Ends every entry now, as if its window had passed (for shutdown). */
  public void expireAll() {
    synchronized (sweepLock) {
      expireAllShards();
    }
  }

  private void expireAllShards() {
    for (PairingShard shard : shards) {
      PairingEvents ev = null;
      shard.lock.lock();
      try {
        while (shard.arena.size() > 0) {
          ev = endOldest(shard, Outcome.EXPIRED, ev);
        }
        int logs = shard.logs.clear();
        if (logs > 0) {
          shard.add(-logs);
          counts.logsUntied.add(logs);
          ev = PairingEvents.of(ev).outcome(Outcome.EXPIRED, logs);
        }
      } finally {
        shard.publish();
        shard.lock.unlock();
      }
      dispatch(ev);
    }
  }

  private static boolean mayHaveCrossed(Span span, boolean parentInBatch) {
    ParentLink link = span.parentLink();
    return link == ParentLink.REMOTE || (link == ParentLink.UNKNOWN && !parentInBatch);
  }

  /**
   * A crossing child found its parent. Either half may be the span being offered ({@code parent} or
   * {@code child} non-null, handed on as it is); a held half is rebuilt only if the two are on
   * different sides and so make an edge. Call with the shard's lock held.
   *
   * @param childOwn the position holding the child as a candidate parent, or {@link SpanArena#NONE}
   */
  @GuardedBy("shard.lock")
  private PairingEvents pair(
      PairingShard shard,
      int parentPos,
      Span parent,
      int childPos,
      Span child,
      int childOwn,
      PairingEvents ev) {
    SpanArena arena = shard.arena;
    arena.markPaired(parentPos);
    Origin childOrigin = child != null ? child.origin() : arena.origin(childPos);
    if (!arena.origin(parentPos).differentSide(childOrigin)) {
      return ev;
    }
    if (parent == null) {
      parent = arena.span(parentPos);
    }
    if (child == null) {
      child = arena.span(childPos);
    }
    Edge edge = new Edge(parent, child, TransportClassifier.classify(parent, child));
    // Both halves replayed: the previous owner of the partition paired and counted them.
    boolean uncounted =
        arena.has(parentPos, SpanArena.REPLAYED) && arena.has(childPos, SpanArena.REPLAYED);
    if (uncounted) {
      replayedPairs.increment();
      ev = PairingEvents.of(ev);
    } else {
      ev = PairingEvents.of(ev).edge(edge);
    }
    // Each half keeps its first edge only (error logs naming it count against that one).
    boolean parentFirst = !arena.hasEdge(parentPos);
    boolean childFirst = childOwn != SpanArena.NONE && !arena.hasEdge(childOwn);
    if (parentFirst || childFirst) {
      // The callee half is where error logs naming the child find it; if its candidate-parent
      // part was evicted (and no copy offered since), only the parent keeps the edge.
      int calleePos = childOwn != SpanArena.NONE ? childOwn : childPos;
      EdgeLinks.Link link =
          arena.link(parentPos, parentFirst, calleePos, childFirst, edge.transport(), uncounted);
      if (!uncounted) {
        ev.keptAs(link);
      }
      if (parentFirst) {
        ev = releaseLogs(shard, parentPos, edge, Side.CALLER, uncounted, ev);
      }
      if (childFirst) {
        ev = releaseLogs(shard, childOwn, edge, Side.CALLEE, uncounted, ev);
      }
    }
    return ev;
  }

  /**
   * Error logs that waited for the span at {@code p}, now the {@code side} of its first edge; the
   * replayed ones are not counted when the edge was counted before ({@code uncounted}). Call with
   * the shard's lock held.
   */
  @GuardedBy("shard.lock")
  private static PairingEvents releaseLogs(
      PairingShard shard, int p, Edge edge, Side side, boolean uncounted, PairingEvents ev) {
    SpanArena arena = shard.arena;
    int fresh = shard.logs.take(arena.traceHi(p), arena.traceLo(p), arena.spanId(p));
    int replayed = shard.logs.takeReplayed(arena.traceHi(p), arena.traceLo(p), arena.spanId(p));
    int counted = uncounted ? fresh : fresh + replayed;
    if (fresh + replayed > 0) {
      shard.add(-(fresh + replayed));
      ev = PairingEvents.of(ev).outcome(Outcome.PAIRED, fresh + replayed);
    }
    if (counted > 0) {
      ev.errorLogs(edge, side, counted);
      shard.counts.logsTied.add(counted);
    }
    return ev;
  }

  /** Evicts the oldest entries while the shard holds too many. Call with its lock held. */
  @GuardedBy("shard.lock")
  private PairingEvents evictOverflow(PairingShard shard, PairingEvents ev) {
    while (shard.entries > maxEntriesPerShard) {
      ev = evictOldest(shard, ev);
    }
    return ev;
  }

  /**
   * Ends the oldest entry as evicted: the oldest logs, or one part of the ring's head (its
   * candidate-parent part first, as the span is held before it waits), whichever arrived first.
   * Evicted halves are not reported unpaired. Call with the shard's lock held.
   */
  @GuardedBy("shard.lock")
  private static PairingEvents evictOldest(PairingShard shard, PairingEvents ev) {
    SpanArena arena = shard.arena;
    ev = PairingEvents.of(ev);
    int logs =
        shard.logs.evictOldestBefore(arena.size() == 0 ? Long.MAX_VALUE : arena.headSerial());
    if (logs > 0) {
      shard.add(-logs);
      shard.counts.logsUntied.add(logs);
      return ev.outcome(Outcome.EVICTED, logs);
    }
    int p = arena.head();
    if (arena.has(p, SpanArena.OWN)) {
      arena.dropOwn(p);
      remember(shard, p, true, false);
      ev.outcome(arena.has(p, SpanArena.PAIRED) ? Outcome.PAIRED : Outcome.EVICTED, 1);
    } else {
      arena.dropOldestWait(p);
      ev.outcome(Outcome.EVICTED, 1);
    }
    shard.add(-1);
    popDeadHeads(arena);
    return ev;
  }

  /**
   * Ends every part of the ring's oldest position with {@code outcome} and removes it. Call with
   * the shard's lock held.
   */
  @GuardedBy("shard.lock")
  private static PairingEvents endOldest(PairingShard shard, Outcome outcome, PairingEvents ev) {
    SpanArena arena = shard.arena;
    ev = PairingEvents.of(ev);
    int p = arena.head();
    Span span = null; // rebuilt at most once, and only if it is reported
    boolean unpaired = false;
    boolean hadOwn = arena.has(p, SpanArena.OWN);
    if (hadOwn) {
      arena.dropOwn(p);
      shard.add(-1);
      if (arena.has(p, SpanArena.PAIRED)) {
        ev.outcome(Outcome.PAIRED, 1);
      } else {
        ev.outcome(outcome, 1);
        if (outcome == Outcome.EXPIRED
            && !arena.has(p, SpanArena.SILENT)
            && arena.kind(p).isOutgoing()
            && arena.protocol(p) != ProtocolHint.DATABASE) {
          span = arena.span(p);
          ev.unpaired(span, Side.CALLER);
          unpaired = true;
        }
      }
    }
    if (arena.has(p, SpanArena.WAIT)) {
      arena.dropOldestWait(p);
      shard.add(-1);
      ev.outcome(outcome, 1);
      if (outcome == Outcome.EXPIRED
          && !arena.has(p, SpanArena.SILENT)
          && (arena.parentLink(p) == ParentLink.REMOTE || arena.kind(p).isIncoming())) {
        ev.unpaired(span != null ? span : arena.span(p), Side.CALLEE);
        unpaired = true;
      }
    }
    remember(shard, p, hadOwn, unpaired);
    arena.popHead();
    // Only forget() leaves positions with no part behind the head.
    popDeadHeads(arena);
    return ev;
  }

  /**
   * Remembers the span at {@code p}, whose candidate-parent part ended now ({@code ownEnded}) or
   * which was reported unpaired ({@code unpaired}), in the shard's {@link EndedSpans} if it counted
   * towards a boundary metric: as a half of its first edge (remembered when its candidate-parent
   * part ends, which is when the ring stops finding it), else as a reported unpaired half. Call
   * with the shard's lock held.
   */
  @GuardedBy("shard.lock")
  private static void remember(PairingShard shard, int p, boolean ownEnded, boolean unpaired) {
    EndedSpans ended = shard.ended;
    if (ended == null) {
      return;
    }
    SpanArena arena = shard.arena;
    int forgotten;
    if (arena.hasEdge(p)) {
      if (!ownEnded) {
        return; // remembered when its candidate-parent part was evicted
      }
      forgotten =
          ended.record(arena.traceLo(p), arena.spanId(p), arena.edgeSide(p), arena.edgeSeries(p));
    } else if (unpaired) {
      forgotten = ended.record(arena.traceLo(p), arena.spanId(p), Side.CALLER, null);
    } else {
      return;
    }
    if (forgotten > 0) {
      shard.counts.endedEvicted.add(forgotten);
    }
  }

  /**
   * Removes head positions with no part left. Without {@link #forget} only the head can be such: a
   * position loses its candidate-parent part only at the head, and its wait early only when its
   * parent came. Forgetting leaves such positions anywhere; each call here pops those that have
   * reached the head, so the head always holds a live entry.
   */
  static void popDeadHeads(SpanArena arena) {
    while (arena.size() > 0 && !arena.has(arena.head(), SpanArena.OWN | SpanArena.WAIT)) {
      arena.popHead();
    }
  }

  private void dispatch(PairingEvents ev) {
    if (ev != null) {
      ev.dispatchTo(listener);
    }
  }

  /**
   * The shard of a trace, by the low half of its id only, so that a 64-bit id in a log finds the
   * shard of its 128-bit trace.
   */
  private PairingShard shardOf(long traceIdLow) {
    long h = traceIdLow * 0x9E3779B97F4A7C15L;
    h ^= h >>> 32;
    return shards[(int) h & shardMask];
  }
}
