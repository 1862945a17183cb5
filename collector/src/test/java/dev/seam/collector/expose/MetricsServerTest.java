package dev.seam.collector.expose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.seam.collector.testing.Otlp;
import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The metrics endpoint of a real collector: health, readiness, both text formats, exemplars. */
class MetricsServerTest {

  private static final String OPENMETRICS_ACCEPT = "application/openmetrics-text; version=1.0.0";

  private static final AtomicLong IDS = new AtomicLong(0x0e0000);

  private static RunningSeam seam;

  @BeforeAll
  static void start() throws Exception {
    seam = RunningSeam.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (seam != null) {
      seam.close();
    }
  }

  @Test
  void healthzAnswers200() throws Exception {
    HttpResponse<String> r = get("/healthz", null);

    assertEquals(200, r.statusCode());
    assertEquals("ok\n", r.body());
    assertEquals("text/plain; charset=utf-8", r.headers().firstValue("Content-Type").orElse(null));
  }

  @Test
  void readyzAnswers200OnceStarted() throws Exception {
    HttpResponse<String> r = get("/readyz", null);

    assertEquals(200, r.statusCode());
    assertEquals("ready\n", r.body());
  }

  @Test
  void unknownPathIs404() throws Exception {
    HttpResponse<String> r = get("/nope", null);

    assertEquals(404, r.statusCode());
    assertTrue(r.body().contains("/metrics"), r.body());
  }

  @Test
  void postOnMetricsIs405() throws Exception {
    HttpResponse<String> r =
        seam.httpClient()
            .send(
                HttpRequest.newBuilder(URI.create(seam.metricsBase() + "/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("x"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertEquals(405, r.statusCode());
    assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(null));
  }

  @Test
  void headOnMetricsIs200WithoutBodyOverHttp11() throws Exception {
    HttpResponse<String> r = head("/metrics", HttpClient.Version.HTTP_1_1);

    assertEquals(HttpClient.Version.HTTP_1_1, r.version());
    assertEquals(200, r.statusCode());
    assertEquals("", r.body());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
  }

  @Test
  void headOnMetricsIs200WithoutBodyOverHttp2() throws Exception {
    // A response to HEAD must not carry content (RFC 9110 9.3.2, RFC 9113 8.1.1), whatever the
    // version.
    HttpResponse<String> r = head("/metrics", HttpClient.Version.HTTP_2);

    assertEquals(HttpClient.Version.HTTP_2, r.version(), "the client upgraded to h2c");
    assertEquals(200, r.statusCode());
    assertEquals("", r.body(), "HEAD /metrics over HTTP/2 sent a body");
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
  }

  @Test
  void metricsInPrometheusTextFormat() throws Exception {
    HttpResponse<String> r = get("/metrics", null);

    assertEquals(200, r.statusCode());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
        r.headers().firstValue("Content-Type").orElse(null));
    String body = r.body();
    assertTrue(body.contains("seam_received_items_total"), "seam_received_items_total");
    assertTrue(body.contains("seam_pairing_pending"), "seam_pairing_pending");
    assertTrue(body.contains("jvm_memory_used_bytes"), "jvm_memory_used_bytes");
    assertFalse(body.contains("# EOF"), "the Prometheus text format has no EOF marker");
    // The series dashboards divide by exist from the start, at 0 until something arrives.
    Scrape s = new Scrape(body);
    for (String signal : new String[] {"spans", "logs", "metrics"}) {
      for (String protocol : new String[] {"grpc", "http"}) {
        assertEquals(
            1,
            s.find("seam_received_items_total", "signal", signal, "protocol", protocol).size(),
            signal + "/" + protocol);
      }
      assertEquals(1, s.find("seam_processed_items_total", "signal", signal).size(), signal);
    }
  }

  @Test
  void metricsInOpenMetricsFormatWhenAsked() throws Exception {
    HttpResponse<String> r = get("/metrics", OPENMETRICS_ACCEPT);

    assertEquals(200, r.statusCode());
    String type = r.headers().firstValue("Content-Type").orElse("");
    assertTrue(type.startsWith("application/openmetrics-text; version=1.0.0"), type);
    assertTrue(r.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
    assertTrue(r.body().contains("seam_received_items_total"));
    assertTrue(r.body().contains("seam_pairing_pending"));
  }

  @Test
  void pairedCallCarriesExemplarsOfItsOwnSpansInOpenMetrics() throws Exception {
    // The sampler rate-limits exemplars, so a pair may go unsampled: keep sending pairs of the
    // same boundary until a bucket line shows an exemplar, then check it names one of them.
    Map<String, String[]> sent =
        new LinkedHashMap<>(); // caller span id -> {trace id, callee span id}
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String text = "";
    List<String> callerLines = List.of();
    while (System.nanoTime() < deadline) {
      String trace = String.format("7ace%012x%016x", IDS.incrementAndGet(), IDS.incrementAndGet());
      String caller = String.format("c0%014x", IDS.incrementAndGet());
      String callee = String.format("5e%014x", IDS.incrementAndGet());
      sent.put(caller, new String[] {trace, callee});
      ExportTraceServiceRequest req =
          Otlp.traces(
              Otlp.resourceSpans(
                  Otlp.resource("om-go-client", "go"),
                  Otlp.span(
                      trace, caller, null, Span.SpanKind.SPAN_KIND_CLIENT, Otlp.T0, 3_000_000)),
              Otlp.resourceSpans(
                  Otlp.resource("om-rust-server", "rust"),
                  Otlp.span(
                          trace,
                          callee,
                          caller,
                          Span.SpanKind.SPAN_KIND_SERVER,
                          Otlp.T0 + 500_000,
                          2_000_000)
                      .setFlags(Otlp.REMOTE_PARENT)));
      HttpResponse<byte[]> posted =
          seam.post("/v1/traces", "application/x-protobuf", null, req.toByteArray());
      assertEquals(200, posted.statusCode());

      for (int i = 0; i < 5; i++) {
        HttpResponse<String> r = get("/metrics", OPENMETRICS_ACCEPT);
        assertEquals(200, r.statusCode());
        text = r.body();
        callerLines =
            lines(
                text,
                "seam_boundary_caller_duration_seconds_bucket{",
                "caller_service=\"om-go-client\"");
        if (callerLines.stream().anyMatch(l -> l.contains(" # {"))) {
          break;
        }
        Thread.sleep(50);
      }
      if (callerLines.stream().anyMatch(l -> l.contains(" # {"))) {
        break;
      }
    }

    assertFalse(callerLines.isEmpty(), "no caller duration buckets for the boundary in:\n" + text);
    String exemplar = null;
    for (String line : callerLines) {
      int at = line.indexOf(" # {");
      if (at >= 0) {
        exemplar = line.substring(at + 3);
        break;
      }
    }
    if (exemplar == null) {
      fail(
          "no exemplar on seam_boundary_caller_duration_seconds_bucket after "
              + sent.size()
              + " pairs:\n"
              + String.join("\n", callerLines));
    }
    // The exemplar names the caller's span of one of the pairs, with that pair's trace.
    String matched = null;
    for (Map.Entry<String, String[]> e : sent.entrySet()) {
      if (exemplar.startsWith(
          "{span_id=\"" + e.getKey() + "\",trace_id=\"" + e.getValue()[0] + "\"}")) {
        matched = e.getKey();
      }
    }
    assertTrue(
        matched != null,
        "exemplar " + exemplar + " names none of the caller spans sent: " + sent.keySet());
    // OpenMetrics 1.0 allows exemplars on buckets and counters only; Prometheus 2.x rejects the
    // whole scrape when a _count, _sum or gauge line carries one.
    for (String line : text.split("\n")) {
      if (line.contains(" # {") && !line.contains("_bucket{") && !line.contains("_total{")) {
        fail("exemplar on a series that may not carry one: " + line);
      }
    }
    // The callee's histogram, when it carries an exemplar, names the callee's span instead.
    for (String line :
        lines(
            text,
            "seam_boundary_callee_duration_seconds_bucket{",
            "callee_service=\"om-rust-server\"")) {
      int at = line.indexOf(" # {");
      if (at >= 0) {
        String calleeExemplar = line.substring(at + 3);
        assertTrue(
            sent.values().stream()
                .anyMatch(
                    v ->
                        calleeExemplar.startsWith(
                            "{span_id=\"" + v[1] + "\",trace_id=\"" + v[0] + "\"}")),
            "callee exemplar " + calleeExemplar + " names a callee span");
      }
    }
    assertTrue(text.endsWith("# EOF\n"));
  }

  private static List<String> lines(String text, String prefix, String contains) {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix) && line.contains(contains)) {
        out.add(line);
      }
    }
    return out;
  }

  private static HttpResponse<String> head(String path, HttpClient.Version version)
      throws Exception {
    HttpClient client =
        HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
    // The first request on a new connection is the one that may upgrade it to h2c; send it first.
    client.send(
        HttpRequest.newBuilder(URI.create(seam.metricsBase() + "/healthz"))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.discarding());
    return client.send(
        HttpRequest.newBuilder(URI.create(seam.metricsBase() + path))
            .timeout(Duration.ofSeconds(10))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path, String accept) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(seam.metricsBase() + path))
            .timeout(Duration.ofSeconds(10))
            .GET();
    if (accept != null) {
      b.header("Accept", accept);
    }
    return seam.httpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
