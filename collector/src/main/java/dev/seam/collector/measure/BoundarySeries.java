package dev.seam.collector.measure;

import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_UNPAIRED;

import dev.seam.collector.model.BoundaryKey;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.UnpairedReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The series of every boundary label set: the meters of its paired calls and its unpaired counters,
 * made on first use (paired calls within the boundary cap), stamped with when they were last used,
 * and removed from the registry once idle so boundaries that are gone (a renamed service, a retired
 * route) stop being exported.
 *
 * <p>Both maps are concurrent. An idle series leaves its map and the registry inside the map's
 * {@code computeIfPresent}, so a call that brings the boundary back at that moment waits and then
 * registers fresh meters rather than taking over the ones being removed.
 */
final class BoundarySeries {

  private final MeterRegistry registry;
  private final CardinalityGuard guard;
  private final LongSupplier clock;
  private final BoundaryHistograms histograms;
  private final ConcurrentHashMap<BoundaryKey, BoundaryMeters> meters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<UnpairedKey, Unpaired> unpaired = new ConcurrentHashMap<>();

  private record UnpairedKey(BoundaryKey key, Side side, UnpairedReason reason) {}

  /** One unpaired counter and when it last counted. */
  private static final class Unpaired {
    final Counter counter;
    volatile long lastUsedNanos;

    Unpaired(Counter counter, long nowNanos) {
      this.counter = counter;
      this.lastUsedNanos = nowNanos;
    }
  }

  BoundarySeries(
      MeterRegistry registry,
      BoundaryHistograms histograms,
      CardinalityGuard guard,
      MeasureSettings settings) {
    this.registry = registry;
    this.histograms = histograms;
    this.guard = guard;
    this.clock = settings.nanoClock();
  }

  /** The meters of {@code key}, or of its transport's {@code other} series past the cap. */
  BoundaryMeters meters(BoundaryKey key) {
    BoundaryMeters m = meters.get(key);
    long now = clock.getAsLong();
    if (m == null) {
      BoundaryKey admitted = guard.newBoundary(key, meters.size());
      m = meters.computeIfAbsent(admitted, k -> new BoundaryMeters(registry, histograms, k, now));
    }
    m.lastUsedNanos = now;
    return m;
  }

  /** The counter of halves of {@code key} left unpaired on {@code side} for {@code reason}. */
  Counter unpaired(BoundaryKey key, Side side, UnpairedReason reason) {
    UnpairedKey k = new UnpairedKey(key, side, reason);
    Unpaired u = unpaired.get(k);
    long now = clock.getAsLong();
    if (u == null) {
      u =
          unpaired.computeIfAbsent(
              k,
              x ->
                  new Unpaired(
                      Counter.builder(BOUNDARY_UNPAIRED)
                          .description(
                              "Boundary halves whose counterpart did not arrive within the pairing"
                                  + " window, by side and reason")
                          .tags(tags(x.key()))
                          .tag("side", x.side().label())
                          .tag("reason", x.reason().label())
                          .register(registry),
                      now));
    }
    u.lastUsedNanos = now;
    return u.counter;
  }

  /**
   * Removes every series that recorded nothing for {@code ttlNanos}. A boundary that comes back
   * starts from zero, which {@code rate()} reads as a counter reset.
   *
   * @return how many series were removed (the meters of one label set count as one)
   */
  int removeIdle(long ttlNanos) {
    long now = clock.getAsLong();
    int[] removed = {0};
    for (BoundaryKey key : meters.keySet()) {
      meters.computeIfPresent(
          key,
          (k, m) -> {
            if (now - m.lastUsedNanos <= ttlNanos) {
              return m;
            }
            m.removeFromRegistry();
            removed[0]++;
            return null;
          });
    }
    for (UnpairedKey key : unpaired.keySet()) {
      unpaired.computeIfPresent(
          key,
          (k, u) -> {
            if (now - u.lastUsedNanos <= ttlNanos) {
              return u;
            }
            registry.remove(u.counter);
            removed[0]++;
            return null;
          });
    }
    return removed[0];
  }

  /** The boundaries (operation empty) that have series now. */
  Set<BoundaryKey> boundaries() {
    Set<BoundaryKey> live = new HashSet<>();
    for (BoundaryKey k : meters.keySet()) {
      live.add(k.withOperation(""));
    }
    for (UnpairedKey k : unpaired.keySet()) {
      live.add(k.key().withOperation(""));
    }
    return live;
  }

  /** The service names that label a series now. */
  Set<String> serviceNames() {
    Set<String> names = new HashSet<>();
    for (BoundaryKey k : meters.keySet()) {
      names.add(k.callerService());
      names.add(k.calleeService());
    }
    for (UnpairedKey k : unpaired.keySet()) {
      names.add(k.key().callerService());
      names.add(k.key().calleeService());
    }
    return names;
  }

  /**
   * The names of the labels every {@code seam_boundary_*} series carries, in {@link #tags} order.
   */
  static final String[] LABEL_NAMES = {
    "caller_service",
    "caller_language",
    "callee_service",
    "callee_language",
    "transport",
    "operation"
  };

  /** The labels every {@code seam_boundary_*} series of {@code k} carries. */
  static Tags tags(BoundaryKey k) {
    return Tags.of(
        "caller_service", k.callerService(),
        "caller_language", k.callerLanguage(),
        "callee_service", k.calleeService(),
        "callee_language", k.calleeLanguage(),
        "transport", k.transport().label(),
        "operation", k.operation());
  }
}
