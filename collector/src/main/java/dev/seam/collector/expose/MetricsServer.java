package dev.seam.collector.expose;

import dev.seam.collector.receive.BearerTokens;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.util.function.BooleanSupplier;

/**
 * Serves {@code GET /metrics} in the Prometheus text format, or OpenMetrics (with exemplars) when
 * the Accept header asks for it; {@code /healthz} answers while the process runs and {@code
 * /readyz} once the receivers are bound. Scrapes are rendered off the event loop.
 */
public final class MetricsServer {

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier ready;
  private final BearerTokens tokens;
  private final WorkerExecutor scrapes;
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * @param ready whether the receivers are bound
   */
  public MetricsServer(Vertx vertx, PrometheusMeterRegistry registry, BooleanSupplier ready) {
    this(vertx, registry, ready, BearerTokens.NONE);
  }

  /**
   * @param tokens bearer tokens required on {@code /metrics} ({@link BearerTokens#NONE}: open)
   */
  public MetricsServer(
      Vertx vertx, PrometheusMeterRegistry registry, BooleanSupplier ready, BearerTokens tokens) {
    this.tokens = tokens;
    this.vertx = vertx;
    // One thread renders scrapes: the shared worker pool would grow a thread per scrape up to
    // its size, and scrapes gain nothing from running in parallel.
    this.scrapes = vertx.createSharedWorkerExecutor("seam-scrape", 1);
    this.registry = registry;
    this.ready = ready;
  }

  /** Starts listening. */
  public Future<HttpServer> listen(String host, int port) {
    return vertx
        .createHttpServer(
            new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(true))
        .requestHandler(this::handle)
        .listen();
  }

  private void handle(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      req.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
      return;
    }
    if (req.path().equals("/metrics") && !tokens.accepts(req.getHeader("Authorization"))) {
      // Health endpoints stay open for probes; the metrics themselves may be protected.
      req.response().putHeader("WWW-Authenticate", "Bearer");
      text(req, 401, "missing or unknown bearer token\n");
      return;
    }
    switch (req.path()) {
      case "/metrics":
        if (req.method() == HttpMethod.HEAD) {
          req.response().putHeader("Content-Type", contentType(req)).end();
        } else {
          scrape(req);
        }
        break;
      case "/healthz":
        text(req, 200, "ok\n");
        break;
      case "/readyz":
        if (ready.getAsBoolean()) {
          text(req, 200, "ready\n");
        } else {
          text(req, 503, "receivers not bound yet\n");
        }
        break;
      default:
        text(req, 404, "try /metrics, /healthz or /readyz\n");
        break;
    }
  }

  /** A short text answer; HEAD gets the status and headers only (HTTP/2 would send a body). */
  private static void text(HttpServerRequest req, int status, String body) {
    req.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8");
    if (req.method() == HttpMethod.HEAD) {
      req.response().end();
    } else {
      req.response().end(body);
    }
  }

  private static String contentType(HttpServerRequest req) {
    String accept = req.getHeader("Accept");
    // Text formats only: Micrometer has nothing the protobuf format would add.
    return accept != null && accept.contains("application/openmetrics-text")
        ? OPENMETRICS
        : PROMETHEUS_TEXT;
  }

  private void scrape(HttpServerRequest req) {
    String contentType = contentType(req);
    scrapes
        .<Buffer>executeBlocking(
            () -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
              registry.scrape(out, contentType);
              return Buffer.buffer(out.toByteArray());
            },
            false)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                req.response().putHeader("Content-Type", contentType).end(ar.result());
              } else {
                req.response()
                    .setStatusCode(500)
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("scrape failed: " + ar.cause() + "\n");
              }
            });
  }
}
