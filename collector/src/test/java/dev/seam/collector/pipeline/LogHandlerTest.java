package dev.seam.collector.pipeline;

import static dev.seam.collector.testing.Otlp.REMOTE_PARENT;
import static dev.seam.collector.testing.Otlp.T0;
import static dev.seam.collector.testing.Otlp.attr;
import static dev.seam.collector.testing.Otlp.id;
import static dev.seam.collector.testing.Otlp.resource;
import static dev.seam.collector.testing.Otlp.resourceSpans;
import static dev.seam.collector.testing.Otlp.span;
import static dev.seam.collector.testing.Otlp.traces;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seam.collector.forward.Forwarder;
import dev.seam.collector.model.Side;
import dev.seam.collector.normalize.LogContextExtractor;
import dev.seam.collector.normalize.ServiceNames;
import dev.seam.collector.normalize.SpanNormalizer;
import dev.seam.collector.testing.Otlp;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Log exports through the log handler: counted record by record, errors tied to their spans. */
class LogHandlerTest {

  private static final long MS = 1_000_000L;
  private static final String TRACE = "5b8efff798038103d269b633813fc60c";
  private static final String CALLER = "00000000000000a1";
  private static final String CALLEE = "00000000000000a2";

  /** Pairs a Go caller with its Rust callee in the parts' store. */
  private static void pair(Parts parts) throws Exception {
    Origins origins = new Origins(ServiceNames.AS_REPORTED);
    new TraceHandler(
            new SpanNormalizer(Set.of(), ServiceNames.AS_REPORTED),
            origins,
            parts.store,
            null,
            null,
            new ForwardRewriter(origins, null),
            parts.accounting)
        .export(
            traces(
                    resourceSpans(
                        resource("gateway", "go"),
                        span(TRACE, CALLER, "", SpanKind.SPAN_KIND_CLIENT, T0, 4 * MS)
                            .addAttributes(attr("http.request.method", "GET"))),
                    resourceSpans(
                        resource("pricing", "rust"),
                        span(TRACE, CALLEE, CALLER, SpanKind.SPAN_KIND_SERVER, T0 + MS, 2 * MS)
                            .setFlags(REMOTE_PARENT)
                            .addAttributes(attr("http.route", "/p"))))
                .toByteArray(),
            "grpc");
    assertEquals(1, parts.listener.edges().size());
  }

  private static LogHandler handler(
      Parts parts, LogContextExtractor logContext, Forwarder forwarder) {
    Origins origins = new Origins(ServiceNames.AS_REPORTED);
    return new LogHandler(
        origins,
        logContext,
        parts.store,
        forwarder,
        new ForwardRewriter(origins, logContext),
        parts.accounting,
        parts.telemetry);
  }

  /** An error naming the callee span in its OTLP ids. */
  private static LogRecord.Builder calleeError() {
    return LogRecord.newBuilder()
        .setTimeUnixNano(T0)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
        .setTraceId(id(TRACE))
        .setSpanId(id(CALLEE));
  }

  /** An info record without trace context. */
  private static LogRecord.Builder info() {
    return LogRecord.newBuilder()
        .setTimeUnixNano(T0)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO)
        .setBody(AnyValue.newBuilder().setStringValue("started"));
  }

  /** An error naming the caller span only in a JSON body. */
  private static LogRecord.Builder callerErrorInBody() {
    return LogRecord.newBuilder()
        .setTimeUnixNano(T0)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
        .setBody(
            AnyValue.newBuilder()
                .setStringValue(
                    "{\"msg\":\"quote failed\",\"trace_id\":\""
                        + TRACE
                        + "\",\"span_id\":\""
                        + CALLER
                        + "\"}"));
  }

  /** A record with a 3-byte span id: refused. */
  private static LogRecord.Builder invalid() {
    return LogRecord.newBuilder()
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
        .setTraceId(id(TRACE))
        .setSpanId(id("0000a3"));
  }

  @Test
  void countsEveryRecordAndTiesErrorsToTheSideTheyName() throws Exception {
    Parts parts = new Parts();
    pair(parts);
    ExportLogsServiceResponse response =
        handler(parts, LogContextExtractor.defaults(), null)
            .export(
                Otlp.logs(
                    resource("pricing", "rust"),
                    calleeError(),
                    info(),
                    callerErrorInBody(),
                    invalid()),
                "http");

    assertEquals(1, response.getPartialSuccess().getRejectedLogRecords());
    assertEquals(
        "rejected 1 of 4 log records: log record has a 3-byte span_id (want 0 or 8)",
        response.getPartialSuccess().getErrorMessage());
    Scrape s = parts.scrape();
    assertEquals(3, s.value("seam_received_items_total", "signal", "logs", "protocol", "http"));
    assertEquals(1, s.value("seam_refused_items_total", "signal", "logs", "reason", "invalid"));
    assertEquals(3, s.value("seam_processed_items_total", "signal", "logs"));
    assertEquals(
        0, s.value("seam_dropped_items_total", "signal", "logs", "reason", "internal_error"));
    assertEquals(
        2,
        s.value(
            "seam_log_records_total",
            "service",
            "pricing",
            "language",
            "rust",
            "severity",
            "error"));
    assertEquals(
        1,
        s.value(
            "seam_log_records_total",
            "service",
            "pricing",
            "language",
            "rust",
            "severity",
            "info"));
    assertEquals(
        1, s.value("seam_log_context_recovered_total", "service", "pricing", "language", "rust"));
    List<Parts.Recorder.ErrorLogs> errors = parts.listener.errorLogs();
    assertEquals(2, errors.size());
    assertEquals(
        new Parts.Recorder.ErrorLogs(parts.listener.edges().get(0), Side.CALLEE, 1), errors.get(0));
    assertEquals(
        new Parts.Recorder.ErrorLogs(parts.listener.edges().get(0), Side.CALLER, 1), errors.get(1));
  }

  @Test
  void withoutLogContextOnlyOtlpIdsTieAnError() throws Exception {
    Parts parts = new Parts();
    pair(parts);
    handler(parts, null, null)
        .export(Otlp.logs(resource("pricing", "rust"), calleeError(), callerErrorInBody()), "grpc");

    Scrape s = parts.scrape();
    assertEquals(2, s.value("seam_received_items_total", "signal", "logs", "protocol", "grpc"));
    assertEquals(2, s.value("seam_log_records_total", "service", "pricing", "severity", "error"));
    assertEquals(0, s.sum("seam_log_context_recovered_total"));
    assertEquals(1, parts.listener.errorLogs().size());
    assertEquals(Side.CALLEE, parts.listener.errorLogs().get(0).side());
  }

  @Test
  void forwardsTheRequestAsReceivedWhenNothingInItChanges() throws Exception {
    Parts parts = new Parts();
    try (Downstream down = new Downstream()) {
      Forwarder forwarder = down.forwarder(parts.registry);
      ExportLogsServiceRequest request =
          Otlp.logs(resource("pricing", "rust"), calleeError(), info());
      handler(parts, LogContextExtractor.defaults(), forwarder).export(request, "grpc");

      Downstream.Received sent = down.next();
      assertEquals("/v1/logs", sent.path());
      assertArrayEquals(request.toByteArray(), sent.body());
      forwarder.close(5_000).await(10, TimeUnit.SECONDS);
      assertEquals(
          2,
          parts.scrape().value("seam_forwarded_items_total", "signal", "logs", "outcome", "sent"));
    }
  }

  @Test
  void forwardsTheAcceptedRecordsWithTheContextSeamRecovered() throws Exception {
    Parts parts = new Parts();
    try (Downstream down = new Downstream()) {
      Forwarder forwarder = down.forwarder(parts.registry);
      handler(parts, LogContextExtractor.defaults(), forwarder)
          .export(
              Otlp.logs(resource("pricing", "rust"), calleeError(), callerErrorInBody(), invalid()),
              "grpc");

      ExportLogsServiceRequest sent = ExportLogsServiceRequest.parseFrom(down.next().body());
      List<LogRecord> records = sent.getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
      assertEquals(
          List.of(
              calleeError().build(),
              callerErrorInBody().setTraceId(id(TRACE)).setSpanId(id(CALLER)).build()),
          records);
      forwarder.close(5_000).await(10, TimeUnit.SECONDS);
      assertEquals(
          2,
          parts.scrape().value("seam_forwarded_items_total", "signal", "logs", "outcome", "sent"));
    }
  }
}
