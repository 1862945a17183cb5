package dev.seam.collector.receive;

import com.google.protobuf.Message;
import com.google.rpc.Status;
import dev.seam.collector.decode.OtlpFormat;
import dev.seam.collector.decode.OtlpJson;
import dev.seam.collector.measure.PipelineMetrics;
import dev.seam.collector.model.Signal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * OTLP/HTTP: {@code POST /v1/traces}, {@code /v1/logs}, {@code /v1/metrics} with protobuf or JSON
 * bodies, optionally gzip-compressed; the reply is in the request's content type.
 */
public final class OtlpHttpReceiver {

  private static final Logger LOG = Logger.getLogger(OtlpHttpReceiver.class.getName());
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final long LINGER_MILLIS = 500;

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final Exports exports;
  private final PipelineMetrics accounting;
  private final long maxBodyBytes;
  private final Admission admission;
  private final long retryAfterSeconds;
  private final long readTimeoutMillis;
  private final int idleTimeoutSeconds;
  private final BearerTokens tokens;

  /**
   * @param maxBodyBytes the largest body accepted, compressed or inflated
   * @param admission what decides whether Seam takes more work now
   * @param retryAfterSeconds what an overloaded answer tells the client to wait
   * @param readTimeoutMillis how long a request body may take to arrive
   * @param idleTimeoutSeconds how long a connection may stay silent before it is closed
   * @param tokens the bearer tokens accepted ({@link BearerTokens#NONE}: no authentication)
   */
  public OtlpHttpReceiver(
      Vertx vertx,
      WorkerExecutor workers,
      Exports exports,
      PipelineMetrics accounting,
      long maxBodyBytes,
      Admission admission,
      long retryAfterSeconds,
      long readTimeoutMillis,
      int idleTimeoutSeconds,
      BearerTokens tokens) {
    this.tokens = tokens;
    this.readTimeoutMillis = readTimeoutMillis;
    this.idleTimeoutSeconds = idleTimeoutSeconds;
    this.vertx = vertx;
    this.workers = workers;
    this.exports = exports;
    this.accounting = accounting;
    this.maxBodyBytes = maxBodyBytes;
    this.admission = admission;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Starts listening. */
  public Future<HttpServer> listen(String host, int port) {
    return listen(host, port, null);
  }

  /** Starts listening, over TLS when {@code tls} is enabled. */
  public Future<HttpServer> listen(String host, int port, TlsConfig tls) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(port)
            // Seam inflates gzip itself, with a cap; Vert.x's own inflater has none.
            .setDecompressionSupported(false)
            .setCompressionSupported(false)
            // Also stops a client trickling its headers: a silent connection is closed.
            .setIdleTimeout(idleTimeoutSeconds);
    Tls.apply(options, tls);
    return vertx.createHttpServer(options).requestHandler(this::handle).listen();
  }

  private void handle(HttpServerRequest req) {
    Signal signal = signalOf(req.path());
    String signalLabel = signal == null ? Refusal.UNKNOWN_SIGNAL : signal.label();
    if (signal == null) {
      refuse(
          req,
          Refusal.NOT_FOUND,
          "no OTLP endpoint at " + req.path() + "; use /v1/traces, /v1/logs or /v1/metrics",
          JSON,
          signalLabel);
      return;
    }
    if (req.method() != HttpMethod.POST) {
      req.response().putHeader("Allow", "POST");
      refuse(
          req,
          Refusal.METHOD_NOT_ALLOWED,
          req.method() + " is not allowed on " + req.path() + "; OTLP exports are POSTed",
          JSON,
          signalLabel);
      return;
    }
    if (!tokens.accepts(req.getHeader("Authorization"))) {
      req.response().putHeader("WWW-Authenticate", "Bearer");
      String guess = JSON.equals(mediaType(req.getHeader("Content-Type"))) ? JSON : PROTOBUF;
      refuse(req, Refusal.UNAUTHENTICATED, "missing or unknown bearer token", guess, signalLabel);
      return;
    }
    String type = mediaType(req.getHeader("Content-Type"));
    OtlpFormat format;
    if (PROTOBUF.equals(type)) {
      format = OtlpFormat.PROTOBUF;
    } else if (JSON.equals(type)) {
      format = OtlpFormat.JSON;
    } else {
      refuse(
          req,
          Refusal.UNSUPPORTED_MEDIA_TYPE,
          "unsupported Content-Type '"
              + (type == null ? "" : type)
              + "'; use application/x-protobuf or application/json",
          JSON,
          signalLabel);
      return;
    }
    String replyType = format == OtlpFormat.JSON ? JSON : PROTOBUF;
    String encodingHeader = req.getHeader("Content-Encoding");
    ContentEncoding encoding = ContentEncoding.ofHttp(encodingHeader);
    if (encoding == null) {
      refuse(
          req,
          Refusal.UNSUPPORTED_ENCODING,
          "unsupported Content-Encoding '" + encodingHeader + "'; use gzip or none",
          replyType,
          signalLabel);
      return;
    }
    String length = req.getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBodyBytes) {
          tooLarge(req, replyType, signalLabel);
          return;
        }
      } catch (NumberFormatException e) {
        refuse(req, Refusal.MALFORMED, "invalid Content-Length", replyType, signalLabel);
        return;
      }
    }

    String busy = admission.overloaded();
    if (busy != null) {
      overloaded(req, replyType, signalLabel, busy, true);
      return;
    }
    if (req.version() != HttpVersion.HTTP_2
        && "100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
      // The headers passed every check, so the client may send the body now.
      req.response().writeContinue();
    }
    // A declared length sizes the buffer, but only up to 1 MiB: a client may promise more than it
    // sends.
    Buffer body =
        Buffer.buffer(
            length != null
                ? (int) Math.min(Long.parseLong(length.trim()), Math.min(maxBodyBytes, 1 << 20))
                : 4096);
    // The request's handlers and its read timer all run on its connection's event loop, so this
    // state needs no lock.
    boolean[] refused = {false};
    // A client that trickles its body (slowloris) holds a connection and a buffer: it gets a bound.
    long readTimer =
        vertx.setTimer(
            readTimeoutMillis,
            id -> {
              if (!refused[0]) {
                refused[0] = true;
                slow(req, replyType, signalLabel);
              }
            });
    req.handler(
        chunk -> {
          if (refused[0]) {
            return;
          }
          if ((long) body.length() + chunk.length() > maxBodyBytes) {
            refused[0] = true;
            tooLarge(req, replyType, signalLabel);
            return;
          }
          body.appendBuffer(chunk);
        });
    req.exceptionHandler(err -> refused[0] = true);
    req.endHandler(
        v -> {
          vertx.cancelTimer(readTimer);
          if (refused[0]) {
            return;
          }
          long reserved = body.length();
          if (!admission.tryAcquire(reserved)) {
            overloaded(req, replyType, signalLabel, admission.overloaded(), false);
            return;
          }
          // The copy out of the network buffer happens on the worker too: the event loop only
          // collects.
          exports
              .submit(workers, signal, body, encoding, maxBodyBytes, format, PipelineMetrics.HTTP)
              .onComplete(
                  ar -> {
                    admission.release(reserved);
                    if (ar.succeeded()) {
                      reply(req.response(), 200, replyType, ar.result());
                      return;
                    }
                    Refusal refusal = Refusal.ofFailure(ar.cause());
                    if (refusal == Refusal.INTERNAL_ERROR) {
                      LOG.log(Level.WARNING, "export to " + req.path() + " failed", ar.cause());
                    }
                    if (refusal.retryable()) {
                      // Kafka did not take it in time: 503 with Retry-After, like an overload.
                      req.response().putHeader("Retry-After", Long.toString(retryAfterSeconds));
                    }
                    refuse(req, refusal, Refusal.describe(ar.cause()), replyType, signalLabel);
                  });
        });
  }

  /** 503 with Retry-After: the client's exporter retries, and nothing is lost. */
  private void overloaded(
      HttpServerRequest req, String replyType, String signal, String why, boolean bodyUnread) {
    HttpServerResponse resp = req.response();
    if (bodyUnread && req.version() != HttpVersion.HTTP_2) {
      // The body was not read; on HTTP/1.x the connection cannot be reused without reading it.
      resp.putHeader("Connection", "close");
      resp.endHandler(v -> lingerAndClose(req));
    }
    resp.putHeader("Retry-After", Long.toString(retryAfterSeconds));
    refuse(
        req,
        Refusal.OVERLOADED,
        Refusal.overloadedMessage(why, retryAfterSeconds),
        replyType,
        signal);
  }

  /**
   * Closes an HTTP/1.x connection whose request body will not be read, a moment after the answer
   * went out: closing at once, while the client still sends, makes the kernel reset the connection,
   * and a reset can destroy the answer before the client reads it.
   */
  private void lingerAndClose(HttpServerRequest req) {
    vertx.setTimer(LINGER_MILLIS, id -> req.connection().close());
  }

  private void slow(HttpServerRequest req, String replyType, String signal) {
    HttpServerResponse resp = req.response();
    if (req.version() != HttpVersion.HTTP_2 && !resp.ended()) {
      resp.putHeader("Connection", "close");
      resp.endHandler(v -> lingerAndClose(req));
    }
    refuse(
        req,
        Refusal.TIMEOUT,
        "the request body did not arrive within " + readTimeoutMillis + " ms",
        replyType,
        signal);
  }

  private void tooLarge(HttpServerRequest req, String replyType, String signal) {
    HttpServerResponse resp = req.response();
    boolean http2 = req.version() == HttpVersion.HTTP_2;
    if (!http2 && !resp.ended()) {
      // The rest of the body is not worth reading; on HTTP/1.x closing the connection is the only
      // way to stop it.
      resp.putHeader("Connection", "close");
      resp.endHandler(v -> lingerAndClose(req));
    }
    // HTTP/2 forbids connection headers, and the rest of that stream's body is simply discarded.
    refuse(
        req,
        Refusal.TOO_LARGE,
        "body exceeds the limit of " + maxBodyBytes + " bytes",
        replyType,
        signal);
  }

  private void refuse(
      HttpServerRequest req, Refusal refusal, String message, String replyType, String signal) {
    accounting.refusedRequest(signal, PipelineMetrics.HTTP, refusal.label());
    Status st = Status.newBuilder().setCode(refusal.code().getNumber()).setMessage(message).build();
    reply(req.response(), refusal.httpStatus(), replyType, st);
  }

  private static void reply(HttpServerResponse resp, int status, String type, Message message) {
    if (resp.ended() || resp.closed()) {
      return;
    }
    Buffer body =
        JSON.equals(type)
            ? Buffer.buffer(OtlpJson.print(message))
            : Buffer.buffer(message.toByteArray());
    resp.setStatusCode(status).putHeader("Content-Type", type).end(body);
  }

  static Signal signalOf(String path) {
    if (path == null) {
      return null;
    }
    switch (path) {
      case "/v1/traces":
      case "/v1/traces/":
        return Signal.SPANS;
      case "/v1/logs":
      case "/v1/logs/":
        return Signal.LOGS;
      case "/v1/metrics":
      case "/v1/metrics/":
        return Signal.METRICS;
      default:
        return null;
    }
  }

  static String mediaType(String header) {
    if (header == null) {
      return null;
    }
    int semi = header.indexOf(';');
    return (semi >= 0 ? header.substring(0, semi) : header).trim().toLowerCase(Locale.ROOT);
  }
}
