package dev.seam.collector.config;

import dev.seam.collector.forward.ForwardConfig;
import dev.seam.collector.kafka.KafkaConfig;
import dev.seam.collector.measure.Buckets;
import dev.seam.collector.receive.BearerTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything Seam can be configured with, after defaults are applied and values validated.
 *
 * @param grpc the OTLP/gRPC receiver's listen address
 * @param grpcMaxMessageBytes largest gRPC export message after inflation
 * @param http the OTLP/HTTP receiver's listen address
 * @param httpMaxBodyBytes largest HTTP body after inflation
 * @param metrics the Prometheus endpoint's listen address
 * @param pairing pairing window and bounds
 * @param normalize how names are normalized
 * @param forward where normalized spans and logs are forwarded, when enabled
 * @param pipelineThreads threads that decode, pair and measure
 * @param boundary what the boundary metrics carry
 * @param serviceGraphCompat whether Tempo-compatible service-graph metrics are emitted too
 * @param limits when Seam refuses work to protect itself
 * @param auth who may send and scrape
 * @param tls TLS for both receivers, when configured
 * @param kafka Kafka as the source of the data and as where the receivers write it ({@link
 *     KafkaConfig#DISABLED} when no brokers are set)
 */
public record SeamConfig(
    Endpoint grpc,
    long grpcMaxMessageBytes,
    Endpoint http,
    long httpMaxBodyBytes,
    Endpoint metrics,
    Pairing pairing,
    Normalize normalize,
    Optional<ForwardConfig> forward,
    int pipelineThreads,
    Boundary boundary,
    boolean serviceGraphCompat,
    Limits limits,
    Auth auth,
    Optional<Tls> tls,
    KafkaConfig kafka) {

  /**
   * @param tokens bearer tokens the receivers require ({@link BearerTokens#NONE}: none required)
   * @param metrics whether {@code /metrics} requires them too
   */
  public record Auth(BearerTokens tokens, boolean metrics) {}


  /**
   * @param maxInflightBytes request bytes queued or being processed before new exports are refused
   * @param heapShare share of the maximum heap the collected heap may fill before exports are refused
   * @param retryAfter what a refused client is told to wait
   * @param seriesTtl how long a boundary or process series may go without an update before it is removed
   * @param maxBoundaries distinct boundary series before new ones share an {@code other} series
   * @param maxServices distinct service names in boundary labels before new ones are {@code other}
   * @param readTimeout how long an OTLP/HTTP request body may take to arrive
   * @param idleTimeout how long a receiver connection may stay silent before it is closed
   * @param shutdownTimeout how long stopping (SIGTERM) may take in all
   */
  public record Limits(long maxInflightBytes, double heapShare, Duration retryAfter, Duration seriesTtl, int maxBoundaries, int maxServices,
      Duration readTimeout, Duration idleTimeout, Duration shutdownTimeout) {}


  /** A listening socket. */
  public record Endpoint(boolean enabled, String host, int port) {}

  /**
   * TLS for the receivers.
   *
   * @param certFile PEM certificate chain
   * @param keyFile PEM private key
   * @param clientCaFile PEM CA that client certificates must chain to, or {@code null} (no mutual TLS)
   */
  public record Tls(String certFile, String keyFile, String clientCaFile) {}

  /**
   * @param window how long a half waits for its counterpart
   * @param maxPending bound on entries held at once
   * @param shards lock stripes of the store
   * @param sweepInterval how often expired entries are ended
   */
  public record Pairing(Duration window, int maxPending, int shards, Duration sweepInterval, ContextBroken contextBroken) {}

  /**
   * @param enabled whether lost trace contexts are looked for
   * @param clockTolerance how far two hosts' clocks may disagree when matching halves by time
   * @param maxRoots root spans kept as possible callee halves
   */
  public record ContextBroken(boolean enabled, Duration clockTolerance, int maxRoots) {}

  /**
   * @param serviceAliases reported service name to the name shown
   * @param canonicalServiceNames whether service names are lower-cased with '_' written as '-'
   */
  public record Normalize(Map<String, String> serviceAliases, boolean canonicalServiceNames, LogContext logContext) {
    public Normalize {
      serviceAliases = Map.copyOf(serviceAliases);
    }
  }

  /**
   * @param enabled whether trace context named in log attributes or bodies is recovered
   * @param traceIdFields field names holding a trace id
   * @param spanIdFields field names holding a span id
   * @param headerFields field names holding a whole propagation header
   */
  public record LogContext(boolean enabled, List<String> traceIdFields, List<String> spanIdFields, List<String> headerFields) {
    public LogContext {
      traceIdFields = List.copyOf(traceIdFields);
      spanIdFields = List.copyOf(spanIdFields);
      headerFields = List.copyOf(headerFields);
    }
  }

  /**
   * @param operationEnabled whether the operation label is filled
   * @param maxOperationsPerBoundary distinct operations per boundary before the rest are {@code other}
   * @param allocatedBytesAttributes span attributes that carry bytes allocated during the call
   * @param buckets histogram bounds
   */
  public record Boundary(boolean operationEnabled, int maxOperationsPerBoundary, List<String> allocatedBytesAttributes, Buckets buckets) {
    public Boundary {
      allocatedBytesAttributes = List.copyOf(allocatedBytesAttributes);
    }
  }

  /** The embedded defaults. */
  public static SeamConfig defaults() {
    try {
      return ConfigLoader.load(null);
    } catch (ConfigException e) {
      throw new IllegalStateException("embedded defaults are invalid", e);
    }
  }
}
