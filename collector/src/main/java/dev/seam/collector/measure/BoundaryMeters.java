package dev.seam.collector.measure;

import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CALLEE_ALLOCATED_BYTES;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CALLEE_DURATION;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CALLER_DURATION;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CALLS;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CLOCK_SKEW;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CONTEXT_BROKEN;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_ERRORS;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_ERROR_LOGS;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_NEGATIVE_OVERHEAD;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_OVERHEAD;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_QUEUE;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_REQUEST_BYTES;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_RESPONSE_BYTES;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.seam.collector.model.BoundaryKey;
import dev.seam.collector.model.ErrorSide;
import dev.seam.collector.model.Side;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
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
  private final Tags tags;
  private final double[] byteBuckets;
  private final Queue<Meter> registered = new ConcurrentLinkedQueue<>();

  /** When a call last touched the boundary, on the settings' clock. */
  volatile long lastUsedNanos;

  final Counter calls;
  final Timer callerDuration;
  final Timer calleeDuration;
  final Timer overhead;
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
  final Lazy<Timer> queue;

  // Created on first use, so a boundary whose spans never carry sizes has no empty histograms.
  final Lazy<DistributionSummary> requestBytes;
  final Lazy<DistributionSummary> responseBytes;
  final Lazy<DistributionSummary> allocatedBytes;

  BoundaryMeters(
      MeterRegistry registry,
      BoundaryKey key,
      Duration[] durationBuckets,
      Duration[] overheadBuckets,
      double[] byteBuckets,
      long nowNanos) {
    this.registry = registry;
    this.tags = BoundarySeries.tags(key);
    this.byteBuckets = byteBuckets;
    this.lastUsedNanos = nowNanos;
    for (ErrorSide side : ErrorSide.values()) {
      errors.put(side, new ConcurrentHashMap<>());
    }
    calls = counter(BOUNDARY_CALLS, "Paired boundary calls");
    callerDuration =
        timer(
            BOUNDARY_CALLER_DURATION,
            "Duration of the caller's span of each paired call",
            durationBuckets);
    calleeDuration =
        timer(
            BOUNDARY_CALLEE_DURATION,
            "Duration of the callee's span of each paired call",
            durationBuckets);
    overhead =
        timer(
            BOUNDARY_OVERHEAD,
            "Caller duration minus callee duration: the crossing itself",
            overheadBuckets);
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
    queue =
        new Lazy<>(
            () ->
                timer(
                    BOUNDARY_QUEUE,
                    "Time each message of a paired messaging call spent queued: consumer start"
                        + " minus producer end, corrected for clock skew, never negative",
                    durationBuckets));
    requestBytes =
        new Lazy<>(
            () ->
                bytes(BOUNDARY_REQUEST_BYTES, "Request payload bytes of paired calls, when known"));
    responseBytes =
        new Lazy<>(
            () ->
                bytes(
                    BOUNDARY_RESPONSE_BYTES, "Response payload bytes of paired calls, when known"));
    allocatedBytes =
        new Lazy<>(
            () ->
                bytes(
                    BOUNDARY_CALLEE_ALLOCATED_BYTES,
                    "Bytes the callee allocated during a paired call, when its span says"));
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

  /** Removes every meter of this boundary from the registry. */
  void removeFromRegistry() {
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

  private Timer timer(String name, String description, Duration[] slos) {
    return track(
        Timer.builder(name)
            .description(description)
            .tags(tags)
            .serviceLevelObjectives(slos)
            .register(registry));
  }

  private DistributionSummary bytes(String name, String description) {
    return track(
        DistributionSummary.builder(name)
            .description(description)
            .baseUnit("bytes")
            .tags(tags)
            .serviceLevelObjectives(byteBuckets)
            .register(registry));
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
