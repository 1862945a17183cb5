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
 * @param contextBroken the search for calls whose trace context was lost
 */
public record PairingConfig(
    Duration window,
    int maxPending,
    int shards,
    Duration sweepInterval,
    Duration logWindow,
    int maxEndedSpans,
    ContextBrokenConfig contextBroken)
    implements ComponentConfig {

  /**
   * A 10 s window over at most two million entries in 64 shards, swept twice a second; ended
   * boundary spans remembered for 2 minutes, at most two million of them.
   */
  public static final PairingConfig DEFAULT =
      new PairingConfig(
          Duration.ofSeconds(10),
          2_000_000,
          64,
          Duration.ofMillis(500),
          Duration.ofMinutes(2),
          2_000_000,
          ContextBrokenConfig.DEFAULT);

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
