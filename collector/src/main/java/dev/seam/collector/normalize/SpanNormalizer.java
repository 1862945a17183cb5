package dev.seam.collector.normalize;

import dev.seam.collector.model.ErrorClass;
import dev.seam.collector.model.Ids;
import dev.seam.collector.model.LabelValues;
import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.decode.RawSpan;
import java.util.Set;

/**
 * Reduces an OTLP span to a {@link Span}. It reads the old and the stable HTTP and RPC
 * semantic-convention names alike, and judges failure as the span's own SDK would.
 */
public final class SpanNormalizer {

  /** gRPC codes a server reports as an error (otelgrpc's and tonic's server-side rule). */
  private static final int SERVER_ERROR_CODES = (1 << 2) | (1 << 4) | (1 << 12) | (1 << 13) | (1 << 14) | (1 << 15);

  private static final int STATUS_OK = 1;
  private static final int STATUS_ERROR = 2;

  private final Set<String> allocatedBytesAttributes;
  private final ServiceNames serviceNames;

  /**
   * @param allocatedBytesAttributes attribute names that carry bytes allocated during a span
   */
  public SpanNormalizer(Set<String> allocatedBytesAttributes) {
    this(allocatedBytesAttributes, ServiceNames.AS_REPORTED);
  }

  /**
   * @param allocatedBytesAttributes attribute names that carry bytes allocated during a span
   * @param serviceNames how a {@code peer.service} hint is named, the same way as reported services
   */
  public SpanNormalizer(Set<String> allocatedBytesAttributes, ServiceNames serviceNames) {
    this.allocatedBytesAttributes = Set.copyOf(allocatedBytesAttributes);
    this.serviceNames = serviceNames;
  }

  /**
   * Why a span cannot be used, or {@code null} when its ids are well formed. A span needs a
   * 16-byte non-zero trace id, an 8-byte non-zero span id, and a parent id that is empty or 8
   * bytes.
   */
  public static String invalidReason(io.opentelemetry.proto.trace.v1.Span s) {
    int t = s.getTraceId().size();
    int id = s.getSpanId().size();
    return invalidReason(t, id, s.getParentSpanId().size(),
        t == 16 && Ids.readLong(s.getTraceId(), 0) == 0 && Ids.readLong(s.getTraceId(), 8) == 0,
        id == 8 && Ids.readLong(s.getSpanId(), 0) == 0);
  }

  /** {@link #invalidReason(io.opentelemetry.proto.trace.v1.Span)} for a span read by the {@link dev.seam.collector.decode.TraceReader}. */
  public static String invalidReason(RawSpan s) {
    return invalidReason(s.traceIdLength(), s.spanIdLength(), s.parentSpanIdLength(),
        s.traceIdHigh() == 0 && s.traceIdLow() == 0, s.spanId() == 0);
  }

  private static String invalidReason(int traceIdLength, int spanIdLength, int parentIdLength, boolean zeroTraceId, boolean zeroSpanId) {
    if (traceIdLength != 16) {
      return "span has a " + traceIdLength + "-byte trace_id (want 16)";
    }
    if (spanIdLength != 8) {
      return "span has a " + spanIdLength + "-byte span_id (want 8)";
    }
    if (parentIdLength != 0 && parentIdLength != 8) {
      return "span has a " + parentIdLength + "-byte parent_span_id (want 0 or 8)";
    }
    if (zeroTraceId) {
      return "span has an all-zero trace_id";
    }
    if (zeroSpanId) {
      return "span has an all-zero span_id";
    }
    return null;
  }

  /** Normalizes a span whose ids passed {@link #invalidReason}. */
  public Span normalize(io.opentelemetry.proto.trace.v1.Span s, Origin origin) {
    return normalize(RawSpan.of(s), origin);
  }

  /** Normalizes a span read by the {@link dev.seam.collector.decode.TraceReader} whose ids passed {@link #invalidReason}. */
  public Span normalize(RawSpan s, Origin origin) {
    long parent = s.parentSpanId();
    SpanKind kind = SpanKind.fromNumber(s.kind());

    ProtocolHint protocol = ProtocolHint.NONE;
    boolean http = false;
    String rpcSystem = null;
    String rpcService = null;
    String rpcMethod = null;
    String route = null;
    String destination = null;
    String peerService = null;
    String serverAddress = null;
    String peerAddress = null;
    String errorType = null;
    long httpStatus = Attributes.ABSENT;
    int grpcCode = -1;
    long requestBytes = -1;
    long responseBytes = -1;
    long allocated = -1;
    boolean messaging = false;
    boolean database = false;
    boolean otelStatusError = false;
    String otelStatusDescription = null;
    String otelKind = null;

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
          if (allocatedBytesAttributes.contains(key)) {
            allocated = nonNegative(s.integerValue(i));
          }
          break;
      }
    }

    String operation = null;
    if (messaging) {
      protocol = ProtocolHint.MESSAGING;
      operation = destination;
    } else if (rpcSystem != null) {
      protocol = "grpc".equalsIgnoreCase(rpcSystem) ? ProtocolHint.GRPC : ProtocolHint.OTHER_RPC;
      operation = OPERATIONS.get().of(rpcService, rpcMethod, s.name());
    } else if (http) {
      protocol = ProtocolHint.HTTP;
      operation = route;
    } else if (database) {
      protocol = ProtocolHint.DATABASE;
    } else if (grpcCode >= 0) {
      protocol = ProtocolHint.GRPC;
      operation = OPERATIONS.get().of(rpcService, rpcMethod, s.name());
    }

    if (otelKind != null && (kind == SpanKind.INTERNAL || kind == SpanKind.UNSPECIFIED)) {
      kind = kindNamed(otelKind, kind);
    }
    boolean statusError = s.statusCode() == STATUS_ERROR || otelStatusError;
    boolean failed;
    if (statusError) {
      failed = true;
    } else if (s.statusCode() == STATUS_OK) {
      // An explicit OK is the instrumentation overriding the code-based rule on purpose.
      failed = false;
    } else if (grpcCode > 0) {
      failed = kind.isOutgoing() || (SERVER_ERROR_CODES & (1 << grpcCode)) != 0;
    } else if (httpStatus != Attributes.ABSENT && httpStatus > 0) {
      failed = kind.isOutgoing() ? httpStatus >= 400 : httpStatus >= 500;
    } else {
      failed = false;
    }
    String errorClass = failed ? errorClass(s, grpcCode, httpStatus, errorType != null ? errorType : otelStatusDescription) : ErrorClass.UNKNOWN;

    String peer = peerService != null ? serviceNames.name(peerService) : serverAddress != null ? serverAddress : peerAddress;
    return new Span(
        s.traceIdHigh(),
        s.traceIdLow(),
        s.spanId(),
        parent,
        ParentLink.of(parent != 0, s.flags()),
        kind,
        origin,
        LabelValues.sanitize(s.name()),
        s.startNanos(),
        s.endNanos(),
        failed,
        errorClass,
        protocol,
        LabelValues.sanitize(emptyToNull(operation)),
        LabelValues.sanitize(emptyToNull(peer)),
        requestBytes,
        responseBytes,
        allocated,
        adjustedCount(s.traceState()),
        grpcCode >= 0 || (httpStatus != Attributes.ABSENT && httpStatus > 0));
  }

  /**
   * How many spans a sampled span stands for, from the OpenTelemetry sampling threshold in its
   * tracestate ({@code ot=th:<1-14 hex digits>}, a rejection threshold out of 2^56): 1 / (1 -
   * th / 2^56). Anything else, or nothing, means 1.
   */
  static double adjustedCount(String traceState) {
    if (traceState == null || traceState.isEmpty()) {
      return 1.0;
    }
    int ot = -1;
    for (int at = traceState.indexOf("ot="); at >= 0; at = traceState.indexOf("ot=", at + 1)) {
      if (at == 0 || traceState.charAt(at - 1) == ',' || traceState.charAt(at - 1) == ' ') {
        ot = at + 3;
        break;
      }
    }
    if (ot < 0) {
      return 1.0;
    }
    int end = traceState.indexOf(',', ot);
    String value = traceState.substring(ot, end < 0 ? traceState.length() : end);
    for (String part : value.split(";")) {
      if (part.startsWith("th:")) {
        String hex = part.substring(3);
        if (hex.isEmpty() || hex.length() > 14 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
          return 1.0;
        }
        long threshold = Long.parseUnsignedLong((hex + "00000000000000").substring(0, 14), 16);
        double keep = ((double) ((1L << 56) - threshold)) / (double) (1L << 56);
        return keep > 0 ? 1.0 / keep : 1.0;
      }
    }
    return 1.0;
  }

  private static String errorClass(RawSpan s, int grpcCode, long httpStatus, String errorType) {
    if (grpcCode == 1 && "deadline_exceeded".equals(ErrorClass.ofText(s.statusMessage()))) {
      // A server that enforces the caller's grpc-timeout answers CANCELLED "Timeout expired"
      // (tonic), racing the client's own DEADLINE_EXCEEDED: it is the same deadline.
      return "deadline_exceeded";
    }
    if (grpcCode > 0) {
      return ErrorClass.ofGrpcCode(grpcCode);
    }
    if (httpStatus >= 400 && httpStatus < 600) {
      return ErrorClass.ofHttpStatus((int) httpStatus);
    }
    String c = ErrorClass.ofText(errorType);
    if (c != null) {
      return c;
    }
    c = ErrorClass.ofText(s.statusMessage());
    if (c != null) {
      return c;
    }
    for (int i = 0, n = s.eventCount(); i < n; i++) {
      io.opentelemetry.proto.trace.v1.Span.Event e = s.event(i);
      if (e != null && e.getName().equals("exception")) {
        c = ErrorClass.ofText(Attributes.find(e.getAttributesList(), "exception.type"));
        if (c == null) {
          c = ErrorClass.ofText(Attributes.find(e.getAttributesList(), "exception.message"));
        }
        if (c != null) {
          return c;
        }
      }
    }
    return ErrorClass.UNKNOWN;
  }

  private static SpanKind kindNamed(String name, SpanKind otherwise) {
    switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "server":
        return SpanKind.SERVER;
      case "client":
        return SpanKind.CLIENT;
      case "producer":
        return SpanKind.PRODUCER;
      case "consumer":
        return SpanKind.CONSUMER;
      case "internal":
        return SpanKind.INTERNAL;
      default:
        return otherwise;
    }
  }

  /**
   * The RPC operations of recent spans, by the identity of the strings they were made from: the
   * reader hands out one shared String per distinct name, so a hit spares building the same
   * {@code pkg.Service/Method} for every span, and spans held for pairing share one copy.
   */
  private static final ThreadLocal<OperationCache> OPERATIONS = ThreadLocal.withInitial(OperationCache::new);

  private static final class OperationCache {
    private final String[] service = new String[256];
    private final String[] method = new String[256];
    private final String[] spanName = new String[256];
    private final String[] operation = new String[256];

    String of(String svc, String m, String name) {
      int slot = (System.identityHashCode(svc) * 31 + System.identityHashCode(m)) * 31 + System.identityHashCode(name);
      slot = (slot ^ (slot >>> 16)) & 255;
      if (service[slot] == svc && method[slot] == m && spanName[slot] == name && operation[slot] != null) {
        return operation[slot];
      }
      String op = rpcOperation(svc, m, name);
      service[slot] = svc;
      method[slot] = m;
      spanName[slot] = name;
      operation[slot] = op;
      return op;
    }
  }

  /** {@code pkg.Service/Method} from either RPC naming generation, or the span name when it has that form. */
  static String rpcOperation(String service, String method, String spanName) {
    String m = stripSlash(method);
    if (m != null && m.indexOf('/') > 0) {
      return m;
    }
    if (service != null && m != null) {
      return stripSlash(service) + "/" + m;
    }
    String n = stripSlash(spanName);
    if (n != null && n.indexOf('/') > 0 && n.indexOf(' ') < 0) {
      return n;
    }
    return m;
  }

  /** gRPC paths are written both ways: {@code /pkg.Service/Method} and {@code pkg.Service/Method}. */
  private static String stripSlash(String s) {
    return s != null && s.length() > 1 && s.charAt(0) == '/' ? s.substring(1) : s;
  }

  private static long nonNegative(long v) {
    return v == Attributes.ABSENT || v < 0 ? -1 : v;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
