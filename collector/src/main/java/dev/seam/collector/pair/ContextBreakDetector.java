package dev.seam.collector.pair;

import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.Transport;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Recognises calls whose trace context was lost at the boundary: a caller span whose callee
 * never arrived in its trace, and a root span on the peer side that started at the matching time
 * for the matching operation, are one call reported as two traces.
 *
 * <p>It sits between the pairing store and the metrics: root spans that serve a call are offered
 * to it as they arrive and kept for a while; when the store reports an unpaired caller, it looks
 * for such a root and, when it finds one, reports a broken context instead. Each root matches at
 * most one caller. The two halves of a broken call have different trace ids, so an instance that
 * receives only some traces (scale-out partitioned by trace id) recognises only the breaks whose
 * both halves it received; the rest stay counted as {@code callee_missing}.
 */
public final class ContextBreakDetector implements BoundaryListener {

  private static final Logger LOG = Logger.getLogger(ContextBreakDetector.class.getName());
  private static final long LOG_EVERY_NANOS = 60_000_000_000L;

  private final BoundaryListener next;
  private final long keepNanos;
  private final long toleranceNanos;
  private final int maxRoots;
  private final LongSupplier nanoClock;

  private final Object lock = new Object();
  private final ArrayDeque<Root> arrival = new ArrayDeque<>();
  private final Map<String, ArrayDeque<Root>> byService = new HashMap<>();
  private final ConcurrentHashMap<String, Long> lastLog = new ConcurrentHashMap<>();

  /** A root span that could be the callee half of a broken call. */
  private static final class Root {
    final Span span;
    final long arrivedNanos;
    boolean matched;

    Root(Span span, long arrivedNanos) {
      this.span = span;
      this.arrivedNanos = arrivedNanos;
    }
  }

  /**
   * @param next where every report goes on to
   * @param keepNanos how long a root span stays matchable (longer than the pairing window, since
   *     its caller is reported only when that window has passed)
   * @param toleranceNanos how far the two hosts' clocks may disagree
   * @param maxRoots most root spans kept; past it the oldest are forgotten
   * @param nanoClock monotonic time
   */
  public ContextBreakDetector(BoundaryListener next, long keepNanos, long toleranceNanos, int maxRoots, LongSupplier nanoClock) {
    this.next = next;
    this.keepNanos = keepNanos;
    this.toleranceNanos = toleranceNanos;
    this.maxRoots = maxRoots;
    this.nanoClock = nanoClock;
  }

  /** Whether a span could be the callee half of a call whose context was lost: a root serving a call. */
  public static boolean isCandidate(Span span) {
    if (span.parentSpanId() != 0 || span.kind().isOutgoing()) {
      return false;
    }
    return span.kind().isIncoming() || (span.protocol() != ProtocolHint.NONE && span.protocol() != ProtocolHint.DATABASE);
  }

  /** Remembers a root span (call only for {@link #isCandidate} spans). */
  public void offerRoot(Span span) {
    long now = nanoClock.getAsLong();
    synchronized (lock) {
      forgetOld(now);
      Root r = new Root(span, now);
      arrival.addLast(r);
      byService.computeIfAbsent(span.origin().service(), s -> new ArrayDeque<>()).addLast(r);
      while (arrival.size() > maxRoots) {
        remove(arrival.pollFirst());
      }
    }
  }

  /** Root spans held right now. */
  public int held() {
    synchronized (lock) {
      return arrival.size();
    }
  }

  @Override
  public void onUnpaired(Span span, Side side) {
    if (side == Side.CALLER) {
      Span callee = match(span);
      if (callee != null) {
        describe(span, callee);
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

  /** The closest unmatched root on the caller's peer side, or {@code null}. */
  Span match(Span caller) {
    synchronized (lock) {
      forgetOld(nanoClock.getAsLong());
      Root best = null;
      ArrayDeque<Root> named = peerRoots(caller.peer());
      if (named != null) {
        best = closest(named, caller, null, false);
      } else if (caller.operation() != null) {
        // The peer hint names no service seen here: any service may be the callee, but only an
        // exact operation match (an RPC method both sides name) is evidence enough.
        for (ArrayDeque<Root> roots : byService.values()) {
          best = closest(roots, caller, best, true);
        }
      }
      if (best == null) {
        return null;
      }
      best.matched = true;
      return best.span;
    }
  }

  /** Roots of the service a peer hint names: {@code pricing}, or a host name such as {@code pricing.prod.svc:8080}. */
  private ArrayDeque<Root> peerRoots(String peer) {
    if (peer == null) {
      return null;
    }
    ArrayDeque<Root> roots = byService.get(peer);
    if (roots == null) {
      int end = 0;
      while (end < peer.length() && peer.charAt(end) != '.' && peer.charAt(end) != ':') {
        end++;
      }
      if (end > 0 && end < peer.length() && !Character.isDigit(peer.charAt(0))) {
        roots = byService.get(peer.substring(0, end));
      }
    }
    return roots;
  }

  private Root closest(ArrayDeque<Root> roots, Span caller, Root best, boolean operationRequired) {
    for (Root r : roots) {
      if (!r.matched && compatible(caller, r.span) && (!operationRequired || caller.operation().equals(r.span.operation()))
          && (best == null || Math.abs(r.span.startNanos() - caller.startNanos()) < Math.abs(best.span.startNanos() - caller.startNanos()))) {
        best = r;
      }
    }
    return best;
  }

  private boolean compatible(Span caller, Span callee) {
    if (!caller.origin().differentSide(callee.origin())) {
      return false;
    }
    if (callee.startNanos() < caller.startNanos() - toleranceNanos || callee.startNanos() > caller.endNanos() + toleranceNanos) {
      return false;
    }
    Transport a = TransportClassifier.ofHint(caller.protocol());
    Transport b = TransportClassifier.ofHint(callee.protocol());
    if (a != null && b != null && a != b) {
      return false;
    }
    // A client knows the RPC method but not the server's route: compare what both sides name.
    return caller.operation() == null || callee.operation() == null || caller.operation().equals(callee.operation());
  }

  private void forgetOld(long now) {
    while (!arrival.isEmpty() && now - arrival.peekFirst().arrivedNanos > keepNanos) {
      remove(arrival.pollFirst());
    }
  }

  private void remove(Root r) {
    ArrayDeque<Root> roots = byService.get(r.span.origin().service());
    if (roots != null) {
      // Roots leave in arrival order, so this one is at (or very near) the head.
      Iterator<Root> it = roots.iterator();
      while (it.hasNext()) {
        if (it.next() == r) {
          it.remove();
          break;
        }
      }
      if (roots.isEmpty()) {
        byService.remove(r.span.origin().service());
      }
    }
  }

  /** One line per boundary and minute: which side most likely dropped the context, and how it was seen. */
  private void describe(Span caller, Span callee) {
    String boundary = caller.origin().service() + " (" + caller.origin().language() + ") -> " + callee.origin().service() + " (" + callee.origin().language() + ")";
    long now = nanoClock.getAsLong();
    Long last = lastLog.get(boundary);
    if (last != null && now - last < LOG_EVERY_NANOS) {
      return;
    }
    lastLog.put(boundary, now);
    String who = callee.kind().isIncoming()
        ? caller.origin().service() + " did not send the trace context (" + callee.origin().service() + "'s server instrumentation began a new trace)"
        : callee.origin().service() + " did not continue the trace context it was sent (its span is a root without a server kind)";
    LOG.warning(String.format(
        "context lost at %s: caller span %s/%s (%s) has no callee in its trace, and a root span %s/%s (%s) started %+.3f ms after it on the callee side; %s",
        boundary, caller.traceIdHex(), caller.spanIdHex(), caller.name(), callee.traceIdHex(), callee.spanIdHex(), callee.name(),
        (callee.startNanos() - caller.startNanos()) / 1e6, who));
  }
}
