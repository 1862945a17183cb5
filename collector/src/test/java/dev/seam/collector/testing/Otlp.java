package dev.seam.collector.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Builders for crafted OTLP payloads: what an SDK will not produce on demand. */
public final class Otlp {

  /** Span flags: the parent is known to be remote (0x100 | 0x200). */
  public static final int REMOTE_PARENT = 0x300;

  /** Span flags: the parent is known to be local. */
  public static final int LOCAL_PARENT = 0x100;

  /** A base time for crafted spans: 2026-01-01T00:00:00Z in Unix nanoseconds. */
  public static final long T0 = 1_767_225_600_000_000_000L;

  private Otlp() {}

  public static ByteString id(String hex) {
    return hex == null || hex.isEmpty()
        ? ByteString.EMPTY
        : ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  public static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  public static KeyValue attr(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  /** A resource naming a service, its SDK language, and any further attributes. */
  public static Resource resource(String service, String language, KeyValue... more) {
    Resource.Builder r = Resource.newBuilder();
    if (service != null) {
      r.addAttributes(attr("service.name", service));
    }
    if (language != null) {
      r.addAttributes(attr("telemetry.sdk.language", language));
    }
    for (KeyValue kv : more) {
      r.addAttributes(kv);
    }
    return r.build();
  }

  /** A span builder with ids, kind, start and duration set. */
  public static Span.Builder span(
      String traceHex,
      String spanHex,
      String parentHex,
      Span.SpanKind kind,
      long startNanos,
      long durationNanos) {
    return Span.newBuilder()
        .setTraceId(id(traceHex))
        .setSpanId(id(spanHex))
        .setParentSpanId(id(parentHex))
        .setName("span-" + spanHex)
        .setKind(kind)
        .setStartTimeUnixNano(startNanos)
        .setEndTimeUnixNano(startNanos + durationNanos);
  }

  /** An error status. */
  public static Status error(String message) {
    return Status.newBuilder()
        .setCode(Status.StatusCode.STATUS_CODE_ERROR)
        .setMessage(message)
        .build();
  }

  /** One resource's spans. */
  public static ResourceSpans resourceSpans(Resource resource, Span.Builder... spans) {
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test"));
    for (Span.Builder s : spans) {
      scope.addSpans(s);
    }
    return ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope).build();
  }

  /** A trace export of several resources' spans. */
  public static ExportTraceServiceRequest traces(ResourceSpans... batches) {
    return ExportTraceServiceRequest.newBuilder().addAllResourceSpans(List.of(batches)).build();
  }

  /** A log export of one resource's records. */
  public static ExportLogsServiceRequest logs(Resource resource, LogRecord.Builder... records) {
    ScopeLogs.Builder scope =
        ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test"));
    for (LogRecord.Builder r : records) {
      scope.addLogRecords(r);
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource).addScopeLogs(scope))
        .build();
  }

  public static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }
}
