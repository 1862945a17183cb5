package dev.seam.collector.pair;

import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;

/**
 * What the pairing store reports. Calls come from pipeline threads, outside the store's locks,
 * possibly concurrently.
 */
public interface BoundaryListener {

  /** Both halves of a boundary call arrived. */
  void onEdge(Edge edge);

  /**
   * Reports an edge as {@link #onEdge} does, and returns what names the series it was counted in:
   * the store keeps it, without the edge, for error logs that name one of its halves after both
   * left the store ({@link #onLateErrorLogs}). Null when this listener keeps no such series.
   */
  default Object onEdgeSeries(Edge edge) {
    onEdge(edge);
    return null;
  }

  /**
   * A half whose counterpart did not arrive within the window: a caller span whose callee never
   * came, or a callee with a remote parent that never came.
   */
  void onUnpaired(Span span, Side side);

  /**
   * A caller whose callee never arrived in its trace was matched to a root span on the peer side at
   * the same time and operation: one call whose trace context was lost. Reported instead of {@link
   * #onUnpaired} for that caller.
   */
  default void onContextBroken(Span caller, Span callee) {}

  /** {@code count} error log records point at {@code side} of {@code edge}. */
  void onErrorLogs(Edge edge, Side side, int count);

  /**
   * {@code count} error log records point at {@code side} of an edge that had left the store;
   * {@code series} is what {@link #onEdgeSeries} returned for it.
   */
  default void onLateErrorLogs(Object series, Side side, int count) {}

  /** {@code count} pending entries ended with {@code outcome}. */
  void onOutcome(Outcome outcome, int count);
}
