package dev.seam.collector.receive;

/**
 * An export could not be handed on now (Kafka did not acknowledge it in time): the client is
 * answered HTTP 503 with Retry-After or gRPC UNAVAILABLE with RetryInfo, and retries.
 */
public final class ExportUnavailableException extends Exception {

  private static final long serialVersionUID = 1L;

  public ExportUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
