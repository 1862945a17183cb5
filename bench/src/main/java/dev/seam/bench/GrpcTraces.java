package dev.seam.bench;

import static dev.seam.bench.SdkSpans.LOCAL;
import static dev.seam.bench.SdkSpans.REMOTE_PARENT;
import static dev.seam.bench.SdkSpans.US;
import static dev.seam.bench.SdkSpans.goServerSpan;
import static dev.seam.bench.SdkSpans.kv;
import static dev.seam.bench.SdkSpans.logNormal;
import static dev.seam.bench.SdkSpans.rustErrorLog;
import static dev.seam.bench.SdkSpans.rustExtras;
import static dev.seam.bench.SdkSpans.span;
import static dev.seam.bench.SdkSpans.status;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Random;

/**
 * gRPC traces as otelhttp, otelgrpc and tonic write them: a Go HTTP handler calls the Rust pricing
 * service, which answers OK or UNAVAILABLE (on both sides).
 */
final class GrpcTraces {

  private static final String[] GRPC_METHODS = {
    "pricing.v1.Pricing/Quote",
    "pricing.v1.Pricing/Quote",
    "pricing.v1.Pricing/Quote",
    "pricing.v1.Pricing/BatchQuote",
    "pricing.v1.Rates/Get"
  };

  private GrpcTraces() {}

  /** otelhttp server -> otelgrpc client -> tonic server -> inner span. */
  static void add(
      SdkBatches b, Random r, ByteString trace, ByteString[] id, long start, Failure failure) {
    String method = GRPC_METHODS[r.nextInt(GRPC_METHODS.length)];
    String service = method.substring(0, method.indexOf('/'));
    String shortMethod = method.substring(method.indexOf('/') + 1);
    boolean failed = failure == Failure.GRPC_UNAVAILABLE;
    long serverDur = failed ? logNormal(r, 400 * US, 0.3) : logNormal(r, 1100 * US, 0.5);
    long overhead = logNormal(r, 250 * US, 0.4);
    long clientDur = serverDur + overhead;
    long clientStart = start + 40 * US;
    long serverStart = clientStart + overhead / 2;
    String quoteId = Integer.toString(r.nextInt(100_000));

    b.goHttp.add(
        goServerSpan(
            r,
            trace,
            id[0],
            "/quote/{id}",
            "/quote/" + quoteId,
            start,
            clientDur + logNormal(r, 90 * US, 0.3),
            failed ? 502 : 200));
    Span.Builder c =
        span(trace, id[1], id[0], method, SpanKind.SPAN_KIND_CLIENT, LOCAL, clientStart, clientDur)
            .addAttributes(kv("rpc.system.name", "grpc"))
            .addAttributes(kv("rpc.method", method))
            .addAttributes(kv("peer.service", "pricing"))
            .addAttributes(kv("server.address", "pricing"))
            .addAttributes(kv("server.port", 50051))
            .addAttributes(kv("rpc.response.status_code", failed ? "UNAVAILABLE" : "OK"));
    Span.Builder s =
        span(
                trace,
                id[2],
                id[1],
                method,
                SpanKind.SPAN_KIND_SERVER,
                REMOTE_PARENT,
                serverStart,
                serverDur)
            .addAttributes(kv("rpc.system", "grpc"))
            .addAttributes(kv("rpc.service", service))
            .addAttributes(kv("rpc.method", shortMethod))
            .addAttributes(kv("http.user_agent", "grpc-go/1.85.0"))
            .addAttributes(kv("server.address", "pricing:50051"))
            .addAttributes(kv("network.peer.address", "10.0.3." + (2 + r.nextInt(200))))
            .addAttributes(kv("rpc.grpc.status_code", failed ? "14" : "0"));
    if (failed) {
      c.setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "pricing backend unavailable"));
      s.setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "pricing backend unavailable"));
      b.rustLogs.add(
          rustErrorLog(
              trace,
              id[2],
              serverStart + serverDur - 30 * US,
              "pricing backend unavailable",
              "event pricing-service/src/grpc.rs:61",
              quoteId));
    } else {
      s.setStatus(status(Status.StatusCode.STATUS_CODE_OK, ""));
    }
    b.goGrpc.add(c.build());
    b.rust.add(
        rustExtras(s, r, "pricing_service::grpc", "pricing-service/src/grpc.rs", 37, serverDur)
            .build());
    long innerDur = serverDur * 7 / 10;
    b.rust.add(
        rustExtras(
                span(
                    trace,
                    id[3],
                    id[2],
                    "compute_price",
                    SpanKind.SPAN_KIND_INTERNAL,
                    LOCAL,
                    serverStart + 25 * US,
                    innerDur),
                r,
                "pricing_service::engine",
                "pricing-service/src/engine.rs",
                118,
                innerDur)
            .build());
  }
}
