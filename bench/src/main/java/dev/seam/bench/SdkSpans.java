package dev.seam.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * What the SDKs put on every span and log record: span fields and W3C flags, attributes, status,
 * the Go server span otelhttp writes, the attributes tracing-opentelemetry adds, the error record
 * opentelemetry-appender-tracing writes, and ids as bytes.
 */
final class SdkSpans {

  static final long US = 1_000L;
  static final long MS = 1_000_000L;

  // W3C flags as the SDKs write them: low byte = trace flags (0x01 sampled), 0x100 = the SDK
  // says whether the parent is remote, 0x200 = it is.
  static final int LOCAL = 0x101;
  static final int REMOTE_PARENT = 0x301;

  private static final VarHandle BE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private SdkSpans() {}

  /**
   * A span of {@code dur} nanoseconds from {@code start}; a root span when {@code parent} is null.
   */
  static Span.Builder span(
      ByteString trace,
      ByteString id,
      ByteString parent,
      String name,
      SpanKind kind,
      int flags,
      long start,
      long dur) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(trace)
            .setSpanId(id)
            .setName(name)
            .setKind(kind)
            .setFlags(flags)
            .setStartTimeUnixNano(start)
            .setEndTimeUnixNano(start + dur);
    if (parent != null) {
      b.setParentSpanId(parent);
    }
    return b;
  }

  static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  static KeyValue kv(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  static Status status(Status.StatusCode code, String message) {
    return Status.newBuilder().setCode(code).setMessage(message).build();
  }

  /** The Go gateway's otelhttp SERVER span for an incoming {@code GET}. */
  static Span goServerSpan(
      Random r,
      ByteString trace,
      ByteString id,
      String route,
      String path,
      long start,
      long dur,
      int status) {
    Span.Builder s =
        span(trace, id, null, "GET " + route, SpanKind.SPAN_KIND_SERVER, LOCAL, start, dur)
            .addAttributes(kv("http.request.method", "GET"))
            .addAttributes(kv("url.scheme", "http"))
            .addAttributes(kv("url.path", path))
            .addAttributes(kv("server.address", "gateway"))
            .addAttributes(kv("server.port", 8080))
            .addAttributes(kv("network.peer.address", "10.0.1." + (2 + r.nextInt(200))))
            .addAttributes(kv("network.peer.port", 30000 + r.nextInt(30000)))
            .addAttributes(kv("user_agent.original", "k6/0.52.0 (https://k6.io/)"))
            .addAttributes(kv("client.address", "10.0.0.7"))
            .addAttributes(kv("network.protocol.version", "1.1"))
            .addAttributes(kv("http.route", route))
            .addAttributes(kv("http.response.status_code", status));
    if (status >= 500) {
      s.addAttributes(kv("error.type", Integer.toString(status)))
          .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, ""));
    }
    return s.build();
  }

  /** What tracing-opentelemetry adds to every span. */
  static Span.Builder rustExtras(
      Span.Builder b, Random r, String module, String file, int line, long dur) {
    long idle = dur / 5;
    return b.addAttributes(kv("code.file.path", file))
        .addAttributes(kv("code.module.name", module))
        .addAttributes(kv("code.line.number", line))
        .addAttributes(kv("thread.id", 2 + r.nextInt(8)))
        .addAttributes(kv("thread.name", "tokio-runtime-worker"))
        .addAttributes(kv("target", module))
        .addAttributes(kv("busy_ns", dur - idle))
        .addAttributes(kv("idle_ns", idle));
  }

  /** opentelemetry-appender-tracing: no time, observed time set, the current span's ids. */
  static LogRecord rustErrorLog(
      ByteString trace, ByteString span, long observed, String message, String event, String item) {
    return LogRecord.newBuilder()
        .setTimeUnixNano(0)
        .setObservedTimeUnixNano(observed)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
        .setSeverityText("ERROR")
        .setFlags(1)
        .setEventName(event)
        .setTraceId(trace)
        .setSpanId(span)
        .setBody(AnyValue.newBuilder().setStringValue(message))
        .addAttributes(kv("item.id", item))
        .build();
  }

  /** A duration around {@code median}, log-normally spread. */
  static long logNormal(Random r, long median, double sigma) {
    return Math.max(1, Math.round(median * Math.exp(sigma * r.nextGaussian())));
  }

  /** A trace id as OTLP holds it: 16 bytes, big-endian. */
  static ByteString traceId(long hi, long lo) {
    byte[] b = new byte[16];
    BE_LONG.set(b, 0, hi);
    BE_LONG.set(b, 8, lo);
    return ByteString.copyFrom(b);
  }

  /** A span id as OTLP holds it: 8 bytes, big-endian. */
  static ByteString spanId(long v) {
    byte[] b = new byte[8];
    BE_LONG.set(b, 0, v);
    return ByteString.copyFrom(b);
  }
}
