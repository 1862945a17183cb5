package dev.seam.collector.normalize;

import dev.seam.collector.decode.RawSpan;
import dev.seam.collector.model.ErrorClass;
import dev.seam.collector.model.Ids;
import dev.seam.collector.model.LabelValues;
import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import java.util.Locale;
import java.util.Set;

/**
 * Reduces an OTLP span to a {@link Span}. It reads the old and the stable HTTP and RPC
 * semantic-convention names alike, and judges failure as the span's own SDK would.
 */
public final class SpanNormalizer {

  /** gRPC codes a server reports as an error (otelgrpc's and tonic's server-side rule). */
  private static final int SERVER_ERROR_CODES =
      (1 << 2) | (1 << 4) | (1 << 12) | (1 << 13) | (1 << 14) | (1 << 15);

  private static final int STATUS_OK = 1;
  private static final int STATUS_ERROR = 2;

  /** This thread's reading of the span being normalized. */
  private static final ThreadLocal<SpanAttributes> ATTRIBUTES =
      ThreadLocal.withInitial(SpanAttributes::new);

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
   * Why a span cannot be used, or {@code null} when its ids are well formed. A span needs a 16-byte
   * non-zero trace id, an 8-byte non-zero span id, and a parent id that is empty or 8 bytes.
   */
  public static String invalidReason(io.opentelemetry.proto.trace.v1.Span s) {
    int t = s.getTraceId().size();
    int id = s.getSpanId().size();
    return invalidReason(
        t,
        id,
        s.getParentSpanId().size(),
        t == 16 && Ids.readLong(s.getTraceId(), 0) == 0 && Ids.readLong(s.getTraceId(), 8) == 0,
        id == 8 && Ids.readLong(s.getSpanId(), 0) == 0);
  }

  /**
   * {@link #invalidReason(io.opentelemetry.proto.trace.v1.Span)} for a span read by the {@link
   * dev.seam.collector.decode.TraceReader}.
   */
  public static String invalidReason(RawSpan s) {
    return invalidReason(
        s.traceIdLength(),
        s.spanIdLength(),
        s.parentSpanIdLength(),
        s.traceIdHigh() == 0 && s.traceIdLow() == 0,
        s.spanId() == 0);
  }

  private static String invalidReason(
      int traceIdLength,
      int spanIdLength,
      int parentIdLength,
      boolean zeroTraceId,
      boolean zeroSpanId) {
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

  /**
   * Normalizes a span read by the {@link dev.seam.collector.decode.TraceReader} whose ids passed
   * {@link #invalidReason}. Ids, times and origin are carried over; each other fact of the boundary
   * model has its own step below.
   */
  public Span normalize(RawSpan s, Origin origin) {
    SpanAttributes a = ATTRIBUTES.get();
    a.read(s, allocatedBytesAttributes);
    long parent = s.parentSpanId();
    SpanKind kind = kind(s, a);
    ProtocolHint protocol = a.transportHint();
    String operation = operation(protocol, a, s.name());
    boolean failed = failed(s.statusCode(), kind, a);
    String errorClass = failed ? errorClass(s, a) : ErrorClass.UNKNOWN;
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
        LabelValues.sanitize(emptyToNull(peerHint(a))),
        a.requestBytes,
        a.responseBytes,
        a.allocatedBytes,
        SamplingThreshold.adjustedCount(s.traceState()),
        a.grpcCode >= 0 || a.hasHttpStatus());
  }

  // ---- kind ----

  /**
   * The span's kind, or the one its {@code otel.kind} attribute names when the span itself says
   * INTERNAL or nothing: a Rust {@code tracing} span names its kind in that field.
   */
  private static SpanKind kind(RawSpan s, SpanAttributes a) {
    SpanKind kind = SpanKind.fromNumber(s.kind());
    if (a.otelKind != null && (kind == SpanKind.INTERNAL || kind == SpanKind.UNSPECIFIED)) {
      return kindNamed(a.otelKind, kind);
    }
    return kind;
  }

  private static SpanKind kindNamed(String name, SpanKind otherwise) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "server" -> SpanKind.SERVER;
      case "client" -> SpanKind.CLIENT;
      case "producer" -> SpanKind.PRODUCER;
      case "consumer" -> SpanKind.CONSUMER;
      case "internal" -> SpanKind.INTERNAL;
      default -> otherwise;
    };
  }

  // ---- operation ----

  /**
   * The messaging destination (else the broker, when the span names no destination), full RPC
   * method or HTTP route, by the span's transport hint.
   */
  private static String operation(ProtocolHint protocol, SpanAttributes a, String spanName) {
    return switch (protocol) {
      case MESSAGING ->
          a.destination != null && !a.destination.isEmpty() ? a.destination : a.messagingSystem;
      case GRPC, OTHER_RPC -> a.rpcOperations.of(a.rpcService, a.rpcMethod, spanName);
      case HTTP -> a.route;
      default -> null;
    };
  }

  // ---- outcome ----

  /** Whether this half of the call failed, judged as the span's own SDK would. */
  private static boolean failed(int statusCode, SpanKind kind, SpanAttributes a) {
    if (statusCode == STATUS_ERROR || a.otelStatusError) {
      return true;
    }
    if (statusCode == STATUS_OK) {
      // An explicit OK is the instrumentation overriding the code-based rule on purpose.
      return false;
    }
    if (a.grpcCode > 0) {
      return kind.isOutgoing() || (SERVER_ERROR_CODES & (1 << a.grpcCode)) != 0;
    }
    if (a.hasHttpStatus()) {
      return kind.isOutgoing() ? a.httpStatus >= 400 : a.httpStatus >= 500;
    }
    return false;
  }

  private static String errorClass(RawSpan s, SpanAttributes a) {
    String errorText = a.errorType != null ? a.errorType : a.otelStatusDescription;
    return errorClass(s, a.grpcCode, a.httpStatus, errorText);
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

  // ---- peer hints ----

  /** {@code peer.service}, named the way reported services are, else the address it called. */
  private String peerHint(SpanAttributes a) {
    if (a.peerService != null) {
      return serviceNames.name(a.peerService);
    }
    return a.serverAddress != null ? a.serverAddress : a.peerAddress;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
