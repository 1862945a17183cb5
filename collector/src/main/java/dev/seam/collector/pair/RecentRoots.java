package dev.seam.collector.pair;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.Transport;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Root spans that could be the callee half of a call whose trace context was lost, kept for a while
 * by service, and matched to callers whose callee never came: the closest in time on the caller's
 * peer side, for the same protocol and operation. Each root matches at most one caller.
 * Thread-safe.
 */
final class RecentRoots {

  /** A root span and whether a caller has claimed it; {@link #matched} is guarded by the lock. */
  private static final class Root {
    final Span span;
    final long arrivedNanos;
    boolean matched;

    Root(Span span, long arrivedNanos) {
      this.span = span;
      this.arrivedNanos = arrivedNanos;
    }
  }

  private final long keepNanos;
  private final long toleranceNanos;
  private final int maxRoots;
  private final LongSupplier nanoClock;

  private final Object lock = new Object();

  @GuardedBy("lock")
  private final ArrayDeque<Root> arrival = new ArrayDeque<>();

  @GuardedBy("lock")
  private final Map<String, ArrayDeque<Root>> byService = new HashMap<>();

  /**
   * @param keepNanos how long a root stays matchable
   * @param toleranceNanos how far the two hosts' clocks may disagree
   * @param maxRoots most roots kept; past it the oldest are forgotten
   * @param nanoClock monotonic time
   */
  RecentRoots(long keepNanos, long toleranceNanos, int maxRoots, LongSupplier nanoClock) {
    this.keepNanos = keepNanos;
    this.toleranceNanos = toleranceNanos;
    this.maxRoots = maxRoots;
    this.nanoClock = nanoClock;
  }

  /** Keeps a root span. */
  void offer(Span span) {
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

  /** Roots held right now. */
  int held() {
    synchronized (lock) {
      return arrival.size();
    }
  }

  /** Claims the closest unmatched root on the caller's peer side, or returns {@code null}. */
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

  /**
   * Roots of the service a peer hint names: {@code pricing}, or a host name such as {@code
   * pricing.prod.svc:8080}.
   */
  @GuardedBy("lock")
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

  @GuardedBy("lock")
  private Root closest(ArrayDeque<Root> roots, Span caller, Root best, boolean operationRequired) {
    for (Root r : roots) {
      if (!r.matched
          && compatible(caller, r.span)
          && (!operationRequired || caller.operation().equals(r.span.operation()))
          && (best == null || distance(r, caller) < distance(best, caller))) {
        best = r;
      }
    }
    return best;
  }

  private static long distance(Root r, Span caller) {
    return Math.abs(r.span.startNanos() - caller.startNanos());
  }

  private boolean compatible(Span caller, Span callee) {
    if (!caller.origin().differentSide(callee.origin())) {
      return false;
    }
    if (callee.startNanos() < caller.startNanos() - toleranceNanos
        || callee.startNanos() > caller.endNanos() + toleranceNanos) {
      return false;
    }
    Transport a = TransportClassifier.ofHint(caller.protocol());
    Transport b = TransportClassifier.ofHint(callee.protocol());
    if (a != null && b != null && a != b) {
      return false;
    }
    // A client knows the RPC method but not the server's route: compare what both sides name.
    return caller.operation() == null
        || callee.operation() == null
        || caller.operation().equals(callee.operation());
  }

  @GuardedBy("lock")
  private void forgetOld(long now) {
    while (!arrival.isEmpty() && now - arrival.peekFirst().arrivedNanos > keepNanos) {
      remove(arrival.pollFirst());
    }
  }

  @GuardedBy("lock")
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
}
