package dev.seam.collector.forward;

import static dev.seam.collector.testing.Otlp.REMOTE_PARENT;
import static dev.seam.collector.testing.Otlp.T0;
import static dev.seam.collector.testing.Otlp.attr;
import static dev.seam.collector.testing.Otlp.resource;
import static dev.seam.collector.testing.Otlp.resourceSpans;
import static dev.seam.collector.testing.Otlp.span;
import static dev.seam.collector.testing.Otlp.traces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.testing.Otlp;
import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upstream Seam forwards what it normalized to a downstream Seam (a real OTLP receiver), over
 * HTTP and gRPC, through throttling, refusal and a full queue; both sides' counters must agree.
 */
class ForwarderTest {

  private static final long MS = 1_000_000L;

  /** A Go caller and a Rust callee, plus a span with a 15-byte trace id that must not travel. */
  private static byte[] spans(String traceHex) {
    return traces(
            resourceSpans(
                resource("unknown_service:gateway-bin", "go"),
                span(traceHex, "00000000000000a1", "", SpanKind.SPAN_KIND_CLIENT, T0, 4 * MS)
                    .addAttributes(attr("http.request.method", "GET"))),
            resourceSpans(
                resource("Pricing_Core", "rust"),
                span(
                        traceHex,
                        "00000000000000a2",
                        "00000000000000a1",
                        SpanKind.SPAN_KIND_SERVER,
                        T0 + MS,
                        2 * MS)
                    .setFlags(REMOTE_PARENT)
                    .addAttributes(attr("http.route", "/p")),
                span(
                    "000000000000000000000000000001",
                    "00000000000000a3",
                    "",
                    SpanKind.SPAN_KIND_SERVER,
                    T0,
                    MS)))
        .toByteArray();
  }

  /**
   * An error log naming the callee span only in a JSON body, as a log shipper that bypasses the
   * OTel bridge writes it.
   */
  private static byte[] logs(String traceHex) {
    return Otlp.logs(
            resource("Pricing_Core", "rust"),
            LogRecord.newBuilder()
                .setObservedTimeUnixNano(T0)
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
                .setBody(
                    AnyValue.newBuilder()
                        .setStringValue(
                            "{\"msg\":\"quote failed\",\"trace_id\":\""
                                + traceHex.toUpperCase()
                                + "\",\"span_id\":\"00000000000000a2\"}")))
        .toByteArray();
  }

  private static String upstream(RunningSeam downstream, String protocol, String extra) {
    String endpoint = protocol.equals("grpc") ? downstream.grpcEndpoint() : downstream.httpBase();
    return "normalize: {service: {canonical: true}}\n"
        + "forward: {enabled: true, endpoint: '"
        + endpoint
        + "', protocol: "
        + protocol
        + ", retry: {initial-backoff: 50ms}"
        + extra
        + "}\n";
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"http/protobuf", "grpc"})
  void normalizedSpansAndLogsReachTheDownstream(String protocol) throws Exception {
    try (RunningSeam down = RunningSeam.start();
        RunningSeam up = RunningSeam.start(upstream(down, protocol, ""))) {
      String trace = "5b8efff798038103d269b633813fc60c";
      assertEquals(
          200, up.post("/v1/traces", "application/x-protobuf", null, spans(trace)).statusCode());
      assertEquals(
          200, up.post("/v1/logs", "application/x-protobuf", null, logs(trace)).statusCode());

      Scrape d =
          down.awaitScrape(
              Duration.ofSeconds(10), x -> x.sum("seam_boundary_error_logs_total") == 1);
      // The downstream sees the two valid spans, under the names the upstream showed...
      assertEquals(2, d.sum("seam_received_items_total", "signal", "spans"));
      assertEquals(0, d.sum("seam_refused_items_total", "signal", "spans"));
      assertEquals(
          1,
          d.value(
              "seam_boundary_calls_total",
              "caller_service",
              "gateway-bin",
              "callee_service",
              "pricing-core",
              "transport",
              "http"));
      // ...and the log with the trace context the upstream found in its body.
      assertEquals(
          1,
          d.value(
              "seam_boundary_error_logs_total",
              "side",
              "callee",
              "callee_service",
              "pricing-core"));
      assertEquals(
          0,
          d.sum("seam_log_context_recovered_total"),
          "the downstream received the ids as OTLP context");

      Scrape u =
          up.awaitScrape(
              Duration.ofSeconds(5),
              x -> x.sum("seam_forwarded_items_total", "outcome", "sent") == 3);
      assertEquals(2, u.value("seam_forwarded_items_total", "signal", "spans", "outcome", "sent"));
      assertEquals(1, u.value("seam_forwarded_items_total", "signal", "logs", "outcome", "sent"));
      assertEquals(
          0,
          u.sum("seam_forwarded_items_total", "outcome", "dropped")
              + u.sum("seam_forwarded_items_total", "outcome", "rejected"));
      assertEquals(
          1,
          u.value(
              "seam_log_context_recovered_total", "service", "pricing-core", "language", "rust"));
      assertEquals(0, u.value("seam_forward_queue_items"));
    }
  }

  @Test
  void throttlingIsRetriedAfterTheDownstreamsRetryAfter() throws Exception {
    try (RunningSeam down = RunningSeam.start()) {
      Vertx vertx = Vertx.vertx();
      AtomicInteger throttled = new AtomicInteger();
      HttpClient client = vertx.createHttpClient();
      // A throttling front door: the first two exports get 503 + Retry-After, the rest pass to the
      // real receiver.
      HttpServer proxy =
          vertx
              .createHttpServer()
              .requestHandler(
                  req ->
                      req.body()
                          .onSuccess(
                              body -> {
                                if (throttled.getAndIncrement() < 2) {
                                  req.response()
                                      .setStatusCode(503)
                                      .putHeader("Retry-After", "1")
                                      .end();
                                  return;
                                }
                                RequestOptions o =
                                    new RequestOptions()
                                        .setMethod(HttpMethod.POST)
                                        .setAbsoluteURI(down.httpBase() + req.path());
                                req.headers()
                                    .forEach(
                                        h -> {
                                          if (!h.getKey().equalsIgnoreCase("host")
                                              && !h.getKey().equalsIgnoreCase("content-length")) {
                                            o.putHeader(h.getKey(), h.getValue());
                                          }
                                        });
                                client
                                    .request(o)
                                    .compose(r -> r.send(body))
                                    .compose(
                                        resp ->
                                            resp.body()
                                                .map(
                                                    b -> {
                                                      req.response()
                                                          .setStatusCode(resp.statusCode())
                                                          .putHeader(
                                                              "Content-Type",
                                                              resp.getHeader("Content-Type"))
                                                          .end(b);
                                                      return null;
                                                    }));
                              }))
              .listen(0, "127.0.0.1")
              .await(10, TimeUnit.SECONDS);
      try (RunningSeam up =
          RunningSeam.start(
              "forward: {enabled: true, endpoint: 'http://127.0.0.1:"
                  + proxy.actualPort()
                  + "', signals: [spans], retry: {initial-backoff: 50ms}}")) {
        long started = System.nanoTime();
        assertEquals(
            200,
            up.post(
                    "/v1/traces",
                    "application/x-protobuf",
                    null,
                    spans("00000000000000000000000000000c01"))
                .statusCode());
        Scrape u =
            up.awaitScrape(
                Duration.ofSeconds(15),
                x -> x.sum("seam_forwarded_items_total", "outcome", "sent") == 2);
        assertEquals(
            2, u.value("seam_forwarded_items_total", "signal", "spans", "outcome", "sent"));
        assertEquals(2, u.value("seam_forward_retries_total", "signal", "spans"));
        assertTrue(
            System.nanoTime() - started >= TimeUnit.SECONDS.toNanos(2),
            "each retry waited the Retry-After second");
        assertEquals(
            2,
            down.awaitScrape(
                    Duration.ofSeconds(5),
                    x -> x.sum("seam_received_items_total", "signal", "spans") == 2)
                .sum("seam_received_items_total", "signal", "spans"));
      } finally {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aRefusalIsCountedAndNotRetried() throws Exception {
    Vertx vertx = Vertx.vertx();
    AtomicInteger calls = new AtomicInteger();
    HttpServer refusing =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b -> {
                              calls.incrementAndGet();
                              req.response().setStatusCode(400).end();
                            }))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    try (RunningSeam up =
        RunningSeam.start(
            "forward: {enabled: true, endpoint: 'http://127.0.0.1:"
                + refusing.actualPort()
                + "', retry: {initial-backoff: 50ms}}")) {
      up.post(
          "/v1/traces", "application/x-protobuf", null, spans("00000000000000000000000000000d01"));
      Scrape u =
          up.awaitScrape(
              Duration.ofSeconds(5),
              x -> x.sum("seam_forwarded_items_total", "outcome", "rejected") == 2);
      assertEquals(
          2, u.value("seam_forwarded_items_total", "signal", "spans", "outcome", "rejected"));
      assertEquals(0, u.value("seam_forward_retries_total", "signal", "spans"));
      assertEquals(1, calls.get());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFullQueueDropsAndCountsAndAnUnreachableDownstreamRunsOutOfRetries() throws Exception {
    // Nothing listens on the downstream port: every attempt fails and is retried until max-elapsed.
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (RunningSeam up =
        RunningSeam.start(
            "forward: {enabled: true, endpoint: 'http://127.0.0.1:"
                + closedPort
                + "', signals: [spans], queue-items: 3,"
                + " retry: {initial-backoff: 50ms, max-backoff: 100ms, max-elapsed: 600ms}}")) {
      // 2 spans fit in the queue of 3; the next request's 2 do not.
      up.post(
          "/v1/traces", "application/x-protobuf", null, spans("00000000000000000000000000000e01"));
      HttpResponse<byte[]> r =
          up.post(
              "/v1/traces",
              "application/x-protobuf",
              null,
              spans("00000000000000000000000000000e02"));
      assertEquals(200, r.statusCode(), "forwarding trouble never fails the export itself");
      Scrape u =
          up.awaitScrape(
              Duration.ofSeconds(10),
              x -> x.sum("seam_forwarded_items_total", "outcome", "dropped") == 4);
      assertEquals(
          4, u.value("seam_forwarded_items_total", "signal", "spans", "outcome", "dropped"));
      assertEquals(0, u.value("seam_forwarded_items_total", "signal", "spans", "outcome", "sent"));
      assertTrue(u.value("seam_forward_retries_total", "signal", "spans") >= 2);
      assertEquals(0, u.value("seam_forward_queue_items"));
    }
  }
}
