package dev.seam.collector.pair;

import dev.seam.collector.component.Checks;
import dev.seam.collector.component.ComponentConfig;
import java.time.Duration;

/**
 * The {@code pairing} section: how long and how many halves wait for their counterparts.
 *
 * @param window how long a half waits for its counterpart after it arrives
 * @param maxPending most entries held at once; past it the oldest are evicted (and counted)
 * @param shards lock stripes of the store, rounded up to a power of two
 * @param sweepInterval how often expired entries are ended and counted
 * @param logWindow how long a boundary span is remembered after it left the store, for error logs
 *     that come late and copies of it that come again
 * @param maxEndedSpans most ended boundary spans remembered at once; past it the oldest are
 *     forgotten (and counted)
 * @param fitToHeap whether {@code maxPending} and {@code maxEndedSpans} are lowered, when the JVM's
 *     heap cannot hold them full, to what it can ({@link #fittedTo})
 * @param contextBroken the search for calls whose trace context was lost
 */
public record PairingConfig(
    Duration window,
    int maxPending,
    int shards,
    Duration sweepInterval,
    Duration logWindow,
    int maxEndedSpans,
    boolean fitToHeap,
    ContextBrokenConfig contextBroken)
    implements ComponentConfig {

  /**
   * A 10 s window over at most two million entries in 64 shards, swept twice a second; ended
   * boundary spans remembered for 2 minutes, at most two million of them; both bounds fitted to the
   * heap.
   */
  public static final PairingConfig DEFAULT =
      new PairingConfig(
          Duration.ofSeconds(10),
          2_000_000,
          64,
          Duration.ofMillis(500),
          Duration.ofMinutes(2),
          2_000_000,
          true,
          ContextBrokenConfig.DEFAULT);

  /** Heap a held span costs at most, all in: 80 bytes in the ring, its growth room and index. */
  static final long BYTES_PER_PENDING = 115;

  /** Heap an ended boundary span costs when its table is full (24.4 measured). */
  static final long BYTES_PER_ENDED = 25;

  /** Heap a broken-context root costs in its flat arrays ({@link RecentRoots}: 108) and its map. */
  static final long BYTES_PER_ROOT = 110;

  /** Heap kept for everything but the bounded state: meters, buffers, the server, the config. */
  static final long BASE_BYTES = 48L << 20;

  /**
   * These bounds, lowered where needed so that the pairing store, its ended spans and the
   * broken-context roots, all full, take at most half of what {@code maxHeapBytes} leaves after
   * {@link #BASE_BYTES}; the other half is room for the garbage of the spans going through, which a
   * collector needs to run without thrashing. The store gets four fifths of that share and the
   * ended spans one fifth. A bound is never raised, nor lowered below 10,000; {@link #fitToHeap}
   * false keeps both as they are.
   *
   * <p>With {@code -Xmx1g} the defaults stay at two million each; with Seam's JVM options
   * (deploy/jvm.options, {@code -Xmx224m}, 219 MiB usable) 587,465 pending entries (10 s at 58,000
   * spans/s) and 675,585 ended spans.
   */
  public PairingConfig fittedTo(long maxHeapBytes) {
    if (!fitToHeap) {
      return this;
    }
    long roots = contextBroken.enabled() ? contextBroken.maxRoots() * BYTES_PER_ROOT : 0;
    long share = Math.max(0, maxHeapBytes - BASE_BYTES - roots) / 2;
    int pending = fit(maxPending, share * 4 / 5 / BYTES_PER_PENDING);
    int ended = fit(maxEndedSpans, share / 5 / BYTES_PER_ENDED);
    if (pending == maxPending && ended == maxEndedSpans) {
      return this;
    }
    return new PairingConfig(
        window, pending, shards, sweepInterval, logWindow, ended, fitToHeap, contextBroken);
  }

  private static int fit(int bound, long fits) {
    return (int) Math.min(bound, Math.max(fits, Math.min(bound, 10_000)));
  }

  @Override
  public void validate() {
    Checks.positive("window", window);
    Checks.between("max-pending", maxPending, 1, Integer.MAX_VALUE);
    Checks.between("shards", shards, 1, 4096);
    Checks.positive("sweep-interval", sweepInterval);
    Checks.positive("log-window", logWindow);
    Checks.between("max-ended-spans", maxEndedSpans, 1, 100_000_000);
  }

  /**
   * The {@code pairing.context-broken} section: a caller whose callee never arrived, matched to a
   * root span on the peer side at the same time and operation, is one call whose trace context was
   * lost.
   *
   * @param enabled whether lost trace contexts are looked for
   * @param clockTolerance how far two hosts' clocks may disagree when halves are matched by time
   * @param maxRoots root spans kept as possible callee halves; the oldest are forgotten past this
   */
  public record ContextBrokenConfig(boolean enabled, Duration clockTolerance, int maxRoots)
      implements ComponentConfig {

    /** On, one second of tolerance, 100,000 roots. */
    public static final ContextBrokenConfig DEFAULT =
        new ContextBrokenConfig(true, Duration.ofSeconds(1), 100_000);

    @Override
    public void validate() {
      Checks.positive("clock-tolerance", clockTolerance);
      Checks.between("max-roots", maxRoots, 1, 10_000_000);
    }
  }
}
