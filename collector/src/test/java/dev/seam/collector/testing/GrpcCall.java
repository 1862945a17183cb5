package dev.seam.collector.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.TimeUnit;

/** A raw unary gRPC call with Vert.x's gRPC client, for payloads no SDK exporter sends. */
public final class GrpcCall {

  /**
   * What came back: status, message, the response bytes (empty on error) and the raw status details
   * trailer.
   */
  public record Result(GrpcStatus status, String message, byte[] body, String statusDetailsBin) {}

  private GrpcCall() {}

  /**
   * Calls {@code fullMethod} (such as {@code
   * opentelemetry.proto.collector.trace.v1.TraceService/Export}) with one message.
   *
   * @param encoding {@code identity}, or {@code gzip} when {@code payload} is already
   *     gzip-compressed
   */
  public static Result call(
      Vertx vertx, int port, String fullMethod, String encoding, byte[] payload) throws Exception {
    GrpcClient client = GrpcClient.client(vertx);
    try {
      return client
          .request(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
          .compose(
              req -> {
                GrpcClientRequest<Buffer, Buffer> r = req.fullMethodName(fullMethod);
                if (!"identity".equals(encoding)) {
                  r.encoding(encoding);
                }
                r.endMessage(GrpcMessage.message(encoding, Buffer.buffer(payload)));
                return r.response();
              })
          .compose(GrpcCall::collect)
          .await(30, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  private static Future<Result> collect(GrpcClientResponse<Buffer, Buffer> resp) {
    Buffer body = Buffer.buffer();
    resp.handler(body::appendBuffer);
    return resp.end()
        .map(v -> new Result(resp.status(), resp.statusMessage(), body.getBytes(), details(resp)))
        .recover(
            err ->
                Future.succeededFuture(
                    new Result(resp.status(), resp.statusMessage(), new byte[0], details(resp))));
  }

  /** A trailers-only response (an error before any message) carries its trailers in the headers. */
  private static String details(GrpcClientResponse<Buffer, Buffer> resp) {
    String d = resp.trailers() != null ? resp.trailers().get("grpc-status-details-bin") : null;
    return d != null ? d : resp.headers().get("grpc-status-details-bin");
  }
}
