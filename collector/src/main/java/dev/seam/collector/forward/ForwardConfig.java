package dev.seam.collector.forward;

import dev.seam.collector.component.Checks;
import dev.seam.collector.component.ComponentConfig;
import dev.seam.collector.component.InvalidConfigException;
import dev.seam.collector.model.Signal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code forward} section: where and how normalized spans and logs are sent downstream.
 *
 * @param enabled whether anything is forwarded
 * @param endpoint downstream base URL: for {@code http/protobuf} the paths {@code /v1/traces} and
 *     {@code /v1/logs} are appended; for {@code grpc}, host and port are used
 * @param protocol {@code http/protobuf} or {@code grpc}
 * @param signals which signals are forwarded: {@code spans}, {@code logs}
 * @param compression {@code gzip} or {@code none}
 * @param timeout per-request timeout
 * @param queueItems most items waiting (or being retried) at once; past it new batches are dropped
 * @param maxInFlight most requests outstanding at once
 * @param retry how a failed batch is retried
 * @param headers extra request headers (authentication, tenant)
 */
public record ForwardConfig(
    boolean enabled,
    String endpoint,
    String protocol,
    List<String> signals,
    String compression,
    Duration timeout,
    int queueItems,
    int maxInFlight,
    RetryConfig retry,
    Map<String, String> headers)
    implements ComponentConfig {

  private static final List<String> PROTOCOLS = List.of("http/protobuf", "grpc");
  private static final List<String> COMPRESSIONS = List.of("gzip", "none");

  /** Off; when switched on, OTLP/HTTP to a local collector, gzip, spans and logs. */
  public static final ForwardConfig DEFAULT =
      new ForwardConfig(
          false,
          "http://127.0.0.1:4318",
          "http/protobuf",
          List.of("spans", "logs"),
          "gzip",
          Duration.ofSeconds(10),
          100_000,
          4,
          RetryConfig.DEFAULT,
          Map.of());

  public ForwardConfig {
    signals = List.copyOf(signals);
    headers = Map.copyOf(headers);
  }

  /**
   * The {@code forward.retry} section.
   *
   * @param initialBackoff first retry delay when the downstream gives none
   * @param maxBackoff longest retry delay
   * @param maxElapsed how long a batch is retried before it is dropped (and counted)
   */
  public record RetryConfig(Duration initialBackoff, Duration maxBackoff, Duration maxElapsed)
      implements ComponentConfig {

    /** 1 s doubling up to 30 s, for at most 5 minutes. */
    public static final RetryConfig DEFAULT =
        new RetryConfig(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5));

    @Override
    public void validate() {
      Checks.positive("initial-backoff", initialBackoff);
      Checks.positive("max-backoff", maxBackoff);
      Checks.positive("max-elapsed", maxElapsed);
    }
  }

  /** A forwarder to {@code endpoint} with the other values at their defaults (for tests). */
  public static ForwardConfig to(String endpoint, String protocol, String... signals) {
    return new ForwardConfig(
        true,
        endpoint,
        protocol,
        List.of(signals),
        DEFAULT.compression,
        DEFAULT.timeout,
        DEFAULT.queueItems,
        DEFAULT.maxInFlight,
        DEFAULT.retry,
        DEFAULT.headers);
  }

  @Override
  public void validate() {
    if (!enabled) {
      return;
    }
    Checks.oneOf("protocol", protocol, PROTOCOLS);
    endpointUri();
    signalSet();
    Checks.oneOf("compression", compression, COMPRESSIONS);
    Checks.positive("timeout", timeout);
    Checks.between("queue-items", queueItems, 1, Integer.MAX_VALUE);
    Checks.between("max-in-flight", maxInFlight, 1, 1024);
  }

  /** Whether the downstream speaks OTLP/gRPC (else OTLP/HTTP protobuf). */
  public boolean grpc() {
    return protocol.equals("grpc");
  }

  /** Whether bodies are gzip-compressed. */
  public boolean gzip() {
    return compression.equals("gzip");
  }

  /** The signals forwarded. */
  public Set<Signal> signalSet() {
    Set<Signal> out = EnumSet.noneOf(Signal.class);
    for (String s : signals) {
      switch (s) {
        case "spans" -> out.add(Signal.SPANS);
        case "logs" -> out.add(Signal.LOGS);
        default ->
            throw new InvalidConfigException("signals", "may list spans and logs, got '" + s + "'");
      }
    }
    return out;
  }

  /** The endpoint with its port made explicit (80 or 443 when the URL names none). */
  public URI endpointUri() {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null
        || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new InvalidConfigException(
          "endpoint", "must be an http:// or https:// URL with a host, got '" + endpoint + "'");
    }
    if (uri.getPort() >= 0) {
      return uri;
    }
    int port = "https".equals(uri.getScheme()) ? 443 : 80;
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), port, uri.getPath(), null, null);
    } catch (URISyntaxException e) {
      throw new InvalidConfigException("endpoint", e.getMessage());
    }
  }
}
