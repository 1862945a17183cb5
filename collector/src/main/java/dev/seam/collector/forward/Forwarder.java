package dev.seam.collector.forward;

import static dev.seam.collector.forward.ForwardMetricNames.FORWARDED_ITEMS;
import static dev.seam.collector.forward.ForwardMetricNames.FORWARD_QUEUE_ITEMS;
import static dev.seam.collector.forward.ForwardMetricNames.FORWARD_RETRIES;

import com.google.protobuf.Message;
import dev.seam.collector.decode.Gunzip;
import dev.seam.collector.model.Signal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;

/**
 * Sends normalized export requests downstream. Requests are encoded on the caller's (pipeline)
 * thread and queued; one Vert.x context sends them, at most {@code maxInFlight} at a time, and
 * retries those the downstream throttles (HTTP 429, 502, 503, 504 honouring Retry-After; gRPC
 * UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED) or could not be reached, with exponential
 * backoff, until {@code maxElapsed}. Every item ends as sent, rejected (the downstream refused it)
 * or dropped (queue full, retries exhausted, or still queued at shutdown), and is counted.
 *
 * <p>Longer than most classes because the queue, the retry schedule and the two protocols share one
 * event-loop context and its accounting.
 */
public final class Forwarder {

  private static final Logger LOG = Logger.getLogger(Forwarder.class.getName());

  /** How a forwarded item ended. */
  enum Outcome {
    SENT("sent"),
    REJECTED("rejected"),
    DROPPED("dropped");

    final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  private final ForwardConfig config;
  // Derived once: accepts() runs for every export.
  private final URI endpoint;
  private final Set<Signal> signals;
  private final Vertx vertx;
  private final Context context;
  private final HttpClient http;
  private final GrpcClient grpc;
  // Added to by pipeline threads (forward), taken from on the context, read by the gauge: atomic.
  private final AtomicLong queuedItems = new AtomicLong();
  // Filled by the constructor and only read after it (the counters themselves are thread-safe).
  private final Map<Signal, EnumMap<Outcome, Counter>> outcomes = new EnumMap<>(Signal.class);
  private final Map<Signal, Counter> retries = new EnumMap<>(Signal.class);
  // The queue and the send state are touched on the context only (pipeline threads hand batches
  // over with runOnContext), so they need no lock.
  private final ArrayDeque<Batch> queue = new ArrayDeque<>();
  private int inFlight;
  private boolean closing;
  private Promise<Void> drained;

  /** One encoded request and its retry state. */
  private static final class Batch {
    final Signal signal;
    final Buffer body;
    final int items;
    final long firstNanos;
    long backoffNanos;

    Batch(Signal signal, Buffer body, int items, long firstNanos) {
      this.signal = signal;
      this.body = body;
      this.items = items;
      this.firstNanos = firstNanos;
    }
  }

  public Forwarder(Vertx vertx, ForwardConfig config, MeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.endpoint = config.endpointUri();
    this.signals = config.signalSet();
    this.context = vertx.getOrCreateContext();
    if (config.grpc()) {
      this.grpc = GrpcClient.client(vertx);
      this.http = null;
    } else {
      this.http =
          vertx.createHttpClient(
              new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true));
      this.grpc = null;
    }
    for (Signal s : new Signal[] {Signal.SPANS, Signal.LOGS}) {
      EnumMap<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
      for (Outcome o : Outcome.values()) {
        byOutcome.put(
            o,
            Counter.builder(FORWARDED_ITEMS)
                .description("Normalized items forwarded downstream, by how they ended")
                .tag("signal", s.label())
                .tag("outcome", o.label)
                .register(registry));
      }
      outcomes.put(s, byOutcome);
      retries.put(
          s,
          Counter.builder(FORWARD_RETRIES)
              .description(
                  "Forwarding requests retried after the downstream throttled or could not be"
                      + " reached")
              .tag("signal", s.label())
              .register(registry));
    }
    Gauge.builder(FORWARD_QUEUE_ITEMS, queuedItems, AtomicLong::get)
        .description("Items waiting to be forwarded or being retried")
        .register(registry);
  }

  /** Whether this signal is forwarded at all. */
  public boolean forwards(Signal signal) {
    return signals.contains(signal);
  }

  /** Queues one normalized request of {@code items} items; called from pipeline threads. */
  public void forward(Signal signal, Message request, int items) {
    forward(signal, request.toByteArray(), items);
  }

  /**
   * Queues one request of {@code items} items already encoded as protobuf; called from pipeline
   * threads.
   */
  public void forward(Signal signal, byte[] request, int items) {
    if (items <= 0 || !forwards(signal)) {
      return;
    }
    if (queuedItems.addAndGet(items) > config.queueItems()) {
      queuedItems.addAndGet(-items);
      outcomes.get(signal).get(Outcome.DROPPED).increment(items);
      return;
    }
    Buffer body = encode(request);
    Batch batch = new Batch(signal, body, items, System.nanoTime());
    context.runOnContext(
        v -> {
          queue.addLast(batch);
          pump();
        });
  }

  private Buffer encode(byte[] plain) {
    if (!config.gzip()) {
      return Buffer.buffer(plain);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, plain.length / 4));
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new IllegalStateException("gzip into memory failed", e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  private void pump() {
    while (inFlight < config.maxInFlight() && !queue.isEmpty()) {
      Batch b = queue.pollFirst();
      inFlight++;
      send(b)
          .onComplete(
              ar -> {
                inFlight--;
                handle(b, ar.succeeded() ? ar.result() : Result.retry(0, ar.cause().toString()));
                pump();
              });
    }
    if (closing && inFlight == 0 && queue.isEmpty() && drained != null) {
      drained.tryComplete();
    }
  }

  /** What one attempt came to. */
  private record Result(boolean retry, long retryAfterNanos, int rejected, String problem) {
    static Result sent(int rejected) {
      return new Result(false, 0, rejected, null);
    }

    static Result retry(long afterNanos, String why) {
      return new Result(true, afterNanos, 0, why);
    }

    static Result refused(String why) {
      return new Result(false, 0, -1, why);
    }
  }

  private void handle(Batch b, Result r) {
    EnumMap<Outcome, Counter> counts = outcomes.get(b.signal);
    if (!r.retry()) {
      queuedItems.addAndGet(-b.items);
      if (r.rejected() < 0) {
        counts.get(Outcome.REJECTED).increment(b.items);
        LOG.warning("downstream refused " + b.items + " " + b.signal.label() + ": " + r.problem());
      } else {
        int rejected = Math.min(r.rejected(), b.items);
        counts.get(Outcome.SENT).increment(b.items - rejected);
        counts.get(Outcome.REJECTED).increment(rejected);
      }
      return;
    }
    long next =
        b.backoffNanos == 0
            ? config.retry().initialBackoff().toNanos()
            : Math.min(b.backoffNanos * 2, config.retry().maxBackoff().toNanos());
    b.backoffNanos = next;
    long delay = Math.max(next, r.retryAfterNanos());
    if (closing
        || System.nanoTime() + delay - b.firstNanos > config.retry().maxElapsed().toNanos()) {
      queuedItems.addAndGet(-b.items);
      counts.get(Outcome.DROPPED).increment(b.items);
      LOG.warning(
          "dropped "
              + b.items
              + " "
              + b.signal.label()
              + " after retrying for "
              + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - b.firstNanos)
              + " s: "
              + r.problem());
      return;
    }
    retries.get(b.signal).increment();
    vertx.setTimer(
        Math.max(1, TimeUnit.NANOSECONDS.toMillis(delay)),
        id -> {
          queue.addFirst(b);
          pump();
        });
  }

  private Future<Result> send(Batch b) {
    return config.grpc() ? sendGrpc(b) : sendHttp(b);
  }

  private Future<Result> sendHttp(Batch b) {
    String path =
        endpoint.getPath().replaceAll("/+$", "")
            + (b.signal == Signal.SPANS ? "/v1/traces" : "/v1/logs");
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(endpoint.resolve(path).toString())
            .setTimeout(config.timeout().toMillis())
            .putHeader("Content-Type", "application/x-protobuf");
    if (config.gzip()) {
      options.putHeader("Content-Encoding", "gzip");
    }
    config.headers().forEach(options::putHeader);
    return http.request(options)
        .compose(req -> req.send(b.body))
        .compose(
            resp ->
                resp.body()
                    .map(
                        body -> {
                          int status = resp.statusCode();
                          if (status >= 200 && status < 300) {
                            return Result.sent(
                                rejected(
                                    b.signal,
                                    body,
                                    "gzip".equalsIgnoreCase(resp.getHeader("Content-Encoding"))));
                          }
                          if (status == 429 || status == 502 || status == 503 || status == 504) {
                            return Result.retry(
                                retryAfterNanos(resp.getHeader("Retry-After")), "HTTP " + status);
                          }
                          return Result.refused("HTTP " + status);
                        }));
  }

  private Future<Result> sendGrpc(Batch b) {
    String method =
        b.signal == Signal.SPANS
            ? "opentelemetry.proto.collector.trace.v1.TraceService/Export"
            : "opentelemetry.proto.collector.logs.v1.LogsService/Export";
    SocketAddress address = SocketAddress.inetSocketAddress(endpoint.getPort(), endpoint.getHost());
    return grpc.request(address)
        .compose(
            req -> {
              req.fullMethodName(method);
              req.timeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
              config.headers().forEach((k, v) -> req.headers().set(k.toLowerCase(Locale.ROOT), v));
              String encoding = config.gzip() ? "gzip" : "identity";
              if (config.gzip()) {
                req.encoding("gzip");
              }
              req.endMessage(GrpcMessage.message(encoding, b.body));
              return req.response();
            })
        .compose(
            resp -> {
              Buffer body = Buffer.buffer();
              resp.handler(body::appendBuffer);
              return resp.end()
                  .transform(
                      done -> {
                        GrpcStatus status = resp.status();
                        if (status == GrpcStatus.OK) {
                          return Future.succeededFuture(
                              Result.sent(rejected(b.signal, body, false)));
                        }
                        if (status == GrpcStatus.UNAVAILABLE
                            || status == GrpcStatus.RESOURCE_EXHAUSTED
                            || status == GrpcStatus.DEADLINE_EXCEEDED) {
                          return Future.succeededFuture(Result.retry(0, "gRPC " + status));
                        }
                        return Future.succeededFuture(
                            Result.refused(
                                "gRPC "
                                    + status
                                    + (resp.statusMessage() != null
                                        ? ": " + resp.statusMessage()
                                        : "")));
                      });
            });
  }

  /** Items the downstream says it rejected in an otherwise successful reply. */
  private static int rejected(Signal signal, Buffer body, boolean gzip) {
    if (body.length() == 0) {
      return 0;
    }
    try {
      byte[] bytes = gzip ? Gunzip.inflate(body.getBytes(), 64L << 20) : body.getBytes();
      if (signal == Signal.SPANS) {
        return (int)
            ExportTraceServiceResponse.parseFrom(bytes).getPartialSuccess().getRejectedSpans();
      }
      return (int)
          ExportLogsServiceResponse.parseFrom(bytes).getPartialSuccess().getRejectedLogRecords();
    } catch (Exception e) {
      // An unreadable success reply still means the batch was accepted: count it as sent.
      return 0;
    }
  }

  /** Retry-After as seconds (dates are rare from OTLP receivers and read as no hint). */
  private static long retryAfterNanos(String header) {
    if (header == null) {
      return 0;
    }
    try {
      return TimeUnit.SECONDS.toNanos(Math.max(0, Long.parseLong(header.trim())));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Items queued or in flight. */
  public long pending() {
    return queuedItems.get();
  }

  /**
   * Stops retrying, waits up to {@code timeout} for what is queued to be sent once, then counts
   * what is left as dropped and closes the clients.
   */
  public Future<Void> close(long timeoutMillis) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          closing = true;
          drained = Promise.promise();
          pump();
          long timer = vertx.setTimer(Math.max(1, timeoutMillis), id -> drained.tryComplete());
          drained
              .future()
              .onComplete(
                  x -> {
                    vertx.cancelTimer(timer);
                    for (Batch b : queue) {
                      queuedItems.addAndGet(-b.items);
                      outcomes.get(b.signal).get(Outcome.DROPPED).increment(b.items);
                    }
                    queue.clear();
                    Future<Void> closed = grpc != null ? grpc.close() : http.close();
                    closed.onComplete(c -> done.complete());
                  });
        });
    return done.future();
  }
}
