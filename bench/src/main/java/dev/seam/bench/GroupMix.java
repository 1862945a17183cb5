package dev.seam.bench;

/**
 * How many traces of each transport a group holds, and which kinds of failure its failing traces
 * carry, for a given size of the Go gateway's request.
 */
final class GroupMix {

  static final int HTTP_PERCENT = 45;
  static final int GRPC_PERCENT = 35;
  static final int FFI_PERCENT = 20;
  static final int ERROR_PERCENT = 5;

  final int traces;
  final int httpTraces;
  final int grpcTraces;
  final int ffiTraces;

  /** The failing traces' kinds of failure; the same count in every variant. */
  final Failure[] failures;

  /** For a Go gateway's request of {@code spansPerRequest} spans (two per trace). */
  GroupMix(int spansPerRequest) {
    this.traces = spansPerRequest / 2;
    this.ffiTraces = Math.max(1, Math.round(traces * FFI_PERCENT / 100f));
    this.grpcTraces = Math.max(1, Math.round(traces * GRPC_PERCENT / 100f));
    this.httpTraces = traces - ffiTraces - grpcTraces;
    int errorCount = Math.max(1, Math.round(traces * ERROR_PERCENT / 100f));
    Failure[] cycle = {Failure.HTTP_503, Failure.GRPC_UNAVAILABLE, Failure.HTTP_TIMEOUT};
    this.failures = new Failure[errorCount];
    for (int i = 0; i < errorCount; i++) {
      failures[i] = cycle[i % cycle.length];
    }
  }

  /** A one-line description of the group, for reports. */
  String describe() {
    int e503 = 0;
    int e14 = 0;
    int eTo = 0;
    for (Failure f : failures) {
      switch (f) {
        case HTTP_503:
          e503++;
          break;
        case GRPC_UNAVAILABLE:
          e14++;
          break;
        case HTTP_TIMEOUT:
          eTo++;
          break;
        default:
          break;
      }
    }
    return String.format(
        "group of %d traces / %d spans in 3 requests (Go %d, Rust service %d, Rust library %d"
            + " spans): %d HTTP, %d gRPC, %d FFI boundary calls; %d failing (%d HTTP 503, %d gRPC"
            + " UNAVAILABLE, %d caller deadline), one ERROR log each",
        traces,
        traces * 4,
        traces * 2,
        2 * (httpTraces + grpcTraces),
        2 * ffiTraces,
        httpTraces,
        grpcTraces,
        ffiTraces,
        failures.length,
        e503,
        e14,
        eTo);
  }
}
