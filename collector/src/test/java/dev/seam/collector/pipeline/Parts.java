package dev.seam.collector.pipeline;

import dev.seam.collector.measure.PipelineMetrics;
import dev.seam.collector.measure.TelemetryMetrics;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.pair.BoundaryListener;
import dev.seam.collector.pair.Edge;
import dev.seam.collector.pair.Outcome;
import dev.seam.collector.pair.PairingStore;
import dev.seam.collector.testing.Scrape;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the pipeline's parts work with, for their tests: a Prometheus registry with Seam's
 * accounting and telemetry meters, and a pairing store on a test clock whose listener keeps what
 * the store reports.
 */
final class Parts {

  /** The pairing window of the test store: one second. */
  static final long WINDOW = 1_000_000_000L;

  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final AtomicLong clock = new AtomicLong();
  final Recorder listener = new Recorder();
  final PairingStore store = new PairingStore(WINDOW, 10_000, 2, listener, clock::get);
  final PipelineMetrics accounting = new PipelineMetrics(registry);
  final TelemetryMetrics telemetry = new TelemetryMetrics(registry);

  /** What /metrics would show now. */
  Scrape scrape() {
    return new Scrape(registry.scrape());
  }

  /** A thread-safe {@link BoundaryListener} that keeps the edges and error logs it is told. */
  static final class Recorder implements BoundaryListener {

    record ErrorLogs(Edge edge, Side side, int count) {}

    private final List<Edge> edges = new ArrayList<>();
    private final List<ErrorLogs> errorLogs = new ArrayList<>();
    private final List<Span> unpaired = new ArrayList<>();

    @Override
    public synchronized void onEdge(Edge edge) {
      edges.add(edge);
    }

    @Override
    public synchronized void onUnpaired(Span span, Side side) {
      unpaired.add(span);
    }

    @Override
    public synchronized void onErrorLogs(Edge edge, Side side, int count) {
      errorLogs.add(new ErrorLogs(edge, side, count));
    }

    @Override
    public void onOutcome(Outcome outcome, int count) {}

    synchronized List<Edge> edges() {
      return List.copyOf(edges);
    }

    synchronized List<ErrorLogs> errorLogs() {
      return List.copyOf(errorLogs);
    }

    synchronized List<Span> unpaired() {
      return List.copyOf(unpaired);
    }
  }
}
