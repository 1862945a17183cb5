package dev.seam.bench;

import static dev.seam.bench.SdkSpans.LOCAL;
import static dev.seam.bench.SdkSpans.MS;
import static dev.seam.bench.SdkSpans.REMOTE_PARENT;
import static dev.seam.bench.SdkSpans.US;
import static dev.seam.bench.SdkSpans.kv;
import static dev.seam.bench.SdkSpans.logNormal;
import static dev.seam.bench.SdkSpans.rustErrorLog;
import static dev.seam.bench.SdkSpans.rustExtras;
import static dev.seam.bench.SdkSpans.span;
import static dev.seam.bench.SdkSpans.status;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Random;

/**
 * HTTP traces as otelhttp and axum write them: the Go gateway's client call to the Rust pricing
 * service, ending in a 200, a 503 on both sides, or a Go deadline the slow Rust handler never saw.
 */
final class HttpTraces {

  private static final String[] HTTP_ROUTES = {
    "/price/{id}",
    "/price/{id}",
    "/price/{id}",
    "/price/{id}/history",
    "/rates/{currency}",
    "/stock/{sku}"
  };
  private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "JPY", "CHF"};

  private HttpTraces() {}

  /**
   * otelhttp client -> axum server; slots: 0 Go caller's parent, 1 Go CLIENT, 2 Rust SERVER, 3 Rust
   * inner.
   */
  static void add(
      SdkBatches b, Random r, ByteString trace, ByteString[] id, long start, Failure failure) {
    String route = HTTP_ROUTES[r.nextInt(HTTP_ROUTES.length)];
    String path = concretePath(route, r);
    long serverDur =
        failure == Failure.HTTP_503 ? logNormal(r, 250 * US, 0.3) : logNormal(r, 800 * US, 0.5);
    long overhead = logNormal(r, 300 * US, 0.4);
    long clientDur = serverDur + overhead;
    if (failure == Failure.HTTP_TIMEOUT) {
      clientDur = 250 * MS; // the Go context's deadline
      serverDur = 380 * MS + r.nextInt(40) * MS; // the Rust handler was slow, and never knew
    }
    long clientStart = start + 20 * US;
    long serverStart = clientStart + overhead / 2;
    String itemId = Integer.toString(r.nextInt(100_000));

    Span.Builder parent =
        span(
                trace,
                id[0],
                null,
                "fetchPrice",
                SpanKind.SPAN_KIND_INTERNAL,
                LOCAL,
                start,
                clientDur + logNormal(r, 60 * US, 0.3))
            .addAttributes(kv("code.function.name", "main.(*gateway).fetchPrice"))
            .addAttributes(kv("item.id", itemId));
    if (failure != Failure.NONE) {
      parent.setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "pricing call failed"));
    }
    b.goApp.add(parent.build());

    String url = "http://pricing:8080" + path;
    Span.Builder c =
        span(
                trace,
                id[1],
                id[0],
                "HTTP GET",
                SpanKind.SPAN_KIND_CLIENT,
                LOCAL,
                clientStart,
                clientDur)
            .addAttributes(kv("http.request.method", "GET"))
            .addAttributes(kv("url.full", url))
            .addAttributes(kv("server.address", "pricing"))
            .addAttributes(kv("server.port", 8080))
            .addAttributes(kv("network.protocol.version", "1.1"))
            .addAttributes(kv("peer.service", "pricing"));
    Span.Builder s =
        span(
                trace,
                id[2],
                id[1],
                "GET " + route,
                SpanKind.SPAN_KIND_SERVER,
                REMOTE_PARENT,
                serverStart,
                serverDur)
            .addAttributes(kv("http.request.method", "GET"))
            .addAttributes(kv("http.route", route))
            .addAttributes(kv("network.protocol.version", "1.1"))
            .addAttributes(kv("server.address", "pricing:8080"))
            .addAttributes(kv("url.path", path))
            .addAttributes(kv("url.scheme", ""))
            .addAttributes(kv("span.type", "web"))
            .addAttributes(kv("user_agent.original", "Go-http-client/1.1"));
    switch (failure) {
      case HTTP_503:
        c.addAttributes(kv("http.response.status_code", 503))
            .addAttributes(kv("error.type", "503"))
            .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, ""));
        s.addAttributes(kv("http.response.status_code", 503))
            .addAttributes(kv("error.type", "503"))
            .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, ""));
        b.rustLogs.add(
            rustErrorLog(
                trace,
                id[2],
                serverStart + serverDur - 20 * US,
                "pricing backend unavailable",
                "event pricing-service/src/http.rs:52",
                itemId));
        break;
      case HTTP_TIMEOUT:
        String message = "Get \"" + url + "\": context deadline exceeded";
        c.addAttributes(kv("error.type", "context.deadlineExceededError"))
            .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, message))
            .addEvents(
                Span.Event.newBuilder()
                    .setName("exception")
                    .setTimeUnixNano(clientStart + clientDur)
                    .addAttributes(kv("exception.type", "*url.Error"))
                    .addAttributes(kv("exception.message", message)));
        s.addAttributes(kv("http.response.status_code", 200));
        b.goLogs.add(
            LogRecord.newBuilder()
                .setTimeUnixNano(clientStart + clientDur + 15 * US)
                .setObservedTimeUnixNano(clientStart + clientDur + 15 * US)
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
                .setSeverityText("ERROR")
                .setFlags(1)
                .setTraceId(trace)
                .setSpanId(id[1])
                .setBody(AnyValue.newBuilder().setStringValue("price lookup failed"))
                .addAttributes(kv("error", message))
                .addAttributes(kv("item.id", itemId))
                .build());
        break;
      default:
        c.addAttributes(kv("http.response.status_code", 200));
        s.addAttributes(kv("http.response.status_code", 200));
        break;
    }
    b.goHttp.add(c.build());
    b.rust.add(
        rustExtras(s, r, "pricing_service::http", "pricing-service/src/http.rs", 43, serverDur)
            .build());
    long innerDur = failure == Failure.HTTP_TIMEOUT ? serverDur - 100 * US : serverDur * 7 / 10;
    b.rust.add(
        rustExtras(
                span(
                    trace,
                    id[3],
                    id[2],
                    "compute_price",
                    SpanKind.SPAN_KIND_INTERNAL,
                    LOCAL,
                    serverStart + 30 * US,
                    innerDur),
                r,
                "pricing_service::engine",
                "pricing-service/src/engine.rs",
                118,
                innerDur)
            .build());
  }

  private static String concretePath(String route, Random r) {
    return route
        .replace("{id}", Integer.toString(r.nextInt(100_000)))
        .replace("{currency}", CURRENCIES[r.nextInt(CURRENCIES.length)])
        .replace("{sku}", "SKU-" + (10_000 + r.nextInt(90_000)));
  }
}
