package dev.seam.collector.measure;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How {@link BoundaryMetrics} labels and bounds what it records.
 *
 * @param operationEnabled whether the {@code operation} label is filled (else it is empty)
 * @param maxOperations distinct operations kept per boundary before the rest become {@code other}
 * @param buckets histogram bounds
 * @param serviceGraph whether Tempo-compatible {@code traces_service_graph_request_*} metrics are
 *     recorded too
 * @param maxBoundaries distinct boundary series (with their operation) before new ones share an
 *     {@code other} series per transport
 * @param maxServices distinct service names in the service labels before new ones are {@code other}
 * @param nanoClock monotonic time that says when a series was last used ({@code System::nanoTime}
 *     outside tests)
 * @param nativeHistograms whether the boundary histograms keep native buckets next to the classic
 *     ones (served to scrapers that ask for the protobuf format)
 */
public record MeasureSettings(
    boolean operationEnabled,
    int maxOperations,
    Buckets buckets,
    boolean serviceGraph,
    int maxBoundaries,
    int maxServices,
    LongSupplier nanoClock,
    boolean nativeHistograms) {

  public MeasureSettings {
    Objects.requireNonNull(buckets, "buckets");
    Objects.requireNonNull(nanoClock, "nanoClock");
    positive("maxOperations", maxOperations);
    positive("maxBoundaries", maxBoundaries);
    positive("maxServices", maxServices);
  }

  /**
   * The embedded defaults' choices with these buckets: operations on (50 per boundary), no service
   * graph, 10,000 boundaries, 1,000 services, the system clock, native histograms.
   */
  public static MeasureSettings defaults(Buckets buckets) {
    return new MeasureSettings(true, 50, buckets, false, 10_000, 1_000, System::nanoTime, true);
  }

  /** The same with the {@code operation} label switched on or off and capped per boundary. */
  public MeasureSettings withOperations(boolean enabled, int max) {
    return new MeasureSettings(
        enabled,
        max,
        buckets,
        serviceGraph,
        maxBoundaries,
        maxServices,
        nanoClock,
        nativeHistograms);
  }

  /** The same with the service-graph metrics switched on or off. */
  public MeasureSettings withServiceGraph(boolean enabled) {
    return new MeasureSettings(
        operationEnabled,
        maxOperations,
        buckets,
        enabled,
        maxBoundaries,
        maxServices,
        nanoClock,
        nativeHistograms);
  }

  /** The same with other cardinality caps. */
  public MeasureSettings withCaps(int boundaries, int services) {
    return new MeasureSettings(
        operationEnabled,
        maxOperations,
        buckets,
        serviceGraph,
        boundaries,
        services,
        nanoClock,
        nativeHistograms);
  }

  /** The same with another clock. */
  public MeasureSettings withNanoClock(LongSupplier clock) {
    return new MeasureSettings(
        operationEnabled,
        maxOperations,
        buckets,
        serviceGraph,
        maxBoundaries,
        maxServices,
        clock,
        nativeHistograms);
  }

  /** The same with native histograms switched on or off. */
  public MeasureSettings withNativeHistograms(boolean enabled) {
    return new MeasureSettings(
        operationEnabled,
        maxOperations,
        buckets,
        serviceGraph,
        maxBoundaries,
        maxServices,
        nanoClock,
        enabled);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }
}
