package dev.seam.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.decode.OtlpJson;
import dev.seam.collector.model.Signal;
import dev.seam.collector.testing.GoldenCase;
import dev.seam.collector.testing.GoldenSeries;
import dev.seam.collector.testing.GrpcCall;
import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vertx.grpc.common.GrpcStatus;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases: each directory under {@code src/test/resources/golden} holds OTLP/JSON exports
 * shaped as the example Go and Rust services' SDKs send them and the series Seam must then show.
 * Each case runs against its own Seam on free ports: its inputs are sent over OTLP/HTTP (JSON) or
 * OTLP/gRPC (protobuf), the pairing window is let pass, and /metrics is compared with the case's
 * {@code expected.prom} (the rules are in that directory's README.md). With {@code
 * -Dgolden.update=true} the expected files are written from what Seam shows instead.
 */
class GoldenTest {

  private static final Path ROOT = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");
  private static final Duration SETTLE = Duration.ofSeconds(15);

  static List<GoldenCase> cases() throws IOException {
    return GoldenCase.all(ROOT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void metricsMatchTheExpectedSeries(GoldenCase golden) throws Exception {
    Path expectedFile = golden.expectedFile();
    List<String> header = new ArrayList<>();
    Set<String> mentioned = new TreeSet<>();
    List<Scrape.Sample> expected = List.of();
    if (Files.exists(expectedFile)) {
      String text = Files.readString(expectedFile, StandardCharsets.UTF_8);
      header = header(text);
      Scrape parsed = new Scrape(text);
      mentioned = GoldenSeries.mentioned(parsed);
      expected = GoldenSeries.compared(parsed, mentioned);
    } else {
      assertTrue(
          UPDATE,
          expectedFile
              + " is missing: run with -Dgolden.update=true to write it, then check every number in"
              + " it");
    }

    try (RunningSeam seam = RunningSeam.start(GoldenCase.GOLDEN_LAYER, golden.config())) {
      for (GoldenCase.Input input : golden.inputs()) {
        if (input.afterWindow()) {
          awaitDrained(seam);
        }
        if (input.delayMillis() > 0) {
          Thread.sleep(input.delayMillis());
        }
        send(seam, input);
      }
      seam.awaitIdle();
      awaitDrained(seam);
      List<Scrape.Sample> actual = settled(seam, mentioned);

      if (UPDATE) {
        Files.writeString(
            expectedFile, GoldenSeries.format(header, actual), StandardCharsets.UTF_8);
        return;
      }
      String diff = GoldenSeries.diff(expected, actual);
      assertTrue(
          diff.isEmpty(), golden.name() + ": /metrics differs from " + expectedFile + "\n" + diff);
    }
  }

  /** Sends one input as its file name says: JSON over OTLP/HTTP, or protobuf over OTLP/gRPC. */
  private static void send(RunningSeam seam, GoldenCase.Input input) throws Exception {
    byte[] json = input.bytes();
    String what = input.file().getFileName().toString();
    if (!input.grpc()) {
      HttpResponse<byte[]> r =
          seam.post("/v1/" + path(input.signal()), "application/json", null, json);
      String body = new String(r.body(), StandardCharsets.UTF_8);
      assertEquals(200, r.statusCode(), what + ": " + body);
      assertFalse(body.contains("partialSuccess"), what + " was not accepted whole: " + body);
      return;
    }
    byte[] protobuf =
        switch (input.signal()) {
          case SPANS -> OtlpJson.traces(json).toByteArray();
          case LOGS -> OtlpJson.logs(json).toByteArray();
          case METRICS -> OtlpJson.metrics(json).toByteArray();
        };
    String method =
        switch (input.signal()) {
          case SPANS -> "opentelemetry.proto.collector.trace.v1.TraceService/Export";
          case LOGS -> "opentelemetry.proto.collector.logs.v1.LogsService/Export";
          case METRICS -> "opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
        };
    GrpcCall.Result r = GrpcCall.call(seam.vertx(), seam.grpcPort(), method, "identity", protobuf);
    assertEquals(GrpcStatus.OK, r.status(), what + ": " + r.message());
    boolean partial =
        switch (input.signal()) {
          case SPANS -> ExportTraceServiceResponse.parseFrom(r.body()).hasPartialSuccess();
          case LOGS -> ExportLogsServiceResponse.parseFrom(r.body()).hasPartialSuccess();
          case METRICS -> ExportMetricsServiceResponse.parseFrom(r.body()).hasPartialSuccess();
        };
    assertFalse(partial, what + " was not accepted whole");
  }

  private static String path(Signal signal) {
    return switch (signal) {
      case SPANS -> "traces";
      case LOGS -> "logs";
      case METRICS -> "metrics";
    };
  }

  /**
   * Waits until every entry has left the pairing store: the window of everything sent so far has
   * passed.
   */
  private static void awaitDrained(RunningSeam seam) throws Exception {
    Scrape s = seam.awaitScrape(SETTLE, x -> x.sum("seam_pairing_pending") == 0);
    assertEquals(0.0, s.sum("seam_pairing_pending"), "the pairing store never drained");
  }

  /**
   * The compared samples once two scrapes 100 ms apart agree: the store's count drops before the
   * halves it ended are reported, so the first scrape at zero may still miss a few.
   */
  private static List<Scrape.Sample> settled(RunningSeam seam, Set<String> mentioned)
      throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    List<Scrape.Sample> last = GoldenSeries.compared(seam.scrape(), mentioned);
    while (true) {
      Thread.sleep(100);
      List<Scrape.Sample> now = GoldenSeries.compared(seam.scrape(), mentioned);
      if (GoldenSeries.diff(last, now).isEmpty() || System.nanoTime() > deadline) {
        return now;
      }
      last = now;
    }
  }

  /**
   * The comment lines (and blank lines between them) before the first sample: kept when the file is
   * rewritten.
   */
  private static List<String> header(String text) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        break;
      }
      out.add(line);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    if (!out.isEmpty()) {
      out.add("");
    }
    return out;
  }
}
