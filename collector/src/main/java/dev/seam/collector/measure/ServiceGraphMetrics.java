package dev.seam.collector.measure;

import static dev.seam.collector.measure.MeasureMetricNames.SERVICE_GRAPH_REQUEST;
import static dev.seam.collector.measure.MeasureMetricNames.SERVICE_GRAPH_REQUEST_CLIENT;
import static dev.seam.collector.measure.MeasureMetricNames.SERVICE_GRAPH_REQUEST_FAILED;
import static dev.seam.collector.measure.MeasureMetricNames.SERVICE_GRAPH_REQUEST_SERVER;

import dev.seam.collector.model.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The service-graph metrics of Grafana Tempo's metrics-generator and the OpenTelemetry Collector's
 * servicegraph connector ({@code traces_service_graph_request_*}), recorded from Seam's paired
 * calls, so Grafana's built-in service graph and Tempo-style panels work unchanged on top of Seam.
 * Switched on with {@code compat.service-graph.enabled}.
 *
 * <p>Pipeline threads record concurrently: the meters of a client, server and connection type are
 * registered once inside the concurrent map's {@code computeIfAbsent}, and are thread-safe.
 */
public final class ServiceGraphMetrics {

  private final MeterRegistry registry;
  private final Duration[] buckets;
  private final ConcurrentHashMap<Key, Meters> meters = new ConcurrentHashMap<>();

  private record Key(String client, String server, String connectionType) {}

  private final class Meters {
    final Counter requests;
    final Counter failed;
    final Timer server;
    final Timer client;

    Meters(Key k) {
      Tags tags =
          Tags.of(
              "client", k.client(), "server", k.server(), "connection_type", k.connectionType());
      requests =
          Counter.builder(SERVICE_GRAPH_REQUEST)
              .description("Requests between two services (Tempo service-graph compatible)")
              .tags(tags)
              .register(registry);
      failed =
          Counter.builder(SERVICE_GRAPH_REQUEST_FAILED)
              .description("Failed requests between two services (Tempo service-graph compatible)")
              .tags(tags)
              .register(registry);
      server =
          Timer.builder(SERVICE_GRAPH_REQUEST_SERVER)
              .description(
                  "Server-side duration of requests between two services (Tempo service-graph"
                      + " compatible)")
              .tags(tags)
              .serviceLevelObjectives(buckets)
              .register(registry);
      client =
          Timer.builder(SERVICE_GRAPH_REQUEST_CLIENT)
              .description(
                  "Client-side duration of requests between two services (Tempo service-graph"
                      + " compatible)")
              .tags(tags)
              .serviceLevelObjectives(buckets)
              .register(registry);
    }
  }

  ServiceGraphMetrics(MeterRegistry registry, Duration[] buckets) {
    this.registry = registry;
    this.buckets = buckets.clone();
  }

  /** Records one paired call. */
  void record(
      String client,
      String server,
      Transport transport,
      boolean failed,
      double weight,
      long clientNanos,
      long serverNanos) {
    // Tempo's connection types: "" for a direct call, "messaging_system" through a broker.
    Key key = new Key(client, server, transport == Transport.MESSAGING ? "messaging_system" : "");
    Meters m = meters.get(key);
    if (m == null) {
      m = meters.computeIfAbsent(key, Meters::new);
    }
    m.requests.increment(weight);
    if (failed) {
      m.failed.increment(weight);
    }
    m.client.record(clientNanos, TimeUnit.NANOSECONDS);
    m.server.record(serverNanos, TimeUnit.NANOSECONDS);
  }
}
