package dev.seam.collector.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The pairing clock when Seam consumes Kafka: event time, so that a backlog read after a restart
 * pairs as it would have live. Each partition this instance owns (of the span and log topics) is
 * as far as the timestamp of the last record processed from it (records carry their producer's
 * wall clock: when the data would have arrived live), or at the wall clock when it has no lag.
 * The clock ({@link #nanos()}) is the minimum over the partitions, never goes back, and is the
 * wall clock when everything is caught up, so an idle fleet still ends pending halves.
 *
 * <p>A partition whose records run more than {@code aheadNanos} ahead of the others is held back
 * ({@link #ahead}, {@link #holdBack}): otherwise its records would arrive in the store at the
 * others' earlier time, and their windows would close early, in event time, as the others caught
 * up. A held-back partition is as far as its next record, so the slowest partition is never held
 * back and the clock always has a partition that can move it.
 *
 * <p>Updated by the consumer thread only; {@link #nanos()} is read by any thread.
 */
public final class EventClock {

  /** A partition's place in event time. */
  private static final class Position {
    /** Timestamp of the last record processed, in nanoseconds; {@link #UNKNOWN} before one. */
    long lastNanos = UNKNOWN;

    /** No records left to read, as of the last poll. */
    boolean caughtUp;

    /** Timestamp of the next record, in nanoseconds, while the partition is held back; else {@link #UNKNOWN}. */
    long heldAtNanos = UNKNOWN;
  }

  private static final long UNKNOWN = Long.MIN_VALUE;

  private final LongSupplier wallNanos;
  private final long aheadNanos;
  private final Map<TopicPartition, Position> positions = new HashMap<>();
  private boolean member;

  // Written by the consumer thread, read by pipeline threads and the sweep.
  private volatile long nanos;

  /**
   * @param wallNanos the wall clock in nanoseconds since the epoch
   * @param aheadNanos how far a partition's records may run ahead of the slowest partition
   */
  public EventClock(LongSupplier wallNanos, long aheadNanos) {
    this.wallNanos = wallNanos;
    this.aheadNanos = aheadNanos;
  }

  /** The clock for the pairing store: nanoseconds since the epoch, never going back. */
  public long nanos() {
    return nanos;
  }

  /** How far the clock is behind the wall clock, in nanoseconds. */
  public long lagNanos() {
    long n = nanos;
    return n == 0 ? 0 : Math.max(0, wallNanos.getAsLong() - n);
  }

  /** This instance now owns {@code tp}; nothing of it is known yet. */
  public void assign(TopicPartition tp) {
    positions.put(tp, new Position());
  }

  /**
   * The group has settled on what this instance owns: with no partitions at all, the clock
   * follows the wall clock.
   */
  public void settled() {
    member = true;
  }

  /**
   * This instance no longer owns {@code tp}. With nothing owned the clock stands still until the
   * group settles again ({@link #settled()}): a partition that comes next may be behind.
   */
  public void revoke(TopicPartition tp) {
    positions.remove(tp);
    if (positions.isEmpty()) {
      member = false;
    }
  }

  /** A record of {@code tp} with this timestamp (milliseconds) was processed. */
  public void processed(TopicPartition tp, long timestampMillis) {
    Position p = positions.get(tp);
    if (p != null) {
      p.lastNanos = bounded(timestampMillis, wallNanos.getAsLong());
      p.caughtUp = false;
    }
  }

  /** {@code tp} waits, its next record having this timestamp, until {@link #mayGoOn} says so. */
  public void holdBack(TopicPartition tp, long timestampMillis) {
    Position p = positions.get(tp);
    if (p != null) {
      p.heldAtNanos = bounded(timestampMillis, wallNanos.getAsLong());
    }
  }

  /**
   * Whether {@code tp}, if it is held back, may go on now: its next record is no longer ahead.
   * If so it is no longer held back.
   */
  public boolean mayGoOn(TopicPartition tp) {
    Position p = positions.get(tp);
    if (p == null || p.heldAtNanos == UNKNOWN) {
      return true;
    }
    if (aheadOfOthers(tp, p.heldAtNanos, wallNanos.getAsLong())) {
      return false;
    }
    p.heldAtNanos = UNKNOWN;
    return true;
  }

  /** What the last poll said about {@code tp}'s lag: 0 is caught up, negative is not known. */
  public void lag(TopicPartition tp, long records) {
    Position p = positions.get(tp);
    if (p != null) {
      p.caughtUp = records == 0;
    }
  }

  /**
   * Moves the clock to the minimum over the partitions (never back) and returns it. A partition
   * with no record processed yet and lag not known to be zero is left out, so that a partition
   * whose first fetch has not come holds nothing up; its records then arrive at the clock's time.
   */
  public long advance() {
    long wall = wallNanos.getAsLong();
    long min = Long.MAX_VALUE;
    boolean any = false;
    for (Position p : positions.values()) {
      long at = at(p, wall);
      if (at != UNKNOWN) {
        min = Math.min(min, at);
        any = true;
      }
    }
    long next = any ? min : positions.isEmpty() && member ? wall : nanos;
    if (next > nanos) {
      nanos = next;
    }
    return nanos;
  }

  /**
   * Whether a record of {@code tp} with this timestamp runs more than the allowed skew ahead of
   * the slowest other partition, and should wait. A partition alone, or whose place is not known
   * yet, is never held back.
   */
  public boolean ahead(TopicPartition tp, long timestampMillis) {
    Position self = positions.get(tp);
    if (self == null || self.lastNanos == UNKNOWN) {
      return false;
    }
    long wall = wallNanos.getAsLong();
    return aheadOfOthers(tp, bounded(timestampMillis, wall), wall);
  }

  private boolean aheadOfOthers(TopicPartition tp, long tsNanos, long wall) {
    long others = Long.MAX_VALUE;
    for (Map.Entry<TopicPartition, Position> e : positions.entrySet()) {
      if (!e.getKey().equals(tp)) {
        long at = at(e.getValue(), wall);
        if (at != UNKNOWN) {
          others = Math.min(others, at);
        }
      }
    }
    return others != Long.MAX_VALUE && tsNanos - others > aheadNanos;
  }

  /** Where a partition is: the wall clock when caught up, else its last record (or next, when held back). */
  private static long at(Position p, long wall) {
    if (p.caughtUp) {
      return wall;
    }
    return p.heldAtNanos != UNKNOWN ? Math.max(p.lastNanos, p.heldAtNanos) : p.lastNanos;
  }

  /** A record timestamp in nanoseconds, no later than the wall clock: a producer whose clock runs ahead must not carry the clock into the future. */
  private static long bounded(long timestampMillis, long wall) {
    return Math.min(timestampMillis * 1_000_000L, wall);
  }
}
