package dev.seam.collector;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.seam.collector.config.SeamConfig;
import dev.seam.collector.contract.Contracts;
import dev.seam.collector.expose.MetricsServer;
import dev.seam.collector.forward.Forwarder;
import dev.seam.collector.kafka.EventClock;
import dev.seam.collector.kafka.KafkaConfig;
import dev.seam.collector.kafka.KafkaFront;
import dev.seam.collector.kafka.KafkaSource;
import dev.seam.collector.measure.BoundaryMetrics;
import dev.seam.collector.measure.MeasureMetricNames;
import dev.seam.collector.measure.PipelineMetrics;
import dev.seam.collector.measure.TelemetryMetrics;
import dev.seam.collector.pair.PairingStore;
import dev.seam.collector.pipeline.Pipeline;
import dev.seam.collector.receive.Admission;
import dev.seam.collector.receive.BearerTokens;
import dev.seam.collector.receive.Exports;
import dev.seam.collector.receive.OtlpGrpcReceiver;
import dev.seam.collector.receive.OtlpHttpReceiver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * One running collector: receivers, pipeline, pairing store and metrics endpoint, wired in the
 * direction the data flows. {@link SeamMain} starts one; tests start their own on free ports.
 *
 * <p>Longer than most classes because it owns the lifecycle of every part at once: start in order,
 * reload, and a bounded stop that drains requests, hands Kafka partitions over and flushes the
 * pairing store; the parts themselves are built by {@link Assembly}.
 */
public final class Seam {

  private final Vertx vertx;
  private final SeamConfig config;
  private final PrometheusMeterRegistry registry;
  private final PairingStore store;
  private final WorkerExecutor workers;
  private final List<HttpServer> servers = new ArrayList<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final JvmGcMetrics gcMetrics;
  private volatile boolean ready;
  private long sweepTimer = -1;
  private int grpcPort = -1;
  private int httpPort = -1;
  private int metricsPort = -1;

  private Seam(Vertx vertx, SeamConfig config) {
    this.vertx = vertx;
    this.config = config;
    KafkaConfig kafka = config.kafka();
    // Consuming Kafka, pairing runs on event time: a quarter window of skew between partitions.
    EventClock eventClock =
        kafka.consumes()
            ? new EventClock(
                () -> System.currentTimeMillis() * 1_000_000L,
                config.pairing().window().toNanos() / 4)
            : null;
    LongSupplier pairingClock = eventClock != null ? eventClock::nanos : System::nanoTime;
    Assembly assembly =
        Assembly.build(
            config,
            registry ->
                config.forward().enabled()
                    ? new Forwarder(vertx, config.forward(), registry)
                    : null,
            System::nanoTime,
            pairingClock);
    this.registry = assembly.registry();
    new JvmMemoryMetrics().bindTo(registry);
    this.gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.store = assembly.store();
    this.forwarder = assembly.forwarder();
    this.boundaryMetrics = assembly.boundaryMetrics();
    this.telemetry = assembly.telemetry();
    this.contracts = assembly.contracts();
    PipelineMetrics accounting = assembly.accounting();
    Pipeline pipeline = assembly.pipeline();
    int threads = config.pipeline().effectiveThreads();
    this.workers = vertx.createSharedWorkerExecutor("seam-pipeline", threads, 60, TimeUnit.SECONDS);
    // The front tier writes what it accepts to Kafka and consumes it from there like any record.
    this.front = kafka.produces() ? new KafkaFront(kafka, registry) : null;
    this.exports = front != null ? Exports.deferred(front) : new Exports(pipeline::export);
    this.admission =
        new Admission(config.limits().maxInflightBytes().bytes(), config.limits().heapShare());
    this.source =
        kafka.consumes()
            ? new KafkaSource(
                kafka,
                pipeline,
                store,
                accounting,
                admission,
                eventClock,
                registry,
                config.pairing().window(),
                config.pairing().sweepInterval())
            : null;
    this.tokens = config.auth().tokens(System::getenv).reloadable();
    this.current = config;
    Gauge.builder(MeasureMetricNames.PIPELINE_INFLIGHT, admission, Admission::inflightBytes)
        .description(
            "Request bytes queued for or being processed by the pipeline; bounded by"
                + " limits.max-inflight-bytes")
        .baseUnit("bytes")
        .register(registry);
    this.accounting = accounting;
  }

  private final Exports exports;
  private final KafkaFront front;
  private final KafkaSource source;
  private final PipelineMetrics accounting;
  private final Forwarder forwarder;
  private final Admission admission;
  private final BearerTokens tokens;

  @GuardedBy("this")
  private SeamConfig current;

  private final BoundaryMetrics boundaryMetrics;
  private final TelemetryMetrics telemetry;
  private final Contracts contracts;
  private long expiryTimer = -1;
  private long contractsTimer = -1;

  @GuardedBy("this")
  private Future<Void> stopping;

  /**
   * Starts a collector: the metrics endpoint first (so /readyz can say "not yet"), then the
   * receivers.
   */
  public static Future<Seam> start(Vertx vertx, SeamConfig config) {
    Seam seam = new Seam(vertx, config);
    return seam.startServers().map(v -> seam);
  }

  private Future<Void> startServers() {
    MetricsServer metrics =
        new MetricsServer(
            vertx, registry, () -> ready, config.auth().metrics() ? tokens : BearerTokens.NONE);
    return metrics
        .listen(config.metrics().host(), config.metrics().port())
        .compose(
            server -> {
              servers.add(server);
              metricsPort = server.actualPort();
              List<Future<HttpServer>> receivers = new ArrayList<>();
              Future<HttpServer> grpc = null;
              Future<HttpServer> http = null;
              if (config.receivers().otlp().grpc().enabled()) {
                grpc =
                    new OtlpGrpcReceiver(
                            vertx,
                            workers,
                            exports,
                            accounting,
                            config.receivers().otlp().grpc().maxMessageSize().bytes(),
                            admission,
                            config.limits().retryAfter().toSeconds(),
                            (int) config.limits().idleTimeout().toSeconds(),
                            tokens)
                        .listen(
                            config.receivers().otlp().grpc().host(),
                            config.receivers().otlp().grpc().port(),
                            config.receivers().otlp().tls());
                receivers.add(grpc);
              }
              if (config.receivers().otlp().http().enabled()) {
                http =
                    new OtlpHttpReceiver(
                            vertx,
                            workers,
                            exports,
                            accounting,
                            config.receivers().otlp().http().maxBodySize().bytes(),
                            admission,
                            config.limits().retryAfter().toSeconds(),
                            config.limits().readTimeout().toMillis(),
                            (int) config.limits().idleTimeout().toSeconds(),
                            tokens)
                        .listen(
                            config.receivers().otlp().http().host(),
                            config.receivers().otlp().http().port(),
                            config.receivers().otlp().tls());
                receivers.add(http);
              }
              Future<HttpServer> g = grpc;
              Future<HttpServer> h = http;
              return Future.join(receivers)
                  .map(
                      cf -> {
                        if (g != null) {
                          servers.add(g.result());
                          grpcPort = g.result().actualPort();
                        }
                        if (h != null) {
                          servers.add(h.result());
                          httpPort = h.result().actualPort();
                        }
                        return (Void) null;
                      })
                  .recover(
                      err -> {
                        // Keep the ones that bound so stop() can close them, then report why start
                        // failed.
                        if (g != null && g.succeeded()) servers.add(g.result());
                        if (h != null && h.succeeded()) servers.add(h.result());
                        return Future.failedFuture(err);
                      });
            })
        .onSuccess(
            v -> {
              if (source != null) {
                source.start();
              }
              long every = Math.max(1, config.pairing().sweepInterval().toMillis());
              sweepTimer = vertx.setPeriodic(every, id -> sweep());
              long ttl = config.limits().seriesTtl().toNanos();
              long expireEvery =
                  Math.max(10, Math.min(60_000, config.limits().seriesTtl().toMillis() / 4));
              expiryTimer =
                  vertx.setPeriodic(
                      expireEvery,
                      id ->
                          workers.executeBlocking(
                              () ->
                                  boundaryMetrics.expireIdle(ttl)
                                      + telemetry.expireIdle(ttl)
                                      + contracts.expireIdle(ttl),
                              false));
              // Reads files, so on a worker; the contracts decide whether a check is due.
              long check =
                  Math.max(10, Math.min(1000, config.contracts().checkInterval().toMillis()));
              contractsTimer =
                  vertx.setPeriodic(
                      check,
                      id ->
                          workers.executeBlocking(
                              () -> {
                                contracts.poll();
                                return null;
                              },
                              false));
              ready = true;
            });
  }

  private void sweep() {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    workers
        .executeBlocking(
            () -> {
              store.expire();
              return null;
            },
            false)
        .onComplete(ar -> sweeping.set(false));
  }

  /**
   * Stops receiving, lets in-flight requests finish (within half of {@code
   * limits.shutdown-timeout}), hands the Kafka partitions over (their pending entries go with them,
   * uncounted, and their offsets are committed), ends every other pending entry as expired so it is
   * counted, forwards what is queued (within the other half), and closes everything.
   */
  public synchronized Future<Void> stop() {
    if (stopping != null) {
      return stopping;
    }
    stopping = doStop();
    return stopping;
  }

  private Future<Void> doStop() {
    ready = false;
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
    }
    if (contractsTimer >= 0) {
      vertx.cancelTimer(contractsTimer);
    }
    // Stop accepting; requests already in flight get half the shutdown bound to finish.
    long bound = config.limits().shutdownTimeout().toMillis();
    List<Future<Void>> closing = new ArrayList<>();
    for (HttpServer s : servers) {
      closing.add(s.shutdown(Math.max(1, bound / 2), TimeUnit.MILLISECONDS));
    }
    return Future.join(closing)
        .compose(
            v ->
                workers.executeBlocking(
                    () -> {
                      // What the receivers took reaches Kafka; then the partitions go to the rest
                      // of the group,
                      // their pending halves with them, so the flush below ends only what is this
                      // instance's.
                      if (front != null) {
                        front.close(Duration.ofMillis(Math.max(1, bound / 2)));
                      }
                      if (source != null) {
                        source.stop(Duration.ofMillis(Math.max(1, bound / 2)));
                      }
                      store.expireAll();
                      return null;
                    }))
        // What the flush forwarded still goes out, within a bound, before the clients close.
        .eventually(
            () ->
                forwarder != null
                    ? forwarder.close(
                        Math.min(config.forward().timeout().toMillis(), Math.max(1, bound / 2)))
                    : Future.succeededFuture())
        .eventually(() -> workers.close())
        .andThen(ar -> gcMetrics.close())
        .mapEmpty();
  }

  /**
   * Applies a new configuration where that is safe while running: the bearer tokens, the admission
   * bounds ({@code limits.max-inflight-bytes}, {@code limits.heap-share}) and the contracts (whose
   * files are read again even when the section did not change; an invalid file keeps the contracts
   * in force). Everything else needs a restart.
   *
   * @return the sections that changed but need a restart to take effect (empty: all applied)
   */
  public synchronized List<String> reload(SeamConfig next) {
    tokens.replaceWith(next.auth().tokens(System::getenv));
    admission.update(next.limits().maxInflightBytes().bytes(), next.limits().heapShare());
    contracts.reload(next.contracts());
    SeamConfig c = current;
    List<String> restart = new ArrayList<>();
    needsRestart(restart, "receivers", c.receivers(), next.receivers());
    needsRestart(restart, "metrics", c.metrics(), next.metrics());
    needsRestart(restart, "auth.metrics", c.auth().metrics(), next.auth().metrics());
    needsRestart(restart, "pairing", c.pairing(), next.pairing());
    needsRestart(restart, "normalize", c.normalize(), next.normalize());
    needsRestart(restart, "forward", c.forward(), next.forward());
    needsRestart(restart, "kafka", c.kafka(), next.kafka());
    needsRestart(restart, "pipeline", c.pipeline(), next.pipeline());
    needsRestart(restart, "boundary", c.boundary(), next.boundary());
    needsRestart(restart, "compat", c.compat(), next.compat());
    // max-inflight-bytes and heap-share were applied above; the other limits are fixed at start.
    needsRestart(
        restart,
        "limits (other than max-inflight-bytes and heap-share)",
        c.limits(),
        next.limits().withLiveValuesOf(c.limits()));
    current = next;
    return restart;
  }

  private static void needsRestart(
      List<String> restart, String component, Object now, Object next) {
    if (!now.equals(next)) {
      restart.add(component);
    }
  }

  /** Ends entries whose window has passed, now (tests use it instead of waiting for the sweep). */
  public void expireNow() {
    store.expire();
  }

  /** The registry behind /metrics. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The bound OTLP/gRPC port, or -1 when disabled. */
  public int grpcPort() {
    return grpcPort;
  }

  /** The bound OTLP/HTTP port, or -1 when disabled. */
  public int httpPort() {
    return httpPort;
  }

  /** The bound metrics port. */
  public int metricsPort() {
    return metricsPort;
  }
}
