package dev.seam.collector.measure;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How far one service's clock runs ahead of another's, per pair of services, from the same NTP
 * samples as {@code seam_boundary_clock_skew_seconds} (every remote call whose callee ran inside
 * its caller), smoothed the same way. A messaging call gives no sample of its own (its consumer
 * runs after its producer, not inside it), so its queue time is corrected with what the calls
 * between the same two services in either direction say.
 *
 * <p>Bounded: past {@link #MAX_PAIRS} pairs, new pairs are not tracked (their queue times are then
 * uncorrected). Lookups and updates of a known pair allocate nothing.
 */
final class ClockOffsets {

  /** Most service pairs tracked. */
  static final int MAX_PAIRS = 10_000;

  /** Weight of each new sample: the per-boundary estimate's, about the last 10 calls. */
  private static final double SMOOTHING = 0.1;

  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Estimate>> byCaller =
      new ConcurrentHashMap<>();
  private final AtomicInteger pairs = new AtomicInteger();

  /** Folds one sample: {@code callee}'s clock ran {@code offsetNanos} ahead of {@code caller}'s. */
  void sample(String caller, String callee, long offsetNanos) {
    ConcurrentHashMap<String, Estimate> byCallee = byCaller.get(caller);
    Estimate e = byCallee != null ? byCallee.get(callee) : null;
    if (e == null) {
      if (pairs.get() >= MAX_PAIRS) {
        return;
      }
      e =
          byCaller
              .computeIfAbsent(caller, x -> new ConcurrentHashMap<>())
              .computeIfAbsent(
                  callee,
                  x -> {
                    pairs.incrementAndGet();
                    return new Estimate();
                  });
    }
    e.fold(offsetNanos);
  }

  /**
   * How far {@code to}'s clock runs ahead of {@code from}'s, in nanoseconds: the estimate of calls
   * from {@code from} to {@code to}, else the negated one of calls the other way, else 0 (nothing
   * known: no correction).
   */
  long offset(String from, String to) {
    Estimate e = find(from, to);
    if (e != null) {
      return e.nanos();
    }
    e = find(to, from);
    return e != null ? -e.nanos() : 0;
  }

  private Estimate find(String caller, String callee) {
    ConcurrentHashMap<String, Estimate> byCallee = byCaller.get(caller);
    return byCallee != null ? byCallee.get(callee) : null;
  }

  /** One smoothed estimate, the first sample taken as it is. */
  private static final class Estimate {
    private double nanos;
    private boolean seen;

    synchronized void fold(long sample) {
      if (!seen) {
        nanos = sample;
        seen = true;
      } else {
        nanos += SMOOTHING * (sample - nanos);
      }
    }

    synchronized long nanos() {
      return Math.round(nanos);
    }
  }
}
