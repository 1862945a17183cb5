package dev.seam.collector.pipeline;

import static dev.seam.collector.pipeline.Metrics.gauge;
import static dev.seam.collector.pipeline.Metrics.metrics;
import static dev.seam.collector.pipeline.Metrics.resourceMetrics;
import static dev.seam.collector.testing.Otlp.T0;
import static dev.seam.collector.testing.Otlp.resource;
import static dev.seam.collector.testing.Otlp.resourceSpans;
import static dev.seam.collector.testing.Otlp.span;
import static dev.seam.collector.testing.Otlp.traces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Message;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.decode.OtlpFormat;
import dev.seam.collector.model.Signal;
import dev.seam.collector.normalize.LogContextExtractor;
import dev.seam.collector.normalize.ServiceNames;
import dev.seam.collector.normalize.SpanNormalizer;
import dev.seam.collector.testing.Otlp;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Export bodies of each signal, protobuf or OTLP JSON, routed to the handler of their signal. */
class PipelineTest {

  private static final String RESOURCE =
      "{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"pricing\"}},"
          + "{\"key\":\"telemetry.sdk.language\",\"value\":{\"stringValue\":\"rust\"}}]}";

  private static final String JSON_TRACES =
      "{\"resourceSpans\":[{\"resource\":"
          + RESOURCE
          + ",\"scopeSpans\":[{\"spans\":["
          + "{\"traceId\":\"5B8EFFF798038103D269B633813FC60C\",\"spanId\":\"eee19b7ec3c1b174\",\"kind\":2,"
          + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":\"1700000000001000000\"},"
          + "{\"traceId\":\"5B8EFFF798038103D269B633813FC60C\",\"spanId\":\"\",\"kind\":2}]}]}]}";

  private static final String JSON_LOGS =
      "{\"resourceLogs\":[{\"resource\":"
          + RESOURCE
          + ",\"scopeLogs\":[{\"logRecords\":["
          + "{\"severityNumber\":17,\"body\":{\"stringValue\":\"quote failed\"}}]}]}]}";

  private static final String JSON_METRICS =
      "{\"resourceMetrics\":[{\"resource\":"
          + RESOURCE
          + ",\"scopeMetrics\":[{\"metrics\":["
          + "{\"name\":\"process.memory.usage\",\"gauge\":{\"dataPoints\":[{\"asInt\":\"2048\"}]}}]}]}]}";

  private static Pipeline pipeline(Parts parts) {
    return new Pipeline(
        new SpanNormalizer(Set.of(), ServiceNames.AS_REPORTED),
        ServiceNames.AS_REPORTED,
        LogContextExtractor.defaults(),
        parts.store,
        null,
        null,
        parts.accounting,
        parts.telemetry);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void routesEachSignalToItsHandlerInEitherFormat() throws Exception {
    Parts parts = new Parts();
    Pipeline pipeline = pipeline(parts);
    byte[] spans =
        traces(
                resourceSpans(
                    resource("gateway", "go"),
                    span(
                        "5b8efff798038103d269b633813fc60c",
                        "00000000000000a1",
                        "",
                        SpanKind.SPAN_KIND_CLIENT,
                        T0,
                        1_000_000)))
            .toByteArray();
    byte[] logs =
        Otlp.logs(
                resource("gateway", "go"),
                LogRecord.newBuilder().setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO))
            .toByteArray();
    byte[] points =
        metrics(resourceMetrics(resource("gateway", "go"), gauge("process.memory.usage", 1024.0)))
            .toByteArray();

    Message t1 = pipeline.export(Signal.SPANS, spans, OtlpFormat.PROTOBUF, "grpc");
    Message t2 = pipeline.export(Signal.SPANS, utf8(JSON_TRACES), OtlpFormat.JSON, "http");
    Message l1 = pipeline.export(Signal.LOGS, logs, OtlpFormat.PROTOBUF, "grpc");
    Message l2 = pipeline.export(Signal.LOGS, utf8(JSON_LOGS), OtlpFormat.JSON, "http");
    Message m1 = pipeline.export(Signal.METRICS, points, OtlpFormat.PROTOBUF, "grpc");
    Message m2 = pipeline.export(Signal.METRICS, utf8(JSON_METRICS), OtlpFormat.JSON, "http");

    assertEquals(ExportTraceServiceResponse.getDefaultInstance(), t1);
    // The JSON trace export carries a span without a span id: refused on its own.
    assertEquals(
        1,
        assertInstanceOf(ExportTraceServiceResponse.class, t2)
            .getPartialSuccess()
            .getRejectedSpans());
    assertEquals(ExportLogsServiceResponse.getDefaultInstance(), l1);
    assertEquals(ExportLogsServiceResponse.getDefaultInstance(), l2);
    assertEquals(ExportMetricsServiceResponse.getDefaultInstance(), m1);
    assertEquals(ExportMetricsServiceResponse.getDefaultInstance(), m2);
    Scrape s = parts.scrape();
    for (String signal : new String[] {"spans", "logs", "metrics"}) {
      assertEquals(
          1, s.value("seam_received_items_total", "signal", signal, "protocol", "grpc"), signal);
      assertEquals(
          1, s.value("seam_received_items_total", "signal", signal, "protocol", "http"), signal);
      assertEquals(2, s.value("seam_processed_items_total", "signal", signal), signal);
    }
    assertEquals(1, s.value("seam_refused_items_total", "signal", "spans", "reason", "invalid"));
    assertEquals(1, s.value("seam_log_records_total", "service", "gateway", "severity", "info"));
    assertEquals(1, s.value("seam_log_records_total", "service", "pricing", "severity", "error"));
    assertEquals(
        1024, s.value("seam_process_memory_bytes", "service", "gateway", "type", "resident"));
    assertEquals(
        2048, s.value("seam_process_memory_bytes", "service", "pricing", "type", "resident"));
  }

  @Test
  void aBodyThatIsNoExportOfItsSignalIsRefusedWhole() {
    Parts parts = new Parts();
    Pipeline pipeline = pipeline(parts);
    byte[] notProtobuf = {0x0a, 0x7f, 0x01};
    byte[] notJson = utf8("{\"resourceSpans\":[");
    for (Signal signal : Signal.values()) {
      assertThrows(
          OtlpDecodeException.class,
          () -> pipeline.export(signal, notProtobuf, OtlpFormat.PROTOBUF, "grpc"),
          signal.label());
      assertThrows(
          OtlpDecodeException.class,
          () -> pipeline.export(signal, notJson, OtlpFormat.JSON, "http"),
          signal.label());
    }
    Scrape s = parts.scrape();
    assertEquals(0, s.sum("seam_received_items_total"));
    assertEquals(0, s.sum("seam_refused_items_total"));
    assertEquals(0, s.sum("seam_processed_items_total"));
  }
}
