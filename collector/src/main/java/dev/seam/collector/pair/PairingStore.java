package dev.seam.collector.pair;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import java.util.function.LongSupplier;

/**
 * Holds spans and error logs until the other half of their boundary call arrives, in any order,
 * within a window.
 *
 * <p>Every span is kept as a candidate parent, because a parent does not announce that a child
 * on another side will name it. A child that may have crossed (its remote-parent flag is set, or
 * the flags are silent and its parent is not in its own batch) looks its parent up, and waits
 * under the parent's id when the parent has not come yet. Error logs wait under the id of the
 * span they name. Each held item is one <em>entry</em>; every entry ends as paired, expired or
 * evicted and is reported to the {@link BoundaryListener}.
 *
 * <p>The store is split into shards by trace id, each behind its own lock, so pipeline threads
 * working on different traces rarely meet. The listener is always called after the lock is
 * released, with the {@link PairingEvents} collected under it.
 *
 * <h2>Layout</h2>
 *
 * <p>The store holds up to a million spans, so a held span must be small: each is one position
 * in its shard's {@link SpanArena}, a ring of flat arrays in arrival order with open-addressing
 * indexes (about 92 bytes a span with its share of the index, plus about 20 once it is a half of
 * an edge, and no allocation to hold one; {@link SpanRing} has the details). One position carries
 * up to two entries: the span as a candidate parent ({@link SpanArena#OWN}) and, for a child that
 * crossed before its parent came, its wait ({@link SpanArena#WAIT}); such a position counts twice
 * in {@link #pending()}, once for each entry. Both parts start their window when the span
 * arrives, which is why one ring in arrival order serves expiry and eviction for both. Arrivals
 * are kept in the shard's {@link TickClock} ticks.
 *
 * <p>The store keeps no {@link Span} object. A held span handed to the listener (a half of an
 * edge, an unpaired half) is rebuilt from the ring when it is reported: equal field by field to
 * the offered one, but not the same object; the half being offered at that moment is handed on
 * as it is. Likewise the edge given with error logs that arrive after their span paired is
 * rebuilt, equal to the one {@link BoundaryListener#onEdge} was given.
 *
 * <p>Error logs that name a span not yet in an edge wait in the shard's {@link HeldErrorLogs}.
 * Eviction takes whichever is older, the ring's head or the oldest logs, comparing arrival
 * numbers ({@link SpanArena#tailSerial} when the logs came).
 *
 * <h2>Windows</h2>
 *
 * <p>Every entry waits a full window from its own arrival: a span from its arrival, the wait of
 * a child from the child's arrival (each sibling on its own clock: a parent's children may come
 * minutes apart), error logs for one span from the latest of them. A later error log does not
 * restart the window of the span or of the waits under the same id; each of those was already
 * given a full window of its own.
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
    // A shard holds no more spans than entries, plus the newest before it evicts for it.
    int ringBound = (int) Math.min(maxEntriesPerShard + 1L, SpanArena.MAX_CAPACITY);
    long epoch = nanoClock.getAsLong();
    this.shards = new PairingShard[n];
    for (int i = 0; i < n; i++) {
      SpanArena arena = new SpanArena(INITIAL_RING, ringBound);
      shards[i] = new PairingShard(arena, new TickClock(windowNanos, epoch));
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

  /**
   * Takes one span.
   *
   * @param span the normalized span
   * @param parentInBatch whether its parent was in the same resource batch (and so on its side)
   * @return false when the span was already held (a duplicate, such as a client's retry), which
   *     is then ignored so that no call is counted twice
   */
  public boolean offerSpan(Span span, boolean parentInBatch) {
    long traceHigh = span.traceIdHigh();
    long traceLow = span.traceIdLow();
    PairingShard shard = shardOf(traceLow);
    PairingEvents ev = null;
    shard.lock.lock();
    try {
      SpanArena arena = shard.arena;
      if (arena.find(traceHigh, traceLow, span.spanId()) != SpanArena.NONE) {
        return false;
      }
      int own = arena.append(span, shard.clock.tick(nanoClock.getAsLong(), arena));
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
        if (parent != SpanArena.NONE) {
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
   * taken as a 64-bit id (Datadog's {@code dd.trace_id}, 64-bit B3 and Jaeger ids), which names
   * the span whose trace id ends in those 64 bits: OpenTelemetry SDKs make 128-bit ids, and
   * 64-bit dialects carry their low half.
   */
  public void offerErrorLog(long traceIdHigh, long traceIdLow, long spanId) {
    PairingShard shard = shardOf(traceIdLow);
    PairingEvents ev = null;
    shard.lock.lock();
    try {
      SpanArena arena = shard.arena;
      int p =
          traceIdHigh == 0
              ? arena.findByLow(traceIdLow, spanId)
              : arena.find(traceIdHigh, traceIdLow, spanId);
      if (p != SpanArena.NONE && arena.hasEdge(p)) {
        ev = PairingEvents.of(ev).errorLogs(arena.edge(p), arena.edgeSide(p), 1);
      } else {
        shard.logs.add(traceIdHigh, traceIdLow, spanId, nanoClock.getAsLong(), arena.tailSerial());
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
    long now = nanoClock.getAsLong();
    for (PairingShard shard : shards) {
      PairingEvents ev = null;
      shard.lock.lock();
      try {
        SpanArena arena = shard.arena;
        long nowTick = shard.clock.tick(now, arena);
        // The ring is in arrival order: stop at the first span still in its window.
        while (arena.size() > 0 && nowTick - arena.arrived(arena.head()) >= windowTicks) {
          ev = endOldest(shard, Outcome.EXPIRED, ev);
        }
        int logs = shard.logs.expire(now, windowNanos);
        if (logs > 0) {
          shard.add(-logs);
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
   * A crossing child found its parent. Either half may be the span being offered ({@code parent}
   * or {@code child} non-null, handed on as it is); a held half is rebuilt only if the two are on
   * different sides and so make an edge. Call with the shard's lock held.
   *
   * @param childOwn the position holding the child as a candidate parent, or {@link
   *     SpanArena#NONE}
   */
  @GuardedBy("shard.lock")
  private static PairingEvents pair(
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
    ev = PairingEvents.of(ev).edge(edge);
    // Each half keeps its first edge only (error logs naming it count against that one).
    boolean parentFirst = !arena.hasEdge(parentPos);
    boolean childFirst = childOwn != SpanArena.NONE && !arena.hasEdge(childOwn);
    if (parentFirst || childFirst) {
      // The callee half is where error logs naming the child find it; if its candidate-parent
      // part was evicted (and no copy offered since), only the parent keeps the edge.
      int calleePos = childOwn != SpanArena.NONE ? childOwn : childPos;
      arena.link(parentPos, parentFirst, calleePos, childFirst, edge.transport());
      if (parentFirst) {
        ev = releaseLogs(shard, parentPos, edge, Side.CALLER, ev);
      }
      if (childFirst) {
        ev = releaseLogs(shard, childOwn, edge, Side.CALLEE, ev);
      }
    }
    return ev;
  }

  /**
   * Error logs that waited for the span at {@code p}, now the {@code side} of its first edge.
   * Call with the shard's lock held.
   */
  @GuardedBy("shard.lock")
  private static PairingEvents releaseLogs(
      PairingShard shard, int p, Edge edge, Side side, PairingEvents ev) {
    SpanArena arena = shard.arena;
    int n = shard.logs.take(arena.traceHi(p), arena.traceLo(p), arena.spanId(p));
    if (n > 0) {
      shard.add(-n);
      ev = PairingEvents.of(ev).errorLogs(edge, side, n).outcome(Outcome.PAIRED, n);
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
      return ev.outcome(Outcome.EVICTED, logs);
    }
    int p = arena.head();
    if (arena.has(p, SpanArena.OWN)) {
      arena.dropOwn(p);
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
    if (arena.has(p, SpanArena.OWN)) {
      arena.dropOwn(p);
      shard.add(-1);
      if (arena.has(p, SpanArena.PAIRED)) {
        ev.outcome(Outcome.PAIRED, 1);
      } else {
        ev.outcome(outcome, 1);
        if (outcome == Outcome.EXPIRED
            && arena.kind(p).isOutgoing()
            && arena.protocol(p) != ProtocolHint.DATABASE) {
          span = arena.span(p);
          ev.unpaired(span, Side.CALLER);
        }
      }
    }
    if (arena.has(p, SpanArena.WAIT)) {
      arena.dropOldestWait(p);
      shard.add(-1);
      ev.outcome(outcome, 1);
      if (outcome == Outcome.EXPIRED
          && (arena.parentLink(p) == ParentLink.REMOTE || arena.kind(p).isIncoming())) {
        ev.unpaired(span != null ? span : arena.span(p), Side.CALLEE);
      }
    }
    arena.popHead();
    return ev;
  }

  /**
   * Removes head positions with no part left. Only the head can be such: a position loses its
   * candidate-parent part only at the head, and its wait early only when its parent came.
   */
  private static void popDeadHeads(SpanArena arena) {
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
