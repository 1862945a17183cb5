package dev.seam.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Sends OTLP/HTTP protobuf POSTs to /v1/traces and /v1/logs over keep-alive HTTP/1.1 connections.
 */
final class HttpExporter implements Exporter {

  private final HttpClientAgent client;

  HttpExporter(Vertx vertx, LoadOptions o) {
    // Vert.x's client (HTTP/1.1, keep-alive, one connection per sender) rather than the JDK's:
    // it runs on the one event loop the gRPC client uses, with no selector thread and no
    // CompletableFuture chain per request, so it costs the generator less CPU per request.
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setDefaultHost(o.host)
                .setDefaultPort(o.port)
                .setIdleTimeout(60),
            new PoolOptions().setHttp1MaxSize(o.inflight + 1));
  }

  @Override
  public Future<Reply> send(boolean logs, byte[] body) {
    RequestOptions ro =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setURI(logs ? "/v1/logs" : "/v1/traces")
            .putHeader("Content-Type", "application/x-protobuf");
    return client
        .request(ro)
        .compose(req -> req.send(Exporter.wrap(body)))
        .compose(
            resp ->
                resp.body()
                    .map(
                        b -> {
                          if (resp.statusCode() != 200) {
                            String text = b.length() > 200 ? b.getString(0, 200) : b.toString();
                            return new Reply(
                                false,
                                0,
                                "HTTP "
                                    + resp.statusCode()
                                    + ": "
                                    + text.replaceAll("[^\\x20-\\x7e]", "?"));
                          }
                          return Reply.accepted(logs, b.getBytes());
                        }))
        .recover(err -> Future.succeededFuture(new Reply(false, 0, "transport: " + err)));
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
