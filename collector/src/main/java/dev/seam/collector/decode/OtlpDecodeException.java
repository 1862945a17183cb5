package dev.seam.collector.decode;

/**
 * Thrown when an OTLP request body cannot be decoded at all: it is malformed (JSON syntax, protobuf
 * wire format, compression) or its JSON does not have the shape of the expected export request. The
 * message is written for the client that sent the body and is meant to be returned verbatim in the
 * {@code google.rpc.Status} of a 400 reply.
 */
public final class OtlpDecodeException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Creates an exception whose message describes what is wrong with the body. */
  public OtlpDecodeException(String message) {
    super(message);
  }

  /**
   * Creates an exception whose message describes what is wrong with the body; {@code cause} is kept
   * for server-side logs only, its message may already be folded into {@code message}.
   */
  public OtlpDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
