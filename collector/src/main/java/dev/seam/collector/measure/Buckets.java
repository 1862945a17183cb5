package dev.seam.collector.measure;

import java.time.Duration;
import java.util.List;

/**
 * Histogram bucket bounds for the boundary histograms.
 *
 * @param durations bounds of the caller and callee duration histograms
 * @param overhead bounds of the overhead histogram (down to microseconds, for FFI)
 * @param bytes bounds of the payload and allocation histograms
 */
public record Buckets(List<Duration> durations, List<Duration> overhead, List<Long> bytes) {

  public Buckets {
    durations = List.copyOf(durations);
    overhead = List.copyOf(overhead);
    bytes = List.copyOf(bytes);
  }

  Duration[] durationArray() {
    return durations.toArray(Duration[]::new);
  }

  Duration[] overheadArray() {
    return overhead.toArray(Duration[]::new);
  }

  double[] bytesArray() {
    return bytes.stream().mapToDouble(Long::doubleValue).toArray();
  }
}
