package dev.seam.collector.receive;

import com.google.protobuf.Message;
import dev.seam.collector.decode.BodyTooLargeException;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.measure.PipelineMetrics;
import dev.seam.collector.model.Signal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcProtocol;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * OTLP/gRPC: the {@code Export} method of the trace, logs and metrics collector services.
 * Messages are taken raw from the gRPC layer and inflated here, because the gRPC layer checks
 * the size of the compressed frame only and would inflate a gzip bomb without limit.
 */
public final class OtlpGrpcReceiver {

  private static final Logger LOG = Logger.getLogger(OtlpGrpcReceiver.class.getName());

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final Exports exports;
  private final PipelineMetrics accounting;
  private final long maxMessageBytes;
  private final Admission admission;
  private final long retryAfterSeconds;
  private final int idleTimeoutSeconds;
  private final BearerTokens tokens;

  /**
   * @param maxMessageBytes the largest message accepted, compressed or inflated
   * @param admission what decides whether Seam takes more work now
   * @param retryAfterSeconds the retry delay an overloaded answer asks for
   * @param idleTimeoutSeconds how long a connection may stay silent before it is closed
   * @param tokens the bearer tokens accepted ({@link BearerTokens#NONE}: no authentication)
   */
  public OtlpGrpcReceiver(Vertx vertx, WorkerExecutor workers, Exports exports, PipelineMetrics accounting, long maxMessageBytes,
      Admission admission, long retryAfterSeconds, int idleTimeoutSeconds, BearerTokens tokens) {
    this.tokens = tokens;
    this.idleTimeoutSeconds = idleTimeoutSeconds;
    this.vertx = vertx;
    this.workers = workers;
    this.exports = exports;
    this.accounting = accounting;
    this.maxMessageBytes = maxMessageBytes;
    this.admission = admission;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Starts listening. */
  public Future<HttpServer> listen(String host, int port) {
    return listen(host, port, null);
  }

  /** Starts listening, over TLS when {@code tls} is given. */
  public Future<HttpServer> listen(String host, int port, dev.seam.collector.config.SeamConfig.Tls tls) {
    GrpcServerOptions grpcOptions = new GrpcServerOptions()
        .setMaxMessageSize(maxMessageBytes)
        // OTLP/HTTP JSON lives on its own port; here application/json must not be taken for transcoding.
        .removeEnabledProtocol(GrpcProtocol.TRANSCODING)
        .removeEnabledProtocol(GrpcProtocol.WEB)
        .removeEnabledProtocol(GrpcProtocol.WEB_TEXT);
    GrpcServer grpc = GrpcServer.server(vertx, grpcOptions).callHandler(this::handle);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setHttp2ClearTextEnabled(true)
        .setDecompressionSupported(false)
        .setIdleTimeout(idleTimeoutSeconds);
    Tls.apply(options, tls);
    return vertx.createHttpServer(options).requestHandler(grpc).listen();
  }

  private void handle(GrpcServerRequest<Buffer, Buffer> req) {
    GrpcServerResponse<Buffer, Buffer> resp = req.response();
    Signal signal = signalOf(req.serviceName().fullyQualifiedName());
    if (signal == null || !"Export".equals(req.methodName())) {
      accounting.refusedRequest("unknown", PipelineMetrics.GRPC, "not_found");
      resp.status(GrpcStatus.UNIMPLEMENTED).statusMessage("no such method: " + req.fullMethodName()).end();
      return;
    }
    if (!tokens.accepts(req.headers().get("authorization"))) {
      refuse(resp, signal, GrpcStatus.UNAUTHENTICATED, "missing or unknown bearer token", "unauthenticated");
      return;
    }
    GrpcMessage[] received = new GrpcMessage[1];
    boolean[] refused = {false};
    req.invalidMessageHandler(err -> {
      if (!refused[0]) {
        refused[0] = true;
        refuse(resp, signal, GrpcStatus.RESOURCE_EXHAUSTED, "message exceeds the limit of " + maxMessageBytes + " bytes", "too_large");
      }
    });
    req.messageHandler(msg -> {
      if (received[0] != null && !refused[0]) {
        refused[0] = true;
        refuse(resp, signal, GrpcStatus.INVALID_ARGUMENT, "Export is unary: one message per call", "malformed");
      }
      received[0] = msg;
    });
    req.exceptionHandler(err -> refused[0] = true);
    req.endHandler(v -> {
      if (refused[0]) {
        return;
      }
      GrpcMessage msg = received[0];
      if (msg == null) {
        refuse(resp, signal, GrpcStatus.INVALID_ARGUMENT, "the call carried no message", "malformed");
        return;
      }
      String encoding = msg.encoding();
      boolean gzip;
      if ("identity".equals(encoding)) {
        gzip = false;
      } else if ("gzip".equals(encoding)) {
        gzip = true;
      } else {
        refuse(resp, signal, GrpcStatus.UNIMPLEMENTED, "unsupported grpc-encoding '" + encoding + "'; use gzip or identity", "unsupported_encoding");
        return;
      }
      Buffer payload = msg.payload();
      long reserved = payload.length();
      if (!admission.tryAcquire(reserved)) {
        overloaded(resp, signal, admission.overloaded());
        return;
      }
      workers.<Message>executeBlocking(() -> exports.export(signal, payload.getBytes(), gzip, maxMessageBytes, Exports.Format.PROTOBUF, PipelineMetrics.GRPC), false)
          .onComplete(ar -> {
            admission.release(reserved);
            if (ar.succeeded()) {
              resp.end(Buffer.buffer(ar.result().toByteArray()));
            } else if (ar.cause() instanceof OtlpDecodeException) {
              refuse(resp, signal, GrpcStatus.INVALID_ARGUMENT, ar.cause().getMessage(), "malformed");
            } else if (ar.cause() instanceof BodyTooLargeException) {
              refuse(resp, signal, GrpcStatus.RESOURCE_EXHAUSTED, ar.cause().getMessage(), "too_large");
            } else {
              LOG.log(Level.WARNING, "gRPC export failed", ar.cause());
              refuse(resp, signal, GrpcStatus.INTERNAL, "internal error: " + ar.cause(), "internal_error");
            }
          });
    });
  }

  /** UNAVAILABLE with RetryInfo: what the Go and Java exporters retry on. */
  private void overloaded(GrpcServerResponse<Buffer, Buffer> resp, Signal signal, String why) {
    String message = "Seam is overloaded (" + (why != null ? why : "busy") + "); retry after " + retryAfterSeconds + " s";
    com.google.rpc.Status details = com.google.rpc.Status.newBuilder()
        .setCode(GrpcStatus.UNAVAILABLE.code)
        .setMessage(message)
        .addDetails(com.google.protobuf.Any.pack(com.google.rpc.RetryInfo.newBuilder()
            .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(retryAfterSeconds))
            .build()))
        .build();
    resp.trailers().set("grpc-status-details-bin", java.util.Base64.getEncoder().withoutPadding().encodeToString(details.toByteArray()));
    refuse(resp, signal, GrpcStatus.UNAVAILABLE, message, "overloaded");
  }

  private void refuse(GrpcServerResponse<Buffer, Buffer> resp, Signal signal, GrpcStatus status, String message, String reason) {
    accounting.refusedRequest(signal.label(), PipelineMetrics.GRPC, reason);
    resp.status(status).statusMessage(message).end();
  }

  static Signal signalOf(String service) {
    switch (service) {
      case "opentelemetry.proto.collector.trace.v1.TraceService":
        return Signal.SPANS;
      case "opentelemetry.proto.collector.logs.v1.LogsService":
        return Signal.LOGS;
      case "opentelemetry.proto.collector.metrics.v1.MetricsService":
        return Signal.METRICS;
      default:
        return null;
    }
  }
}
