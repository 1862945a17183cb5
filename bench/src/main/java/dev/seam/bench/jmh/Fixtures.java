package dev.seam.bench.jmh;

import dev.seam.bench.Workload;
import dev.seam.collector.config.ConfigException;
import dev.seam.collector.config.ConfigLoader;
import dev.seam.collector.config.SeamConfig;
import java.util.ArrayList;
import java.util.List;

/** Requests and configuration shared by the benchmarks: the load generator's own workload. */
final class Fixtures {

  /** Spans per request, as the SDKs' default batch processors send them. */
  static final int SPANS_PER_REQUEST = 256;

  private Fixtures() {}

  /**
   * The protobuf trace requests of {@code groups} successive workload groups, Go and Rust halves in
   * arrival order.
   */
  static List<byte[]> traceRequests(int groups) {
    Workload w = new Workload(42, SPANS_PER_REQUEST);
    List<byte[]> out = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      out.addAll(w.nextTraceRequests());
    }
    return out;
  }

  /** The number of spans in each request. */
  static int[] spanCounts(List<byte[]> requests) {
    Workload w = new Workload(0, SPANS_PER_REQUEST);
    return requests.stream().mapToInt(w::spansIn).toArray();
  }

  /** Seam's embedded defaults, with overrides given as YAML. */
  static SeamConfig config(String yaml) {
    try {
      return yaml.isEmpty() ? ConfigLoader.fromYaml() : ConfigLoader.fromYaml(yaml);
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    }
  }
}
