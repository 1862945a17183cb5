package dev.seam.collector.pair;

import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/** A thread-safe {@link BoundaryListener} that keeps everything it is told. */
final class RecordingListener implements BoundaryListener {

  record Unpaired(Span span, Side side) {}

  record ErrorLogs(Edge edge, Side side, int count) {}

  private final List<Edge> edges = new ArrayList<>();
  private final List<Unpaired> unpaired = new ArrayList<>();
  private final List<ErrorLogs> errorLogs = new ArrayList<>();
  private final AtomicLongArray outcomes = new AtomicLongArray(Outcome.values().length);

  @Override
  public synchronized void onEdge(Edge edge) {
    edges.add(edge);
  }

  @Override
  public synchronized void onUnpaired(Span span, Side side) {
    unpaired.add(new Unpaired(span, side));
  }

  @Override
  public synchronized void onErrorLogs(Edge edge, Side side, int count) {
    errorLogs.add(new ErrorLogs(edge, side, count));
  }

  @Override
  public void onOutcome(Outcome outcome, int count) {
    if (count <= 0) {
      throw new AssertionError(
          "onOutcome(" + outcome + ", " + count + "): counts must be positive");
    }
    outcomes.addAndGet(outcome.ordinal(), count);
  }

  synchronized List<Edge> edges() {
    return List.copyOf(edges);
  }

  synchronized List<Unpaired> unpaired() {
    return List.copyOf(unpaired);
  }

  synchronized List<ErrorLogs> errorLogs() {
    return List.copyOf(errorLogs);
  }

  /** Sum of the counts of all onErrorLogs calls. */
  synchronized long errorLogCount() {
    long n = 0;
    for (ErrorLogs e : errorLogs) {
      n += e.count();
    }
    return n;
  }

  long outcome(Outcome o) {
    return outcomes.get(o.ordinal());
  }

  long outcomeTotal() {
    long n = 0;
    for (Outcome o : Outcome.values()) {
      n += outcome(o);
    }
    return n;
  }

  synchronized void clear() {
    edges.clear();
    unpaired.clear();
    errorLogs.clear();
    for (int i = 0; i < outcomes.length(); i++) {
      outcomes.set(i, 0);
    }
  }
}
