package dev.seam.collector.contract;

import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.pair.BoundaryListener;
import dev.seam.collector.pair.Edge;
import dev.seam.collector.pair.Outcome;
import dev.seam.collector.pair.TransportClassifier;

/**
 * Passes everything the pairing store reports on to the next listener (the boundary metrics), and
 * shows the contracts every call: paired calls and calls whose trace context was lost.
 */
final class ContractListener implements BoundaryListener {

  private final BoundaryListener next;
  private final Contracts contracts;

  ContractListener(BoundaryListener next, Contracts contracts) {
    this.next = next;
    this.contracts = contracts;
  }

  @Override
  public void onEdge(Edge edge) {
    next.onEdge(edge);
    contracts.record(edge.caller(), edge.callee(), edge.transport());
  }

  @Override
  public Object onEdgeSeries(Edge edge) {
    Object series = next.onEdgeSeries(edge);
    contracts.record(edge.caller(), edge.callee(), edge.transport());
    return series;
  }

  @Override
  public void onLateErrorLogs(Object series, Side side, int count) {
    next.onLateErrorLogs(series, side, count);
  }

  @Override
  public void onUnpaired(Span span, Side side) {
    next.onUnpaired(span, side);
  }

  @Override
  public void onContextBroken(Span caller, Span callee) {
    next.onContextBroken(caller, callee);
    contracts.record(caller, callee, TransportClassifier.classify(caller, callee));
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
