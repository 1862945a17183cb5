package dev.seam.collector.testing;

import dev.seam.collector.Seam;
import dev.seam.collector.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real collector on free loopback ports, for tests that talk to it over sockets. Sweeps for
 * expired entries every 20 ms so window tests need not wait long.
 */
public final class RunningSeam implements AutoCloseable {

  private static final String TEST_LAYER =
      String.join(
          "\n",
          "receivers:",
          "  otlp:",
          "    grpc: {host: 127.0.0.1, port: 0}",
          "    http: {host: 127.0.0.1, port: 0}",
          "metrics: {host: 127.0.0.1, port: 0}",
          "pairing: {sweep-interval: 20ms}",
          "");

  private final Vertx vertx;
  private final Seam seam;
  // HTTP/1.1 as Prometheus scrapes and most exporters post; the HTTP/2 paths have tests of their
  // own.
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private RunningSeam(Vertx vertx, Seam seam) {
    this.vertx = vertx;
    this.seam = seam;
  }

  /**
   * Starts a collector with the test layer and then each of {@code layers} laid over the defaults.
   */
  public static RunningSeam start(String... layers) throws Exception {
    String[] all = new String[layers.length + 1];
    all[0] = TEST_LAYER;
    System.arraycopy(layers, 0, all, 1, layers.length);
    Vertx vertx = Vertx.vertx();
    try {
      Seam seam = Seam.start(vertx, ConfigLoader.fromYaml(all)).await(30, TimeUnit.SECONDS);
      return new RunningSeam(vertx, seam);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  public Seam seam() {
    return seam;
  }

  public Vertx vertx() {
    return vertx;
  }

  public int grpcPort() {
    return seam.grpcPort();
  }

  public int httpPort() {
    return seam.httpPort();
  }

  /** {@code http://127.0.0.1:<grpc port>}, as an OTLP gRPC exporter endpoint. */
  public String grpcEndpoint() {
    return "http://127.0.0.1:" + seam.grpcPort();
  }

  /** {@code http://127.0.0.1:<http port>}. */
  public String httpBase() {
    return "http://127.0.0.1:" + seam.httpPort();
  }

  /** {@code http://127.0.0.1:<metrics port>}. */
  public String metricsBase() {
    return "http://127.0.0.1:" + seam.metricsPort();
  }

  /** GET /metrics in the Prometheus text format. */
  public Scrape scrape() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(metricsBase() + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + r.statusCode());
    }
    return new Scrape(r.body());
  }

  /** Scrapes until {@code condition} holds, for up to {@code timeout}; returns the last scrape. */
  public Scrape awaitScrape(Duration timeout, Predicate<Scrape> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Scrape s = scrape();
    while (!condition.test(s)) {
      if (System.nanoTime() > deadline) {
        return s;
      }
      Thread.sleep(20);
      s = scrape();
    }
    return s;
  }

  /**
   * Scrapes until received = processed + dropped for every signal (nothing in flight), up to 10 s.
   */
  public Scrape awaitIdle() throws Exception {
    return awaitScrape(
        Duration.ofSeconds(10),
        s -> {
          for (String signal : new String[] {"spans", "logs", "metrics"}) {
            double received = s.sum("seam_received_items_total", "signal", signal);
            double done =
                s.sum("seam_processed_items_total", "signal", signal)
                    + s.sum("seam_dropped_items_total", "signal", signal);
            if (received != done) {
              return false;
            }
          }
          return true;
        });
  }

  /** POSTs a body to the OTLP/HTTP receiver. */
  public HttpResponse<byte[]> post(
      String path, String contentType, String contentEncoding, byte[] body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(httpBase() + path))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (contentEncoding != null) {
      b.header("Content-Encoding", contentEncoding);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * Occupies {@code threads} threads of the pipeline's worker pool ({@code seam-pipeline}, shared
   * by name) until the returned handle is closed, as a pipeline stalled by a slow sink or a long
   * collection would: admitted exports wait in flight, and the overload bound is reached by
   * arithmetic rather than by timing. Returns once every one of those threads is held.
   */
  public AutoCloseable stallPipeline(int threads) throws InterruptedException {
    WorkerExecutor pool = vertx.createSharedWorkerExecutor("seam-pipeline", threads);
    CountDownLatch held = new CountDownLatch(threads);
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < threads; i++) {
      pool.executeBlocking(
          () -> {
            held.countDown();
            return release.await(60, TimeUnit.SECONDS);
          },
          false);
    }
    if (!held.await(10, TimeUnit.SECONDS)) {
      release.countDown();
      throw new AssertionError("the pipeline's " + threads + " threads were not all free to hold");
    }
    return () -> {
      release.countDown();
      pool.close();
    };
  }

  /** A plain HTTP client for anything else. */
  public HttpClient httpClient() {
    return http;
  }

  @Override
  public void close() throws Exception {
    try {
      seam.stop().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
