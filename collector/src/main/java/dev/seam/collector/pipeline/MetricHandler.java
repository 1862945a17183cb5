package dev.seam.collector.pipeline;

import dev.seam.collector.measure.PipelineMetrics;
import dev.seam.collector.model.Origin;
import dev.seam.collector.model.Signal;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Processes metrics exports: memory figures become {@code seam_process_memory_bytes}; every other
 * data point is counted and not re-exported. A metric without a name is refused.
 */
public final class MetricHandler {

  private static final Logger LOG = Logger.getLogger(MetricHandler.class.getName());

  private final Origins origins;
  private final ProcessMemoryMapper memory;
  private final PipelineMetrics accounting;

  MetricHandler(Origins origins, ProcessMemoryMapper memory, PipelineMetrics accounting) {
    this.origins = origins;
    this.memory = memory;
    this.accounting = accounting;
  }

  /** Processes a metrics export and says which data points it refused. */
  public ExportMetricsServiceResponse export(ExportMetricsServiceRequest request, String protocol) {
    Tally tally = new Tally();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      Origin origin = origins.of(rm.getResource(), FirstScope.name(rm));
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          int points = dataPoints(m);
          if (m.getName().isEmpty()) {
            tally.reject("metric has no name", Math.max(1, points));
            continue;
          }
          tally.accepted += points;
          try {
            memory.map(origin, m);
            tally.processed += points;
          } catch (RuntimeException e) {
            tally.dropped += points;
            LOG.log(
                Level.WARNING,
                "could not process metric " + m.getName() + " of " + origin.service(),
                e);
          }
        }
      }
    }
    tally.account(accounting, Signal.METRICS, protocol);
    ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
    if (tally.rejected > 0) {
      response.setPartialSuccess(
          ExportMetricsPartialSuccess.newBuilder()
              .setRejectedDataPoints(tally.rejected)
              .setErrorMessage(tally.message("data points")));
    }
    return response.build();
  }

  /** The data points a metric carries, whatever its type. */
  static int dataPoints(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsCount();
      case SUM -> m.getSum().getDataPointsCount();
      case HISTOGRAM -> m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> m.getSummary().getDataPointsCount();
      default -> 0;
    };
  }
}
