package dev.seam.collector.pipeline;

import dev.seam.collector.forward.Forwarder;
import dev.seam.collector.measure.PipelineMetrics;
import dev.seam.collector.measure.TelemetryMetrics;
import dev.seam.collector.model.Origin;
import dev.seam.collector.model.Severity;
import dev.seam.collector.model.Signal;
import dev.seam.collector.normalize.LogContextExtractor;
import dev.seam.collector.normalize.LogNormalizer;
import dev.seam.collector.pair.PairingStore;
import dev.seam.collector.pair.Replay;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Processes log exports: counts each record by service and severity, finds the span an error record
 * belongs to (its OTLP ids, else trace context named in its attributes or body) and tells the
 * pairing store, and forwards the accepted records.
 */
public final class LogHandler {

  private static final Logger LOG = Logger.getLogger(LogHandler.class.getName());

  private final Origins origins;
  private final LogContextExtractor logContext;
  private final PairingStore store;
  private final Forwarder forwarder;
  private final ForwardRewriter rewriter;
  private final PipelineMetrics accounting;
  private final TelemetryMetrics telemetry;

  /**
   * @param logContext finds trace context that log records name outside their OTLP ids, or {@code
   *     null} when that is switched off
   * @param forwarder where accepted log records go downstream, or {@code null}
   */
  LogHandler(
      Origins origins,
      LogContextExtractor logContext,
      PairingStore store,
      Forwarder forwarder,
      ForwardRewriter rewriter,
      PipelineMetrics accounting,
      TelemetryMetrics telemetry) {
    this.origins = origins;
    this.logContext = logContext;
    this.store = store;
    this.forwarder = forwarder;
    this.rewriter = rewriter;
    this.accounting = accounting;
    this.telemetry = telemetry;
  }

  /** Processes a log export and says which records it refused. */
  public ExportLogsServiceResponse export(ExportLogsServiceRequest request, String protocol) {
    return export(request, protocol, Replay.NONE);
  }

  /**
   * Processes a log export that may have been processed before ({@link Replay}): its error logs go
   * to the store under the rules for replays, and its records are counted by service and severity
   * and forwarded only the first time.
   */
  public ExportLogsServiceResponse export(
      ExportLogsServiceRequest request, String protocol, Replay replay) {
    Tally tally = new Tally();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      Origin origin = origins.of(rl.getResource(), FirstScope.name(rl));
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord r : sl.getLogRecordsList()) {
          String invalid = LogNormalizer.invalidReason(r);
          if (invalid != null) {
            tally.reject(invalid);
            continue;
          }
          tally.accepted++;
          try {
            record(origin, r, tally, replay);
            tally.processed++;
          } catch (RuntimeException e) {
            tally.dropped++;
            LOG.log(Level.WARNING, "could not process a log record of " + origin.service(), e);
          }
        }
      }
    }
    tally.account(accounting, Signal.LOGS, protocol);
    if (forwarder != null
        && forwarder.forwards(Signal.LOGS)
        && tally.accepted > 0
        && replay == Replay.NONE) {
      boolean asIs = tally.rejected == 0 && tally.recovered == 0 && !rewriter.renames(request);
      forwarder.forward(Signal.LOGS, asIs ? request : rewriter.logs(request), (int) tally.accepted);
    }
    ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
    if (tally.rejected > 0) {
      response.setPartialSuccess(
          ExportLogsPartialSuccess.newBuilder()
              .setRejectedLogRecords(tally.rejected)
              .setErrorMessage(tally.message("log records")));
    }
    return response.build();
  }

  /** Counts one valid record and, when it is an error with a span to go to, tells the store. */
  private void record(Origin origin, LogRecord r, Tally tally, Replay replay) {
    Severity severity = LogNormalizer.severity(r);
    boolean first = replay == Replay.NONE;
    if (first) {
      telemetry.logRecord(origin, severity);
    }
    LogNormalizer.SpanRef ref = LogNormalizer.spanRef(r);
    if (ref == null && logContext != null) {
      LogContextExtractor.Result found = logContext.extract(r);
      if (found != null) {
        if (first) {
          telemetry.logContextRecovered(origin);
        }
        tally.recovered++;
        if (found.spanId() != 0) {
          ref = new LogNormalizer.SpanRef(found.traceIdHigh(), found.traceIdLow(), found.spanId());
        }
      }
    }
    if (severity.isError() && ref != null) {
      store.offerErrorLog(ref.traceIdHigh(), ref.traceIdLow(), ref.spanId(), replay);
    }
  }
}
