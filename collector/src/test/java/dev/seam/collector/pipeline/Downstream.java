package dev.seam.collector.pipeline;

import dev.seam.collector.forward.ForwardConfig;
import dev.seam.collector.forward.Forwarder;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real OTLP/HTTP endpoint on a free loopback port that accepts every export and keeps its body,
 * and a real {@link Forwarder} that sends there: what a handler forwarded, byte for byte.
 */
final class Downstream implements AutoCloseable {

  /** One request the downstream was sent. */
  record Received(String path, byte[] body) {}

  private final Vertx vertx = Vertx.vertx();
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final HttpServer server;

  Downstream() throws Exception {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              received.add(new Received(req.path(), body.getBytes()));
                              req.response()
                                  .setStatusCode(200)
                                  .putHeader("Content-Type", "application/x-protobuf")
                                  .end();
                            }))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
  }

  /**
   * A forwarder of spans and logs to this downstream, uncompressed, counting in {@code registry}.
   */
  Forwarder forwarder(MeterRegistry registry) {
    ForwardConfig config =
        new ForwardConfig(
            true,
            "http://127.0.0.1:" + server.actualPort(),
            "http/protobuf",
            List.of("spans", "logs"),
            "none",
            Duration.ofSeconds(5),
            10_000,
            4,
            new ForwardConfig.RetryConfig(
                Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(10)),
            Map.of());
    return new Forwarder(vertx, config, registry);
  }

  /** The next request the downstream was sent; fails after 10 s without one. */
  Received next() throws InterruptedException {
    Received r = received.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("nothing was forwarded within 10 s");
    }
    return r;
  }

  /** The next request, if one comes within {@code millis}; else {@code null}. */
  Received poll(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
