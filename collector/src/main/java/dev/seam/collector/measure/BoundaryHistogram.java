package dev.seam.collector.measure;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.tracer.initializer.SpanContextSupplier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One boundary histogram family, recorded with the Prometheus Java client's own {@link Histogram}
 * so that each series carries classic buckets at the configured bounds and, when switched on, a
 * native histogram, consistent with each other in every scrape. Micrometer cannot record native
 * histograms; the family lives in the {@link PrometheusRegistry} under Micrometer's registry, next
 * to Micrometer's meters. Scrapers that ask for text or OpenMetrics see the classic series exactly
 * as a Micrometer timer or distribution summary shows them, including its {@code _max} gauge
 * (Micrometer's, kept per series); scrapers that ask for protobuf also get the native buckets.
 *
 * <p>Every boundary histogram ({@code seam_boundary_*_seconds}, {@code *_bytes}) is one of these:
 * make the family once with {@link #seconds} or {@link #bytes}, then one {@link Series} per label
 * set, which {@link BoundaryMeters} registers and removes with the boundary's other meters.
 */
final class BoundaryHistogram {

  /**
   * Native buckets per series before the client halves the resolution (schema 5 -> 4 -> ...): 160
   * buckets at schema 5 cover 5 powers of two at 2.2 % error each, and any range from 1 µs to
   * minutes at schema 2 or more.
   */
  static final int NATIVE_MAX_BUCKETS = 160;

  /** Schema 5: 32 buckets per power of two, each bound 2.2 % above the previous. */
  static final int NATIVE_INITIAL_SCHEMA = 5;

  /**
   * How long Micrometer's Prometheus registry keeps a maximum: its step (one minute), over three
   * rotating buffers. The {@code _max} gauges keep the same.
   */
  private static final DistributionStatisticConfig MAX_WINDOW =
      DistributionStatisticConfig.builder().expiry(Duration.ofMinutes(1)).bufferLength(3).build();

  private final Histogram histogram;
  private final String maxName;
  private final String help;

  /** What a recorded amount is divided by: 1e9 for nanoseconds to seconds, 1 for bytes. */
  private final double divisor;

  private BoundaryHistogram(
      PrometheusRegistry prometheus,
      String name,
      String help,
      double[] bounds,
      double divisor,
      boolean nativeBuckets,
      ExemplarContext exemplars) {
    // The client's histograms ask this global supplier which span is being recorded. The context
    // keeps the span per thread (not per instance), so whichever instance is set answers right.
    SpanContextSupplier.setSpanContext(exemplars);
    Histogram.Builder b =
        Histogram.builder()
            .name(name)
            .help(help)
            .labelNames(BoundarySeries.LABEL_NAMES)
            .classicUpperBounds(bounds)
            .withExemplars();
    if (nativeBuckets) {
      // No reset duration: a reset would zero the classic buckets too, which scrapers of the
      // classic series would read as a counter reset. An idle series is removed and comes back
      // at the initial schema anyway.
      b.nativeInitialSchema(NATIVE_INITIAL_SCHEMA).nativeMaxNumberOfBuckets(NATIVE_MAX_BUCKETS);
    } else {
      b.classicOnly();
    }
    this.histogram = b.build();
    prometheus.register(histogram);
    this.maxName = name + "_max";
    this.help = help;
    this.divisor = divisor;
  }

  /**
   * A histogram of durations, recorded in nanoseconds and exposed in seconds.
   *
   * @param name the Micrometer-style name ({@code seam.boundary.overhead}); Prometheus sees it as a
   *     Micrometer timer's ({@code seam_boundary_overhead_seconds})
   */
  static BoundaryHistogram seconds(
      PrometheusRegistry prometheus,
      String name,
      String help,
      Duration[] bounds,
      boolean nativeBuckets,
      ExemplarContext exemplars) {
    double[] seconds = new double[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      // As Micrometer converts a timer's bounds, so the le values print the same.
      seconds[i] = bounds[i].toNanos() / 1e9;
    }
    return new BoundaryHistogram(prometheus, name, help, seconds, 1e9, nativeBuckets, exemplars);
  }

  /**
   * A histogram of sizes in bytes.
   *
   * @param name the Prometheus name, ending in {@code _bytes}
   */
  static BoundaryHistogram bytes(
      PrometheusRegistry prometheus,
      String name,
      String help,
      double[] bounds,
      boolean nativeBuckets,
      ExemplarContext exemplars) {
    return new BoundaryHistogram(prometheus, name, help, bounds, 1, nativeBuckets, exemplars);
  }

  /**
   * Makes the series of one label set: its data point in the histogram and its {@code _max} gauge
   * in {@code registry}, which the caller tracks to remove it with the series.
   */
  Series series(MeterRegistry registry, Tags tags) {
    List<String> values = new ArrayList<>(BoundarySeries.LABEL_NAMES.length);
    for (String label : BoundarySeries.LABEL_NAMES) {
      values.add(value(tags, label));
    }
    String[] labelValues = values.toArray(String[]::new);
    TimeWindowMax max = new TimeWindowMax(registry.config().clock(), MAX_WINDOW);
    Gauge gauge =
        Gauge.builder(maxName, max, TimeWindowMax::poll)
            .description(help)
            .tags(tags)
            .strongReference(true)
            .register(registry);
    return new Series(this, labelValues, histogram.labelValues(labelValues), max, gauge);
  }

  private static String value(Tags tags, String key) {
    for (Tag t : tags) {
      if (t.getKey().equals(key)) {
        return t.getValue();
      }
    }
    throw new IllegalArgumentException("no " + key + " among " + tags);
  }

  /** The series of one label set. Thread-safe; recording allocates nothing. */
  static final class Series {
    private final BoundaryHistogram family;
    private final String[] labelValues;
    private final DistributionDataPoint point;
    private final TimeWindowMax max;
    private final Gauge maxGauge;

    private Series(
        BoundaryHistogram family,
        String[] labelValues,
        DistributionDataPoint point,
        TimeWindowMax max,
        Gauge maxGauge) {
      this.family = family;
      this.labelValues = labelValues;
      this.point = point;
      this.max = max;
      this.maxGauge = maxGauge;
    }

    /**
     * Records one value in the family's unit of recording: nanoseconds for {@link #seconds}, bytes
     * for {@link #bytes}.
     */
    void record(long amount) {
      // Divided, as Micrometer converts nanoseconds, so a value on a bound lands in its bucket.
      double value = amount / family.divisor;
      point.observe(value);
      max.record(value);
    }

    /** The {@code _max} gauge, a Micrometer meter the boundary removes with its others. */
    Gauge maxGauge() {
      return maxGauge;
    }

    /** Removes the series from the histogram (the gauge is removed from Micrometer's registry). */
    void remove() {
      family.histogram.remove(labelValues);
    }
  }
}
