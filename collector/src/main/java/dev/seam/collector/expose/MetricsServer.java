package dev.seam.collector.expose;

import dev.seam.collector.receive.BearerTokens;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Serves {@code GET /metrics} in the format the Accept header prefers: the Prometheus protobuf
 * format (with the boundary histograms' native buckets), OpenMetrics (with exemplars) or, by
 * default, the Prometheus text format; {@code /healthz} answers while the process runs and {@code
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
  static final String PROTOBUF = PrometheusProtobufWriter.CONTENT_TYPE;
  private static final String PROTOBUF_MEDIA_TYPE = "application/vnd.google.protobuf";
  private static final String PROTOBUF_MESSAGE = "io.prometheus.client.MetricFamily";

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
    return contentType(req.getHeader("Accept"));
  }

  /**
   * The format of the answer to {@code accept}: of the media ranges Seam can serve, the one with
   * the highest quality (the first of equals); the text format when none is named. Prometheus puts
   * protobuf first only when it ingests native histograms.
   */
  static String contentType(String accept) {
    if (accept == null) {
      return PROMETHEUS_TEXT;
    }
    String chosen = PROMETHEUS_TEXT;
    double best = 0;
    for (String range : accept.split(",", -1)) {
      String[] parts = range.split(";", -1);
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      double q = 1;
      String proto = null;
      String encoding = null;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        int eq = p.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String value = p.substring(eq + 1).trim();
        switch (name) {
          case "q" -> q = quality(value);
          case "proto" -> proto = value;
          case "encoding" -> encoding = value;
          default -> {}
        }
      }
      String format =
          switch (type) {
            case PROTOBUF_MEDIA_TYPE ->
                PROTOBUF_MESSAGE.equals(proto) && "delimited".equals(encoding) ? PROTOBUF : null;
            case "application/openmetrics-text" -> OPENMETRICS;
            case "text/plain" -> PROMETHEUS_TEXT;
            default -> null;
          };
      if (format != null && q > best) {
        best = q;
        chosen = format;
      }
    }
    return chosen;
  }

  private static double quality(String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return 0;
    }
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
