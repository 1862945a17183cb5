package dev.seam.collector.pipeline;

import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.decode.OtlpFormat;
import dev.seam.collector.decode.OtlpJson;
import dev.seam.collector.decode.OtlpProtobuf;
import dev.seam.collector.decode.RawSpan;
import dev.seam.collector.decode.StringTable;
import dev.seam.collector.decode.TraceReader;
import dev.seam.collector.forward.Forwarder;
import dev.seam.collector.measure.PipelineMetrics;
import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.Signal;
import dev.seam.collector.model.Span;
import dev.seam.collector.normalize.OriginCache;
import dev.seam.collector.normalize.SpanNormalizer;
import dev.seam.collector.pair.ContextBreakDetector;
import dev.seam.collector.pair.LinkedCallers;
import dev.seam.collector.pair.PairingStore;
import dev.seam.collector.pair.Replay;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Processes trace exports: validates each span, normalizes it, hands it to the pairing store (and
 * root spans to the broken-context detector), counts every span and forwards the accepted ones.
 * Runs on pipeline worker threads at once; each has its own reader, string table and origin cache,
 * and everything else it holds is thread-safe or never changes.
 */
public final class TraceHandler {

  private static final Logger LOG = Logger.getLogger(TraceHandler.class.getName());

  private final SpanNormalizer spans;
  private final Origins origins;
  private final PairingStore store;
  private final ContextBreakDetector contextBreaks;
  private final Forwarder forwarder;
  private final ForwardRewriter rewriter;
  private final PipelineMetrics accounting;

  /** What each pipeline thread reads trace requests with: per thread, so never shared. */
  private final ThreadLocal<Reading> reading = ThreadLocal.withInitial(Reading::new);

  /**
   * @param contextBreaks where root spans go to be matched with unpaired callers, or {@code null}
   *     when broken contexts are not looked for
   * @param forwarder where accepted spans go downstream, or {@code null}
   */
  TraceHandler(
      SpanNormalizer spans,
      Origins origins,
      PairingStore store,
      ContextBreakDetector contextBreaks,
      Forwarder forwarder,
      ForwardRewriter rewriter,
      PipelineMetrics accounting) {
    this.spans = spans;
    this.origins = origins;
    this.store = store;
    this.contextBreaks = contextBreaks;
    this.forwarder = forwarder;
    this.rewriter = rewriter;
    this.accounting = accounting;
  }

  /** A thread's reader, its string table and its origins. */
  private final class Reading {
    final TraceReader reader = new TraceReader(new StringTable(4096));
    final OriginCache origins = new OriginCache(64, TraceHandler.this.origins::entry);
    private OriginCache.Entry[] resources = new OriginCache.Entry[4];

    OriginCache.Entry[] resources(int n) {
      if (resources.length < n) {
        resources = new OriginCache.Entry[Math.max(n, resources.length * 2)];
      }
      return resources;
    }
  }

  /** Processes a trace export and says which spans it refused. */
  public ExportTraceServiceResponse export(ExportTraceServiceRequest request, String protocol) {
    try {
      return export(request.toByteArray(), protocol);
    } catch (OtlpDecodeException e) {
      throw new IllegalStateException("a serialized request did not read back", e);
    }
  }

  /**
   * Processes a trace export given as protobuf bytes and says which spans it refused. The spans are
   * read straight from the bytes ({@link TraceReader}); the request is refused as a whole, before
   * anything is counted, when it is malformed.
   */
  public ExportTraceServiceResponse export(byte[] body, String protocol)
      throws OtlpDecodeException {
    return export(body, protocol, Replay.NONE);
  }

  /**
   * Processes a trace export that may have been processed before ({@link Replay}): its spans are
   * paired under the rules for replays and are forwarded only the first time.
   */
  public ExportTraceServiceResponse export(byte[] body, String protocol, Replay replay)
      throws OtlpDecodeException {
    return export(body, OtlpFormat.PROTOBUF, protocol, replay);
  }

  /**
   * Processes a trace export given as protobuf or OTLP/JSON bytes; both are read straight into the
   * same raw spans ({@link TraceReader#read}, {@link TraceReader#readJson}).
   */
  public ExportTraceServiceResponse export(
      byte[] body, OtlpFormat format, String protocol, Replay replay) throws OtlpDecodeException {
    Reading r = reading.get();
    boolean json = format == OtlpFormat.JSON;
    TraceReader request = json ? r.reader.readJson(body) : r.reader.read(body);
    // Every resource is resolved before any span is counted, so that a bad one refuses the whole
    // request.
    OriginCache.Entry[] resources = r.resources(request.resourceCount());
    for (int res = 0; res < request.resourceCount(); res++) {
      resources[res] =
          r.origins.get(
              request.resourceBytes(res),
              request.resourceOffset(res),
              request.resourceLength(res),
              request.firstScopeName(res));
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
          Span span = spans.normalize(s, origin);
          long parent = span.parentSpanId();
          boolean parentInBatch = false;
          if (parent != 0 && span.parentLink() == ParentLink.UNKNOWN) {
            if (batchIds == null) {
              batchIds = request.sortedSpanIds(res);
            }
            parentInBatch = Arrays.binarySearch(batchIds, 0, to - from, parent) >= 0;
          }
          boolean fresh = store.offerSpan(span, parentInBatch, replay);
          int linked =
              s.linkCount() > 0 && LinkedCallers.pairsThroughLinks(span)
                  ? offerLinks(s, span, replay)
                  : 0;
          // A consumer whose links name its producers did not lose its context.
          if (fresh
              && linked == 0
              && contextBreaks != null
              && ContextBreakDetector.isCandidate(span)) {
            contextBreaks.offerRoot(span);
          }
          tally.processed++;
        } catch (RuntimeException e) {
          tally.dropped++;
          LOG.log(Level.WARNING, "could not process a span of " + origin.service(), e);
        }
      }
    }
    tally.account(accounting, Signal.SPANS, protocol);
    if (forwarder != null
        && forwarder.forwards(Signal.SPANS)
        && tally.accepted > 0
        && replay == Replay.NONE) {
      forward(body, json, tally, renames);
    }
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (tally.rejected > 0) {
      response.setPartialSuccess(
          ExportTracePartialSuccess.newBuilder()
              .setRejectedSpans(tally.rejected)
              .setErrorMessage(tally.message("spans")));
    }
    return response.build();
  }

  /**
   * Offers a consumer span once more for each producer span it links to, as that producer's callee
   * ({@link LinkedCallers}); a link to its own parent is skipped (the parent pairs it).
   *
   * @return how many linked callees were offered
   */
  private int offerLinks(RawSpan s, Span span, Replay replay) {
    int offered = 0;
    for (int l = 0, n = s.linkCount(); l < n; l++) {
      long high = s.linkTraceIdHigh(l);
      long low = s.linkTraceIdLow(l);
      long linked = s.linkSpanId(l);
      if (high == span.traceIdHigh() && low == span.traceIdLow() && linked == span.parentSpanId()) {
        continue;
      }
      store.offerSpan(LinkedCallers.calleeOf(span, high, low, linked), false, replay);
      offered++;
    }
    return offered;
  }

  /** Forwards the accepted spans: the bytes as received when nothing in them changes. */
  private void forward(byte[] body, boolean json, Tally tally, boolean renames) {
    if (json) {
      // Downstream speaks protobuf; JSON that Seam read is JSON that JsonFormat reads.
      ExportTraceServiceRequest request;
      try {
        request = OtlpJson.traces(body);
      } catch (OtlpDecodeException e) {
        LOG.log(Level.WARNING, "could not forward an OTLP/JSON trace export: " + e.getMessage());
        return;
      }
      if (tally.rejected == 0 && !renames) {
        forwarder.forward(Signal.SPANS, request.toByteArray(), (int) tally.accepted);
      } else {
        forwarder.forward(Signal.SPANS, rewriter.traces(request), (int) tally.accepted);
      }
      return;
    }
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
    forwarder.forward(Signal.SPANS, rewriter.traces(request), (int) tally.accepted);
  }
}
