package dev.seam.collector.pair;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Holds spans and error logs until the other half of their boundary call arrives, in any order,
 * within a window.
 *
 * <p>Every span is kept as a candidate parent, because a parent does not announce that a child
 * on another side will name it. A child that may have crossed (its remote-parent flag is set,
 * or the flags are silent and its parent is not in its own batch) looks its parent up, and waits
 * under the parent's id when the parent has not come yet. Error logs wait under the id of the
 * span they name. Each held item is one <em>entry</em>; every entry ends as paired, expired or
 * evicted and is reported to the {@link BoundaryListener}.
 *
 * <p>The store is split into shards by trace id, each behind its own lock, so pipeline threads
 * working on different traces rarely meet. The listener is always called after the lock is
 * released.
 *
 * <h2>Layout</h2>
 *
 * <p>The store holds up to a million spans, so a held span must be small: each is one position
 * in its shard's {@link SpanArena}, a ring of flat arrays in arrival order with open-addressing
 * indexes (about 92 bytes a span with its share of the index, plus about 20 once it is a half
 * of an edge, and no allocation to hold one; the arena's Javadoc has the details). One position
 * carries up to two entries: the span as a candidate parent ({@link SpanArena#OWN}) and, for a
 * child that crossed before its parent came, its wait ({@link SpanArena#WAIT}); such a position
 * counts twice in {@link #pending()}, as the two entries did when they were kept apart. Both
 * parts start their window when the span arrives, which is why one ring in arrival order serves
 * expiry and eviction for both.
 *
 * <p>The store keeps no {@link Span} object. A held span handed to the listener (a half of an
 * edge, an unpaired half) is rebuilt from the ring when it is reported: equal field by field to
 * the offered one, but not the same object; the half being offered at that moment is handed on
 * as it is. Likewise the edge given with error logs that arrive after their span paired is
 * rebuilt, equal to the one {@link BoundaryListener#onEdge} was given.
 *
 * <p>Error logs that name a span not yet in an edge are rare, so they wait in a plain
 * insertion-ordered map per shard, one entry per key with a count, whose window restarts at
 * each new log for the key. Eviction takes whichever is older, the ring's head or the map's
 * first key, comparing arrival numbers ({@link SpanArena#tailSerial} when the log came).
 *
 * <p>Time is kept per span as an {@code int} tick: the clock's nanoseconds since the shard's
 * epoch, shifted right just enough that the window is under 2^28 ticks (no shift at all for
 * windows under 0.27 s, so a test's nanosecond clock is judged exactly; 64 ns ticks for a 15 s
 * window, which moves an expiry by at most one tick). Ticks are compared as differences, and
 * when they approach 2^30 the epoch moves forward and the held ticks are shifted back, an
 * arrival too old to shift staying at a floor that is older than any window.
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

  /** A window is at most this many ticks; see the class comment. */
  private static final int WINDOW_TICK_BITS = 28;
  /** Beyond this tick the shard's epoch moves forward ... */
  private static final long REBASE_ABOVE = 1L << 30;
  /** ... so that the present becomes this tick ... */
  private static final long REBASED_NOW = 1L << 29;
  /** ... and no held arrival goes below this one, which is more than a window before it. */
  private static final int FLOOR_TICK = -(1 << 30);
  /** Outcome.values() copies its array on every call, and dispatch runs for every pairing. */
  private static final Outcome[] OUTCOMES = Outcome.values();
  /** Positions a shard's ring starts with: an idle shard costs about 25 KB. */
  private static final int INITIAL_RING = 256;

  private final Shard[] shards;
  private final int shardMask;
  private final long windowNanos;
  private final int tickShift;
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
  public PairingStore(long windowNanos, int maxEntries, int shardCount, BoundaryListener listener, LongSupplier nanoClock) {
    if (windowNanos <= 0) {
      throw new IllegalArgumentException("window must be positive");
    }
    int n = Integer.highestOneBit(Math.max(1, shardCount - 1)) << 1;
    if (shardCount == 1) {
      n = 1;
    }
    this.shardMask = n - 1;
    this.windowNanos = windowNanos;
    this.tickShift = Math.max(0, 64 - Long.numberOfLeadingZeros(windowNanos) - WINDOW_TICK_BITS);
    this.windowTicks = (windowNanos >> tickShift) + ((windowNanos & ((1L << tickShift) - 1)) != 0 ? 1 : 0);
    this.maxEntriesPerShard = Math.max(1, maxEntries / n);
    this.listener = listener;
    this.nanoClock = nanoClock;
    // A shard holds no more spans than entries, plus the newest before it evicts for it.
    int ringBound = (int) Math.min(maxEntriesPerShard + 1L, SpanArena.MAX_CAPACITY);
    long epoch = nanoClock.getAsLong();
    this.shards = new Shard[n];
    for (int i = 0; i < n; i++) {
      shards[i] = new Shard(new SpanArena(INITIAL_RING, ringBound), epoch);
    }
  }

  /** Entries held right now. */
  public long pending() {
    long sum = 0;
    for (Shard s : shards) {
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
    Shard shard = shardOf(traceHigh, traceLow);
    Events ev = null;
    shard.lock.lock();
    try {
      SpanArena arena = shard.arena;
      if (arena.find(traceHigh, traceLow, span.spanId()) != SpanArena.NONE) {
        return false;
      }
      int own = arena.append(span, tick(shard, nanoClock.getAsLong()));
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
        ev = Events.of(ev).outcome(Outcome.PAIRED, n);
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
      shard.unlock();
    }
    dispatch(ev);
    return true;
  }

  /** Takes one ERROR-or-worse log record that names a span. */
  public void offerErrorLog(long traceIdHigh, long traceIdLow, long spanId) {
    Shard shard = shardOf(traceIdHigh, traceIdLow);
    Events ev = null;
    shard.lock.lock();
    try {
      int p = shard.arena.find(traceIdHigh, traceIdLow, spanId);
      if (p != SpanArena.NONE && shard.arena.hasEdge(p)) {
        ev = Events.of(ev).errorLogs(shard.arena.edge(p), shard.arena.edgeSide(p), 1);
      } else {
        SpanKey key = new SpanKey(traceIdHigh, traceIdLow, spanId);
        // A new log for a key moves it to the young end and restarts the window of all its logs.
        HeldLogs held = shard.logs.remove(key);
        if (held == null) {
          held = new HeldLogs();
        }
        held.count++;
        held.arrivedNanos = nanoClock.getAsLong();
        held.serial = shard.arena.tailSerial();
        shard.logs.put(key, held);
        shard.add(1);
        ev = evictOverflow(shard, ev);
      }
    } finally {
      shard.unlock();
    }
    dispatch(ev);
  }

  /** Ends every entry whose window has passed. Call it periodically. */
  public void expire() {
    long now = nanoClock.getAsLong();
    for (Shard shard : shards) {
      Events ev = null;
      shard.lock.lock();
      try {
        SpanArena arena = shard.arena;
        long nowTick = tick(shard, now);
        // The ring is in arrival order: stop at the first span still in its window.
        while (arena.size() > 0 && nowTick - arena.arrived(arena.head()) >= windowTicks) {
          ev = endOldest(shard, Outcome.EXPIRED, ev);
        }
        Iterator<HeldLogs> it = shard.logs.values().iterator();
        while (it.hasNext()) {
          HeldLogs held = it.next();
          if (now - held.arrivedNanos < windowNanos) {
            break;
          }
          it.remove();
          shard.add(-held.count);
          ev = Events.of(ev).outcome(Outcome.EXPIRED, held.count);
        }
      } finally {
        shard.unlock();
      }
      dispatch(ev);
    }
  }

  /** Ends every entry now, as if its window had passed (for shutdown). */
  public void expireAll() {
    for (Shard shard : shards) {
      Events ev = null;
      shard.lock.lock();
      try {
        while (shard.arena.size() > 0) {
          ev = endOldest(shard, Outcome.EXPIRED, ev);
        }
        for (HeldLogs held : shard.logs.values()) {
          shard.add(-held.count);
          ev = Events.of(ev).outcome(Outcome.EXPIRED, held.count);
        }
        shard.logs.clear();
      } finally {
        shard.unlock();
      }
      dispatch(ev);
    }
  }

  /**
   * The shard's tick for {@code now}: nanoseconds since its epoch, shifted by {@link #tickShift}.
   * When that nears 2^30 the epoch moves so that it is {@link #REBASED_NOW} again, and held
   * arrivals move back by as much (see the class comment); this happens at most once every 2^29
   * ticks, at least twice a window, and costs one pass over the shard's arrivals.
   */
  private int tick(Shard shard, long now) {
    long t = (now - shard.epochNanos) >> tickShift;
    if (t > REBASE_ABOVE) {
      long delta = t - REBASED_NOW;
      shard.epochNanos += delta << tickShift;
      shard.arena.shiftArrivals(delta, FLOOR_TICK);
      t = REBASED_NOW;
    }
    // A clock that went back by more than the floor is clamped, as if it had stood still.
    return (int) Math.max(t, FLOOR_TICK);
  }

  private static boolean mayHaveCrossed(Span span, boolean parentInBatch) {
    ParentLink link = span.parentLink();
    return link == ParentLink.REMOTE || (link == ParentLink.UNKNOWN && !parentInBatch);
  }

  /**
   * A crossing child found its parent. Either half may be the span being offered ({@code parent}
   * or {@code child} non-null, handed on as it is); a held half is rebuilt only if the two are
   * on different sides and so make an edge.
   *
   * @param childOwn the position holding the child as a candidate parent, or {@link
   *     SpanArena#NONE}
   */
  private Events pair(Shard shard, int parentPos, Span parent, int childPos, Span child, int childOwn, Events ev) {
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
    ev = Events.of(ev).edge(edge);
    // Each half keeps its first edge only (error logs naming it count against that one).
    boolean parentFirst = !arena.hasEdge(parentPos);
    boolean childFirst = childOwn != SpanArena.NONE && !arena.hasEdge(childOwn);
    if (parentFirst || childFirst) {
      // The callee half is where error logs naming the child find it; if its candidate-parent
      // part was evicted (and no copy offered since), only the parent keeps the edge.
      arena.link(parentPos, parentFirst, childOwn != SpanArena.NONE ? childOwn : childPos, childFirst, edge.transport());
      if (parentFirst) {
        ev = releaseLogs(shard, parentPos, edge, Side.CALLER, ev);
      }
      if (childFirst) {
        ev = releaseLogs(shard, childOwn, edge, Side.CALLEE, ev);
      }
    }
    return ev;
  }

  /** Error logs that waited for the span at {@code p}, now the {@code side} of its first edge. */
  private static Events releaseLogs(Shard shard, int p, Edge edge, Side side, Events ev) {
    SpanArena arena = shard.arena;
    if (!shard.logs.isEmpty()) {
      HeldLogs held = shard.logs.remove(new SpanKey(arena.traceHi(p), arena.traceLo(p), arena.spanId(p)));
      if (held != null) {
        shard.add(-held.count);
        ev = Events.of(ev).errorLogs(edge, side, held.count).outcome(Outcome.PAIRED, held.count);
      }
    }
    return ev;
  }

  private Events evictOverflow(Shard shard, Events ev) {
    while (shard.entries > maxEntriesPerShard) {
      ev = evictOldest(shard, ev);
    }
    return ev;
  }

  /**
   * Ends the oldest entry as evicted: the first logs, or one part of the ring's head (its
   * candidate-parent part first, which came first when the two were kept apart), whichever
   * arrived first. Evicted halves are not reported unpaired.
   */
  private static Events evictOldest(Shard shard, Events ev) {
    SpanArena arena = shard.arena;
    ev = Events.of(ev);
    if (!shard.logs.isEmpty()) {
      Map.Entry<SpanKey, HeldLogs> oldest = shard.logs.entrySet().iterator().next();
      // Logs that came when the ring's tail was at serial s are older than entry s and later.
      if (arena.size() == 0 || oldest.getValue().serial <= arena.headSerial()) {
        shard.logs.remove(oldest.getKey());
        shard.add(-oldest.getValue().count);
        return ev.outcome(Outcome.EVICTED, oldest.getValue().count);
      }
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

  /** Ends every part of the ring's oldest position with {@code outcome} and removes it. */
  private static Events endOldest(Shard shard, Outcome outcome, Events ev) {
    SpanArena arena = shard.arena;
    ev = Events.of(ev);
    int p = arena.head();
    Span span = null; // rebuilt at most once, and only if it is reported
    if (arena.has(p, SpanArena.OWN)) {
      arena.dropOwn(p);
      shard.add(-1);
      if (arena.has(p, SpanArena.PAIRED)) {
        ev.outcome(Outcome.PAIRED, 1);
      } else {
        ev.outcome(outcome, 1);
        if (outcome == Outcome.EXPIRED && arena.kind(p).isOutgoing() && arena.protocol(p) != ProtocolHint.DATABASE) {
          span = arena.span(p);
          ev.unpaired(span, Side.CALLER);
        }
      }
    }
    if (arena.has(p, SpanArena.WAIT)) {
      arena.dropOldestWait(p);
      shard.add(-1);
      ev.outcome(outcome, 1);
      if (outcome == Outcome.EXPIRED && (arena.parentLink(p) == ParentLink.REMOTE || arena.kind(p).isIncoming())) {
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

  private void dispatch(Events ev) {
    if (ev == null) {
      return;
    }
    if (ev.edges != null) {
      for (Edge e : ev.edges) {
        listener.onEdge(e);
      }
    }
    if (ev.logEdges != null) {
      for (int i = 0; i < ev.logEdges.size(); i++) {
        listener.onErrorLogs(ev.logEdges.get(i), ev.logSides.get(i), ev.logCounts.get(i));
      }
    }
    if (ev.unpaired != null) {
      for (int i = 0; i < ev.unpaired.size(); i++) {
        listener.onUnpaired(ev.unpaired.get(i), ev.unpairedSides.get(i));
      }
    }
    for (Outcome o : OUTCOMES) {
      int n = ev.outcomes[o.ordinal()];
      if (n > 0) {
        listener.onOutcome(o, n);
      }
    }
  }

  private Shard shardOf(long traceIdHigh, long traceIdLow) {
    long h = traceIdLow ^ (traceIdHigh * 0x9E3779B97F4A7C15L);
    h ^= h >>> 31;
    return shards[(int) h & shardMask];
  }

  /** The key of a span in the store: its trace and its own id. */
  private record SpanKey(long traceIdHigh, long traceIdLow, long spanId) {}

  /** Error logs naming one span that is not yet a half of an edge. */
  private static final class HeldLogs {
    int count;
    long arrivedNanos;
    /** {@link SpanArena#tailSerial} when the latest of them came, to compare with the ring. */
    long serial;
  }

  private static final class Shard {
    final ReentrantLock lock = new ReentrantLock();
    final SpanArena arena;
    // Insertion order is arrival order, so expiry stops at the first key still in its window.
    final LinkedHashMap<SpanKey, HeldLogs> logs = new LinkedHashMap<>();
    /** Clock reading that is tick 0 for this shard's arena. */
    long epochNanos;
    /** Entries held; exact under the lock. */
    int entries;
    /** {@link #entries} as of the last unlock, for {@link #pending()}, which reads it without the lock. */
    volatile int published;

    Shard(SpanArena arena, long epochNanos) {
      this.arena = arena;
      this.epochNanos = epochNanos;
    }

    void add(int delta) {
      entries += delta;
    }

    /** Publishes the count (one volatile write per locked call, not one per entry) and unlocks. */
    void unlock() {
      published = entries;
      lock.unlock();
    }
  }

  /** What happened under a lock, reported after it is released. */
  private static final class Events {
    List<Edge> edges;
    List<Span> unpaired;
    List<Side> unpairedSides;
    List<Edge> logEdges;
    List<Side> logSides;
    List<Integer> logCounts;
    final int[] outcomes = new int[OUTCOMES.length];

    static Events of(Events ev) {
      return ev != null ? ev : new Events();
    }

    Events edge(Edge e) {
      if (edges == null) {
        edges = new ArrayList<>(2);
      }
      edges.add(e);
      return this;
    }

    Events unpaired(Span s, Side side) {
      if (unpaired == null) {
        unpaired = new ArrayList<>(2);
        unpairedSides = new ArrayList<>(2);
      }
      unpaired.add(s);
      unpairedSides.add(side);
      return this;
    }

    Events errorLogs(Edge e, Side side, int n) {
      if (logEdges == null) {
        logEdges = new ArrayList<>(1);
        logSides = new ArrayList<>(1);
        logCounts = new ArrayList<>(1);
      }
      logEdges.add(e);
      logSides.add(side);
      logCounts.add(n);
      return this;
    }

    Events outcome(Outcome o, int n) {
      outcomes[o.ordinal()] += n;
      return this;
    }
  }
}
