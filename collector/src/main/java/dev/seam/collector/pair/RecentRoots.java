package dev.seam.collector.pair;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.model.Transport;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Root spans that could be the callee half of a call whose trace context was lost, kept for a while
 * by service, and matched to callers whose callee never came: the closest in time on the caller's
 * peer side, for the same protocol and operation. Each root matches at most one caller.
 * Thread-safe.
 *
 * <p><b>Layout.</b> Up to {@code maxRoots} roots (100,000 by default) are held for twice the
 * pairing window, so no object is kept per root: a ring in arrival order holds, per root, ten
 * {@code long}s (ids, times, sizes, sampling weight, arrival), five references (origin, name, error
 * class, operation and peer, which the decoder shares between spans) and two {@code int}s (the
 * enums and flags packed, the chain), 108 bytes, where a {@link Span} record with a holder and two
 * queue slots took about 180. The roots of one service are chained through an {@code int} per root,
 * oldest first, so a match reads only the peer's roots. Roots leave from the head, in arrival
 * order, which is also the head of their service's chain. A matched root is rebuilt as a {@link
 * Span}.
 */
final class RecentRoots {

  // The longs of position p, at nums[p * NUMS + field].
  private static final int TRACE_HI = 0;
  private static final int TRACE_LO = 1;
  private static final int SPAN_ID = 2;
  private static final int START = 3;
  private static final int END = 4;
  private static final int REQUEST_BYTES = 5;
  private static final int RESPONSE_BYTES = 6;
  private static final int ALLOCATED_BYTES = 7;

  /** The adjusted count's bits. */
  private static final int WEIGHT = 8;

  private static final int NUMS = 9;

  // The references of position p, at refs[p * REFS + field].
  private static final int ORIGIN = SpanRefs.ORIGIN;
  private static final int NAME = SpanRefs.NAME;
  private static final int ERROR_CLASS = SpanRefs.ERROR_CLASS;
  private static final int OPERATION = SpanRefs.OPERATION;
  private static final int PEER = SpanRefs.PEER;
  private static final int REFS = SpanRefs.COUNT;

  // The bits of flags[p]: kind, parent link and protocol ordinals, then the booleans.
  private static final int KIND_SHIFT = 0;
  private static final int LINK_SHIFT = 4;
  private static final int PROTOCOL_SHIFT = 8;
  private static final int FAILED = 1 << 12;
  private static final int ANSWERED = 1 << 13;
  private static final int MATCHED = 1 << 14;
  private static final int ENUM_MASK = 0xF;

  private static final SpanKind[] KINDS = SpanKind.values();
  private static final ParentLink[] LINKS = ParentLink.values();
  private static final ProtocolHint[] PROTOCOLS = ProtocolHint.values();

  private static final int INITIAL_CAPACITY = 256;

  /** No position: the end of a service's chain. */
  private static final int NONE = -1;

  private final long keepNanos;
  private final long toleranceNanos;
  private final int maxRoots;
  private final LongSupplier nanoClock;

  private final Object lock = new Object();

  @GuardedBy("lock")
  private long[] nums;

  @GuardedBy("lock")
  private Object[] refs;

  @GuardedBy("lock")
  private long[] arrived;

  @GuardedBy("lock")
  private int[] flags;

  /** The next newer root of the same service, or {@link #NONE}. */
  @GuardedBy("lock")
  private int[] next;

  @GuardedBy("lock")
  private int capacity;

  @GuardedBy("lock")
  private int head;

  @GuardedBy("lock")
  private int size;

  /** The oldest and newest position of each service's chain. */
  @GuardedBy("lock")
  private final Map<String, int[]> byService = new HashMap<>();

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
    synchronized (lock) {
      allocate(Math.min(INITIAL_CAPACITY, maxRoots));
    }
  }

  /** Keeps a root span. */
  void offer(Span span) {
    long now = nanoClock.getAsLong();
    synchronized (lock) {
      forgetOld(now);
      if (size == maxRoots) {
        removeHead();
      }
      if (size == capacity) {
        grow();
      }
      int p = position(size);
      size++;
      write(p, span, now);
      int[] chain = byService.get(span.origin().service());
      if (chain == null) {
        byService.put(span.origin().service(), new int[] {p, p});
      } else {
        next[chain[1]] = p;
        chain[1] = p;
      }
    }
  }

  /** Roots held right now. */
  int held() {
    synchronized (lock) {
      return size;
    }
  }

  /** Claims the closest unmatched root on the caller's peer side, or returns {@code null}. */
  Span match(Span caller) {
    synchronized (lock) {
      forgetOld(nanoClock.getAsLong());
      int best = NONE;
      int[] named = peerRoots(caller.peer());
      if (named != null) {
        best = closest(named[0], caller, NONE, false);
      } else if (caller.operation() != null) {
        // The peer hint names no service seen here: any service may be the callee, but only an
        // exact operation match (an RPC method both sides name) is evidence enough.
        for (int[] chain : byService.values()) {
          best = closest(chain[0], caller, best, true);
        }
      }
      if (best == NONE) {
        return null;
      }
      flags[best] |= MATCHED;
      return span(best);
    }
  }

  /**
   * Roots of the service a peer hint names: {@code pricing}, or a host name such as {@code
   * pricing.prod.svc:8080}.
   */
  @GuardedBy("lock")
  private int[] peerRoots(String peer) {
    if (peer == null) {
      return null;
    }
    int[] roots = byService.get(peer);
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
  private int closest(int first, Span caller, int best, boolean operationRequired) {
    for (int p = first; p != NONE; p = next[p]) {
      if ((flags[p] & MATCHED) == 0
          && compatible(caller, p)
          && (!operationRequired || caller.operation().equals(refs[p * REFS + OPERATION]))
          && (best == NONE || distance(p, caller) < distance(best, caller))) {
        best = p;
      }
    }
    return best;
  }

  @GuardedBy("lock")
  private long distance(int p, Span caller) {
    return Math.abs(nums[p * NUMS + START] - caller.startNanos());
  }

  @GuardedBy("lock")
  private boolean compatible(Span caller, int p) {
    if (!caller.origin().differentSide((Origin) refs[p * REFS + ORIGIN])) {
      return false;
    }
    long start = nums[p * NUMS + START];
    if (start < caller.startNanos() - toleranceNanos
        || start > caller.endNanos() + toleranceNanos) {
      return false;
    }
    Transport a = TransportClassifier.ofHint(caller.protocol());
    Transport b = TransportClassifier.ofHint(PROTOCOLS[(flags[p] >>> PROTOCOL_SHIFT) & ENUM_MASK]);
    if (a != null && b != null && a != b) {
      return false;
    }
    // A client knows the RPC method but not the server's route: compare what both sides name.
    Object operation = refs[p * REFS + OPERATION];
    return caller.operation() == null || operation == null || caller.operation().equals(operation);
  }

  @GuardedBy("lock")
  private void forgetOld(long now) {
    while (size > 0 && now - arrived[head] > keepNanos) {
      removeHead();
    }
  }

  /** Forgets the oldest root, which is also the oldest of its service. */
  @GuardedBy("lock")
  private void removeHead() {
    int p = head;
    String service = ((Origin) refs[p * REFS + ORIGIN]).service();
    int[] chain = byService.get(service);
    if (next[p] == NONE) {
      byService.remove(service);
    } else {
      chain[0] = next[p];
    }
    Arrays.fill(refs, p * REFS, p * REFS + REFS, null);
    head = head + 1 == capacity ? 0 : head + 1;
    size--;
  }

  @GuardedBy("lock")
  private int position(int offsetFromHead) {
    int p = head + offsetFromHead;
    return p < capacity ? p : p - capacity;
  }

  @GuardedBy("lock")
  private void write(int p, Span s, long now) {
    int n = p * NUMS;
    nums[n + TRACE_HI] = s.traceIdHigh();
    nums[n + TRACE_LO] = s.traceIdLow();
    nums[n + SPAN_ID] = s.spanId();
    nums[n + START] = s.startNanos();
    nums[n + END] = s.endNanos();
    nums[n + REQUEST_BYTES] = s.requestBytes();
    nums[n + RESPONSE_BYTES] = s.responseBytes();
    nums[n + ALLOCATED_BYTES] = s.allocatedBytes();
    nums[n + WEIGHT] = Double.doubleToRawLongBits(s.adjustedCount());
    SpanRefs.write(refs, p * REFS, s);
    arrived[p] = now;
    flags[p] =
        s.kind().ordinal() << KIND_SHIFT
            | s.parentLink().ordinal() << LINK_SHIFT
            | s.protocol().ordinal() << PROTOCOL_SHIFT
            | (s.failed() ? FAILED : 0)
            | (s.answered() ? ANSWERED : 0);
    next[p] = NONE;
  }

  /** The root at {@code p} as the span it was offered as (a root: its parent id is 0). */
  @GuardedBy("lock")
  private Span span(int p) {
    int n = p * NUMS;
    int r = p * REFS;
    int f = flags[p];
    return new Span(
        nums[n + TRACE_HI],
        nums[n + TRACE_LO],
        nums[n + SPAN_ID],
        0,
        LINKS[(f >>> LINK_SHIFT) & ENUM_MASK],
        KINDS[(f >>> KIND_SHIFT) & ENUM_MASK],
        (Origin) refs[r + ORIGIN],
        (String) refs[r + NAME],
        nums[n + START],
        nums[n + END],
        (f & FAILED) != 0,
        (String) refs[r + ERROR_CLASS],
        PROTOCOLS[(f >>> PROTOCOL_SHIFT) & ENUM_MASK],
        (String) refs[r + OPERATION],
        (String) refs[r + PEER],
        nums[n + REQUEST_BYTES],
        nums[n + RESPONSE_BYTES],
        nums[n + ALLOCATED_BYTES],
        Double.longBitsToDouble(nums[n + WEIGHT]),
        (f & ANSWERED) != 0);
  }

  /** Grows by half, up to {@code maxRoots}, unwrapping so that the head is position 0. */
  @GuardedBy("lock")
  private void grow() {
    int cap = capacity;
    int newCap = (int) Math.min(maxRoots, cap + (cap >> 1) + 1L);
    // Only a full ring grows: SpanRing's unwrapping copies it oldest first.
    nums = SpanRing.unwrapped(nums, head, cap, new long[newCap * NUMS], NUMS);
    refs = SpanRing.unwrapped(refs, head, cap, new Object[newCap * REFS], REFS);
    arrived = SpanRing.unwrapped(arrived, head, cap, new long[newCap], 1);
    flags = SpanRing.unwrapped(flags, head, cap, new int[newCap], 1);
    next = SpanRing.unwrapped(next, head, cap, new int[newCap], 1);
    for (int i = 0; i < size; i++) {
      if (next[i] != NONE) {
        next[i] = SpanRing.renumbered(next[i], head, cap);
      }
    }
    for (int[] chain : byService.values()) {
      chain[0] = SpanRing.renumbered(chain[0], head, cap);
      chain[1] = SpanRing.renumbered(chain[1], head, cap);
    }
    head = 0;
    capacity = newCap;
  }

  @GuardedBy("lock")
  private void allocate(int newCapacity) {
    capacity = newCapacity;
    nums = new long[newCapacity * NUMS];
    refs = new Object[newCapacity * REFS];
    arrived = new long[newCapacity];
    flags = new int[newCapacity];
    next = new int[newCapacity];
  }
}
