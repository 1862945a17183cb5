package dev.seam.collector.measure;

import dev.seam.collector.component.ComponentConfig;

/**
 * The {@code compat} section: metrics Seam also emits in other tools' names.
 *
 * @param serviceGraph Grafana Tempo's service-graph metrics from the paired calls
 */
public record CompatConfig(ServiceGraphConfig serviceGraph) implements ComponentConfig {

  /** Nothing extra. */
  public static final CompatConfig DEFAULT = new CompatConfig(new ServiceGraphConfig(false));

  /**
   * The {@code compat.service-graph} section.
   *
   * @param enabled whether {@code traces_service_graph_*} series are emitted too
   */
  public record ServiceGraphConfig(boolean enabled) implements ComponentConfig {}
}
