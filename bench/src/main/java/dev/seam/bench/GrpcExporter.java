package dev.seam.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.TimeUnit;

/** Sends OTLP/gRPC requests over one HTTP/2 connection (Vert.x gRPC client). */
final class GrpcExporter implements Exporter {

  private static final String TRACE_METHOD =
      "opentelemetry.proto.collector.trace.v1.TraceService/Export";
  private static final String LOGS_METHOD =
      "opentelemetry.proto.collector.logs.v1.LogsService/Export";

  private final GrpcClient client;
  private final SocketAddress server;
  private final long timeoutMs;

  GrpcExporter(Vertx vertx, LoadOptions o) {
    this.client = GrpcClient.client(vertx);
    this.server = SocketAddress.inetSocketAddress(o.port, o.host);
    this.timeoutMs = (long) (o.timeout * 1000);
  }

  @Override
  public Future<Reply> send(boolean logs, byte[] body) {
    return client
        .request(server)
        .compose(
            req -> {
              req.fullMethodName(logs ? LOGS_METHOD : TRACE_METHOD);
              // Sent as grpc-timeout, as the Go and Rust exporters send their 10 s default.
              req.timeout(timeoutMs, TimeUnit.MILLISECONDS);
              req.endMessage(GrpcMessage.message("identity", Exporter.wrap(body)));
              return req.response();
            })
        .compose(
            resp -> {
              Buffer[] message = new Buffer[1];
              resp.handler(b -> message[0] = b);
              return resp.end()
                  .transform(
                      ar -> {
                        if (resp.status() != GrpcStatus.OK) {
                          String m = resp.statusMessage();
                          return Future.succeededFuture(
                              new Reply(
                                  false,
                                  0,
                                  "grpc "
                                      + resp.status()
                                      + (m == null || m.isEmpty() ? "" : ": " + m)));
                        }
                        if (ar.failed()) {
                          return Future.succeededFuture(
                              new Reply(false, 0, "grpc stream: " + ar.cause()));
                        }
                        return Future.succeededFuture(
                            Reply.accepted(
                                logs, message[0] == null ? new byte[0] : message[0].getBytes()));
                      });
            })
        .recover(err -> Future.succeededFuture(new Reply(false, 0, "transport: " + err)));
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
