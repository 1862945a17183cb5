package dev.seam.collector.pair;

/**
 * One shard's clock in the {@code int} ticks its {@link SpanArena} keeps arrivals in. Not
 * thread-safe: the shard's lock guards it.
 *
 * <p>A tick is the clock's nanoseconds since the shard's epoch, shifted right just enough that the
 * window is under 2^28 ticks (no shift at all for windows under 0.27 s, so a test's nanosecond
 * clock is judged exactly; 64 ns ticks for a 15 s window, which moves an expiry by at most one
 * tick). Ticks are compared as differences, and when they approach 2^30 the epoch moves forward and
 * the held ticks are shifted back, an arrival too old to shift staying at a floor that is older
 * than any window.
 */
final class TickClock {

  /** A window is at most this many ticks. */
  private static final int WINDOW_TICK_BITS = 28;

  /** Beyond this tick the epoch moves forward ... */
  private static final long REBASE_ABOVE = 1L << 30;

  /** ... so that the present becomes this tick ... */
  private static final long REBASED_NOW = 1L << 29;

  /** ... and no held arrival goes below this one, which is more than a window before it. */
  static final int FLOOR_TICK = -(1 << 30);

  private final int shift;

  /** Clock reading that is tick 0. */
  private long epochNanos;

  TickClock(long windowNanos, long epochNanos) {
    this.shift = shiftFor(windowNanos);
    this.epochNanos = epochNanos;
  }

  /** How far nanoseconds are shifted right to make ticks for a window this long. */
  static int shiftFor(long windowNanos) {
    return Math.max(0, 64 - Long.numberOfLeadingZeros(windowNanos) - WINDOW_TICK_BITS);
  }

  /** The window in ticks, rounded up. */
  static long windowTicks(long windowNanos) {
    int shift = shiftFor(windowNanos);
    return (windowNanos >> shift) + ((windowNanos & ((1L << shift) - 1)) != 0 ? 1 : 0);
  }

  /**
   * The tick for {@code now}. When that nears 2^30 the epoch moves so that it is {@link
   * #REBASED_NOW} again, and the arrivals {@code arena} holds move back by as much; this happens at
   * most once every 2^29 ticks, at least twice a window, and costs one pass over the arrivals.
   */
  int tick(long now, SpanArena arena) {
    long t = (now - epochNanos) >> shift;
    if (t > REBASE_ABOVE) {
      long delta = t - REBASED_NOW;
      epochNanos += delta << shift;
      arena.shiftArrivals(delta, FLOOR_TICK);
      t = REBASED_NOW;
    }
    // A clock that went back by more than the floor is clamped, as if it had stood still.
    return (int) Math.max(t, FLOOR_TICK);
  }
}
