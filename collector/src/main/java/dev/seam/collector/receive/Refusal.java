package dev.seam.collector.receive;

import com.google.rpc.Code;
import dev.seam.collector.decode.BodyTooLargeException;
import dev.seam.collector.decode.OtlpDecodeException;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.CompletionException;

/**
 * Why a whole export request is turned away, as the {@code reason} label of {@code
 * seam_refused_requests_total} spells it, and how each receiver answers it: the HTTP status with
 * the {@code google.rpc.Code} of its {@code Status} body, and the gRPC status.
 */
public enum Refusal {
  MALFORMED("malformed", 400, Code.INVALID_ARGUMENT, GrpcStatus.INVALID_ARGUMENT),
  TOO_LARGE("too_large", 413, Code.RESOURCE_EXHAUSTED, GrpcStatus.RESOURCE_EXHAUSTED),
  UNSUPPORTED_MEDIA_TYPE(
      "unsupported_media_type", 415, Code.INVALID_ARGUMENT, GrpcStatus.INVALID_ARGUMENT),
  UNSUPPORTED_ENCODING(
      "unsupported_encoding", 415, Code.INVALID_ARGUMENT, GrpcStatus.UNIMPLEMENTED),
  METHOD_NOT_ALLOWED("method_not_allowed", 405, Code.UNIMPLEMENTED, GrpcStatus.UNIMPLEMENTED),
  NOT_FOUND("not_found", 404, Code.NOT_FOUND, GrpcStatus.UNIMPLEMENTED),
  INTERNAL_ERROR("internal_error", 500, Code.INTERNAL, GrpcStatus.INTERNAL),
  TIMEOUT("timeout", 408, Code.DEADLINE_EXCEEDED, GrpcStatus.DEADLINE_EXCEEDED),
  UNAUTHENTICATED("unauthenticated", 401, Code.UNAUTHENTICATED, GrpcStatus.UNAUTHENTICATED),
  OVERLOADED("overloaded", 503, Code.UNAVAILABLE, GrpcStatus.UNAVAILABLE),
  /**
   * The export could not be handed on ({@code kafka.produce}: Kafka did not acknowledge it in
   * time).
   */
  UNAVAILABLE("unavailable", 503, Code.UNAVAILABLE, GrpcStatus.UNAVAILABLE);

  /**
   * The {@code signal} label of a request whose signal cannot be told (no such endpoint or method).
   */
  static final String UNKNOWN_SIGNAL = "unknown";

  private final String label;
  private final int httpStatus;
  private final Code code;
  private final GrpcStatus grpcStatus;

  Refusal(String label, int httpStatus, Code code, GrpcStatus grpcStatus) {
    this.label = label;
    this.httpStatus = httpStatus;
    this.code = code;
    this.grpcStatus = grpcStatus;
  }

  /** The value of the {@code reason} label. */
  public String label() {
    return label;
  }

  /** The HTTP status OTLP/HTTP answers with. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The code of the {@code google.rpc.Status} body OTLP/HTTP answers with. */
  public Code code() {
    return code;
  }

  /** The status OTLP/gRPC answers with. */
  public GrpcStatus grpcStatus() {
    return grpcStatus;
  }

  /** Whether the answer carries a retry hint (Retry-After, RetryInfo): the client should retry. */
  public boolean retryable() {
    return this == OVERLOADED || this == UNAVAILABLE;
  }

  /**
   * Why an export that was handed to the pipeline failed: an undecodable body, a body too large
   * once inflated, or anything else (a fault in Seam).
   */
  static Refusal ofFailure(Throwable cause) {
    cause = unwrap(cause);
    if (cause instanceof ExportUnavailableException) {
      return UNAVAILABLE;
    }
    if (cause instanceof OtlpDecodeException) {
      return MALFORMED;
    }
    if (cause instanceof BodyTooLargeException) {
      return TOO_LARGE;
    }
    return INTERNAL_ERROR;
  }

  /** What the client is told about an export that failed with {@code cause}. */
  static String describe(Throwable cause) {
    cause = unwrap(cause);
    return ofFailure(cause) == INTERNAL_ERROR ? "internal error: " + cause : cause.getMessage();
  }

  /** The failure itself, out of the wrapper a completion stage may have put around it. */
  private static Throwable unwrap(Throwable cause) {
    return cause instanceof CompletionException && cause.getCause() != null
        ? cause.getCause()
        : cause;
  }

  /** What an overloaded answer says, {@code why} being {@link Admission#overloaded()}. */
  static String overloadedMessage(String why, long retryAfterSeconds) {
    return "Seam is overloaded ("
        + (why != null ? why : "busy")
        + "); retry after "
        + retryAfterSeconds
        + " s";
  }
}
