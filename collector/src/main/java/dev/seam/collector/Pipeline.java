package dev.seam.collector;

import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.decode.OtlpProtobuf;
import dev.seam.collector.decode.RawSpan;
import dev.seam.collector.decode.StringTable;
import dev.seam.collector.decode.TraceReader;
import dev.seam.collector.measure.PipelineMetrics;
import dev.seam.collector.measure.TelemetryMetrics;
import dev.seam.collector.model.Ids;
import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.Severity;
import dev.seam.collector.model.Signal;
import dev.seam.collector.forward.Forwarder;
import dev.seam.collector.normalize.LogContextExtractor;
import dev.seam.collector.normalize.LogNormalizer;
import dev.seam.collector.normalize.OriginCache;
import dev.seam.collector.normalize.OriginResolver;
import dev.seam.collector.normalize.ServiceNames;
import dev.seam.collector.normalize.SpanNormalizer;
import dev.seam.collector.pair.ContextBreakDetector;
import dev.seam.collector.pair.PairingStore;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one-way flow of a decoded export request: validate each item, normalize it, hand spans and
 * error logs to the pairing store, record what the services report about themselves, and account
 * for every item. Runs on pipeline worker threads, never on an event loop.
 */
public final class Pipeline {

  private static final Logger LOG = Logger.getLogger(Pipeline.class.getName());

  private final SpanNormalizer spans;
  private final ServiceNames serviceNames;
  private final LogContextExtractor logContext;
  private final PairingStore store;
  private final ContextBreakDetector contextBreaks;
  private final Forwarder forwarder;
  private final PipelineMetrics accounting;
  private final TelemetryMetrics telemetry;

  /**
   * @param logContext finds trace context that log records name outside their OTLP ids, or
   *     {@code null} when that is switched off
   * @param contextBreaks where root spans go to be matched with unpaired callers, or {@code null}
   *     when broken contexts are not looked for
   * @param forwarder where normalized spans and logs go downstream, or {@code null}
   */
  public Pipeline(SpanNormalizer spans, ServiceNames serviceNames, LogContextExtractor logContext, PairingStore store,
      ContextBreakDetector contextBreaks, Forwarder forwarder, PipelineMetrics accounting, TelemetryMetrics telemetry) {
    this.spans = spans;
    this.serviceNames = serviceNames;
    this.logContext = logContext;
    this.store = store;
    this.contextBreaks = contextBreaks;
    this.forwarder = forwarder;
    this.accounting = accounting;
    this.telemetry = telemetry;
  }

  private Origin origin(Resource resource, String scopeName) {
    return serviceNames.apply(OriginResolver.resolve(resource, scopeName));
  }

  /** What each pipeline thread reads trace requests with. */
  private final ThreadLocal<Reading> reading = ThreadLocal.withInitial(Reading::new);

  /** A thread's reader, its string table and its origins. */
  private final class Reading {
    final TraceReader reader = new TraceReader(new StringTable(4096));
    final OriginCache origins = new OriginCache(64, (resource, scopeName) -> {
      Origin origin = origin(resource, scopeName);
      return new OriginCache.Entry(origin, renamed(resource, scopeName) != null);
    });
    private OriginCache.Entry[] resources = new OriginCache.Entry[4];

    OriginCache.Entry[] resources(int n) {
      if (resources.length < n) {
        resources = new OriginCache.Entry[Math.max(n, resources.length * 2)];
      }
      return resources;
    }
  }

  /** Where normalized spans and logs go downstream, or {@code null}. */
  Forwarder forwarder() {
    return forwarder;
  }

  /** Processes a trace export and says which spans it refused. */
  public ExportTraceServiceResponse traces(ExportTraceServiceRequest request, String protocol) {
    try {
      return traces(request.toByteArray(), protocol);
    } catch (OtlpDecodeException e) {
      throw new IllegalStateException("a serialized request did not read back", e);
    }
  }

  /**
   * Processes a trace export given as protobuf bytes and says which spans it refused. The spans
   * are read straight from the bytes ({@link TraceReader}); the request is refused as a whole,
   * before anything is counted, when it is malformed.
   */
  public ExportTraceServiceResponse traces(byte[] body, String protocol) throws OtlpDecodeException {
    Reading r = reading.get();
    TraceReader request = r.reader.read(body);
    // Every resource is resolved before any span is counted, so that a bad one refuses the whole request.
    OriginCache.Entry[] resources = r.resources(request.resourceCount());
    for (int res = 0; res < request.resourceCount(); res++) {
      resources[res] = r.origins.get(request.resourceBytes(res), request.resourceOffset(res), request.resourceLength(res), request.firstScopeName(res));
    }
    Tally tally = new Tally();
    boolean renames = false;
    for (int res = 0; res < request.resourceCount(); res++) {
      Origin origin = resources[res].origin();
      renames |= resources[res].renamed();
      int from = request.firstSpan(res);
      int to = request.endSpan(res);
      // Only a span whose flags do not say where its parent lives needs to know whether the
      // parent is in its own batch; the Go and Rust SDKs always say, so this is rarely built.
      long[] batchIds = null;
      for (int i = from; i < to; i++) {
        RawSpan s = request.span(i);
        String invalid = SpanNormalizer.invalidReason(s);
        if (invalid != null) {
          tally.reject(invalid);
          continue;
        }
        tally.accepted++;
        try {
          dev.seam.collector.model.Span span = spans.normalize(s, origin);
          long parent = span.parentSpanId();
          boolean parentInBatch = false;
          if (parent != 0 && span.parentLink() == ParentLink.UNKNOWN) {
            if (batchIds == null) {
              batchIds = request.sortedSpanIds(res);
            }
            parentInBatch = Arrays.binarySearch(batchIds, 0, to - from, parent) >= 0;
          }
          boolean fresh = store.offerSpan(span, parentInBatch);
          if (fresh && contextBreaks != null && ContextBreakDetector.isCandidate(span)) {
            contextBreaks.offerRoot(span);
          }
          tally.processed++;
        } catch (RuntimeException e) {
          tally.dropped++;
          LOG.log(Level.WARNING, "could not process a span of " + origin.service(), e);
        }
      }
    }
    tally.account(Signal.SPANS, protocol);
    if (forwarder != null && forwarder.forwards(Signal.SPANS) && tally.accepted > 0) {
      forwardTraces(body, tally, renames);
    }
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (tally.rejected > 0) {
      response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(tally.rejected)
          .setErrorMessage(tally.message("spans")));
    }
    return response.build();
  }

  /** Forwards the accepted spans: the bytes as received when nothing in them changes. */
  private void forwardTraces(byte[] body, Tally tally, boolean renames) {
    if (tally.rejected == 0 && !renames) {
      forwarder.forward(Signal.SPANS, body, (int) tally.accepted);
      return;
    }
    ExportTraceServiceRequest request;
    try {
      request = OtlpProtobuf.traces(body);
    } catch (OtlpDecodeException e) {
      // Valid for Seam's reader but not for the generated parser (invalid UTF-8 in a string, a
      // flaw inside a link): forward it as received rather than lose it downstream.
      LOG.log(Level.FINE, "forwarding a trace export as received: " + e.getMessage());
      forwarder.forward(Signal.SPANS, body, (int) tally.accepted);
      return;
    }
    forwarder.forward(Signal.SPANS, normalizedTraces(request), (int) tally.accepted);
  }

  /** Processes a log export and says which records it refused. */
  public ExportLogsServiceResponse logs(ExportLogsServiceRequest request, String protocol) {
    Tally tally = new Tally();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      Origin origin = origin(rl.getResource(), rl.getScopeLogsCount() > 0 ? rl.getScopeLogs(0).getScope().getName() : "");
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord r : sl.getLogRecordsList()) {
          String invalid = LogNormalizer.invalidReason(r);
          if (invalid != null) {
            tally.reject(invalid);
            continue;
          }
          tally.accepted++;
          try {
            Severity severity = LogNormalizer.severity(r);
            telemetry.logRecord(origin, severity);
            LogNormalizer.SpanRef ref = LogNormalizer.spanRef(r);
            if (ref == null && logContext != null) {
              LogContextExtractor.Result found = logContext.extract(r);
              if (found != null) {
                telemetry.logContextRecovered(origin);
                tally.recovered++;
                if (found.spanId() != 0) {
                  ref = new LogNormalizer.SpanRef(found.traceIdHigh(), found.traceIdLow(), found.spanId());
                }
              }
            }
            if (severity.isError() && ref != null) {
              store.offerErrorLog(ref.traceIdHigh(), ref.traceIdLow(), ref.spanId());
            }
            tally.processed++;
          } catch (RuntimeException e) {
            tally.dropped++;
            LOG.log(Level.WARNING, "could not process a log record of " + origin.service(), e);
          }
        }
      }
    }
    tally.account(Signal.LOGS, protocol);
    if (forwarder != null && forwarder.forwards(Signal.LOGS) && tally.accepted > 0) {
      boolean asIs = tally.rejected == 0 && tally.recovered == 0 && !renames(request);
      forwarder.forward(Signal.LOGS, asIs ? request : normalizedLogs(request), (int) tally.accepted);
    }
    ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
    if (tally.rejected > 0) {
      response.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
          .setRejectedLogRecords(tally.rejected)
          .setErrorMessage(tally.message("log records")));
    }
    return response.build();
  }

  /**
   * Processes a metrics export. Memory figures become {@code seam_process_memory_bytes}; every
   * other data point is counted and not re-exported. A metric without a name is refused.
   */
  public ExportMetricsServiceResponse metrics(ExportMetricsServiceRequest request, String protocol) {
    Tally tally = new Tally();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      Origin origin = origin(rm.getResource(), rm.getScopeMetricsCount() > 0 ? rm.getScopeMetrics(0).getScope().getName() : "");
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          int points = dataPoints(m);
          if (m.getName().isEmpty()) {
            tally.reject("metric has no name", Math.max(1, points));
            continue;
          }
          tally.accepted += points;
          try {
            memory(origin, m);
            tally.processed += points;
          } catch (RuntimeException e) {
            tally.dropped += points;
            LOG.log(Level.WARNING, "could not process metric " + m.getName() + " of " + origin.service(), e);
          }
        }
      }
    }
    tally.account(Signal.METRICS, protocol);
    ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
    if (tally.rejected > 0) {
      response.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
          .setRejectedDataPoints(tally.rejected)
          .setErrorMessage(tally.message("data points")));
    }
    return response.build();
  }

  /** Whether any resource of the request is shown under another service name than it reported. */
  private boolean renames(ExportLogsServiceRequest request) {
    for (ResourceLogs rl : request.getResourceLogsList()) {
      if (renamed(rl.getResource(), rl.getScopeLogsCount() > 0 ? rl.getScopeLogs(0).getScope().getName() : "") != null) {
        return true;
      }
    }
    return false;
  }

  /** The resource with {@code service.name} as Seam shows it, or {@code null} when it already is. */
  private Resource renamed(Resource resource, String scopeName) {
    String shown = origin(resource, scopeName).service();
    if (Origin.UNKNOWN.equals(shown) || shown.equals(OriginResolver.reportedService(resource))) {
      return null;
    }
    Resource.Builder b = resource.toBuilder();
    for (int i = 0; i < b.getAttributesCount(); i++) {
      if (b.getAttributes(i).getKey().equals("service.name")) {
        b.removeAttributes(i);
        break;
      }
    }
    return b.addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(shown))).build();
  }

  /** The accepted spans of a request, under the service names Seam shows. */
  private ExportTraceServiceRequest normalizedTraces(ExportTraceServiceRequest request) {
    ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      ResourceSpans.Builder b = rs.toBuilder().clearScopeSpans();
      Resource renamed = renamed(rs.getResource(), rs.getScopeSpansCount() > 0 ? rs.getScopeSpans(0).getScope().getName() : "");
      if (renamed != null) {
        b.setResource(renamed);
      }
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ScopeSpans.Builder sb = ss.toBuilder().clearSpans();
        for (Span span : ss.getSpansList()) {
          if (SpanNormalizer.invalidReason(span) == null) {
            sb.addSpans(span);
          }
        }
        b.addScopeSpans(sb);
      }
      out.addResourceSpans(b);
    }
    return out.build();
  }

  /** The accepted log records of a request, with recovered trace context filled in and service names as shown. */
  private ExportLogsServiceRequest normalizedLogs(ExportLogsServiceRequest request) {
    ExportLogsServiceRequest.Builder out = ExportLogsServiceRequest.newBuilder();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      ResourceLogs.Builder b = rl.toBuilder().clearScopeLogs();
      Resource renamed = renamed(rl.getResource(), rl.getScopeLogsCount() > 0 ? rl.getScopeLogs(0).getScope().getName() : "");
      if (renamed != null) {
        b.setResource(renamed);
      }
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        ScopeLogs.Builder sb = sl.toBuilder().clearLogRecords();
        for (LogRecord r : sl.getLogRecordsList()) {
          if (LogNormalizer.invalidReason(r) != null) {
            continue;
          }
          LogContextExtractor.Result found = logContext != null && LogNormalizer.spanRef(r) == null ? logContext.extract(r) : null;
          if (found == null) {
            sb.addLogRecords(r);
          } else {
            LogRecord.Builder rb = r.toBuilder().setTraceId(Ids.bytes(found.traceIdHigh(), found.traceIdLow()));
            rb.setSpanId(found.spanId() != 0 ? Ids.bytes(found.spanId()) : com.google.protobuf.ByteString.EMPTY);
            sb.addLogRecords(rb);
          }
        }
        b.addScopeLogs(sb);
      }
      out.addResourceLogs(b);
    }
    return out.build();
  }

  private void memory(Origin origin, Metric m) {
    String type;
    switch (m.getName()) {
      case "go.memory.used":
      case "process.runtime.go.mem.heap_alloc":
        type = TelemetryMetrics.RUNTIME;
        break;
      case "process.memory.usage":
        type = TelemetryMetrics.RESIDENT;
        break;
      default:
        return;
    }
    List<NumberDataPoint> points;
    if (m.hasGauge()) {
      points = m.getGauge().getDataPointsList();
    } else if (m.hasSum()) {
      points = m.getSum().getDataPointsList();
    } else {
      return;
    }
    if (points.isEmpty()) {
      return;
    }
    // go.memory.used comes as one point per go.memory.type (stack, other): the process figure is their sum.
    long total = 0;
    for (NumberDataPoint p : points) {
      total += p.hasAsInt() ? p.getAsInt() : (long) p.getAsDouble();
    }
    telemetry.processMemory(origin, type, total);
  }

  private static int dataPoints(Metric m) {
    switch (m.getDataCase()) {
      case GAUGE:
        return m.getGauge().getDataPointsCount();
      case SUM:
        return m.getSum().getDataPointsCount();
      case HISTOGRAM:
        return m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM:
        return m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY:
        return m.getSummary().getDataPointsCount();
      default:
        return 0;
    }
  }

  /** Counts of one request's items, added to Seam's accounting once the request is done. */
  private final class Tally {
    long accepted;
    long processed;
    long dropped;
    long rejected;
    long recovered;
    String firstProblem;
    int problems;

    void reject(String reason) {
      reject(reason, 1);
    }

    void reject(String reason, int n) {
      rejected += n;
      problems++;
      if (firstProblem == null) {
        firstProblem = reason;
      }
    }

    void account(Signal signal, String protocol) {
      if (rejected > 0) {
        accounting.refusedItems(signal, "invalid", rejected);
      }
      if (accepted > 0) {
        accounting.received(signal, protocol, accepted);
      }
      if (processed > 0) {
        accounting.processed(signal, processed);
      }
      if (dropped > 0) {
        accounting.dropped(signal, "internal_error", dropped);
      }
    }

    String message(String items) {
      String m = "rejected " + rejected + " of " + (rejected + accepted) + " " + items + ": " + firstProblem;
      return problems > 1 ? m + " (and " + (problems - 1) + " more)" : m;
    }
  }
}
