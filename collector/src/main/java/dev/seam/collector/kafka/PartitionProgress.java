package dev.seam.collector.kafka;

import dev.seam.collector.pair.Replay;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * How far this instance got with one partition of the span or log topic, and what it commits for
 * it. Not thread-safe: the consumer thread owns it.
 *
 * <p>It keeps, in offset order, the records processed whose entries the pairing store may still
 * hold, with the pairing clock's time when each was processed (its entries' arrival; arrivals grow
 * with offsets, as the clock never goes back). Records processed at one time are kept as one run,
 * its first offset and that time: the clock moves in the records' own milliseconds, so a run holds
 * a dozen records or more at a fleet's rates, and a window's worth costs tens of kilobytes rather
 * than 16 bytes a record (which came to 26 MB over 12 partitions of a consumer draining a backlog).
 * Every answer is the one per-record bookkeeping gives, since the records of a run share their
 * arrival. Given the store's {@code settledBefore} (every entry that arrived by then has ended), it
 * commits the offset a next owner starts reading from, with a {@link HandOver}: records up to the
 * first one still held are only context, read so that held halves find the counterparts they found
 * here, which arrived at most one window earlier; records after that were held here when the
 * partition was handed over.
 */
final class PartitionProgress {

  private static final int MIN_RUNS = 64;

  private final HandOver previous;

  // Run i holds the records from offsets[i] up to the next run's first offset (or lastProcessed),
  // all processed at arrivals[i]; a ring of runs from head, size of them.
  private long[] offsets = new long[MIN_RUNS];
  private long[] arrivals = new long[MIN_RUNS];
  private int head;
  private int size;
  private long lastProcessed = -1;
  private OffsetAndMetadata committed;

  /**
   * @param previous what the previous owner committed, or null when it was not Seam
   */
  PartitionProgress(HandOver previous) {
    this.previous = previous;
  }

  /** How the record at {@code offset} is to be processed: for the first time, or again. */
  Replay replayOf(long offset) {
    return previous == null ? Replay.NONE : previous.replayOf(offset);
  }

  /**
   * The record at {@code offset} was processed when the pairing clock read {@code arrivalNanos}.
   */
  void processed(long offset, long arrivalNanos) {
    if (size > 0 && arrivals[(head + size - 1) % offsets.length] == arrivalNanos) {
      lastProcessed = offset;
      return;
    }
    if (size == offsets.length) {
      resize(offsets.length * 2);
    }
    int i = (head + size) % offsets.length;
    offsets[i] = offset;
    arrivals[i] = arrivalNanos;
    size++;
    lastProcessed = offset;
  }

  /** The last commit point given did not reach Kafka: give it again with the next commit. */
  void commitFailed() {
    committed = null;
  }

  /** Runs of records kept for the next commit (for tests and sizing). */
  int runs() {
    return size;
  }

  /**
   * What to commit now, or null when nothing changed since the last commit point given (or no
   * record was processed): the offset of the oldest record that may still matter to a next owner,
   * and the hand-over.
   *
   * @param settledBefore every entry that arrived at or before this has ended
   * @param windowNanos the pairing window
   */
  OffsetAndMetadata commitPoint(long settledBefore, long windowNanos) {
    OffsetAndMetadata point = handOver(settledBefore, windowNanos);
    if (point == null || point.equals(committed)) {
      return null;
    }
    committed = point;
    return point;
  }

  /** What to commit for a next owner now, changed or not; null when no record was processed. */
  OffsetAndMetadata handOver(long settledBefore, long windowNanos) {
    if (lastProcessed < 0) {
      return null;
    }
    // A record that arrived a window before the first one still held cannot be its counterpart.
    long irrelevant =
        settledBefore == Long.MIN_VALUE ? Long.MIN_VALUE : settledBefore - windowNanos;
    while (size > 0 && arrivals[head] <= irrelevant) {
      head = (head + 1) % offsets.length;
      size--;
    }
    if (offsets.length > MIN_RUNS && size < offsets.length / 4) {
      // A backlog's burst is over: give the room back.
      resize(offsets.length / 2);
    }
    long start = size > 0 ? offsets[head] : lastProcessed + 1;
    // Arrivals grow with offsets: the first one after settledBefore by bisection.
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (arrivals[(head + mid) % offsets.length] > settledBefore) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    long contextEnd = lo < size ? offsets[(head + lo) % offsets.length] : lastProcessed + 1;
    long replayEnd = lastProcessed;
    if (previous != null) {
      // What was only context here was context at the owner before, whatever its arrival here.
      contextEnd = Math.max(contextEnd, previous.contextEnd());
      replayEnd = Math.max(replayEnd, previous.replayEnd());
    }
    return new OffsetAndMetadata(start, new HandOver(contextEnd, replayEnd).metadata());
  }

  private void resize(int length) {
    long[] o = new long[length];
    long[] a = new long[length];
    for (int k = 0; k < size; k++) {
      int i = (head + k) % offsets.length;
      o[k] = offsets[i];
      a[k] = arrivals[i];
    }
    offsets = o;
    arrivals = a;
    head = 0;
  }
}
