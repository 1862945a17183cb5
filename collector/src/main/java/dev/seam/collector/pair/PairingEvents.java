package dev.seam.collector.pair;

import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened under a shard's lock, kept to be reported to the {@link BoundaryListener} once the
 * lock is released. Most calls have nothing to report and make none ({@link #of}).
 */
final class PairingEvents {

  /** Outcome.values() copies its array on every call, and dispatch runs for every pairing. */
  private static final Outcome[] OUTCOMES = Outcome.values();

  /**
   * Each edge followed by where its halves keep it ({@link #keptAs}, or null): one list, so that an
   * event with edges makes one list, not two.
   */
  private List<Object> edges;

  private List<Span> unpaired;
  private List<Side> unpairedSides;
  private List<Edge> logEdges;
  private List<Side> logSides;
  private List<Integer> logCounts;
  private List<Object> lateSeries;
  private List<Side> lateSides;
  private final int[] outcomes = new int[OUTCOMES.length];

  /** {@code ev}, or a new one if it is null. */
  static PairingEvents of(PairingEvents ev) {
    return ev != null ? ev : new PairingEvents();
  }

  PairingEvents edge(Edge e) {
    if (edges == null) {
      edges = new ArrayList<>(2);
    }
    edges.add(e);
    edges.add(null);
    return this;
  }

  /**
   * Where the halves of the latest {@link #edge} keep it: the listener's series token for the edge
   * is stored there when the edge is reported, for error logs that come after both halves left.
   */
  PairingEvents keptAs(EdgeLinks.Link link) {
    edges.set(edges.size() - 1, link);
    return this;
  }

  /**
   * One error log naming {@code side} of an edge that left the store, counted in {@code series}.
   */
  PairingEvents lateErrorLog(Object series, Side side) {
    if (lateSeries == null) {
      lateSeries = new ArrayList<>(1);
      lateSides = new ArrayList<>(1);
    }
    lateSeries.add(series);
    lateSides.add(side);
    return this;
  }

  PairingEvents unpaired(Span s, Side side) {
    if (unpaired == null) {
      unpaired = new ArrayList<>(2);
      unpairedSides = new ArrayList<>(2);
    }
    unpaired.add(s);
    unpairedSides.add(side);
    return this;
  }

  PairingEvents errorLogs(Edge e, Side side, int n) {
    if (logEdges == null) {
      logEdges = new ArrayList<>(1);
      logSides = new ArrayList<>(1);
      logCounts = new ArrayList<>(1);
    }
    logEdges.add(e);
    logSides.add(side);
    logCounts.add(n);
    return this;
  }

  PairingEvents outcome(Outcome o, int n) {
    outcomes[o.ordinal()] += n;
    return this;
  }

  /**
   * Tells the listener: edges, then error logs (late ones after), unpaired halves, and one sum per
   * outcome.
   */
  void dispatchTo(BoundaryListener listener) {
    if (edges != null) {
      for (int i = 0; i < edges.size(); i += 2) {
        Object series = listener.onEdgeSeries((Edge) edges.get(i));
        if (edges.get(i + 1) instanceof EdgeLinks.Link link) {
          link.series = series;
        }
      }
    }
    if (logEdges != null) {
      for (int i = 0; i < logEdges.size(); i++) {
        listener.onErrorLogs(logEdges.get(i), logSides.get(i), logCounts.get(i));
      }
    }
    if (lateSeries != null) {
      for (int i = 0; i < lateSeries.size(); i++) {
        listener.onLateErrorLogs(lateSeries.get(i), lateSides.get(i), 1);
      }
    }
    if (unpaired != null) {
      for (int i = 0; i < unpaired.size(); i++) {
        listener.onUnpaired(unpaired.get(i), unpairedSides.get(i));
      }
    }
    for (Outcome o : OUTCOMES) {
      int n = outcomes[o.ordinal()];
      if (n > 0) {
        listener.onOutcome(o, n);
      }
    }
  }
}
