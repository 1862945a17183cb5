package dev.seam.bench;

/**
 * How a trace's boundary call fails, if it does; each failure writes one ERROR log record naming
 * the failing span.
 */
enum Failure {
  NONE,
  /** HTTP 503 on both sides; the log names the Rust handler's span. */
  HTTP_503,
  /** gRPC UNAVAILABLE (14) on both sides; the log names the Rust handler's span. */
  GRPC_UNAVAILABLE,
  /**
   * The Go client gave up at its deadline while the slow Rust handler answered 200; the log names
   * the Go client's span.
   */
  HTTP_TIMEOUT
}
