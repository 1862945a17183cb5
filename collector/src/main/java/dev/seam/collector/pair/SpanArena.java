package dev.seam.collector.pair;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.model.Transport;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The spans one shard of the {@link PairingStore} holds, packed into two flat arrays used as a
 * ring in arrival order, with two open-addressing indexes over it. Not thread-safe: the shard's
 * lock guards it. The store decides what the entries mean; this class only keeps them.
 *
 * <p><b>Why flat arrays.</b> A held span used to cost a map entry, a key record, a slot object
 * and the 128-byte {@link Span} record itself, about 270 bytes, and the store holds up to a
 * million of them. Here a span is one <em>position</em> p: seven {@code long}s at {@code p *
 * NUMS} in {@code nums} (its ids, its start, its duration and arrival, its packed enums and
 * flags and a chain link) and six references at {@code p * REFS} in {@code refs} (origin, name,
 * error class, operation and peer, which the decoder shares between spans, and one attachment),
 * 80 bytes in all plus its share of the indexes. Nothing is allocated to hold a span; a {@link
 * Span} is rebuilt from the arrays only when the listener is told about it ({@link #span}).
 *
 * <p>The fields of one span sit side by side rather than in one array per field: a lookup
 * reads a span at a random position (its key, to confirm an index hit; all of it, to rebuild
 * it), and side by side that is two or three cache lines instead of fifteen; appending writes
 * two sequential streams per shard instead of fifteen.
 *
 * <p><b>Why a ring.</b> Entries are appended at the tail as they arrive and leave from the head
 * (expiry and eviction both take the oldest first), so nothing is ever moved and the ring is
 * always in arrival order. An entry that has ended ahead of its turn cannot exist: the only part
 * that ends early is a wait (its parent came), and a position whose candidate-parent part is
 * already gone must be the head, because that part leaves only from the head. So the store pops
 * such a dead head at once and every position between head and tail is live. The ring starts
 * small (an idle shard costs about 22 KB) and grows by half, copying and renumbering the positions
 * the indexes hold, only up to the shard's bound plus one: a shard never holds more spans than
 * entries, and the newest span is appended before the overflow it causes is evicted.
 *
 * <p><b>Indexes.</b> Both are {@code int[]} tables with linear probing, backward-shift deletion
 * (no tombstones, so probe runs never grow stale) and a load of at most 0.6. The keys stay in
 * {@code nums}; an entry is a position plus a few bits of its key's hash, which spare most
 * probes a cache miss on the spans ({@link Index} says how). {@code byId} finds a held span by
 * (trace, span id). {@code byParent} finds, by (trace, parent id), the children waiting for a
 * parent that has not arrived. The children of one parent form a circular list through their
 * chain links in arrival order, and the index holds its newest member, whose successor is the
 * oldest: so appending a child, taking the oldest (expiry and eviction, which work from the
 * ring's head, always meet a chain's oldest first) and taking the whole chain when the parent
 * arrives are all constant time, even for a parent with thousands of waiting callees.
 */
final class SpanArena {

  /** No position: the end of a detached waiting chain, or a failed lookup. */
  static final int NONE = -1;

  // The longs of position p, at nums[p * NUMS + field].
  private static final int TRACE_HI = 0;
  private static final int TRACE_LO = 1;
  private static final int SPAN_ID = 2;
  private static final int PARENT_ID = 3;
  private static final int START = 4;
  /**
   * High half: endNanos - startNanos when that fits in an int (spans under 2.1 s; start +
   * duration gives the end back in wrapping arithmetic whatever the clocks said), else the end
   * is in the {@link Extras}. Low half: the arrival tick (see {@link PairingStore}).
   */
  private static final int DURATION_ARRIVED = 5;
  /** High half: the bits below. Low half: the next newer sibling, for a waiting span. */
  private static final int BITS_NEXT = 6;
  private static final int NUMS = 7;

  // The references of position p, at refs[p * REFS + field].
  private static final int ORIGIN = 0;
  private static final int NAME = 1;
  private static final int ERROR_CLASS = 2;
  private static final int OPERATION = 3;
  private static final int PEER = 4;
  /**
   * null; an {@link Extras}; once the span is a half of an edge, that {@link EdgeLink}, its
   * first; or a {@link Paired} when it needs more than one of these.
   */
  private static final int ATTACHMENT = 5;
  private static final int REFS = 6;

  // The bits: three enums and two booleans of the span, then the entry's state.
  private static final int KIND_MASK = 0x7;
  private static final int LINK_SHIFT = 3;
  private static final int LINK_MASK = 0x3;
  private static final int PROTOCOL_SHIFT = 5;
  private static final int PROTOCOL_MASK = 0x7;
  private static final int FAILED = 1 << 8;
  private static final int ANSWERED = 1 << 9;
  /** The span is held as a candidate parent and can be found in {@code byId}. */
  static final int OWN = 1 << 10;
  /** The span waits for its parent in {@code byParent}. */
  static final int WAIT = 1 << 11;
  /** A child that crossed found this span as its parent. */
  static final int PAIRED = 1 << 12;
  /** The span is a half of an edge: it has a first {@link EdgeLink}. */
  private static final int EDGE = 1 << 13;
  /** With {@link #EDGE}: this span is the callee of its first edge, else its caller. */
  private static final int CALLEE = 1 << 14;
  /** The span has {@link Extras}: the attachment, or in its {@link Paired}. */
  private static final int EXTRAS = 1 << 15;

  private static final SpanKind[] KINDS = SpanKind.values();
  private static final ParentLink[] LINKS = ParentLink.values();
  private static final ProtocolHint[] PROTOCOLS = ProtocolHint.values();

  static {
    if (KINDS.length > KIND_MASK + 1 || LINKS.length > LINK_MASK + 1 || PROTOCOLS.length > PROTOCOL_MASK + 1) {
      throw new ExceptionInInitializerError("an enum outgrew its bits in SpanArena");
    }
  }

  private static final long LOW_INT = 0xFFFF_FFFFL;
  private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);
  private static final int MAX_INDEX_CAPACITY = 1 << 30;
  /** Most positions a ring can have: its {@code nums} must stay a Java array. */
  static final int MAX_CAPACITY = (Integer.MAX_VALUE - 8) / NUMS;

  /**
   * What most spans do not need: the four numbers that are nearly always "not known" (-1) and
   * "stands for itself" (1.0), and the end of a span that lasted 2.1 s or more. Keeping them
   * inline would cost 32 more bytes on every span; a span that needs any of them pays for this
   * object instead.
   */
  private record Extras(long endNanos, long requestBytes, long responseBytes, long allocatedBytes, double adjustedCount) {}

  /**
   * An edge as its halves keep it: their arrival numbers rather than the {@link Edge} itself,
   * whose two {@link Span}s would cost 256 bytes for as long as either half is held, while the
   * ring has both spans anyway. An equal {@link Edge} is rebuilt from the ring when an error log
   * names a half ({@link #edge}). The ring gives up its spans oldest first, so the older half
   * always leaves first; if the newer one still counts its error logs against this edge, the
   * older leaves a rebuilt copy of itself here ({@link #popHead}). An edge is found from its
   * older half as that half's first edge, or else through the half's {@link Paired#olderOf}.
   */
  static final class EdgeLink {
    final long callerSerial;
    final long calleeSerial;
    final Transport transport;
    /** The older half, once it has left the ring, or null. */
    Span departed;
    /** The next edge whose older half is the same span. */
    EdgeLink nextOfOlder;

    EdgeLink(long callerSerial, long calleeSerial, Transport transport) {
      this.callerSerial = callerSerial;
      this.calleeSerial = calleeSerial;
      this.transport = transport;
    }
  }

  /**
   * The attachment of a span that needs more than an {@link Extras} or one {@link EdgeLink}:
   * most paired spans are the half of one edge and have no extras, and do without it.
   */
  private static final class Paired {
    /** Its first edge (error logs naming it count against that one, as before), or null. */
    EdgeLink first;
    /** Edges it is the older half of, other than {@link #first}, via {@link EdgeLink#nextOfOlder}. */
    EdgeLink olderOf;
    Extras extras;
  }

  private final int maxCapacity;
  private long[] nums;
  private Object[] refs;
  /** Positions the ring has now. */
  private int capacity;

  /** Random per arena, so that ids crafted to collide in one collector need not in another. */
  private final long seed = ThreadLocalRandom.current().nextLong();
  /** Bits of an index entry that hold position + 1: enough for the ring's capacity. */
  private int posBits;
  /** Bits of an index entry's {@link #fingerprint} taken from the home slot, and from the hash's top. */
  private int homeBits;
  private int tagBits;

  private int head;
  private int size;
  /** Arrival number of the head; the entry at offset i from the head has number headSerial + i. */
  private long headSerial;

  private final Index byId = new Index(false, 16);
  private final Index byParent = new Index(true, 16);

  /**
   * @param initialCapacity positions to start with
   * @param maxCapacity positions the ring may grow to, at most {@link #MAX_CAPACITY}; appending
   *     beyond it is a caller's bug
   */
  SpanArena(int initialCapacity, int maxCapacity) {
    this.maxCapacity = Math.min(maxCapacity, MAX_CAPACITY);
    capacity = Math.min(initialCapacity, this.maxCapacity);
    nums = new long[capacity * NUMS];
    refs = new Object[capacity * REFS];
    setPositionBits(capacity);
    byId.resize(indexCapacityFor(capacity));
  }

  // --- the ring ---

  int size() {
    return size;
  }

  /** Position of the oldest entry; meaningful only when {@link #size} is positive. */
  int head() {
    return head;
  }

  /** Arrival number of the oldest entry. */
  long headSerial() {
    return headSerial;
  }

  /** Arrival number the next appended entry will get. */
  long tailSerial() {
    return headSerial + size;
  }

  private int ringPosition(int offsetFromHead) {
    int p = head + offsetFromHead;
    return p < capacity ? p : p - capacity;
  }

  /**
   * Appends a span as the youngest entry, held as a candidate parent ({@link #OWN}). Positions
   * returned earlier are stale afterwards if the ring grew.
   *
   * @return its position
   */
  int append(Span s, int arrivedTick) {
    if (size == capacity) {
      grow();
    }
    int p = ringPosition(size);
    long d = s.endNanos() - s.startNanos();
    boolean longSpan = (int) d != d;
    int b = s.kind().ordinal() | s.parentLink().ordinal() << LINK_SHIFT | s.protocol().ordinal() << PROTOCOL_SHIFT | OWN;
    if (s.failed()) {
      b |= FAILED;
    }
    if (s.answered()) {
      b |= ANSWERED;
    }
    Object extras = null;
    if (longSpan || s.requestBytes() != -1 || s.responseBytes() != -1 || s.allocatedBytes() != -1
        || Double.doubleToRawLongBits(s.adjustedCount()) != ONE_BITS) {
      extras = new Extras(s.endNanos(), s.requestBytes(), s.responseBytes(), s.allocatedBytes(), s.adjustedCount());
      b |= EXTRAS;
    }
    int n = p * NUMS;
    nums[n + TRACE_HI] = s.traceIdHigh();
    nums[n + TRACE_LO] = s.traceIdLow();
    nums[n + SPAN_ID] = s.spanId();
    nums[n + PARENT_ID] = s.parentSpanId();
    nums[n + START] = s.startNanos();
    nums[n + DURATION_ARRIVED] = d << 32 | (arrivedTick & LOW_INT);
    nums[n + BITS_NEXT] = (long) b << 32 | (NONE & LOW_INT);
    int r = p * REFS;
    refs[r + ORIGIN] = s.origin();
    refs[r + NAME] = s.name();
    refs[r + ERROR_CLASS] = s.errorClass();
    refs[r + OPERATION] = s.operation();
    refs[r + PEER] = s.peer();
    refs[r + ATTACHMENT] = extras;
    size++;
    byId.insert(p);
    return p;
  }

  /**
   * Removes the oldest entry, whose parts the caller has ended ({@link #dropOwn}, {@link
   * #dropOldestWait}), and lets go of what it referenced.
   */
  void popHead() {
    int p = head;
    assert (bits(p) & (OWN | WAIT)) == 0 : "popping a live entry";
    Object attachment = refs[p * REFS + ATTACHMENT];
    if (attachment instanceof EdgeLink || attachment instanceof Paired) {
      leaveCopies(p);
    }
    Arrays.fill(refs, p * REFS, p * REFS + REFS, null);
    head = p + 1 == capacity ? 0 : p + 1;
    size--;
    headSerial++;
  }

  /**
   * Before the head at {@code p} leaves: gives each edge it is the older half of, and that the
   * newer half still counts its error logs against, a copy of this span (one for all of them,
   * as those edges shared one span object when they formed).
   */
  private void leaveCopies(int p) {
    long self = headSerial;
    Span copy = null;
    EdgeLink first = first(p);
    if (first != null && Math.min(first.callerSerial, first.calleeSerial) == self) {
      copy = leaveCopy(p, first, copy);
    }
    if (refs[p * REFS + ATTACHMENT] instanceof Paired paired) {
      for (EdgeLink link = paired.olderOf; link != null; link = link.nextOfOlder) {
        copy = leaveCopy(p, link, copy);
      }
    }
  }

  private Span leaveCopy(int p, EdgeLink link, Span copy) {
    if (first(positionOf(Math.max(link.callerSerial, link.calleeSerial))) != link) {
      return copy; // the newer half counts its logs against another edge
    }
    if (copy == null) {
      copy = span(p);
    }
    link.departed = copy;
    return copy;
  }

  /**
   * Grows the ring by half (up to its bound), unwrapping it so the head is position 0, and
   * renumbers every position the indexes and the waiting chains hold. By half rather than double:
   * a full store is most of Seam's heap, and a ring that doubled would sit 30% empty on average
   * (15% here) for one more copy now and then.
   */
  private void grow() {
    int cap = capacity;
    int newCap = (int) Math.min(maxCapacity, cap + (cap >> 1) + 1L);
    if (newCap <= cap) {
      throw new IllegalStateException("pairing ring is full at " + cap + " positions");
    }
    // The ring is full: copying it oldest first makes every old position p (p - head) mod cap.
    nums = unwrapped(nums, new long[newCap * NUMS], NUMS);
    refs = unwrapped(refs, new Object[newCap * REFS], REFS);
    int oldHead = head;
    int oldPosBits = posBits;
    head = 0;
    capacity = newCap;
    setPositionBits(newCap);
    byId.renumber(oldHead, cap, oldPosBits);
    byParent.renumber(oldHead, cap, oldPosBits);
    for (int p = 0; p < size; p++) {
      if ((bits(p) & WAIT) != 0) {
        setNext(p, renumbered(next(p), oldHead, cap));
      }
    }
  }

  /** Copies a full ring's array, {@code stride} slots a position, into {@code dst} oldest first. */
  private <A> A unwrapped(A src, A dst, int stride) {
    int split = (capacity - head) * stride;
    System.arraycopy(src, head * stride, dst, 0, split);
    System.arraycopy(src, 0, dst, split, head * stride);
    return dst;
  }

  private static int renumbered(int p, int oldHead, int cap) {
    int q = p - oldHead;
    return q < 0 ? q + cap : q;
  }

  /**
   * Moves every arrival {@code delta} ticks earlier, never below {@code floor} (see {@link
   * PairingStore}: the shard's tick epoch moved forward by {@code delta}).
   */
  void shiftArrivals(long delta, int floor) {
    for (int i = 0; i < size; i++) {
      int n = ringPosition(i) * NUMS + DURATION_ARRIVED;
      int shifted = (int) Math.max((int) nums[n] - delta, floor);
      nums[n] = nums[n] & ~LOW_INT | (shifted & LOW_INT);
    }
  }

  // --- one entry ---

  private int bits(int p) {
    return (int) (nums[p * NUMS + BITS_NEXT] >>> 32);
  }

  private void setBits(int p, int b) {
    int n = p * NUMS + BITS_NEXT;
    nums[n] = (long) b << 32 | (nums[n] & LOW_INT);
  }

  /** The chain link of a waiting span. */
  private int next(int p) {
    return (int) nums[p * NUMS + BITS_NEXT];
  }

  private void setNext(int p, int next) {
    int n = p * NUMS + BITS_NEXT;
    nums[n] = nums[n] & ~LOW_INT | (next & LOW_INT);
  }

  int arrived(int p) {
    return (int) nums[p * NUMS + DURATION_ARRIVED];
  }

  boolean has(int p, int flags) {
    return (bits(p) & flags) != 0;
  }

  void markPaired(int p) {
    setBits(p, bits(p) | PAIRED);
  }

  Origin origin(int p) {
    return (Origin) refs[p * REFS + ORIGIN];
  }

  SpanKind kind(int p) {
    return KINDS[bits(p) & KIND_MASK];
  }

  ParentLink parentLink(int p) {
    return LINKS[bits(p) >>> LINK_SHIFT & LINK_MASK];
  }

  ProtocolHint protocol(int p) {
    return PROTOCOLS[bits(p) >>> PROTOCOL_SHIFT & PROTOCOL_MASK];
  }

  long traceHi(int p) {
    return nums[p * NUMS + TRACE_HI];
  }

  long traceLo(int p) {
    return nums[p * NUMS + TRACE_LO];
  }

  long spanId(int p) {
    return nums[p * NUMS + SPAN_ID];
  }

  /** Arrival number of the entry at {@code p}. */
  private long serialOf(int p) {
    int offset = p - head;
    return headSerial + (offset < 0 ? offset + capacity : offset);
  }

  /** Position of the entry with arrival number {@code serial}, which must still be held. */
  private int positionOf(long serial) {
    return ringPosition((int) (serial - headSerial));
  }

  /** The attachment of {@code p} as a {@link Paired}, made one if it was not yet. */
  private Paired paired(int p) {
    int r = p * REFS + ATTACHMENT;
    Object attachment = refs[r];
    if (attachment instanceof Paired paired) {
      return paired;
    }
    Paired paired = new Paired();
    if (attachment instanceof EdgeLink link) {
      paired.first = link;
    } else {
      paired.extras = (Extras) attachment;
    }
    refs[r] = paired;
    return paired;
  }

  /** The first edge of the span at {@code p}, or null. */
  private EdgeLink first(int p) {
    Object attachment = refs[p * REFS + ATTACHMENT];
    return attachment instanceof EdgeLink link ? link : attachment instanceof Paired paired ? paired.first : null;
  }

  /** Whether the span at {@code p} is a half of an edge already. */
  boolean hasEdge(int p) {
    return (bits(p) & EDGE) != 0;
  }

  /**
   * Records an edge between the spans at two positions, and makes it the first edge of each
   * half that says so (a half's first edge is the one its error logs count against). For the
   * callee, {@code calleePos} is the position error logs naming it find: the one that holds it
   * as a candidate parent.
   */
  void link(int callerPos, boolean callerFirst, int calleePos, boolean calleeFirst, Transport transport) {
    long caller = serialOf(callerPos);
    long callee = serialOf(calleePos);
    EdgeLink link = new EdgeLink(caller, callee, transport);
    if (callerFirst) {
      attachFirst(callerPos, link, 0);
    }
    if (calleeFirst) {
      attachFirst(calleePos, link, CALLEE);
    }
    if (caller < callee ? !callerFirst : !calleeFirst) {
      Paired older = paired(caller < callee ? callerPos : calleePos);
      link.nextOfOlder = older.olderOf;
      older.olderOf = link;
    }
  }

  private void attachFirst(int p, EdgeLink link, int side) {
    int r = p * REFS + ATTACHMENT;
    if (refs[r] == null) {
      refs[r] = link;
    } else {
      paired(p).first = link;
    }
    setBits(p, bits(p) | EDGE | side);
  }

  /** Which half of its first edge the span at {@code p} is. */
  Side edgeSide(int p) {
    return (bits(p) & CALLEE) != 0 ? Side.CALLEE : Side.CALLER;
  }

  /**
   * The first edge of the span at {@code p}, rebuilt: equal to the one reported when it formed,
   * its halves rebuilt from the ring or, for an older half that has left, its copy.
   */
  Edge edge(int p) {
    EdgeLink link = first(p);
    boolean callerOlder = link.callerSerial < link.calleeSerial;
    Span caller = callerOlder && link.departed != null ? link.departed : span(positionOf(link.callerSerial));
    Span callee = !callerOlder && link.departed != null ? link.departed : span(positionOf(link.calleeSerial));
    return new Edge(caller, callee, link.transport);
  }

  /**
   * The span at {@code p}, for the listener, rebuilt from the arrays: equal field by field to
   * the span that was offered.
   */
  Span span(int p) {
    int b = bits(p);
    int n = p * NUMS;
    int r = p * REFS;
    long start = nums[n + START];
    long endNanos = start + (nums[n + DURATION_ARRIVED] >> 32);
    long requestBytes = -1;
    long responseBytes = -1;
    long allocatedBytes = -1;
    double adjustedCount = 1.0;
    if ((b & EXTRAS) != 0) {
      Object attachment = refs[r + ATTACHMENT];
      Extras x = attachment instanceof Paired paired ? paired.extras : (Extras) attachment;
      endNanos = x.endNanos();
      requestBytes = x.requestBytes();
      responseBytes = x.responseBytes();
      allocatedBytes = x.allocatedBytes();
      adjustedCount = x.adjustedCount();
    }
    return new Span(nums[n + TRACE_HI], nums[n + TRACE_LO], nums[n + SPAN_ID], nums[n + PARENT_ID], parentLink(p), kind(p),
        (Origin) refs[r + ORIGIN], (String) refs[r + NAME], start, endNanos, (b & FAILED) != 0, (String) refs[r + ERROR_CLASS],
        protocol(p), (String) refs[r + OPERATION], (String) refs[r + PEER], requestBytes, responseBytes, allocatedBytes, adjustedCount,
        (b & ANSWERED) != 0);
  }

  // --- candidate parents: byId ---

  /** Position of the span held as a candidate parent under this key, or {@link #NONE}. */
  int find(long traceHigh, long traceLow, long id) {
    int slot = byId.slotOf(traceHigh, traceLow, id);
    return slot < 0 ? NONE : byId.positionAt(slot);
  }

  /** Ends the candidate-parent part of {@code p}: it can no longer be found. */
  void dropOwn(int p) {
    setBits(p, bits(p) & ~OWN);
    byId.remove(byId.slotOf(traceHi(p), traceLo(p), spanId(p)));
  }

  // --- waiting children: byParent and the chain links ---

  private long parentId(int p) {
    return nums[p * NUMS + PARENT_ID];
  }

  /** Makes {@code p} wait for its parent, as the newest of that parent's waiting children. */
  void addWait(int p) {
    setBits(p, bits(p) | WAIT);
    int slot = byParent.slotOf(traceHi(p), traceLo(p), parentId(p));
    if (slot < 0) {
      setNext(p, p); // a chain of one is its own successor
      byParent.insert(p);
    } else {
      int newest = byParent.positionAt(slot);
      setNext(p, next(newest)); // the oldest
      setNext(newest, p);
      byParent.setPositionAt(slot, p);
    }
  }

  /**
   * Takes every child waiting for the span with this key out of the index, clearing their
   * {@link #WAIT} flags.
   *
   * @return the oldest of them, followed through {@link #nextTaken} in arrival order, or {@link
   *     #NONE}
   */
  int takeWaiting(long traceHigh, long traceLow, long id) {
    int slot = byParent.slotOf(traceHigh, traceLow, id);
    if (slot < 0) {
      return NONE;
    }
    int newest = byParent.positionAt(slot);
    byParent.remove(slot);
    int oldest = next(newest);
    setNext(newest, NONE); // the chain becomes a list ending at its newest
    for (int c = oldest; c != NONE; c = next(c)) {
      setBits(c, bits(c) & ~WAIT);
    }
    return oldest;
  }

  /** The next newer child after {@code p} in a chain from {@link #takeWaiting}, or {@link #NONE}. */
  int nextTaken(int p) {
    return next(p);
  }

  /**
   * Ends the wait of {@code p}, which must be the oldest waiting for its parent: expiry and
   * eviction only end the wait of the ring's head, and nothing in a chain is older than that.
   */
  void dropOldestWait(int p) {
    setBits(p, bits(p) & ~WAIT);
    int slot = byParent.slotOf(traceHi(p), traceLo(p), parentId(p));
    int newest = byParent.positionAt(slot);
    assert next(newest) == p : "a wait ended out of arrival order";
    if (newest == p) {
      byParent.remove(slot);
    } else {
      setNext(newest, next(p));
    }
  }

  // --- the indexes ---

  private static int indexCapacityFor(int entries) {
    int cap = 16;
    while (cap < MAX_INDEX_CAPACITY && (long) entries * 5 > (long) cap * 3) {
      cap <<= 1;
    }
    return cap;
  }

  /** 32 well-mixed bits of a key (murmur3's 64-bit finalizer over the three ids and a seed). */
  private int hash(long traceHigh, long traceLow, long id) {
    long h = traceLow * 0x9E3779B97F4A7C15L + id;
    h ^= traceHigh ^ seed;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) h;
  }

  /**
   * The bits of a key's hash an index entry keeps above its position: the low {@link #homeBits}
   * bits (those of its home slot), then as many of the hash's top bits as fit.
   */
  private int fingerprint(int h) {
    int home = h & ((1 << homeBits) - 1);
    return tagBits == 0 ? home : home | (h >>> (32 - tagBits)) << homeBits;
  }

  /** At most this many low bits of the home slot are kept: distances up to 255 are told exactly. */
  private static final int HOME_BITS = 8;

  /** Sets {@link #posBits} for a ring of {@code capacity} positions, and the fingerprint's parts. */
  private void setPositionBits(int capacity) {
    posBits = 32 - Integer.numberOfLeadingZeros(capacity);
    homeBits = Math.min(HOME_BITS, 32 - posBits);
    tagBits = 32 - posBits - homeBits;
  }

  /**
   * Linear-probing table from a key held in {@code nums} (trace and span id, or trace and parent
   * id) to a position: one entry per key in {@code byId}, one per waiting chain in {@code
   * byParent}.
   *
   * <p>An entry is an {@code int}: position + 1 in the low {@link #posBits} bits (0 is an empty
   * slot) and a {@link #fingerprint} of the key's hash above them. That is why the table is fast
   * although the keys live elsewhere: a probe compares fingerprints first, so it reads a key (a
   * cache miss at a random position) almost only for the key it is looking for; and deletion
   * finds each later entry's home slot from the fingerprint's low bits, which give its distance
   * from home exactly while that is under 256. At a load of 0.6 a longer distance has odds of
   * about e^-28 per entry; should one occur, {@link #farEntries} records it and deletion reads
   * the keys instead until the table is rebuilt.
   */
  private final class Index {
    private final boolean byParentId;
    private int[] table;
    private int count;
    private boolean farEntries;

    Index(boolean byParentId, int capacity) {
      this.byParentId = byParentId;
      this.table = new int[capacity];
    }

    private int hashOf(int p) {
      return hash(traceHi(p), traceLo(p), byParentId ? parentId(p) : spanId(p));
    }

    /** The position in {@code slot}, which holds an entry. */
    int positionAt(int slot) {
      return (table[slot] & ((1 << posBits) - 1)) - 1;
    }

    /** Points {@code slot}, which holds an entry, at {@code p}, whose key is the same. */
    void setPositionAt(int slot, int p) {
      table[slot] = (table[slot] & -(1 << posBits)) | (p + 1);
    }

    /** The slot holding this key, or -1. */
    int slotOf(long traceHigh, long traceLow, long id) {
      int h = hash(traceHigh, traceLow, id);
      int mask = table.length - 1;
      int posMask = (1 << posBits) - 1;
      int wanted = fingerprint(h) << posBits;
      for (int i = h & mask; ; i = (i + 1) & mask) {
        int e = table[i];
        if (e == 0) {
          return -1;
        }
        if ((e & ~posMask) == wanted) {
          int n = ((e & posMask) - 1) * NUMS;
          if (nums[n + TRACE_LO] == traceLow && nums[n + (byParentId ? PARENT_ID : SPAN_ID)] == id && nums[n + TRACE_HI] == traceHigh) {
            return i;
          }
        }
      }
    }

    /** Adds position {@code p}, whose key is not in the table yet. */
    void insert(int p) {
      if ((long) (count + 1) * 5 > (long) table.length * 3 && table.length < MAX_INDEX_CAPACITY) {
        resize(table.length << 1);
      }
      place(p, hashOf(p));
      count++;
    }

    private void place(int p, int h) {
      int mask = table.length - 1;
      int home = h & mask;
      int i = home;
      while (table[i] != 0) {
        i = (i + 1) & mask;
      }
      table[i] = fingerprint(h) << posBits | (p + 1);
      if (((i - home) & mask) >= 1 << homeBits) {
        farEntries = true;
      }
    }

    /** How far the entry in {@code slot} is from its home slot. */
    private int distance(int slot) {
      int mask = table.length - 1;
      int e = table[slot];
      if (farEntries) {
        return (slot - hashOf((e & ((1 << posBits) - 1)) - 1)) & mask;
      }
      return (slot - (e >>> posBits)) & mask & ((1 << homeBits) - 1);
    }

    /**
     * Empties {@code slot}, then pulls back each later entry of its probe run whose home is not
     * after the gap, so every key stays reachable from its home without tombstones.
     */
    void remove(int slot) {
      int mask = table.length - 1;
      int gap = slot;
      for (int j = (gap + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
        if (distance(j) >= ((j - gap) & mask)) {
          table[gap] = table[j];
          gap = j;
        }
      }
      table[gap] = 0;
      count--;
    }

    /** Rebuilds the table at a new size, from the keys (a rare, amortized pass). */
    void resize(int capacity) {
      int[] old = table;
      table = new int[capacity];
      farEntries = false;
      int posMask = (1 << posBits) - 1;
      for (int e : old) {
        if (e != 0) {
          int p = (e & posMask) - 1;
          place(p, hashOf(p));
        }
      }
    }

    /**
     * After the ring unwrapped and grew: the keys, and so the slots, are unchanged; each entry
     * gets its new position, and its fingerprint loses the top bits that no longer fit.
     */
    void renumber(int oldHead, int cap, int oldPosBits) {
      int oldPosMask = (1 << oldPosBits) - 1;
      int oldHomeBits = Math.min(HOME_BITS, 32 - oldPosBits);
      for (int i = 0; i < table.length; i++) {
        int e = table[i];
        if (e != 0) {
          int fp = e >>> oldPosBits;
          int home = fp & ((1 << oldHomeBits) - 1);
          int tag = fp >>> oldHomeBits;
          int oldTagBits = 32 - oldPosBits - oldHomeBits;
          // The top bits of the hash stay the top bits; the home's low bits stay its low bits.
          int newFp = (home & ((1 << homeBits) - 1)) | (tagBits == 0 ? 0 : (tag >>> (oldTagBits - tagBits)) << homeBits);
          if (homeBits < oldHomeBits && !farEntries && (((i - home) & (table.length - 1) & ((1 << oldHomeBits) - 1)) >= 1 << homeBits)) {
            farEntries = true;
          }
          table[i] = newFp << posBits | (renumbered((e & oldPosMask) - 1, oldHead, cap) + 1);
        }
      }
    }
  }
}
