package dev.seam.collector.expose;

import dev.seam.collector.component.Checks;
import dev.seam.collector.component.ComponentConfig;

/**
 * The {@code metrics} section: where {@code /metrics}, {@code /healthz} and {@code /readyz} listen.
 *
 * @param host the address the endpoint binds
 * @param port its port; 0 picks a free one
 */
public record MetricsConfig(String host, int port) implements ComponentConfig {

  /** {@code 0.0.0.0:9464}, the OpenTelemetry Prometheus exporter's port. */
  public static final MetricsConfig DEFAULT = new MetricsConfig("0.0.0.0", 9464);

  @Override
  public void validate() {
    Checks.notBlank("host", host);
    Checks.port("port", port);
  }
}
