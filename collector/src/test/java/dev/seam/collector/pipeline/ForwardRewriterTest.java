package dev.seam.collector.pipeline;

import static dev.seam.collector.testing.Otlp.T0;
import static dev.seam.collector.testing.Otlp.attr;
import static dev.seam.collector.testing.Otlp.id;
import static dev.seam.collector.testing.Otlp.resource;
import static dev.seam.collector.testing.Otlp.resourceSpans;
import static dev.seam.collector.testing.Otlp.span;
import static dev.seam.collector.testing.Otlp.traces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.normalize.LogContextExtractor;
import dev.seam.collector.normalize.ServiceNames;
import dev.seam.collector.testing.Otlp;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What is forwarded downstream for a request: the accepted items, under the names Seam shows. */
class ForwardRewriterTest {

  private static final String TRACE = "5b8efff798038103d269b633813fc60c";
  private static final ServiceNames CANONICAL = new ServiceNames(Map.of(), true);

  private static ForwardRewriter rewriter(ServiceNames names, LogContextExtractor logContext) {
    return new ForwardRewriter(new Origins(names), logContext);
  }

  private static Span.Builder valid(String spanHex) {
    return span(TRACE, spanHex, "", SpanKind.SPAN_KIND_SERVER, T0, 1_000_000);
  }

  @Test
  void tracesKeepTheAcceptedSpansUnderTheShownNames() {
    Resource renamed = resource("Pricing_Core", "rust", attr("host.name", "node-b"));
    Resource kept = resource("gateway", "go");
    ExportTraceServiceRequest in =
        traces(
            resourceSpans(
                renamed,
                valid("00000000000000a1"),
                span(TRACE, "0000a2", "", SpanKind.SPAN_KIND_SERVER, T0, 1)),
            resourceSpans(kept, valid("00000000000000b1")));

    ExportTraceServiceRequest out = rewriter(CANONICAL, null).traces(in);

    assertEquals(2, out.getResourceSpansCount());
    ResourceSpans first = out.getResourceSpans(0);
    // service.name moves to the end with the shown name; every other attribute stays as it was.
    assertEquals(
        List.of(
            attr("telemetry.sdk.language", "rust"),
            attr("host.name", "node-b"),
            attr("service.name", "pricing-core")),
        first.getResource().getAttributesList());
    assertEquals(
        in.getResourceSpans(0).getScopeSpans(0).getScope(), first.getScopeSpans(0).getScope());
    assertEquals(List.of(valid("00000000000000a1").build()), first.getScopeSpans(0).getSpansList());
    assertEquals(
        in.getResourceSpans(1),
        out.getResourceSpans(1),
        "a resource shown as reported and all valid is unchanged");
  }

  @Test
  void logsKeepTheAcceptedRecordsWithRecoveredContextAndShownNames() {
    LogRecord withIds =
        LogRecord.newBuilder()
            .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
            .setTraceId(id(TRACE))
            .setSpanId(id("00000000000000a1"))
            .build();
    LogRecord traceOnlyInBody =
        LogRecord.newBuilder()
            .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
            .setBody(
                AnyValue.newBuilder()
                    .setStringValue("{\"trace_id\":\"" + TRACE.toUpperCase() + "\"}"))
            .build();
    LogRecord invalid = LogRecord.newBuilder().setTraceId(id("00ff")).build();
    ExportLogsServiceRequest in =
        Otlp.logs(
            resource("Pricing_Core", "rust"),
            withIds.toBuilder(),
            traceOnlyInBody.toBuilder(),
            invalid.toBuilder());

    ExportLogsServiceRequest out = rewriter(CANONICAL, LogContextExtractor.defaults()).logs(in);

    assertEquals(
        List.of(attr("telemetry.sdk.language", "rust"), attr("service.name", "pricing-core")),
        out.getResourceLogs(0).getResource().getAttributesList());
    // A trace id alone fills in the trace id and leaves the span id empty.
    assertEquals(
        List.of(withIds, traceOnlyInBody.toBuilder().setTraceId(id(TRACE)).build()),
        out.getResourceLogs(0).getScopeLogs(0).getLogRecordsList());
  }

  @Test
  void withoutLogContextRecordsAreForwardedAsTheyCame() {
    LogRecord inBody =
        LogRecord.newBuilder()
            .setBody(
                AnyValue.newBuilder()
                    .setStringValue(
                        "{\"trace_id\":\"" + TRACE + "\",\"span_id\":\"00000000000000a1\"}"))
            .build();
    ExportLogsServiceRequest in = Otlp.logs(resource("pricing", "rust"), inBody.toBuilder());

    assertEquals(in, rewriter(ServiceNames.AS_REPORTED, null).logs(in));
  }

  @Test
  void aRequestRenamesWhenAnyResourceIsShownUnderAnotherName() {
    ForwardRewriter rewriter =
        rewriter(new ServiceNames(Map.of("pricing-svc", "pricing"), false), null);
    assertTrue(rewriter.renames(Otlp.logs(resource("pricing-svc", "rust"))));
    assertFalse(rewriter.renames(Otlp.logs(resource("pricing", "rust"))));
    // No service.name: Seam shows "unknown", which is no rename to forward.
    assertFalse(rewriter.renames(Otlp.logs(resource(null, "rust"))));
    assertFalse(rewriter.renames(ExportLogsServiceRequest.getDefaultInstance()));
  }
}
