package dev.seam.collector;

import dev.seam.collector.config.SeamConfig;
import dev.seam.collector.contract.Contracts;
import dev.seam.collector.forward.Forwarder;
import dev.seam.collector.measure.BoundaryConfig;
import dev.seam.collector.measure.BoundaryMetrics;
import dev.seam.collector.measure.ExemplarContext;
import dev.seam.collector.measure.MeasureMetricNames;
import dev.seam.collector.measure.MeasureSettings;
import dev.seam.collector.measure.PairingStoreMetrics;
import dev.seam.collector.measure.PipelineMetrics;
import dev.seam.collector.measure.TelemetryMetrics;
import dev.seam.collector.normalize.LogContextExtractor;
import dev.seam.collector.normalize.NormalizeConfig;
import dev.seam.collector.normalize.ServiceNames;
import dev.seam.collector.normalize.SpanNormalizer;
import dev.seam.collector.pair.BoundaryListener;
import dev.seam.collector.pair.ContextBreakDetector;
import dev.seam.collector.pair.PairingConfig;
import dev.seam.collector.pair.PairingStore;
import dev.seam.collector.pipeline.Pipeline;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The pipeline and everything it feeds, built from a configuration and wired in the direction the
 * data flows: normalizer, pairing store, broken-context detector, boundary metrics, registry.
 * {@link Seam} puts receivers and the metrics endpoint around one; benchmarks drive one directly.
 *
 * @param registry the registry behind /metrics
 * @param store the pairing store (to be expired periodically)
 * @param boundaryMetrics the boundary meters (to have idle series expired)
 * @param telemetry what services report about themselves
 * @param accounting Seam's own item accounting
 * @param pipeline where export bodies go
 * @param forwarder where normalized spans and logs go downstream, or {@code null}
 * @param contracts the boundary contracts (to be polled and reloaded)
 */
public record Assembly(
    PrometheusMeterRegistry registry,
    PairingStore store,
    BoundaryMetrics boundaryMetrics,
    TelemetryMetrics telemetry,
    PipelineMetrics accounting,
    Pipeline pipeline,
    Forwarder forwarder,
    Contracts contracts) {

  /**
   * Micrometer's default puts exemplars on every series of a histogram, {@code _count} included;
   * OpenMetrics 1.0 allows them on buckets and counters only, and Prometheus 2.x fails the whole
   * scrape on the others ("does not support exemplars").
   */
  private static final Logger LOG = Logger.getLogger(Assembly.class.getName());

  private static final PrometheusConfig PROMETHEUS_CONFIG =
      new PrometheusConfig() {
        @Override
        public String get(String key) {
          return null;
        }

        @Override
        public Properties prometheusProperties() {
          Properties p = PrometheusConfig.super.prometheusProperties();
          p.setProperty("io.prometheus.exporter.exemplarsOnAllMetricTypes", "false");
          return p;
        }
      };

  /**
   * Builds one.
   *
   * @param forwarder makes the forwarder for the registry when the configuration forwards (may
   *     return {@code null})
   * @param nanoClock monotonic time for the pairing windows and idle boundary series ({@code
   *     System::nanoTime} outside tests)
   */
  public static Assembly build(
      SeamConfig config, Function<MeterRegistry, Forwarder> forwarder, LongSupplier nanoClock) {
    return build(config, forwarder, nanoClock, nanoClock);
  }

  /**
   * Builds one whose pairing runs on a clock of its own: event time when Seam consumes Kafka.
   * Broken-context detection runs on it too, since it matches callers the store reports unpaired
   * one window after they arrived with roots that arrived about then. Idle boundary series are
   * judged on {@code nanoClock}: they are about what /metrics shows now.
   *
   * @param pairingClock the pairing windows' time in nanoseconds (never going back)
   */
  public static Assembly build(
      SeamConfig config,
      Function<MeterRegistry, Forwarder> forwarder,
      LongSupplier nanoClock,
      LongSupplier pairingClock) {
    ExemplarContext exemplars = new ExemplarContext();
    PrometheusMeterRegistry registry =
        new PrometheusMeterRegistry(
            PROMETHEUS_CONFIG, new PrometheusRegistry(), Clock.SYSTEM, exemplars);
    BoundaryConfig b = config.boundary();
    MeasureSettings measure =
        new MeasureSettings(
            b.operation().enabled(),
            b.operation().maxPerBoundary(),
            b.buckets().toBuckets(),
            config.compat().serviceGraph().enabled(),
            config.limits().maxBoundaries(),
            config.limits().maxServices(),
            nanoClock,
            b.nativeHistograms());
    BoundaryMetrics boundaryMetrics = new BoundaryMetrics(registry, exemplars, measure);
    PairingConfig p = fitted(config.pairing(), Runtime.getRuntime().maxMemory());
    Contracts contracts =
        new Contracts(
            registry,
            registry.getPrometheusRegistry(),
            config.contracts(),
            config.limits().maxBoundaries(),
            nanoClock);
    BoundaryListener listener = contracts.listener(boundaryMetrics);
    ContextBreakDetector contextBreaks = null;
    if (p.contextBroken().enabled()) {
      // A root callee must still be findable when its caller's window ends, some time after both
      // arrived.
      long keep = 2 * p.window().toNanos() + p.contextBroken().clockTolerance().toNanos();
      contextBreaks =
          new ContextBreakDetector(
              listener,
              keep,
              p.contextBroken().clockTolerance().toNanos(),
              p.contextBroken().maxRoots(),
              pairingClock);
      listener = contextBreaks;
    }
    PairingStore store =
        new PairingStore(
            p.window().toNanos(),
            p.maxPending(),
            p.shards(),
            listener,
            pairingClock,
            p.logWindow().toNanos(),
            p.maxEndedSpans());
    PairingStoreMetrics.register(registry, store);
    Gauge.builder(MeasureMetricNames.PAIRING_PENDING, store, PairingStore::pending)
        .description("Entries held in the pairing store, waiting for their counterpart")
        .register(registry);
    // The bound itself, so dashboards and alerts can say how close the backlog is to evictions.
    Gauge.builder(MeasureMetricNames.PAIRING_CAPACITY, () -> p.maxPending())
        .description(
            "Most entries the pairing store holds before it evicts the oldest"
                + " (pairing.max-pending)")
        .register(registry);
    PipelineMetrics accounting = new PipelineMetrics(registry);
    NormalizeConfig n = config.normalize();
    ServiceNames names = new ServiceNames(n.service().aliases(), n.service().canonical());
    NormalizeConfig.LogContextConfig lc = n.logContext();
    LogContextExtractor logContext =
        lc.enabled()
            ? new LogContextExtractor(lc.traceIdFields(), lc.spanIdFields(), lc.headerFields())
            : null;
    TelemetryMetrics telemetry = new TelemetryMetrics(registry);
    Forwarder forwards = forwarder.apply(registry);
    Pipeline pipeline =
        new Pipeline(
            new SpanNormalizer(new HashSet<>(b.allocatedBytesAttributes()), names),
            names,
            logContext,
            store,
            contextBreaks,
            forwards,
            accounting,
            telemetry,
            contracts.resources());
    return new Assembly(
        registry, store, boundaryMetrics, telemetry, accounting, pipeline, forwards, contracts);
  }

  /**
   * The pairing bounds the heap can hold ({@link PairingConfig#fittedTo}), said in the log when
   * they are lower than configured: the capacity gauge shows them too.
   */
  static PairingConfig fitted(PairingConfig configured, long maxHeapBytes) {
    PairingConfig p = configured.fittedTo(maxHeapBytes);
    if (p != configured) {
      LOG.info(
          String.format(
              Locale.ROOT,
              "pairing: a %d MiB heap holds %,d pending entries (pairing.max-pending %,d) and %,d"
                  + " ended spans (pairing.max-ended-spans %,d); give the JVM more heap to hold"
                  + " more, or set pairing.fit-to-heap: false",
              maxHeapBytes >> 20,
              p.maxPending(),
              configured.maxPending(),
              p.maxEndedSpans(),
              configured.maxEndedSpans()));
    }
    return p;
  }
}
