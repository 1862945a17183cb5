package dev.seam.collector.config;

import dev.seam.collector.component.Checks;
import dev.seam.collector.component.ComponentConfig;
import dev.seam.collector.component.Size;
import java.time.Duration;

/**
 * The {@code limits} section: when Seam protects itself, which limits hold for several components
 * at once (receivers, measure, shutdown).
 *
 * @param maxInflightBytes request bytes queued or being processed before new exports are refused
 * @param heapShare share of the maximum heap in use after a collection before exports are refused
 * @param retryAfter what a refused client is told to wait
 * @param seriesTtl how long a boundary or process series may go without an update before removal
 * @param maxBoundaries distinct boundary series before new ones share an {@code other} series
 * @param maxServices distinct service names in boundary labels before new ones are {@code other}
 * @param readTimeout how long an OTLP/HTTP request body may take to arrive
 * @param idleTimeout how long a receiver connection may stay silent before it is closed
 * @param shutdownTimeout how long stopping (SIGTERM) may take in all
 */
public record LimitsConfig(
    Size maxInflightBytes,
    double heapShare,
    Duration retryAfter,
    Duration seriesTtl,
    int maxBoundaries,
    int maxServices,
    Duration readTimeout,
    Duration idleTimeout,
    Duration shutdownTimeout)
    implements ComponentConfig {

  /** The embedded defaults. */
  public static final LimitsConfig DEFAULT =
      new LimitsConfig(
          Size.mib(64),
          0.85,
          Duration.ofSeconds(1),
          Duration.ofHours(1),
          10_000,
          1_000,
          Duration.ofSeconds(30),
          Duration.ofMinutes(5),
          Duration.ofSeconds(10));

  @Override
  public void validate() {
    Checks.between("max-inflight-bytes", maxInflightBytes, 1024, Long.MAX_VALUE);
    Checks.between("heap-share", heapShare, 0.1, 1.0);
    Checks.positive("retry-after", retryAfter);
    Checks.positive("series-ttl", seriesTtl);
    Checks.between("max-boundaries", maxBoundaries, 1, 10_000_000);
    Checks.between("max-services", maxServices, 1, 1_000_000);
    Checks.positive("read-timeout", readTimeout);
    // Vert.x takes the idle timeout in whole seconds.
    Checks.atLeast("idle-timeout", idleTimeout, Duration.ofSeconds(1));
    Checks.positive("shutdown-timeout", shutdownTimeout);
  }

  /** These limits with the ones a reload applies live taken from {@code other}. */
  public LimitsConfig withLiveValuesOf(LimitsConfig other) {
    return new LimitsConfig(
        other.maxInflightBytes,
        other.heapShare,
        retryAfter,
        seriesTtl,
        maxBoundaries,
        maxServices,
        readTimeout,
        idleTimeout,
        shutdownTimeout);
  }
}
