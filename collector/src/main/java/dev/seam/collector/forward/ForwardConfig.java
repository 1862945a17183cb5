package dev.seam.collector.forward;

import dev.seam.collector.model.Signal;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Where and how normalized telemetry is forwarded.
 *
 * @param endpoint downstream base URL: for {@code http/protobuf} the paths {@code /v1/traces} and
 *     {@code /v1/logs} are appended; for {@code grpc}, host and port are used
 * @param grpc whether the downstream speaks OTLP/gRPC (else OTLP/HTTP protobuf)
 * @param signals which signals are forwarded (spans, logs)
 * @param gzip whether bodies are gzip-compressed
 * @param timeout per-request timeout
 * @param queueItems most items waiting (or being retried) at once; past it new batches are dropped
 * @param maxInFlight most requests outstanding at once
 * @param initialBackoff first retry delay when the downstream gives none
 * @param maxBackoff longest retry delay
 * @param maxElapsed how long a batch is retried before it is dropped
 * @param headers extra request headers (authentication, tenant)
 */
public record ForwardConfig(
    URI endpoint,
    boolean grpc,
    Set<Signal> signals,
    boolean gzip,
    Duration timeout,
    int queueItems,
    int maxInFlight,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration maxElapsed,
    Map<String, String> headers) {

  public ForwardConfig {
    signals = Set.copyOf(signals);
    headers = Map.copyOf(headers);
  }
}
