package dev.seam.collector.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.Status;
import dev.seam.collector.testing.GrpcCall;
import dev.seam.collector.testing.Otlp;
import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.vertx.grpc.common.GrpcStatus;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Inputs meant to hurt: a million tiny items, huge values, truncated streams, deep nesting. */
class HostileInputTest {

  private static RunningSeam seam;

  @BeforeAll
  static void start() throws Exception {
    seam = RunningSeam.start();
  }

  @AfterAll
  static void stop() throws Exception {
    seam.close();
  }

  @Test
  void aMillionTinyItemsInOneRequestAreAllAccountedFor() throws Exception {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    LogRecord empty = LogRecord.getDefaultInstance();
    for (int i = 0; i < 1_000_000; i++) {
      scope.addLogRecords(empty);
    }
    byte[] body =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .setResource(Otlp.resource("tiny", "go"))
                    .addScopeLogs(scope))
            .build()
            .toByteArray();
    assertTrue(body.length < 16 << 20, "fits the default body limit: " + body.length);
    Scrape before = seam.scrape();
    HttpResponse<byte[]> r =
        seam.post("/v1/logs", "application/x-protobuf", "gzip", Otlp.gzip(body));
    assertEquals(200, r.statusCode());
    Scrape after = seam.awaitIdle();
    assertEquals(
        1_000_000,
        after.sum("seam_received_items_total", "signal", "logs")
            - before.sum("seam_received_items_total", "signal", "logs"));
    assertEquals(
        1_000_000, after.value("seam_log_records_total", "service", "tiny", "severity", "info"));
  }

  @Test
  void hugeNamesAndAttributeValuesAreTakenButLabelsStayShort() throws Exception {
    String huge = "r".repeat(4 << 20); // three of them: 12 MiB, under the 16 MiB body limit
    byte[] body =
        Otlp.traces(
                Otlp.resourceSpans(
                    Otlp.resource("big-go", "go"),
                    Otlp.span(
                            "0000000000000000000000000000b001",
                            "000000000000b001",
                            "",
                            SpanKind.SPAN_KIND_CLIENT,
                            Otlp.T0,
                            1_000_000)
                        .addAttributes(Otlp.attr("http.request.method", "GET"))
                        .addAttributes(Otlp.attr("junk", huge))),
                Otlp.resourceSpans(
                    Otlp.resource("big-rust", "rust"),
                    Otlp.span(
                            "0000000000000000000000000000b001",
                            "000000000000b002",
                            "000000000000b001",
                            SpanKind.SPAN_KIND_SERVER,
                            Otlp.T0,
                            500_000)
                        .setFlags(Otlp.REMOTE_PARENT)
                        .setName(huge)
                        .addAttributes(Otlp.attr("http.route", huge))))
            .toByteArray();
    assertEquals(200, seam.post("/v1/traces", "application/x-protobuf", null, body).statusCode());
    Scrape s =
        seam.awaitScrape(
            Duration.ofSeconds(10),
            x -> !x.find("seam_boundary_calls_total", "caller_service", "big-go").isEmpty());
    String operation =
        s.find("seam_boundary_calls_total", "caller_service", "big-go")
            .get(0)
            .labels()
            .get("operation");
    assertEquals(256, operation.length());
    assertTrue(s.text().length() < 1 << 20, "the scrape stays small: " + s.text().length());
  }

  @Test
  void truncatedStreamsAreRefusedClearly() throws Exception {
    byte[] body =
        Otlp.traces(
                Otlp.resourceSpans(
                    Otlp.resource("cut", "go"),
                    Otlp.span(
                        "0000000000000000000000000000c001",
                        "000000000000c001",
                        "",
                        SpanKind.SPAN_KIND_SERVER,
                        Otlp.T0,
                        1)))
            .toByteArray();
    byte[] gz = Otlp.gzip(body);
    HttpResponse<byte[]> cutGzip =
        seam.post("/v1/traces", "application/x-protobuf", "gzip", Arrays.copyOf(gz, gz.length / 2));
    assertEquals(400, cutGzip.statusCode());
    assertTrue(
        Status.parseFrom(cutGzip.body()).getMessage().contains("gzip"), "says what was wrong");
    HttpResponse<byte[]> cutProto =
        seam.post(
            "/v1/traces", "application/x-protobuf", null, Arrays.copyOf(body, body.length - 3));
    assertEquals(400, cutProto.statusCode());
    HttpResponse<byte[]> cutJson =
        seam.post(
            "/v1/traces",
            "application/json",
            null,
            "{\"resourceSpans\":[{\"scopeSpans\":[".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, cutJson.statusCode());
    GrpcCall.Result cutGrpc =
        GrpcCall.call(
            seam.vertx(),
            seam.grpcPort(),
            "opentelemetry.proto.collector.trace.v1.TraceService/Export",
            "gzip",
            Arrays.copyOf(gz, gz.length / 2));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, cutGrpc.status(), cutGrpc.message());
  }

  @Test
  void deeplyNestedJsonIsRefusedWithoutHarm() throws Exception {
    String deep = "{\"resourceSpans\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r =
        seam.post("/v1/traces", "application/json", null, deep.getBytes(StandardCharsets.UTF_8));
    assertEquals(400, r.statusCode());
    assertTrue((System.nanoTime() - t0) < 5_000_000_000L, "refused quickly");
    assertEquals(
        200,
        seam.post("/v1/traces", "application/json", null, "{}".getBytes(StandardCharsets.UTF_8))
            .statusCode());
  }
}
