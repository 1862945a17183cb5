package dev.seam.collector.measure;

import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CALLEE_ALLOCATED_BYTES;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CALLEE_DURATION;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_CALLER_DURATION;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_OVERHEAD;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_QUEUE;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_REQUEST_BYTES;
import static dev.seam.collector.measure.MeasureMetricNames.BOUNDARY_RESPONSE_BYTES;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The boundary histogram families, made and registered once per registry; each boundary's {@link
 * BoundaryMeters} takes its series from them.
 */
final class BoundaryHistograms {

  final BoundaryHistogram callerDuration;
  final BoundaryHistogram calleeDuration;
  final BoundaryHistogram overhead;
  final BoundaryHistogram queue;
  final BoundaryHistogram requestBytes;
  final BoundaryHistogram responseBytes;
  final BoundaryHistogram allocatedBytes;

  BoundaryHistograms(
      PrometheusRegistry prometheus, MeasureSettings settings, ExemplarContext exemplars) {
    boolean nativeBuckets = settings.nativeHistograms();
    Buckets buckets = settings.buckets();
    callerDuration =
        BoundaryHistogram.seconds(
            prometheus,
            BOUNDARY_CALLER_DURATION,
            "Duration of the caller's span of each paired call",
            buckets.durationArray(),
            nativeBuckets,
            exemplars);
    calleeDuration =
        BoundaryHistogram.seconds(
            prometheus,
            BOUNDARY_CALLEE_DURATION,
            "Duration of the callee's span of each paired call",
            buckets.durationArray(),
            nativeBuckets,
            exemplars);
    overhead =
        BoundaryHistogram.seconds(
            prometheus,
            BOUNDARY_OVERHEAD,
            "Caller duration minus callee duration: the crossing itself",
            buckets.overheadArray(),
            nativeBuckets,
            exemplars);
    queue =
        BoundaryHistogram.seconds(
            prometheus,
            BOUNDARY_QUEUE,
            "Time each message of a paired messaging call spent queued: consumer start minus"
                + " producer end, corrected for clock skew, never negative",
            buckets.durationArray(),
            nativeBuckets,
            exemplars);
    requestBytes =
        BoundaryHistogram.bytes(
            prometheus,
            BOUNDARY_REQUEST_BYTES,
            "Request payload bytes of paired calls, when known",
            buckets.bytesArray(),
            nativeBuckets,
            exemplars);
    responseBytes =
        BoundaryHistogram.bytes(
            prometheus,
            BOUNDARY_RESPONSE_BYTES,
            "Response payload bytes of paired calls, when known",
            buckets.bytesArray(),
            nativeBuckets,
            exemplars);
    allocatedBytes =
        BoundaryHistogram.bytes(
            prometheus,
            BOUNDARY_CALLEE_ALLOCATED_BYTES,
            "Bytes the callee allocated during a paired call, when its span says",
            buckets.bytesArray(),
            nativeBuckets,
            exemplars);
  }
}
