package dev.seam.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushes OTLP/gRPC trace exports shaped like the Go and Rust SDKs' batches at a collector, as
 * fast as it accepts them, for a fixed time, and reports spans per second and latency.
 *
 * <p>Each trace is a Go gateway CLIENT span with an inner span, and a Rust SERVER span (remote
 * parent) with an inner span: two paired-boundary halves and two in-process spans. The Go and
 * the Rust halves of a trace go out in separate requests, as two SDKs would send them.
 *
 * <p>Usage: {@code java -jar seam-bench.jar [--port 4317] [--seconds 20] [--traces-per-batch 128] [--inflight 4] [--rate spans/s]}
 */
public final class OtlpLoad {

  public static void main(String[] args) throws Exception {
    int port = 4317;
    int seconds = 20;
    int tracesPerBatch = 128;
    int inflight = 4;
    long rate = 0; // spans per second in all; 0 = as fast as the collector accepts
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--port": port = Integer.parseInt(args[i + 1]); break;
        case "--seconds": seconds = Integer.parseInt(args[i + 1]); break;
        case "--traces-per-batch": tracesPerBatch = Integer.parseInt(args[i + 1]); break;
        case "--inflight": inflight = Integer.parseInt(args[i + 1]); break;
        case "--rate": rate = Long.parseLong(args[i + 1]); break;
        default: throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Vertx vertx = Vertx.vertx();
    GrpcClient client = GrpcClient.client(vertx);
    SocketAddress server = SocketAddress.inetSocketAddress(port, "127.0.0.1");
    AtomicLong spans = new AtomicLong();
    AtomicLong requests = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    List<Long> latencies = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long start = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < inflight; w++) {
      int worker = w;
      int batch = tracesPerBatch;
      // Each sender paces itself to its share of the rate.
      long nanosPerRequest = rate > 0 ? (long) (1e9 * (2L * batch) * inflight / rate) : 0;
      Thread t = new Thread(() -> {
        Batches batches = new Batches(worker, batch);
        List<Long> mine = new ArrayList<>();
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
          for (ExportTraceServiceRequest req : batches.next()) {
            if (nanosPerRequest > 0) {
              next += nanosPerRequest;
              long wait = next - System.nanoTime();
              if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
              }
            }
            long t0 = System.nanoTime();
            GrpcStatus status = send(client, server, req.toByteArray());
            mine.add(System.nanoTime() - t0);
            requests.incrementAndGet();
            if (status == GrpcStatus.OK) {
              spans.addAndGet(batches.spansPerRequest());
            } else {
              failures.incrementAndGet();
            }
          }
        }
        synchronized (latencies) {
          latencies.addAll(mine);
        }
      }, "load-" + w);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    latencies.sort(Long::compare);
    System.out.printf("sent %d spans in %d requests over %.1f s: %.0f spans/s, %d failed requests%n",
        spans.get(), requests.get(), elapsed, spans.get() / elapsed, failures.get());
    if (!latencies.isEmpty()) {
      System.out.printf("export latency p50 %.2f ms, p99 %.2f ms%n",
          latencies.get(latencies.size() / 2) / 1e6, latencies.get((int) (latencies.size() * 0.99)) / 1e6);
    }
    client.close().await(5, TimeUnit.SECONDS);
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  private static GrpcStatus send(GrpcClient client, SocketAddress server, byte[] body) {
    try {
      return client.request(server)
          .compose(req -> {
            req.fullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export");
            req.endMessage(GrpcMessage.message("identity", Buffer.buffer(body)));
            return req.response();
          })
          .compose(resp -> {
            resp.handler(b -> {});
            return resp.end().map(v -> resp.status()).recover(err -> Future.succeededFuture(resp.status()));
          })
          .await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      return GrpcStatus.UNAVAILABLE;
    }
  }

  /** Builds the Go and Rust requests for successive groups of traces with unique ids. */
  private static final class Batches {
    private final int worker;
    private final int traces;
    private long seq;
    private final Resource go = resource("gateway", "go", "node-a", 4242);
    private final Resource rust = resource("pricing", "rust", "node-b", 777);

    Batches(int worker, int traces) {
      this.worker = worker;
      this.traces = traces;
    }

    int spansPerRequest() {
      return traces * 2;
    }

    List<ExportTraceServiceRequest> next() {
      ScopeSpans.Builder goSpans = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp").setVersion("0.70.0"));
      ScopeSpans.Builder rustSpans = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("tracing-opentelemetry").setVersion("0.33.0"));
      long now = System.currentTimeMillis() * 1_000_000L;
      for (int i = 0; i < traces; i++) {
        long n = ++seq;
        ByteString trace = id16(worker, n);
        ByteString client = id8(n * 4 + 1);
        ByteString inner = id8(n * 4 + 2);
        ByteString server = id8(n * 4 + 3);
        ByteString handler = id8(n * 4 + 4);
        goSpans.addSpans(Span.newBuilder().setTraceId(trace).setSpanId(client).setParentSpanId(inner).setName("GET")
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT).setFlags(0x101).setStartTimeUnixNano(now).setEndTimeUnixNano(now + 3_000_000)
            .addAttributes(kv("http.request.method", "GET")).addAttributes(kv("server.address", "pricing"))
            .addAttributes(kv("server.port", 8080)).addAttributes(kv("url.full", "http://pricing:8080/price/42"))
            .addAttributes(kv("http.response.status_code", 200)).addAttributes(kv("network.protocol.version", "1.1")));
        goSpans.addSpans(Span.newBuilder().setTraceId(trace).setSpanId(inner).setName("quote")
            .setKind(Span.SpanKind.SPAN_KIND_INTERNAL).setFlags(0x101).setStartTimeUnixNano(now).setEndTimeUnixNano(now + 4_000_000)
            .addAttributes(kv("code.function.name", "main.quote")));
        rustSpans.addSpans(Span.newBuilder().setTraceId(trace).setSpanId(server).setParentSpanId(client).setName("GET /price/{id}")
            .setKind(Span.SpanKind.SPAN_KIND_SERVER).setFlags(0x301).setStartTimeUnixNano(now + 500_000).setEndTimeUnixNano(now + 2_500_000)
            .addAttributes(kv("http.request.method", "GET")).addAttributes(kv("http.route", "/price/{id}"))
            .addAttributes(kv("http.response.status_code", 200)).addAttributes(kv("url.path", "/price/42"))
            .addAttributes(kv("code.file.path", "src/main.rs")).addAttributes(kv("thread.id", 7)).addAttributes(kv("busy_ns", 1_800_000)));
        rustSpans.addSpans(Span.newBuilder().setTraceId(trace).setSpanId(handler).setParentSpanId(server).setName("compute_price")
            .setKind(Span.SpanKind.SPAN_KIND_INTERNAL).setFlags(0x101).setStartTimeUnixNano(now + 600_000).setEndTimeUnixNano(now + 2_400_000)
            .addAttributes(kv("code.module.name", "pricing::engine")).addAttributes(kv("thread.id", 7)));
      }
      return List.of(
          ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(go).addScopeSpans(goSpans)).build(),
          ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(rust).addScopeSpans(rustSpans)).build());
    }

    private static Resource resource(String service, String language, String host, long pid) {
      return Resource.newBuilder()
          .addAttributes(kv("service.name", service))
          .addAttributes(kv("telemetry.sdk.language", language))
          .addAttributes(kv("telemetry.sdk.name", "opentelemetry"))
          .addAttributes(kv("telemetry.sdk.version", "1.45.0"))
          .addAttributes(kv("host.name", host))
          .addAttributes(kv("process.pid", pid))
          .build();
    }

    private static ByteString id16(long hi, long lo) {
      return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(hi + 1).putLong(lo).array());
    }

    private static ByteString id8(long v) {
      return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(v).array());
    }

    private static KeyValue kv(String k, String v) {
      return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    private static KeyValue kv(String k, long v) {
      return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
    }
  }
}
