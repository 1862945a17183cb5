package dev.seam.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.Unpooled;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcStatus;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Pushes OTLP trace (and error log) exports shaped like the Go and Rust SDKs' batches
 * ({@link Workload}) at a collector over OTLP/gRPC or OTLP/HTTP protobuf, for a fixed time, as
 * fast as it accepts them or at a fixed rate, and reports what was sent, what was accepted, export
 * latency and its own CPU time.
 *
 * <p>Each sender (thread) sends one group after the other: the group's trace requests one at a
 * time, each after the previous one was answered, then its error logs. With {@code --rate}, every
 * request has a due time on one schedule shared by all senders (window start + spans before it /
 * rate; the warm-up and the measured window have one each), so the rate does not drift; a sender
 * that falls behind sends at once, and a collector that answers slowly shows as latency, a lower
 * achieved rate and {@code behind_max_ms}, never as a skipped request. A sender finishes its group when time is up, so no boundary call is cut in half.
 *
 * <p>At the end it prints one line {@code RESULT key=value ...} (figures of the measured window,
 * after the warm-up, then {@code total_*} figures including the warm-up) and a human summary. The
 * line {@code MEASURE_START} is printed when the measured window opens (at once without a warm-up).
 *
 * <p>With {@code --probe-url}, it instead measures how long a new boundary takes to show on a
 * metrics endpoint (see {@link #probe}).
 *
 * <pre>
 * java -jar seam-bench.jar [--protocol grpc|http] [--host 127.0.0.1] [--port 4317|4318]
 *     [--seconds 20] [--warmup 0] [--inflight 4] [--rate spans/s, 0 = as fast as accepted]
 *     [--spans-per-request 256] [--logs true|false] [--sides all|caller] [--max-spans N]
 *     [--timeout 10] [--seed N] [--event-loops 1]
 *     [--probe-url http://host:port/metrics --probe-metric NAME [--probe-repeats 5] [--probe-poll-ms 5]
 *      [--probe-spread seconds]]
 *     [--describe true]   (print what a group holds and exit)
 * </pre>
 */
public final class OtlpLoad {

  private static final String TRACE_METHOD = "opentelemetry.proto.collector.trace.v1.TraceService/Export";
  private static final String LOGS_METHOD = "opentelemetry.proto.collector.logs.v1.LogsService/Export";

  private OtlpLoad() {}

  /** Command-line options. */
  static final class Options {
    String protocol = "grpc";
    String host = "127.0.0.1";
    int port = -1;
    double seconds = 20;
    double warmup = 0;
    int inflight = 4;
    long rate = 0;
    int spansPerRequest = Workload.DEFAULT_SPANS_PER_REQUEST;
    boolean logs = true;
    boolean callerOnly = false;
    long maxSpans = 0;
    double timeout = 10;
    long seed = System.nanoTime() ^ ProcessHandle.current().pid() << 32;
    int eventLoops = 1;
    String probeUrl;
    String probeMetric;
    int probeRepeats = 5;
    int probePollMs = 5;
    double probeTimeout = 120;
    double probeSpread = 1;
    boolean describe;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i += 2) {
        String k = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + k);
        }
        String v = args[i + 1];
        switch (k) {
          case "--protocol": o.protocol = v; break;
          case "--host": o.host = v; break;
          case "--port": o.port = Integer.parseInt(v); break;
          case "--seconds": o.seconds = Double.parseDouble(v); break;
          case "--warmup": o.warmup = Double.parseDouble(v); break;
          case "--inflight": o.inflight = Integer.parseInt(v); break;
          case "--rate": o.rate = Long.parseLong(v); break;
          case "--spans-per-request": o.spansPerRequest = Integer.parseInt(v); break;
          case "--traces-per-batch": o.spansPerRequest = 2 * Integer.parseInt(v); break; // the old option
          case "--logs": o.logs = Boolean.parseBoolean(v); break;
          case "--sides": o.callerOnly = switch (v) {
              case "all" -> false;
              case "caller" -> true;
              default -> throw new IllegalArgumentException("--sides is all or caller");
            };
            break;
          case "--max-spans": o.maxSpans = Long.parseLong(v); break;
          case "--timeout": o.timeout = Double.parseDouble(v); break;
          case "--seed": o.seed = Long.parseLong(v); break;
          case "--event-loops": o.eventLoops = Integer.parseInt(v); break;
          case "--probe-url": o.probeUrl = v; break;
          case "--probe-metric": o.probeMetric = v; break;
          case "--probe-repeats": o.probeRepeats = Integer.parseInt(v); break;
          case "--probe-poll-ms": o.probePollMs = Integer.parseInt(v); break;
          case "--probe-timeout": o.probeTimeout = Double.parseDouble(v); break;
          case "--probe-spread": o.probeSpread = Double.parseDouble(v); break;
          case "--describe": o.describe = Boolean.parseBoolean(v); break;
          default: throw new IllegalArgumentException("unknown argument " + k);
        }
      }
      if (!o.protocol.equals("grpc") && !o.protocol.equals("http")) {
        throw new IllegalArgumentException("--protocol is grpc or http");
      }
      if (o.port < 0) {
        o.port = o.protocol.equals("grpc") ? 4317 : 4318;
      }
      if (o.inflight < 1) {
        throw new IllegalArgumentException("--inflight must be at least 1");
      }
      return o;
    }
  }

  /** A collector's answer: accepted (with how many items it still rejected), or failed and why. */
  record Reply(boolean ok, long rejected, String error) {}

  /** One way of sending export requests. */
  interface Exporter {
    Future<Reply> send(boolean logs, byte[] body);

    Future<Void> close();
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    if (o.describe) {
      System.out.println(new Workload(o.seed, o.spansPerRequest).describe());
      return;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(o.eventLoops).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
    Exporter exporter = onContext(vertx.getOrCreateContext(), o.protocol.equals("grpc") ? grpc(vertx, o) : http(vertx, o));
    try {
      if (o.probeUrl != null) {
        probe(o, exporter);
      } else {
        load(o, exporter);
      }
    } finally {
      exporter.close().await(5, TimeUnit.SECONDS);
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Transports

  /**
   * Starts every request on one Vert.x context. Vert.x's HTTP/1.1 client, called from several
   * threads of our own at once (each gets a context of its own), leaves a request unanswered now
   * and then (about one in a thousand, seen with two different servers); started on one context,
   * none is.
   */
  private static Exporter onContext(Context ctx, Exporter e) {
    return new Exporter() {
      @Override
      public Future<Reply> send(boolean logs, byte[] body) {
        Promise<Reply> p = Promise.promise();
        ctx.runOnContext(v -> e.send(logs, body).onComplete(p));
        return p.future();
      }

      @Override
      public Future<Void> close() {
        return e.close();
      }
    };
  }

  private static Exporter grpc(Vertx vertx, Options o) {
    GrpcClient client = GrpcClient.client(vertx);
    SocketAddress server = SocketAddress.inetSocketAddress(o.port, o.host);
    long timeoutMs = (long) (o.timeout * 1000);
    return new Exporter() {
      @Override
      public Future<Reply> send(boolean logs, byte[] body) {
        return client.request(server)
            .compose(req -> {
              req.fullMethodName(logs ? LOGS_METHOD : TRACE_METHOD);
              // Sent as grpc-timeout, as the Go and Rust exporters send their 10 s default.
              req.timeout(timeoutMs, TimeUnit.MILLISECONDS);
              req.endMessage(GrpcMessage.message("identity", wrap(body)));
              return req.response();
            })
            .compose(resp -> {
              Buffer[] message = new Buffer[1];
              resp.handler(b -> message[0] = b);
              return resp.end().transform(ar -> {
                if (resp.status() != GrpcStatus.OK) {
                  String m = resp.statusMessage();
                  return Future.succeededFuture(new Reply(false, 0, "grpc " + resp.status() + (m == null || m.isEmpty() ? "" : ": " + m)));
                }
                if (ar.failed()) {
                  return Future.succeededFuture(new Reply(false, 0, "grpc stream: " + ar.cause()));
                }
                return Future.succeededFuture(accepted(logs, message[0] == null ? new byte[0] : message[0].getBytes()));
              });
            })
            .recover(err -> Future.succeededFuture(new Reply(false, 0, "transport: " + err)));
      }

      @Override
      public Future<Void> close() {
        return client.close();
      }
    };
  }

  private static Exporter http(Vertx vertx, Options o) {
    // Vert.x's client (HTTP/1.1, keep-alive, one connection per sender) rather than the JDK's:
    // it runs on the one event loop the gRPC client uses, with no selector thread and no
    // CompletableFuture chain per request, so it costs the generator less CPU per request.
    HttpClientAgent client = vertx.createHttpClient(
        new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true)
            .setDefaultHost(o.host).setDefaultPort(o.port).setIdleTimeout(60),
        new PoolOptions().setHttp1MaxSize(o.inflight + 1));
    return new Exporter() {
      @Override
      public Future<Reply> send(boolean logs, byte[] body) {
        RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setURI(logs ? "/v1/logs" : "/v1/traces")
            .putHeader("Content-Type", "application/x-protobuf");
        return client.request(ro)
            .compose(req -> req.send(wrap(body)))
            .compose(resp -> resp.body().map(b -> {
              if (resp.statusCode() != 200) {
                String text = b.length() > 200 ? b.getString(0, 200) : b.toString();
                return new Reply(false, 0, "HTTP " + resp.statusCode() + ": " + text.replaceAll("[^\\x20-\\x7e]", "?"));
              }
              return accepted(logs, b.getBytes());
            }))
            .recover(err -> Future.succeededFuture(new Reply(false, 0, "transport: " + err)));
      }

      @Override
      public Future<Void> close() {
        return client.close();
      }
    };
  }

  /** The body as a Buffer without a copy (the array is fresh for each request and not touched again). */
  private static Buffer wrap(byte[] body) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(body));
  }

  /** An OK answer: reads partial_success from the ExportTrace/LogsServiceResponse body. */
  private static Reply accepted(boolean logs, byte[] body) {
    if (body.length == 0) {
      return new Reply(true, 0, null);
    }
    try {
      if (logs) {
        ExportLogsServiceResponse r = ExportLogsServiceResponse.parseFrom(body);
        long n = r.getPartialSuccess().getRejectedLogRecords();
        return new Reply(true, n, n > 0 ? "partial success, " + n + " log records rejected: " + r.getPartialSuccess().getErrorMessage() : null);
      }
      ExportTraceServiceResponse r = ExportTraceServiceResponse.parseFrom(body);
      long n = r.getPartialSuccess().getRejectedSpans();
      return new Reply(true, n, n > 0 ? "partial success, " + n + " spans rejected: " + r.getPartialSuccess().getErrorMessage() : null);
    } catch (InvalidProtocolBufferException e) {
      return new Reply(true, 0, null); // an OK answer whose body we cannot read still accepted the data
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Load

  /** What happened to the requests one sender made in one phase. */
  static final class Counters {
    long spansSent;
    long spansAccepted;
    long rejectedSpans;
    long requests;
    long failedRequests;
    long logsSent;
    long logsAccepted;
    long rejectedLogs;
    long boundaryCalls;
    long errorCalls;
    long[] latencies = new long[1024];
    int nLatencies;

    void latency(long nanos) {
      if (nLatencies == latencies.length) {
        latencies = Arrays.copyOf(latencies, nLatencies * 2);
      }
      latencies[nLatencies++] = nanos;
    }

    void add(Counters o) {
      spansSent += o.spansSent;
      spansAccepted += o.spansAccepted;
      rejectedSpans += o.rejectedSpans;
      requests += o.requests;
      failedRequests += o.failedRequests;
      logsSent += o.logsSent;
      logsAccepted += o.logsAccepted;
      rejectedLogs += o.rejectedLogs;
      boundaryCalls += o.boundaryCalls;
      errorCalls += o.errorCalls;
      for (int i = 0; i < o.nLatencies; i++) {
        latency(o.latencies[i]);
      }
    }
  }

  private static void load(Options o, Exporter exporter) throws Exception {
    long start = System.nanoTime();
    long measureStart = start + (long) (o.warmup * 1e9);
    long end = measureStart + (long) (o.seconds * 1e9);
    long timeoutNanos = (long) (o.timeout * 1e9);
    AtomicLong warmSpans = new AtomicLong();
    AtomicLong scheduledSpans = new AtomicLong();
    AtomicLong sentSpans = new AtomicLong();
    AtomicLong behindMax = new AtomicLong();
    AtomicLong lastDone = new AtomicLong(start);
    AtomicReference<String> firstError = new AtomicReference<>();
    Counters[] warm = new Counters[o.inflight];
    Counters[] measured = new Counters[o.inflight];
    String description = new Workload(o.seed, o.spansPerRequest).describe();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < o.inflight; w++) {
      Counters cw = warm[w] = new Counters();
      Counters cm = measured[w] = new Counters();
      Workload workload = new Workload(o.seed + 7919L * (w + 1), o.spansPerRequest);
      Thread t = new Thread(() -> {
        while (true) {
          if (o.maxSpans > 0 && sentSpans.get() >= o.maxSpans) {
            break;
          }
          List<byte[]> requests = o.callerOnly ? List.of(workload.nextCallerOnlyRequest()) : workload.nextTraceRequests();
          int[] spanCounts = workload.lastRequestSpans();
          long groupStart = System.nanoTime();
          if (o.rate <= 0 && groupStart >= end) {
            break;
          }
          boolean groupOk = true;
          boolean stop = false;
          for (int i = 0; i < requests.size(); i++) {
            byte[] body = requests.get(i);
            int spans = spanCounts[i];
            if (o.rate > 0) {
              // Two schedules: the warm-up's from the start, the measured window's from its
              // start, so that a collector still warming up does not leave a debt the measured
              // window would pay off in a burst. Within each, a late request goes out at once.
              if (i == 0 && measureStart + (long) (scheduledSpans.get() * 1e9 / o.rate) >= end) {
                stop = true; // checked before taking a slot, so that no gap is left in the schedule
                break;
              }
              long due = -1;
              if (System.nanoTime() < measureStart) {
                long slot = warmSpans.getAndAdd(spans);
                due = start + (long) (slot * 1e9 / o.rate);
              }
              if (due < 0 || due >= measureStart) {
                long slot = scheduledSpans.getAndAdd(spans);
                due = measureStart + (long) (slot * 1e9 / o.rate);
              }
              long wait = due - System.nanoTime();
              while (wait > 0) {
                LockSupport.parkNanos(wait);
                wait = due - System.nanoTime();
              }
              if (due >= measureStart) {
                behindMax.accumulateAndGet(-wait, Math::max);
              }
            }
            long t0 = System.nanoTime();
            Reply reply = await(exporter.send(false, body), timeoutNanos);
            long t1 = System.nanoTime();
            sentSpans.addAndGet(spans);
            Counters c = t0 >= measureStart ? cm : cw;
            c.requests++;
            c.spansSent += spans;
            if (reply.ok()) {
              c.spansAccepted += spans - reply.rejected();
              c.rejectedSpans += reply.rejected();
            } else {
              c.failedRequests++;
              groupOk = false;
            }
            if (reply.error() != null) {
              firstError.compareAndSet(null, reply.error());
            }
            if (t0 >= measureStart) {
              c.latency(t1 - t0);
            }
            lastDone.accumulateAndGet(t1, Math::max);
          }
          if (stop) {
            break;
          }
          Counters c = groupStart >= measureStart ? cm : cw;
          if (!o.callerOnly && o.logs) {
            byte[] logs = workload.nextLogRequest();
            if (logs != null) {
              int n = workload.logRecordsIn(logs);
              Reply reply = await(exporter.send(true, logs), timeoutNanos);
              c.requests++;
              c.logsSent += n;
              if (reply.ok()) {
                c.logsAccepted += n - reply.rejected();
                c.rejectedLogs += reply.rejected();
              } else {
                c.failedRequests++;
              }
              if (reply.error() != null) {
                firstError.compareAndSet(null, reply.error());
              }
            }
          }
          if (groupOk && !o.callerOnly) {
            c.boundaryCalls += workload.boundaryCallsPerGroup();
            c.errorCalls += workload.errorCallsPerGroup();
          }
        }
      }, "load-" + w);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuAtStart = os.getProcessCpuTime();
    long pause = measureStart - System.nanoTime();
    if (pause > 0) {
      TimeUnit.NANOSECONDS.sleep(pause);
    }
    long cpuAtMeasure = os.getProcessCpuTime();
    System.out.printf(Locale.ROOT, "MEASURE_START epoch_ms=%d%n", System.currentTimeMillis());
    System.out.flush();
    for (Thread t : threads) {
      t.join();
    }
    long cpuAtEnd = os.getProcessCpuTime();
    long finished = Math.max(lastDone.get(), measureStart + 1);

    Counters m = new Counters();
    Counters all = new Counters();
    for (int w = 0; w < o.inflight; w++) {
      m.add(measured[w]);
      all.add(warm[w]);
    }
    all.add(m);
    long[] lat = Arrays.copyOf(m.latencies, m.nLatencies);
    Arrays.sort(lat);
    double elapsed = (finished - measureStart) / 1e9;
    double spansPerS = m.spansAccepted / elapsed;
    String err = firstError.get();
    StringBuilder line = new StringBuilder("RESULT");
    kv(line, "protocol", o.protocol);
    kv(line, "spans_per_request", Integer.toString(o.spansPerRequest));
    kv(line, "inflight", Integer.toString(o.inflight));
    kv(line, "rate_target", Long.toString(o.rate));
    kv(line, "sides", o.callerOnly ? "caller" : "all");
    kv(line, "warmup_s", fmt(o.warmup));
    kv(line, "spans_sent", Long.toString(m.spansSent));
    kv(line, "spans_accepted", Long.toString(m.spansAccepted));
    kv(line, "rejected_spans", Long.toString(m.rejectedSpans));
    kv(line, "requests", Long.toString(m.requests));
    kv(line, "failed_requests", Long.toString(m.failedRequests));
    kv(line, "logs_sent", Long.toString(m.logsSent));
    kv(line, "logs_accepted", Long.toString(m.logsAccepted));
    kv(line, "boundary_calls_sent", Long.toString(m.boundaryCalls));
    kv(line, "error_calls_sent", Long.toString(m.errorCalls));
    kv(line, "elapsed_s", fmt(elapsed));
    kv(line, "spans_per_s", String.format(Locale.ROOT, "%.0f", spansPerS));
    kv(line, "latency_p50_ms", ms(percentile(lat, 0.50)));
    kv(line, "latency_p99_ms", ms(percentile(lat, 0.99)));
    kv(line, "latency_max_ms", ms(lat.length == 0 ? 0 : lat[lat.length - 1]));
    kv(line, "behind_max_ms", ms(behindMax.get()));
    kv(line, "generator_cpu_s", fmt((cpuAtEnd - cpuAtMeasure) / 1e9));
    kv(line, "generator_cpu_per_mspans_s", fmt(m.spansAccepted == 0 ? 0 : (cpuAtEnd - cpuAtMeasure) / 1e9 / (m.spansAccepted / 1e6)));
    kv(line, "total_spans_sent", Long.toString(all.spansSent));
    kv(line, "total_spans_accepted", Long.toString(all.spansAccepted));
    kv(line, "total_rejected_spans", Long.toString(all.rejectedSpans));
    kv(line, "total_requests", Long.toString(all.requests));
    kv(line, "total_failed_requests", Long.toString(all.failedRequests));
    kv(line, "total_logs_sent", Long.toString(all.logsSent));
    kv(line, "total_logs_accepted", Long.toString(all.logsAccepted));
    kv(line, "total_boundary_calls_sent", Long.toString(all.boundaryCalls));
    kv(line, "total_error_calls_sent", Long.toString(all.errorCalls));
    kv(line, "total_generator_cpu_s", fmt((cpuAtEnd - cpuAtStart) / 1e9));
    kv(line, "first_error", err == null ? "" : err);
    System.out.println(line);
    System.out.printf(Locale.ROOT,
        "%s over %s: %,d spans accepted of %,d sent in %.1f s (%,.0f spans/s%s), %,d requests, %d failed, %,d spans rejected; "
            + "%,d boundary calls (%,d failing), %,d error logs; export latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; "
            + "generator CPU %.2f s%s%n",
        description, o.protocol, m.spansAccepted, m.spansSent, elapsed, spansPerS,
        o.rate > 0 ? String.format(Locale.ROOT, " of %,d targeted, at most %.1f ms behind schedule", o.rate, behindMax.get() / 1e6) : "",
        m.requests, m.failedRequests, m.rejectedSpans, m.boundaryCalls, m.errorCalls, m.logsAccepted,
        percentile(lat, 0.5) / 1e6, percentile(lat, 0.99) / 1e6, lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6,
        (cpuAtEnd - cpuAtMeasure) / 1e9, err == null ? "" : "; first error: " + err);
  }

  private static Reply await(Future<Reply> f, long timeoutNanos) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return new Reply(false, 0, "no answer within the timeout");
    } catch (Exception e) {
      return new Reply(false, 0, "transport: " + e);
    }
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static void kv(StringBuilder sb, String k, String v) {
    sb.append(' ').append(k).append('=');
    if (v.isEmpty() || v.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\' || c == '\'')) {
      sb.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\r\\n\\t]", " ")).append('"');
    } else {
      sb.append(v);
    }
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }

  // ---------------------------------------------------------------------------------------------
  // Probe: export -> visible on /metrics

  /**
   * Sends, {@code --probe-repeats} times, one HTTP call between two services of new names (the Go
   * caller's request, then the Rust callee's), and polls {@code --probe-url} every
   * {@code --probe-poll-ms} until a {@code --probe-metric} series names each of the two services.
   * Reports, per repeat, the milliseconds from sending the callee's request (the half that
   * completes the boundary) to the end of the first scrape that shows it. Repeats start 0.2 s plus
   * a random part of {@code --probe-spread} seconds apart.
   */
  private static void probe(Options o, Exporter exporter) throws Exception {
    if (o.probeMetric == null) {
      throw new IllegalArgumentException("--probe-url needs --probe-metric");
    }
    HttpClient scraper = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest scrape = HttpRequest.newBuilder(URI.create(o.probeUrl)).timeout(Duration.ofSeconds(10)).GET().build();
    Workload workload = new Workload(o.seed, 8);
    String run = Long.toString(o.seed & 0xffffffL, 36);
    long timeoutNanos = (long) (o.timeout * 1e9);
    double[] results = new double[o.probeRepeats];
    int failures = 0;
    for (int k = 0; k < o.probeRepeats; k++) {
      // A random phase, so that a collector that publishes on an interval is caught at every point
      // of it: give --probe-spread at least that interval.
      Thread.sleep(200 + (long) (ThreadLocalRandom.current().nextDouble() * o.probeSpread * 1000));
      String caller = "probe-" + run + "-" + k + "-caller";
      String callee = "probe-" + run + "-" + k + "-callee";
      List<byte[]> reqs = workload.probeTraceRequests(caller, callee);
      Reply first = await(exporter.send(false, reqs.get(0)), timeoutNanos);
      long t0 = System.nanoTime();
      Reply second = await(exporter.send(false, reqs.get(1)), timeoutNanos);
      double ackMs = (System.nanoTime() - t0) / 1e6;
      if (!first.ok() || !second.ok()) {
        System.out.println("PROBE n=" + k + " error=\"" + (first.ok() ? second.error() : first.error()) + "\"");
        results[k] = -1;
        failures++;
        continue;
      }
      long deadline = t0 + (long) (o.probeTimeout * 1e9);
      long next = t0;
      double seen = -1;
      int scrapes = 0;
      while (System.nanoTime() < deadline) {
        HttpResponse<String> resp;
        try {
          resp = scraper.send(scrape, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          resp = null;
        }
        scrapes++;
        if (resp != null && resp.statusCode() == 200 && shows(resp.body(), o.probeMetric, caller, callee)) {
          seen = (System.nanoTime() - t0) / 1e6;
          break;
        }
        next += o.probePollMs * 1_000_000L;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        } else {
          next = System.nanoTime();
        }
      }
      results[k] = seen;
      if (seen < 0) {
        failures++;
      }
      System.out.printf(Locale.ROOT, "PROBE n=%d ms=%.1f ack_ms=%.1f scrapes=%d%n", k, seen, ackMs, scrapes);
    }
    double[] ok = Arrays.stream(results).filter(v -> v >= 0).sorted().toArray();
    StringBuilder all = new StringBuilder();
    for (double v : results) {
      all.append(all.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", v));
    }
    StringBuilder line = new StringBuilder("RESULT");
    kv(line, "probe_metric", o.probeMetric);
    kv(line, "probe_repeats", Integer.toString(o.probeRepeats));
    kv(line, "probe_failures", Integer.toString(failures));
    kv(line, "probe_ms_median", ok.length == 0 ? "-1" : String.format(Locale.ROOT, "%.1f", median(ok)));
    kv(line, "probe_ms_min", ok.length == 0 ? "-1" : String.format(Locale.ROOT, "%.1f", ok[0]));
    kv(line, "probe_ms_max", ok.length == 0 ? "-1" : String.format(Locale.ROOT, "%.1f", ok[ok.length - 1]));
    kv(line, "probe_ms_all", all.toString());
    System.out.println(line);
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** True when some series of {@code metric} names {@code a} and some (maybe the same) names {@code b}. */
  static boolean shows(String exposition, String metric, String a, String b) {
    String qa = "=\"" + a + "\"";
    String qb = "=\"" + b + "\"";
    boolean seenA = false;
    boolean seenB = false;
    int from = 0;
    while (from < exposition.length()) {
      int eol = exposition.indexOf('\n', from);
      if (eol < 0) {
        eol = exposition.length();
      }
      if (exposition.startsWith(metric, from) && from + metric.length() < eol && exposition.charAt(from + metric.length()) == '{') {
        String line = exposition.substring(from, eol);
        seenA |= line.contains(qa);
        seenB |= line.contains(qb);
        if (seenA && seenB) {
          return true;
        }
      }
      from = eol + 1;
    }
    return false;
  }
}
