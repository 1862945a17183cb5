package dev.seam.collector.pair;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One shard of the {@link PairingStore}: its lock, and the state of the traces it holds, which
 * that lock guards. Pipeline threads take the lock, work on the state, and release it with
 * {@link #unlock}.
 */
final class PairingShard {

  final ReentrantLock lock = new ReentrantLock();

  @GuardedBy("lock")
  final SpanArena arena;

  @GuardedBy("lock")
  final HeldErrorLogs logs = new HeldErrorLogs();

  @GuardedBy("lock")
  final TickClock clock;

  /** Entries held; exact under the lock. */
  @GuardedBy("lock")
  int entries;

  /**
   * {@link #entries} as of the last unlock, for {@link PairingStore#pending()}, which reads it
   * without the lock; written only under it.
   */
  volatile int published;

  PairingShard(SpanArena arena, TickClock clock) {
    this.arena = arena;
    this.clock = clock;
  }

  @GuardedBy("lock")
  void add(int delta) {
    entries += delta;
  }

  /**
   * Publishes the count for readers without the lock: one volatile write per locked call, not one
   * per entry. Called in the {@code finally} block that releases the lock, while it is still held
   * (Error Prone's lock analysis does not follow a lock into {@code finally}).
   */
  @SuppressWarnings("GuardedBy")
  void publish() {
    published = entries;
  }
}
