package dev.seam.collector.pipeline;

import com.google.protobuf.ByteString;
import dev.seam.collector.model.Ids;
import dev.seam.collector.normalize.LogContextExtractor;
import dev.seam.collector.normalize.LogNormalizer;
import dev.seam.collector.normalize.SpanNormalizer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * Rewrites an export request into what is forwarded downstream: only the items Seam accepted, each
 * resource's {@code service.name} as Seam shows it, and log records carrying the trace context Seam
 * recovered from their attributes or body.
 */
final class ForwardRewriter {

  private final Origins origins;
  private final LogContextExtractor logContext;

  /**
   * @param logContext finds trace context that log records name outside their OTLP ids, or {@code
   *     null} when that is switched off
   */
  ForwardRewriter(Origins origins, LogContextExtractor logContext) {
    this.origins = origins;
    this.logContext = logContext;
  }

  /** The accepted spans of a request, under the service names Seam shows. */
  ExportTraceServiceRequest traces(ExportTraceServiceRequest request) {
    ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      ResourceSpans.Builder b = rs.toBuilder().clearScopeSpans();
      Resource renamed = renamed(rs.getResource(), FirstScope.name(rs));
      if (renamed != null) {
        b.setResource(renamed);
      }
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ScopeSpans.Builder sb = ss.toBuilder().clearSpans();
        for (Span span : ss.getSpansList()) {
          if (SpanNormalizer.invalidReason(span) == null) {
            sb.addSpans(span);
          }
        }
        b.addScopeSpans(sb);
      }
      out.addResourceSpans(b);
    }
    return out.build();
  }

  /**
   * The accepted log records of a request, with recovered trace context filled in and service names
   * as shown.
   */
  ExportLogsServiceRequest logs(ExportLogsServiceRequest request) {
    ExportLogsServiceRequest.Builder out = ExportLogsServiceRequest.newBuilder();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      ResourceLogs.Builder b = rl.toBuilder().clearScopeLogs();
      Resource renamed = renamed(rl.getResource(), FirstScope.name(rl));
      if (renamed != null) {
        b.setResource(renamed);
      }
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        ScopeLogs.Builder sb = sl.toBuilder().clearLogRecords();
        for (LogRecord r : sl.getLogRecordsList()) {
          if (LogNormalizer.invalidReason(r) != null) {
            continue;
          }
          LogContextExtractor.Result found =
              logContext != null && LogNormalizer.spanRef(r) == null ? logContext.extract(r) : null;
          if (found == null) {
            sb.addLogRecords(r);
          } else {
            LogRecord.Builder rb =
                r.toBuilder().setTraceId(Ids.bytes(found.traceIdHigh(), found.traceIdLow()));
            rb.setSpanId(found.spanId() != 0 ? Ids.bytes(found.spanId()) : ByteString.EMPTY);
            sb.addLogRecords(rb);
          }
        }
        b.addScopeLogs(sb);
      }
      out.addResourceLogs(b);
    }
    return out.build();
  }

  /** Whether any resource of the request is shown under another service name than it reported. */
  boolean renames(ExportLogsServiceRequest request) {
    for (ResourceLogs rl : request.getResourceLogsList()) {
      if (origins.renamedService(rl.getResource(), FirstScope.name(rl)) != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * The resource with {@code service.name} as Seam shows it, or {@code null} when it already is.
   */
  private Resource renamed(Resource resource, String scopeName) {
    String shown = origins.renamedService(resource, scopeName);
    if (shown == null) {
      return null;
    }
    Resource.Builder b = resource.toBuilder();
    for (int i = 0; i < b.getAttributesCount(); i++) {
      if (b.getAttributes(i).getKey().equals("service.name")) {
        b.removeAttributes(i);
        break;
      }
    }
    return b.addAttributes(
            KeyValue.newBuilder()
                .setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(shown)))
        .build();
  }
}
