package dev.seam.collector.pair;

import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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
 */
public final class PairingStore {

  private final Shard[] shards;
  private final int shardMask;
  private final long windowNanos;
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
    this.shards = new Shard[n];
    for (int i = 0; i < n; i++) {
      shards[i] = new Shard();
    }
    this.shardMask = n - 1;
    this.windowNanos = windowNanos;
    this.maxEntriesPerShard = Math.max(1, maxEntries / n);
    this.listener = listener;
    this.nanoClock = nanoClock;
  }

  /** Entries held right now. */
  public long pending() {
    long sum = 0;
    for (Shard s : shards) {
      sum += s.entries;
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
    Shard shard = shardOf(span.traceIdHigh(), span.traceIdLow());
    Events ev = null;
    shard.lock.lock();
    try {
      long now = nanoClock.getAsLong();
      SpanKey key = new SpanKey(span.traceIdHigh(), span.traceIdLow(), span.spanId());
      Slot own = shard.slots.get(key);
      if (own != null && own.span != null) {
        return false;
      }
      if (own == null) {
        own = new Slot(now);
      } else {
        // Something was waiting for this span; its own window starts now.
        shard.slots.remove(key);
        own.arrivedNanos = now;
      }
      shard.slots.put(key, own);
      own.span = span;
      shard.add(1);

      if (own.waiting != null) {
        List<Span> children = own.waiting;
        own.waiting = null;
        shard.add(-children.size());
        ev = Events.of(ev).outcome(Outcome.PAIRED, children.size());
        for (Span child : children) {
          ev = pair(shard, own, child, shard.slots.get(new SpanKey(child.traceIdHigh(), child.traceIdLow(), child.spanId())), ev);
        }
      }

      if (mayHaveCrossed(span, parentInBatch)) {
        SpanKey parentKey = new SpanKey(span.traceIdHigh(), span.traceIdLow(), span.parentSpanId());
        Slot parent = shard.slots.get(parentKey);
        if (parent != null && parent.span != null) {
          ev = pair(shard, parent, span, own, ev);
        } else {
          parent = hold(shard, parentKey, parent, now);
          if (parent.waiting == null) {
            parent.waiting = new ArrayList<>(1);
          }
          parent.waiting.add(span);
          shard.add(1);
        }
      }
      ev = evictOverflow(shard, ev);
    } finally {
      shard.lock.unlock();
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
      SpanKey key = new SpanKey(traceIdHigh, traceIdLow, spanId);
      Slot slot = shard.slots.get(key);
      if (slot != null && slot.edge != null) {
        ev = Events.of(ev).errorLogs(slot.edge, slot.edgeSide, 1);
      } else {
        slot = hold(shard, key, slot, nanoClock.getAsLong());
        slot.errorLogs++;
        shard.add(1);
        ev = evictOverflow(shard, ev);
      }
    } finally {
      shard.lock.unlock();
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
        Iterator<Slot> it = shard.slots.values().iterator();
        while (it.hasNext()) {
          Slot slot = it.next();
          if (now - slot.arrivedNanos < windowNanos) {
            break;
          }
          it.remove();
          ev = end(shard, slot, Outcome.EXPIRED, ev);
        }
      } finally {
        shard.lock.unlock();
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
        for (Slot slot : shard.slots.values()) {
          ev = end(shard, slot, Outcome.EXPIRED, ev);
        }
        shard.slots.clear();
      } finally {
        shard.lock.unlock();
      }
      dispatch(ev);
    }
  }

  /**
   * The slot to hold a new entry in, its window restarted: every entry waits a full window from
   * its own arrival (a long-running parent's children and error logs come before it, minutes
   * apart), and the slot moves to the young end of the arrival order to match.
   */
  private static Slot hold(Shard shard, SpanKey key, Slot slot, long now) {
    if (slot == null) {
      slot = new Slot(now);
    } else {
      shard.slots.remove(key);
      slot.arrivedNanos = now;
    }
    shard.slots.put(key, slot);
    return slot;
  }

  private static boolean mayHaveCrossed(Span span, boolean parentInBatch) {
    ParentLink link = span.parentLink();
    return link == ParentLink.REMOTE || (link == ParentLink.UNKNOWN && !parentInBatch);
  }

  private Events pair(Shard shard, Slot parentSlot, Span child, Slot childSlot, Events ev) {
    parentSlot.spanPaired = true;
    Span parent = parentSlot.span;
    if (!parent.origin().differentSide(child.origin())) {
      return ev;
    }
    Edge edge = new Edge(parent, child, TransportClassifier.classify(parent, child));
    ev = Events.of(ev).edge(edge);
    ev = attach(shard, parentSlot, edge, Side.CALLER, ev);
    if (childSlot != null) {
      ev = attach(shard, childSlot, edge, Side.CALLEE, ev);
    }
    return ev;
  }

  /** Remembers which side of which edge a span is, and releases error logs waiting for it. */
  private static Events attach(Shard shard, Slot slot, Edge edge, Side side, Events ev) {
    if (slot.edge != null) {
      return ev;
    }
    slot.edge = edge;
    slot.edgeSide = side;
    if (slot.errorLogs > 0) {
      int n = slot.errorLogs;
      slot.errorLogs = 0;
      shard.add(-n);
      ev = Events.of(ev).errorLogs(edge, side, n).outcome(Outcome.PAIRED, n);
    }
    return ev;
  }

  private Events evictOverflow(Shard shard, Events ev) {
    if (shard.entries <= maxEntriesPerShard) {
      return ev;
    }
    Iterator<Slot> it = shard.slots.values().iterator();
    while (shard.entries > maxEntriesPerShard && it.hasNext()) {
      Slot slot = it.next();
      it.remove();
      ev = end(shard, slot, Outcome.EVICTED, ev);
    }
    return ev;
  }

  private static Events end(Shard shard, Slot slot, Outcome outcome, Events ev) {
    ev = Events.of(ev);
    Span span = slot.span;
    if (span != null) {
      shard.add(-1);
      if (slot.spanPaired) {
        ev.outcome(Outcome.PAIRED, 1);
      } else {
        ev.outcome(outcome, 1);
        if (outcome == Outcome.EXPIRED && span.kind().isOutgoing() && span.protocol() != ProtocolHint.DATABASE) {
          ev.unpaired(span, Side.CALLER);
        }
      }
    }
    if (slot.waiting != null) {
      shard.add(-slot.waiting.size());
      ev.outcome(outcome, slot.waiting.size());
      if (outcome == Outcome.EXPIRED) {
        for (Span child : slot.waiting) {
          if (child.parentLink() == ParentLink.REMOTE || child.kind().isIncoming()) {
            ev.unpaired(child, Side.CALLEE);
          }
        }
      }
    }
    if (slot.errorLogs > 0) {
      shard.add(-slot.errorLogs);
      ev.outcome(outcome, slot.errorLogs);
    }
    return ev;
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
    for (Outcome o : Outcome.values()) {
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

  /** Everything held under one span id: the span, children waiting for it, error logs naming it. */
  private static final class Slot {
    long arrivedNanos;
    Span span;
    boolean spanPaired;
    List<Span> waiting;
    int errorLogs;
    Edge edge;
    Side edgeSide;

    Slot(long arrivedNanos) {
      this.arrivedNanos = arrivedNanos;
    }
  }

  private static final class Shard {
    final ReentrantLock lock = new ReentrantLock();
    // Insertion order is arrival order, so expiry stops at the first slot still in its window.
    final LinkedHashMap<SpanKey, Slot> slots = new LinkedHashMap<>(1 << 12);
    volatile int entries;

    void add(int delta) {
      entries = entries + delta; // written only under the lock; read without it by pending()
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
    final int[] outcomes = new int[Outcome.values().length];

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
