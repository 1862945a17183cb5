package dev.seam.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Due times for requests at a fixed rate (spans per second), on one schedule shared by all senders:
 * window start + spans before the request / rate. The warm-up and the measured window have one
 * schedule each; a request that is late goes out at once, and how late it went is kept.
 */
final class RateSchedule {

  private final long rate;
  private final long start;
  private final long measureStart;
  private final long end;
  private final AtomicLong warmSpans = new AtomicLong();
  private final AtomicLong scheduledSpans = new AtomicLong();
  private final AtomicLong behindMax = new AtomicLong();

  /**
   * @param rate spans per second, above zero for {@link #measuredWindowFull} and {@link #awaitSlot}
   * @param start when the warm-up starts ({@link System#nanoTime()})
   * @param measureStart when the measured window starts
   * @param end when the measured window ends
   */
  RateSchedule(long rate, long start, long measureStart, long end) {
    this.rate = rate;
    this.start = start;
    this.measureStart = measureStart;
    this.end = end;
  }

  /**
   * True when the measured window's schedule has no slot left before the window ends; asked before
   * taking a slot, so that no gap is left in the schedule.
   */
  boolean measuredWindowFull() {
    return measureStart + (long) (scheduledSpans.get() * 1e9 / rate) >= end;
  }

  /** Takes the slot of a request of {@code spans} spans and waits until it is due. */
  void awaitSlot(int spans) {
    // Two schedules: the warm-up's from the start, the measured window's from its
    // start, so that a collector still warming up does not leave a debt the measured
    // window would pay off in a burst. Within each, a late request goes out at once.
    long due = -1;
    if (System.nanoTime() < measureStart) {
      long slot = warmSpans.getAndAdd(spans);
      due = start + (long) (slot * 1e9 / rate);
    }
    if (due < 0 || due >= measureStart) {
      long slot = scheduledSpans.getAndAdd(spans);
      due = measureStart + (long) (slot * 1e9 / rate);
    }
    long wait = due - System.nanoTime();
    while (wait > 0) {
      LockSupport.parkNanos(wait);
      wait = due - System.nanoTime();
    }
    if (due >= measureStart) {
      behindMax.accumulateAndGet(-wait, Math::max);
    }
  }

  /** How late, at most, a request of the measured window went out, in nanoseconds. */
  long behindMaxNanos() {
    return behindMax.get();
  }
}
