package dev.seam.collector.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The pairing clock when Seam consumes Kafka: event time, so that a backlog read after a restart
 * pairs as it would have live. Each partition this instance owns (of the span and log topics) is as
 * far as the timestamp of the last record processed from it (records carry their producer's wall
 * clock: when the data would have arrived live), or at the wall clock when it has nothing left to
 * read. The clock ({@link #nanos()}) is the minimum over the partitions, never goes back, and is
 * the wall clock when everything is caught up, so an idle fleet still ends pending halves.
 *
 * <p>Records are processed across partitions in timestamp order ({@link KafkaSource} merges the
 * fetched records); {@link #mayProcess} holds a record back while another partition whose next
 * record has not been fetched yet may still have earlier ones, by more than {@code aheadNanos}.
 * Otherwise a partition read ahead would put its records into the store at the others' earlier
 * time, and their windows would close early, in event time, as the others caught up.
 *
 * <p>Updated by the consumer thread only; {@link #nanos()} is read by any thread.
 */
public final class EventClock {

  /** A partition's place in event time. */
  private static final class Position {
    /** Timestamp of the last record processed, in nanoseconds; {@link #UNKNOWN} before one. */
    long lastNanos = UNKNOWN;

    /** Timestamp of the next record, fetched and waiting; {@link #UNKNOWN} when none waits. */
    long nextNanos = UNKNOWN;

    /** No records left to fetch, as of the last poll. */
    boolean caughtUp;
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
   * @param aheadNanos how far a record may be ahead of where a partition whose next record is not
   *     fetched yet stands
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
   * The group has settled on what this instance owns: with no partitions at all, the clock follows
   * the wall clock.
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
    }
  }

  /** The next record of {@code tp}, fetched and waiting, has this timestamp (milliseconds). */
  public void next(TopicPartition tp, long timestampMillis) {
    Position p = positions.get(tp);
    if (p != null) {
      p.nextNanos = bounded(timestampMillis, wallNanos.getAsLong());
    }
  }

  /** No fetched record of {@code tp} waits. */
  public void noNext(TopicPartition tp) {
    Position p = positions.get(tp);
    if (p != null) {
      p.nextNanos = UNKNOWN;
    }
  }

  /** What the last poll said about {@code tp}'s lag: 0 is caught up, negative is not known. */
  public void lag(TopicPartition tp, long records) {
    Position p = positions.get(tp);
    if (p != null) {
      p.caughtUp = records == 0;
    }
  }

  /**
   * Moves the clock to the minimum over the partitions (never back) and returns it. Records are
   * processed in timestamp order, so a partition with a fetched record waiting has nothing earlier
   * left: it is as far as that record. One with nothing to fetch is at the wall clock; one whose
   * next record is not fetched yet, at its last record. A partition with neither is left out, so
   * that a partition whose first fetch has not come holds nothing up; its records then arrive at
   * the clock's time.
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
   * Whether a record of {@code tp} with this timestamp may be processed now: no other partition may
   * still hold a record more than the allowed skew earlier (see {@link #advance} for how far a
   * partition is; one never fetched nor processed holds everything up until its first fetch).
   */
  public boolean mayProcess(TopicPartition tp, long timestampMillis) {
    long wall = wallNanos.getAsLong();
    long ts = bounded(timestampMillis, wall);
    for (Map.Entry<TopicPartition, Position> e : positions.entrySet()) {
      if (e.getKey().equals(tp)) {
        continue;
      }
      long at = at(e.getValue(), wall);
      if (at == UNKNOWN || ts - at > aheadNanos) {
        return false;
      }
    }
    return true;
  }

  /** How far a partition is (see {@link #advance}), or {@link #UNKNOWN}. */
  private static long at(Position p, long wall) {
    if (p.nextNanos != UNKNOWN) {
      return p.nextNanos;
    }
    return p.caughtUp ? wall : p.lastNanos;
  }

  /**
   * A record timestamp in nanoseconds, no later than the wall clock: a producer whose clock runs
   * ahead must not carry the clock into the future.
   */
  private static long bounded(long timestampMillis, long wall) {
    return Math.min(timestampMillis * 1_000_000L, wall);
  }
}
