package dev.seam.collector.normalize;

import dev.seam.collector.decode.RawSpan;
import dev.seam.collector.model.ErrorClass;
import dev.seam.collector.model.ProtocolHint;
import java.util.Set;

/**
 * The attributes of one span that the boundary model reads (outcome, transport hints, operation,
 * sizes, peer hints), in either semantic-convention generation. One per thread, refilled for each
 * span by {@link #read}, so that reading them allocates nothing; its values are valid until the
 * next read on the same thread.
 */
final class SpanAttributes {

  /** This thread's cache of RPC operation names, here so one thread-local lookup serves both. */
  final RpcOperations rpcOperations = new RpcOperations();

  // transport hints
  boolean http;
  String rpcSystem;
  boolean messaging;

  /** The broker the span names ({@code messaging.system}), or {@code null}. */
  String messagingSystem;

  boolean database;

  // operation
  String rpcService;
  String rpcMethod;
  String route;
  String destination;

  // outcome
  long httpStatus;
  int grpcCode;
  String errorType;
  boolean otelStatusError;
  String otelStatusDescription;

  /** The span kind a {@code tracing} span names in a field, or {@code null}. */
  String otelKind;

  // sizes, -1 when not known
  long requestBytes;
  long responseBytes;
  long allocatedBytes;

  // peer hints
  String peerService;
  String serverAddress;
  String peerAddress;

  /**
   * Replaces what this holds with the attributes of {@code s}.
   *
   * @param allocatedBytesKeys attribute names that carry bytes allocated during a span
   */
  void read(RawSpan s, Set<String> allocatedBytesKeys) {
    clear();
    for (int i = 0, n = s.attributeCount(); i < n; i++) {
      String key = s.key(i);
      switch (key) {
        case "http.request.method":
        case "http.method":
          http = true;
          break;
        case "http.response.status_code":
        case "http.status_code":
          httpStatus = s.integerValue(i);
          http = true;
          break;
        case "http.route":
          // A route is only ever set by an HTTP server, even when the method attribute is missing.
          route = s.stringValue(i);
          http = true;
          break;
        case "rpc.system":
        case "rpc.system.name":
          rpcSystem = s.stringValue(i);
          break;
        case "rpc.service":
          rpcService = s.stringValue(i);
          break;
        case "rpc.method":
          rpcMethod = s.stringValue(i);
          break;
        case "rpc.grpc.status_code":
          {
            long c = s.integerValue(i);
            grpcCode = c >= 0 && c <= 16 ? (int) c : ErrorClass.grpcCodeNumber(s.stringValue(i));
          }
          break;
        case "rpc.response.status_code":
          grpcCode = ErrorClass.grpcCodeNumber(s.stringValue(i));
          break;
        case "messaging.system":
          messaging = true;
          messagingSystem = s.stringValue(i);
          break;
        case "messaging.destination.name":
        case "messaging.destination":
          destination = s.stringValue(i);
          break;
        case "db.system":
        case "db.system.name":
          database = true;
          break;
        case "peer.service":
        case "service.peer.name":
          peerService = s.stringValue(i);
          break;
        case "server.address":
        case "net.peer.name":
          serverAddress = s.stringValue(i);
          break;
        case "network.peer.address":
        case "net.sock.peer.addr":
          peerAddress = s.stringValue(i);
          break;
        case "error.type":
          errorType = s.stringValue(i);
          break;
        // tracing-opentelemetry turns these fields into the span's status and kind; a layer
        // that does not (or an older one) leaves them as attributes, which mean the same.
        case "otel.status_code":
          otelStatusError = "ERROR".equalsIgnoreCase(s.stringValue(i));
          break;
        case "otel.status_description":
          otelStatusDescription = s.stringValue(i);
          break;
        case "otel.kind":
          otelKind = s.stringValue(i);
          break;
        case "http.request.body.size":
        case "http.request_content_length":
        case "messaging.message.body.size":
        case "rpc.request.body.size":
          requestBytes = nonNegative(s.integerValue(i));
          break;
        case "http.response.body.size":
        case "http.response_content_length":
        case "rpc.response.body.size":
          responseBytes = nonNegative(s.integerValue(i));
          break;
        default:
          if (allocatedBytesKeys.contains(key)) {
            allocatedBytes = nonNegative(s.integerValue(i));
          }
          break;
      }
    }
  }

  private void clear() {
    http = false;
    rpcSystem = null;
    messaging = false;
    messagingSystem = null;
    database = false;
    rpcService = null;
    rpcMethod = null;
    route = null;
    destination = null;
    httpStatus = Attributes.ABSENT;
    grpcCode = -1;
    errorType = null;
    otelStatusError = false;
    otelStatusDescription = null;
    otelKind = null;
    requestBytes = -1;
    responseBytes = -1;
    allocatedBytes = -1;
    peerService = null;
    serverAddress = null;
    peerAddress = null;
  }

  /** Whether the span states an HTTP status above 0. */
  boolean hasHttpStatus() {
    return httpStatus != Attributes.ABSENT && httpStatus > 0;
  }

  /**
   * The protocol the attributes name. Messaging wins over RPC, RPC over HTTP, HTTP over a database;
   * a gRPC status code alone still means gRPC.
   */
  ProtocolHint transportHint() {
    if (messaging) {
      return ProtocolHint.MESSAGING;
    }
    if (rpcSystem != null) {
      return "grpc".equalsIgnoreCase(rpcSystem) ? ProtocolHint.GRPC : ProtocolHint.OTHER_RPC;
    }
    if (http) {
      return ProtocolHint.HTTP;
    }
    if (database) {
      return ProtocolHint.DATABASE;
    }
    return grpcCode >= 0 ? ProtocolHint.GRPC : ProtocolHint.NONE;
  }

  private static long nonNegative(long v) {
    return v == Attributes.ABSENT || v < 0 ? -1 : v;
  }
}
