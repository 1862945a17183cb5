package dev.seam.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;

/**
 * Pushes OTLP trace (and error log) exports shaped like the Go and Rust SDKs' batches ({@link
 * Workload}) at a collector over OTLP/gRPC or OTLP/HTTP protobuf, for a fixed time, as fast as it
 * accepts them or at a fixed rate, and reports what was sent, what was accepted, export latency and
 * its own CPU time.
 *
 * <p>Each sender (thread) sends one group after the other: the group's trace requests one at a
 * time, each after the previous one was answered, then its error logs. With {@code --rate}, every
 * request has a due time on one schedule shared by all senders (window start + spans before it /
 * rate; the warm-up and the measured window have one each), so the rate does not drift; a sender
 * that falls behind sends at once, and a collector that answers slowly shows as latency, a lower
 * achieved rate and {@code behind_max_ms}, never as a skipped request. A sender finishes its group
 * when time is up, so no boundary call is cut in half.
 *
 * <p>At the end it prints one line {@code RESULT key=value ...} (figures of the measured window,
 * after the warm-up, then {@code total_*} figures including the warm-up) and a human summary. The
 * line {@code MEASURE_START} is printed when the measured window opens (at once without a warm-up).
 *
 * <p>With {@code --probe-url}, it instead measures how long a new boundary takes to show on a
 * metrics endpoint (see {@link Probe}).
 *
 * <pre>
 * java -jar seam-bench.jar [--protocol grpc|http] [--host 127.0.0.1] [--port 4317|4318]
 *     [--seconds 20] [--warmup 0] [--inflight 4] [--rate spans/s, 0 = as fast as accepted]
 *     [--spans-per-request 256] [--logs true|false] [--sides all|caller] [--max-spans N]
 *     [--timeout 10] [--seed N] [--event-loops 1]
 *     [--probe-url http://host:port/metrics --probe-metric NAME [--probe-repeats 5]
 *      [--probe-poll-ms 5] [--probe-timeout 120] [--probe-spread seconds]]
 *     [--describe true]   (print what a group holds and exit)
 * </pre>
 */
public final class OtlpLoad {

  private OtlpLoad() {}

  public static void main(String[] args) throws Exception {
    LoadOptions o = LoadOptions.parse(args);
    if (o.describe) {
      System.out.println(new Workload(o.seed, o.spansPerRequest).describe());
      return;
    }
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(o.eventLoops)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
    Exporter exporter =
        new ContextExporter(
            vertx.getOrCreateContext(),
            o.protocol.equals("grpc") ? new GrpcExporter(vertx, o) : new HttpExporter(vertx, o));
    try {
      if (o.probeUrl != null) {
        Probe.run(o, exporter);
      } else {
        LoadRun.run(o, exporter);
      }
    } finally {
      exporter.close().await(5, TimeUnit.SECONDS);
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }
}
