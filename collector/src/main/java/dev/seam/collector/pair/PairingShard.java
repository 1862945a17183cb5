package dev.seam.collector.pair;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One shard of the {@link PairingStore}: its lock, and the state of the traces it holds, which that
 * lock guards. Pipeline threads take the lock, work on the state, and release it with {@link
 * #unlock}.
 */
final class PairingShard {

  final ReentrantLock lock = new ReentrantLock();

  @GuardedBy("lock")
  final SpanArena arena;

  @GuardedBy("lock")
  final HeldErrorLogs logs = new HeldErrorLogs();

  @GuardedBy("lock")
  final TickClock clock;

  /** Boundary spans that ended within {@code pairing.log-window}; null when that is off. */
  @GuardedBy("lock")
  final EndedSpans ended;

  /** The store's own counts, shared by every shard. */
  final StoreCounts counts;

  /** Entries held; exact under the lock. */
  @GuardedBy("lock")
  int entries;

  /**
   * {@link #entries} as of the last unlock, for {@link PairingStore#pending()}, which reads it
   * without the lock; written only under it.
   */
  volatile int published;

  /** {@link EndedSpans#size()} as of the last unlock, published like {@link #published}. */
  volatile int publishedEnded;

  PairingShard(SpanArena arena, TickClock clock, EndedSpans ended, StoreCounts counts) {
    this.arena = arena;
    this.clock = clock;
    this.ended = ended;
    this.counts = counts;
  }

  @GuardedBy("lock")
  void add(int delta) {
    entries += delta;
  }

  /**
   * Removes, without ending them, the entries of the traces {@code which} accepts: both parts of
   * their spans and their held error logs. Their positions stay in the ring, with no part, until
   * they reach the head.
   *
   * @return how many entries were removed
   */
  @GuardedBy("lock")
  int forget(TraceIdPredicate which) {
    int n = 0;
    for (int i = 0; i < arena.size(); i++) {
      int p = arena.positionAt(i);
      if (!arena.has(p, SpanArena.OWN | SpanArena.WAIT)
          || !which.test(arena.traceHi(p), arena.traceLo(p))) {
        continue;
      }
      if (arena.has(p, SpanArena.WAIT)) {
        // Its siblings waiting for the same parent are of the same trace: all go at once.
        for (int c = arena.takeWaiting(arena.traceHi(p), arena.traceLo(p), arena.parentId(p));
            c != SpanArena.NONE;
            c = arena.nextTaken(c)) {
          n++;
        }
      }
      if (arena.has(p, SpanArena.OWN)) {
        arena.dropOwn(p);
        n++;
      }
    }
    n += logs.forget(which);
    entries -= n;
    PairingStore.popDeadHeads(arena);
    return n;
  }

  /**
   * Publishes the count for readers without the lock: one volatile write per locked call, not one
   * per entry. Called in the {@code finally} block that releases the lock, while it is still held
   * (Error Prone's lock analysis does not follow a lock into {@code finally}).
   */
  @SuppressWarnings("GuardedBy")
  void publish() {
    published = entries;
    if (ended != null) {
      publishedEnded = ended.size();
    }
  }
}
