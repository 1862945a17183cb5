package dev.seam.collector.measure;

import dev.seam.collector.component.Checks;
import dev.seam.collector.component.ComponentConfig;
import dev.seam.collector.component.InvalidConfigException;
import dev.seam.collector.component.Size;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code boundary} section: what the per-boundary metrics carry.
 *
 * @param operation the operation label
 * @param allocatedBytesAttributes span attributes that carry bytes allocated during the call
 * @param buckets histogram bounds
 * @param nativeHistograms whether the boundary histograms also keep Prometheus native buckets,
 *     which /metrics serves to scrapers that ask for the protobuf format
 */
public record BoundaryConfig(
    OperationConfig operation,
    List<String> allocatedBytesAttributes,
    BucketsConfig buckets,
    boolean nativeHistograms)
    implements ComponentConfig {

  /**
   * The operation label on (50 per boundary), the usual allocation attributes, default buckets,
   * native histograms on.
   */
  public static final BoundaryConfig DEFAULT =
      new BoundaryConfig(
          OperationConfig.DEFAULT,
          List.of("seam.allocated_bytes", "allocated_bytes"),
          BucketsConfig.DEFAULT,
          true);

  public BoundaryConfig {
    allocatedBytesAttributes = List.copyOf(allocatedBytesAttributes);
  }

  /**
   * The {@code boundary.operation} section.
   *
   * @param enabled whether the operation label is filled
   * @param maxPerBoundary distinct operations per boundary before the rest are {@code other}
   */
  public record OperationConfig(boolean enabled, int maxPerBoundary) implements ComponentConfig {

    /** On, 50 operations per boundary. */
    public static final OperationConfig DEFAULT = new OperationConfig(true, 50);

    @Override
    public void validate() {
      Checks.between("max-per-boundary", maxPerBoundary, 1, 10_000);
    }
  }

  /**
   * The {@code boundary.buckets} section: histogram bounds, each list strictly ascending.
   *
   * @param duration bounds of the caller and callee duration histograms
   * @param overhead bounds of the overhead histogram (down to microseconds, for FFI)
   * @param bytes bounds of the payload and allocation histograms
   */
  public record BucketsConfig(List<Duration> duration, List<Duration> overhead, List<Size> bytes)
      implements ComponentConfig {

    /** 100 us to 30 s for durations, 1 us to 1 s for overhead, 64 B to 16 MiB for bytes. */
    public static final BucketsConfig DEFAULT =
        new BucketsConfig(
            micros(
                100,
                250,
                500,
                1_000,
                2_500,
                5_000,
                10_000,
                25_000,
                50_000,
                100_000,
                250_000,
                500_000,
                1_000_000,
                2_500_000,
                5_000_000,
                10_000_000,
                30_000_000),
            micros(
                1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000,
                100_000, 250_000, 500_000, 1_000_000),
            sizes(64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216));

    public BucketsConfig {
      duration = List.copyOf(duration);
      overhead = List.copyOf(overhead);
      bytes = List.copyOf(bytes);
    }

    @Override
    public void validate() {
      positive("duration", duration);
      positive("overhead", overhead);
      for (Size s : bytes) {
        if (s.bytes() <= 0) {
          throw new InvalidConfigException(
              "bytes", "must list positive sizes such as 1024 or 1MiB");
        }
      }
      Checks.ascending("duration", duration);
      Checks.ascending("overhead", overhead);
      Checks.ascending("bytes", bytes);
    }

    /** The bounds as the meters take them. */
    public Buckets toBuckets() {
      return new Buckets(duration, overhead, bytes.stream().map(Size::bytes).toList());
    }

    private static void positive(String key, List<Duration> bounds) {
      for (Duration d : bounds) {
        if (d.isZero() || d.isNegative()) {
          throw new InvalidConfigException(key, "must list positive durations such as 1ms");
        }
      }
    }

    private static List<Duration> micros(double... us) {
      return Arrays.stream(us).mapToObj(u -> Duration.ofNanos(Math.round(u * 1000))).toList();
    }

    private static List<Size> sizes(long... bytes) {
      return Arrays.stream(bytes).mapToObj(Size::bytes).toList();
    }
  }
}
