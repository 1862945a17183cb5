package dev.seam.collector.pair;

import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import java.util.function.LongSupplier;

/**
 * Recognises calls whose trace context was lost at the boundary: a caller span whose callee never
 * arrived in its trace, and a root span on the peer side that started at the matching time for the
 * matching operation, are one call reported as two traces.
 *
 * <p>It sits between the pairing store and the metrics: root spans that serve a call are offered to
 * it as they arrive and kept for a while ({@link RecentRoots}); when the store reports an unpaired
 * caller, it looks for such a root and, when it finds one, reports a broken context instead. Each
 * root matches at most one caller. The two halves of a broken call have different trace ids, so an
 * instance that receives only some traces (scale-out partitioned by trace id) recognises only the
 * breaks whose both halves it received; the rest stay counted as {@code callee_missing}.
 */
public final class ContextBreakDetector implements BoundaryListener {

  private final BoundaryListener next;
  private final RecentRoots roots;
  private final ContextBreakLog log;

  /**
   * @param next where every report goes on to
   * @param keepNanos how long a root span stays matchable (longer than the pairing window, since
   *     its caller is reported only when that window has passed)
   * @param toleranceNanos how far the two hosts' clocks may disagree
   * @param maxRoots most root spans kept; past it the oldest are forgotten
   * @param nanoClock monotonic time
   */
  public ContextBreakDetector(
      BoundaryListener next,
      long keepNanos,
      long toleranceNanos,
      int maxRoots,
      LongSupplier nanoClock) {
    this.next = next;
    this.roots = new RecentRoots(keepNanos, toleranceNanos, maxRoots, nanoClock);
    this.log = new ContextBreakLog(nanoClock);
  }

  /**
   * Whether a span could be the callee half of a call whose context was lost: a root serving a
   * call.
   */
  public static boolean isCandidate(Span span) {
    if (span.parentSpanId() != 0 || span.kind().isOutgoing()) {
      return false;
    }
    return span.kind().isIncoming()
        || (span.protocol() != ProtocolHint.NONE && span.protocol() != ProtocolHint.DATABASE);
  }

  /** Remembers a root span (call only for {@link #isCandidate} spans). */
  public void offerRoot(Span span) {
    roots.offer(span);
  }

  /** Root spans held right now. */
  public int held() {
    return roots.held();
  }

  @Override
  public void onUnpaired(Span span, Side side) {
    if (side == Side.CALLER) {
      Span callee = roots.match(span);
      if (callee != null) {
        log.describe(span, callee);
        next.onContextBroken(span, callee);
        return;
      }
    }
    next.onUnpaired(span, side);
  }

  @Override
  public void onEdge(Edge edge) {
    next.onEdge(edge);
  }

  @Override
  public Object onEdgeSeries(Edge edge) {
    return next.onEdgeSeries(edge);
  }

  @Override
  public void onLateErrorLogs(Object series, Side side, int count) {
    next.onLateErrorLogs(series, side, count);
  }

  @Override
  public void onContextBroken(Span caller, Span callee) {
    next.onContextBroken(caller, callee);
  }

  @Override
  public void onErrorLogs(Edge edge, Side side, int count) {
    next.onErrorLogs(edge, side, count);
  }

  @Override
  public void onOutcome(Outcome outcome, int count) {
    next.onOutcome(outcome, count);
  }
}
