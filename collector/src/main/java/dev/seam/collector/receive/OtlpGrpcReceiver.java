package dev.seam.collector.receive;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import dev.seam.collector.decode.OtlpFormat;
import dev.seam.collector.measure.PipelineMetrics;
import dev.seam.collector.model.Signal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.server.GrpcProtocol;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.Base64;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * OTLP/gRPC: the {@code Export} method of the trace, logs and metrics collector services. Messages
 * are taken raw from the gRPC layer and inflated here, because the gRPC layer checks the size of
 * the compressed frame only and would inflate a gzip bomb without limit.
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
  public OtlpGrpcReceiver(
      Vertx vertx,
      WorkerExecutor workers,
      Exports exports,
      PipelineMetrics accounting,
      long maxMessageBytes,
      Admission admission,
      long retryAfterSeconds,
      int idleTimeoutSeconds,
      BearerTokens tokens) {
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

  /** Starts listening, over TLS when {@code tls} is enabled. */
  public Future<HttpServer> listen(String host, int port, TlsConfig tls) {
    GrpcServerOptions grpcOptions =
        new GrpcServerOptions()
            .setMaxMessageSize(maxMessageBytes)
            // OTLP/HTTP JSON lives on its own port; here application/json must not be taken for
            // transcoding.
            .removeEnabledProtocol(GrpcProtocol.TRANSCODING)
            .removeEnabledProtocol(GrpcProtocol.WEB)
            .removeEnabledProtocol(GrpcProtocol.WEB_TEXT);
    GrpcServer grpc = GrpcServer.server(vertx, grpcOptions).callHandler(this::handle);
    HttpServerOptions options =
        new HttpServerOptions()
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
      refuse(
          resp,
          Refusal.UNKNOWN_SIGNAL,
          Refusal.NOT_FOUND,
          "no such method: " + req.fullMethodName());
      return;
    }
    if (!tokens.accepts(req.headers().get("authorization"))) {
      refuse(resp, signal, Refusal.UNAUTHENTICATED, "missing or unknown bearer token");
      return;
    }
    // One call's handlers all run on its connection's event loop, so this state needs no lock.
    GrpcMessage[] received = new GrpcMessage[1];
    boolean[] refused = {false};
    req.invalidMessageHandler(
        err -> {
          if (!refused[0]) {
            refused[0] = true;
            refuse(
                resp,
                signal,
                Refusal.TOO_LARGE,
                "message exceeds the limit of " + maxMessageBytes + " bytes");
          }
        });
    req.messageHandler(
        msg -> {
          if (received[0] != null && !refused[0]) {
            refused[0] = true;
            refuse(resp, signal, Refusal.MALFORMED, "Export is unary: one message per call");
          }
          received[0] = msg;
        });
    req.exceptionHandler(err -> refused[0] = true);
    req.endHandler(
        v -> {
          if (refused[0]) {
            return;
          }
          GrpcMessage msg = received[0];
          if (msg == null) {
            refuse(resp, signal, Refusal.MALFORMED, "the call carried no message");
            return;
          }
          ContentEncoding encoding = ContentEncoding.ofGrpc(msg.encoding());
          if (encoding == null) {
            refuse(
                resp,
                signal,
                Refusal.UNSUPPORTED_ENCODING,
                "unsupported grpc-encoding '" + msg.encoding() + "'; use gzip or identity");
            return;
          }
          Buffer payload = msg.payload();
          long reserved = payload.length();
          if (!admission.tryAcquire(reserved)) {
            overloaded(resp, signal, admission.overloaded());
            return;
          }
          exports
              .submit(
                  workers,
                  signal,
                  payload,
                  encoding,
                  maxMessageBytes,
                  OtlpFormat.PROTOBUF,
                  PipelineMetrics.GRPC)
              .onComplete(
                  ar -> {
                    admission.release(reserved);
                    if (ar.succeeded()) {
                      resp.end(Buffer.buffer(ar.result().toByteArray()));
                      return;
                    }
                    Refusal refusal = Refusal.ofFailure(ar.cause());
                    if (refusal == Refusal.INTERNAL_ERROR) {
                      LOG.log(Level.WARNING, "gRPC export failed", ar.cause());
                    }
                    if (refusal.retryable()) {
                      retryLater(resp, signal, refusal, Refusal.describe(ar.cause()));
                      return;
                    }
                    refuse(resp, signal, refusal, Refusal.describe(ar.cause()));
                  });
        });
  }

  /** UNAVAILABLE with RetryInfo: what the Go and Java exporters retry on. */
  private void overloaded(GrpcServerResponse<Buffer, Buffer> resp, Signal signal, String why) {
    retryLater(resp, signal, Refusal.OVERLOADED, Refusal.overloadedMessage(why, retryAfterSeconds));
  }

  /** A refusal the client should retry: its status with RetryInfo in the status details. */
  private void retryLater(
      GrpcServerResponse<Buffer, Buffer> resp, Signal signal, Refusal refusal, String message) {
    Status details =
        Status.newBuilder()
            .setCode(refusal.grpcStatus().code)
            .setMessage(message)
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(Duration.newBuilder().setSeconds(retryAfterSeconds))
                        .build()))
            .build();
    resp.trailers()
        .set(
            "grpc-status-details-bin",
            Base64.getEncoder().withoutPadding().encodeToString(details.toByteArray()));
    refuse(resp, signal, refusal, message);
  }

  private void refuse(
      GrpcServerResponse<Buffer, Buffer> resp, Signal signal, Refusal refusal, String message) {
    refuse(resp, signal.label(), refusal, message);
  }

  private void refuse(
      GrpcServerResponse<Buffer, Buffer> resp, String signal, Refusal refusal, String message) {
    accounting.refusedRequest(signal, PipelineMetrics.GRPC, refusal.label());
    resp.status(refusal.grpcStatus()).statusMessage(message).end();
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
