package dev.seam.collector.pipeline;

import com.google.protobuf.Message;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.decode.OtlpFormat;
import dev.seam.collector.decode.OtlpJson;
import dev.seam.collector.decode.OtlpProtobuf;
import dev.seam.collector.forward.Forwarder;
import dev.seam.collector.measure.PipelineMetrics;
import dev.seam.collector.measure.TelemetryMetrics;
import dev.seam.collector.model.Signal;
import dev.seam.collector.normalize.LogContextExtractor;
import dev.seam.collector.normalize.ResourceObserver;
import dev.seam.collector.normalize.ServiceNames;
import dev.seam.collector.normalize.SpanNormalizer;
import dev.seam.collector.pair.ContextBreakDetector;
import dev.seam.collector.pair.PairingStore;
import dev.seam.collector.pair.Replay;

/**
 * The one-way flow of an export body: decoded from protobuf or OTLP JSON and handed to the handler
 * of its signal, which validates each item, normalizes it, hands spans and error logs to the
 * pairing store, records what the services report about themselves, and accounts for every item.
 * Runs on pipeline worker threads, never on an event loop.
 */
public final class Pipeline {

  private final TraceHandler traces;
  private final LogHandler logs;
  private final MetricHandler metrics;

  /**
   * @param logContext finds trace context that log records name outside their OTLP ids, or {@code
   *     null} when that is switched off
   * @param contextBreaks where root spans go to be matched with unpaired callers, or {@code null}
   *     when broken contexts are not looked for
   * @param forwarder where normalized spans and logs go downstream, or {@code null}
   */
  public Pipeline(
      SpanNormalizer spans,
      ServiceNames serviceNames,
      LogContextExtractor logContext,
      PairingStore store,
      ContextBreakDetector contextBreaks,
      Forwarder forwarder,
      PipelineMetrics accounting,
      TelemetryMetrics telemetry) {
    this(
        spans,
        serviceNames,
        logContext,
        store,
        contextBreaks,
        forwarder,
        accounting,
        telemetry,
        null);
  }

  /**
   * A pipeline that also tells {@code resources} of the resources its trace handler resolves (once
   * per resource a thread has not resolved lately), or {@code null} for nobody.
   */
  public Pipeline(
      SpanNormalizer spans,
      ServiceNames serviceNames,
      LogContextExtractor logContext,
      PairingStore store,
      ContextBreakDetector contextBreaks,
      Forwarder forwarder,
      PipelineMetrics accounting,
      TelemetryMetrics telemetry,
      ResourceObserver resources) {
    Origins origins = new Origins(serviceNames, resources);
    ForwardRewriter rewriter = new ForwardRewriter(origins, logContext);
    this.traces =
        new TraceHandler(spans, origins, store, contextBreaks, forwarder, rewriter, accounting);
    this.logs =
        new LogHandler(origins, logContext, store, forwarder, rewriter, accounting, telemetry);
    this.metrics = new MetricHandler(origins, new ProcessMemoryMapper(telemetry), accounting);
  }

  /**
   * Processes one export body and returns the OTLP reply, whose {@code partial_success} says how
   * many items were refused and why.
   *
   * @param body the body, inflated
   * @param protocol the {@code protocol} label the items are counted under
   * @throws OtlpDecodeException when the body is not an export request of its signal; nothing of it
   *     was counted
   */
  public Message export(Signal signal, byte[] body, OtlpFormat format, String protocol)
      throws OtlpDecodeException {
    return export(signal, body, format, protocol, Replay.NONE);
  }

  /**
   * Processes one export body that may have been processed before, by the instance that owned its
   * Kafka partition ({@link Replay}): its spans and error logs are paired under the rules for
   * replays, and what the services report about themselves and forwarding, both done before, are
   * not done again. Metrics are never replayed.
   */
  public Message export(
      Signal signal, byte[] body, OtlpFormat format, String protocol, Replay replay)
      throws OtlpDecodeException {
    boolean json = format == OtlpFormat.JSON;
    return switch (signal) {
      case SPANS -> traces.export(body, format, protocol, replay);
      case LOGS ->
          logs.export(json ? OtlpJson.logs(body) : OtlpProtobuf.logs(body), protocol, replay);
      case METRICS ->
          metrics.export(json ? OtlpJson.metrics(body) : OtlpProtobuf.metrics(body), protocol);
    };
  }

  /** Where trace exports go. */
  public TraceHandler traces() {
    return traces;
  }

  /** Where log exports go. */
  public LogHandler logs() {
    return logs;
  }

  /** Where metrics exports go. */
  public MetricHandler metrics() {
    return metrics;
  }
}
