package dev.seam.collector.measure;

import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CALLS;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CLOCK_SKEW;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CONTEXT_BROKEN;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_ERRORS;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_ERROR_LOGS;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_NEGATIVE_OVERHEAD;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.seam.collector.model.BoundaryKey;
import dev.seam.collector.model.ErrorSide;
import dev.seam.collector.model.Side;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.EnumMap;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * The meters of one boundary label set, registered when the boundary is first seen (the optional
 * ones on first use) and kept, so recording a call finds them without building a meter id. It
 * remembers every meter it registered, so that an idle boundary can be removed exactly.
 *
 * <p>Pipeline threads record concurrently: the meters are thread-safe, the maps of per-label meters
 * are concurrent, and each meter created on first use is made once under a lock.
 */
final class BoundaryMeters {

  /** Weight of each new clock-offset sample: about the last 10 calls dominate the estimate. */
  private static final double SKEW_SMOOTHING = 0.1;

  private final MeterRegistry registry;

  /** The key these meters are kept under: one instance per series, shared by its ended spans. */
  private final BoundaryKey key;

  private final Tags tags;
  private final Queue<Meter> registered = new ConcurrentLinkedQueue<>();
  private final Queue<BoundaryHistogram.Series> histograms = new ConcurrentLinkedQueue<>();

  /** When a call last touched the boundary, on the settings' clock. */
  volatile long lastUsedNanos;

  final Counter calls;
  final BoundaryHistogram.Series callerDuration;
  final BoundaryHistogram.Series calleeDuration;
  final BoundaryHistogram.Series overhead;
  final Counter negativeOverhead;

  /** Per failing side, the error counters by error class. */
  private final EnumMap<ErrorSide, ConcurrentHashMap<String, Counter>> errors =
      new EnumMap<>(ErrorSide.class);

  @GuardedBy("errorLogs")
  private final EnumMap<Side, Counter> errorLogs = new EnumMap<>(Side.class);

  /** Read by the gauge without the lock; written under it. */
  private volatile double skewSeconds;

  @GuardedBy("this")
  private boolean skewSeen;

  final Lazy<Counter> contextBroken;

  /** Messaging boundaries only: producer end to consumer start, made on the first such call. */
  final Lazy<BoundaryHistogram.Series> queue;

  // Created on first use, so a boundary whose spans never carry sizes has no empty histograms.
  final Lazy<BoundaryHistogram.Series> requestBytes;
  final Lazy<BoundaryHistogram.Series> responseBytes;
  final Lazy<BoundaryHistogram.Series> allocatedBytes;

  BoundaryMeters(
      MeterRegistry registry, BoundaryHistograms families, BoundaryKey key, long nowNanos) {
    this.registry = registry;
    this.key = key;
    this.tags = BoundarySeries.tags(key);
    this.lastUsedNanos = nowNanos;
    for (ErrorSide side : ErrorSide.values()) {
      errors.put(side, new ConcurrentHashMap<>());
    }
    calls = counter(BOUNDARY_CALLS, "Paired boundary calls");
    callerDuration = histogram(families.callerDuration);
    calleeDuration = histogram(families.calleeDuration);
    overhead = histogram(families.overhead);
    negativeOverhead =
        counter(
            BOUNDARY_NEGATIVE_OVERHEAD,
            "Paired calls whose callee outlasted the caller; their overhead was recorded as 0");
    contextBroken =
        new Lazy<>(
            () ->
                counter(
                    BOUNDARY_CONTEXT_BROKEN,
                    "Calls whose caller and callee reported in two different traces: the trace"
                        + " context was lost at the boundary"));
    queue = new Lazy<>(() -> histogram(families.queue));
    requestBytes = new Lazy<>(() -> histogram(families.requestBytes));
    responseBytes = new Lazy<>(() -> histogram(families.responseBytes));
    allocatedBytes = new Lazy<>(() -> histogram(families.allocatedBytes));
  }

  /** The key of this boundary's series, the same instance for as long as the series lives. */
  BoundaryKey key() {
    return key;
  }

  /** The labels of this boundary. */
  Tags tags() {
    return tags;
  }

  /** The counter of calls that failed on {@code side} with {@code errorClass}. */
  Counter errors(ErrorSide side, String errorClass) {
    ConcurrentHashMap<String, Counter> byClass = errors.get(side);
    Counter c = byClass.get(errorClass);
    if (c == null) {
      c =
          byClass.computeIfAbsent(
              errorClass,
              x ->
                  track(
                      Counter.builder(BOUNDARY_ERRORS)
                          .description(
                              "Paired boundary calls that failed, by the side that failed and the"
                                  + " error class")
                          .tags(tags)
                          .tag("error_side", side.label())
                          .tag("error_class", errorClass)
                          .register(registry)));
    }
    return c;
  }

  /** The counter of error logs that point at {@code side}. */
  Counter errorLogs(Side side) {
    synchronized (errorLogs) {
      return errorLogs.computeIfAbsent(
          side,
          s ->
              track(
                  Counter.builder(BOUNDARY_ERROR_LOGS)
                      .description(
                          "Error log records that name a span of a paired boundary call, by side")
                      .tags(tags)
                      .tag("side", s.label())
                      .register(registry)));
    }
  }

  /**
   * Folds one clock offset sample (nanoseconds) into the smoothed estimate, registering the gauge
   * on the first.
   */
  void clockSkew(long offsetNanos) {
    double seconds = offsetNanos / 1e9;
    synchronized (this) {
      if (!skewSeen) {
        skewSeconds = seconds;
        skewSeen = true;
        track(
            Gauge.builder(BOUNDARY_CLOCK_SKEW, this, x -> x.skewSeconds)
                .description(
                    "Smoothed estimate of how far the callee host's clock runs ahead of the caller"
                        + " host's (negative: behind)")
                .baseUnit("seconds")
                .tags(tags)
                .register(registry));
      } else {
        skewSeconds += SKEW_SMOOTHING * (seconds - skewSeconds);
      }
    }
  }

  /** Removes every meter and histogram series of this boundary. */
  void removeFromRegistry() {
    for (BoundaryHistogram.Series h : histograms) {
      h.remove();
    }
    for (Meter m : registered) {
      registry.remove(m);
    }
  }

  private <M extends Meter> M track(M meter) {
    registered.add(meter);
    return meter;
  }

  private Counter counter(String name, String description) {
    return track(Counter.builder(name).description(description).tags(tags).register(registry));
  }

  private BoundaryHistogram.Series histogram(BoundaryHistogram family) {
    BoundaryHistogram.Series h = family.series(registry, tags);
    histograms.add(h);
    track(h.maxGauge());
    return h;
  }

  /** A value made once, on first use, by whichever thread gets there first. */
  static final class Lazy<T> {
    private final Supplier<T> make;
    private volatile T value;

    Lazy(Supplier<T> make) {
      this.make = make;
    }

    T get() {
      T v = value;
      if (v == null) {
        synchronized (this) {
          v = value;
          if (v == null) {
            v = make.get();
            value = v;
          }
        }
      }
      return v;
    }
  }
}
