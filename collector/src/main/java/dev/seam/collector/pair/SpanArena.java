package dev.seam.collector.pair;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.model.Transport;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The spans one shard of the {@link PairingStore} holds, as the store sees them: a {@link SpanRing}
 * in arrival order, a {@link SpanIndex} of candidate parents by (trace, span id), the {@link
 * WaitingChildren} by (trace, parent id) and the {@link EdgeLinks} between held spans. Not
 * thread-safe: the shard's lock guards it. The store decides what the entries mean; this class only
 * keeps them.
 *
 * <p>A position carries up to two parts: the span as a candidate parent ({@link #OWN}) and, for a
 * child that crossed before its parent came, its wait ({@link #WAIT}). Entries leave from the head
 * (expiry and eviction both take the oldest first), and an entry that has ended ahead of its turn
 * cannot exist: the only part that ends early is a wait (its parent came), and a position whose
 * candidate-parent part is already gone must be the head, because that part leaves only from the
 * head. So the store pops such a dead head at once and every position between head and tail is
 * live. The ring starts small (an idle shard costs about 22 KB) and grows only up to the shard's
 * bound plus one: a shard never holds more spans than entries, and the newest span is appended
 * before the overflow it causes is evicted.
 */
final class SpanArena {

  /** No position: the end of a detached waiting chain, or a failed lookup. */
  static final int NONE = SpanRing.NONE;

  /** The span is held as a candidate parent and can be found with {@link #find}. */
  static final int OWN = EntryCodec.OWN;

  /** The span waits for its parent. */
  static final int WAIT = EntryCodec.WAIT;

  /** A child that crossed found this span as its parent. */
  static final int PAIRED = EntryCodec.PAIRED;

  /** The span came from a replayed Kafka record ({@link Replay}). */
  static final int REPLAYED = EntryCodec.REPLAYED;

  /** Nothing about the span is reported ({@link Replay#CONTEXT}). */
  static final int SILENT = EntryCodec.SILENT;

  /** The span's first edge joins two replayed halves and was counted before. */
  static final int UNCOUNTED_EDGE = EntryCodec.UNCOUNTED_EDGE;

  /** Most positions a ring can have. */
  static final int MAX_CAPACITY = SpanRing.MAX_CAPACITY;

  private final SpanRing ring;
  private final SpanIndex byId;
  private final WaitingChildren waiting;
  private final EdgeLinks edges;

  /**
   * @param initialCapacity positions to start with
   * @param maxCapacity positions the ring may grow to, at most {@link #MAX_CAPACITY}; appending
   *     beyond it is a caller's bug
   */
  SpanArena(int initialCapacity, int maxCapacity) {
    ring = new SpanRing(initialCapacity, maxCapacity);
    long seed = ThreadLocalRandom.current().nextLong();
    byId = new SpanIndex(ring, SpanRing.SPAN_ID, seed, ring.capacity());
    waiting = new WaitingChildren(ring, seed);
    edges = new EdgeLinks(ring);
  }

  // --- the ring ---

  int size() {
    return ring.size();
  }

  /** Position of the oldest entry; meaningful only when {@link #size} is positive. */
  int head() {
    return ring.head();
  }

  /** Arrival number of the oldest entry. */
  long headSerial() {
    return ring.headSerial();
  }

  /** Arrival number the next appended entry will get. */
  long tailSerial() {
    return ring.tailSerial();
  }

  /** Position of the entry {@code offsetFromHead} entries after the head. */
  int positionAt(int offsetFromHead) {
    return ring.positionAt(offsetFromHead);
  }

  /**
   * Whether the ring is full and may not grow: only after {@link PairingStore#forget} left
   * positions with no part between head and tail, since a shard holds no more live positions than
   * entries.
   */
  boolean fullAtBound() {
    return ring.isFull() && !ring.canGrow();
  }

  /**
   * Appends a span as the youngest entry, held as a candidate parent ({@link #OWN}). Positions
   * returned earlier are stale afterwards if the ring grew.
   *
   * @param state {@link #REPLAYED} and {@link #SILENT} as its {@link Replay} says, or 0
   * @return its position
   */
  int append(Span s, int arrivedTick, int state) {
    if (ring.isFull()) {
      grow();
    }
    SpanExtras extras = SpanExtras.of(s);
    int bits = EntryCodec.bitsOf(s) | OWN | state;
    if (extras != null) {
      bits |= EntryCodec.EXTRAS;
    }
    int p = ring.append(s, arrivedTick, bits, extras);
    byId.insert(p);
    return p;
  }

  /**
   * Removes the oldest entry, whose parts the caller has ended ({@link #dropOwn}, {@link
   * #dropOldestWait}), and lets go of what it referenced.
   */
  void popHead() {
    assert (ring.bits(ring.head()) & (OWN | WAIT)) == 0 : "popping a live entry";
    edges.beforeHeadLeaves();
    ring.popHead();
  }

  /** Grows the ring and renumbers every position the indexes and the waiting chains hold. */
  private void grow() {
    int oldHead = ring.head();
    int oldCapacity = ring.capacity();
    ring.grow();
    byId.renumber(oldHead, oldCapacity);
    waiting.renumber(oldHead, oldCapacity);
  }

  /**
   * Moves every arrival {@code delta} ticks earlier, never below {@code floor} (the shard's {@link
   * TickClock} moved its epoch forward by {@code delta}).
   */
  void shiftArrivals(long delta, int floor) {
    ring.shiftArrivals(delta, floor);
  }

  // --- one entry ---

  int arrived(int p) {
    return ring.arrived(p);
  }

  boolean has(int p, int flags) {
    return (ring.bits(p) & flags) != 0;
  }

  void markPaired(int p) {
    ring.setBits(p, ring.bits(p) | PAIRED);
  }

  Origin origin(int p) {
    return ring.origin(p);
  }

  SpanKind kind(int p) {
    return EntryCodec.kind(ring.bits(p));
  }

  ParentLink parentLink(int p) {
    return EntryCodec.parentLink(ring.bits(p));
  }

  ProtocolHint protocol(int p) {
    return EntryCodec.protocol(ring.bits(p));
  }

  long traceHi(int p) {
    return ring.traceHi(p);
  }

  long traceLo(int p) {
    return ring.traceLo(p);
  }

  long spanId(int p) {
    return ring.spanId(p);
  }

  long parentId(int p) {
    return ring.parentId(p);
  }

  /**
   * The span at {@code p}, for the listener, rebuilt from the arrays: equal field by field to the
   * span that was offered.
   */
  Span span(int p) {
    return ring.span(p);
  }

  // --- edges ---

  /** Whether the span at {@code p} is a half of an edge already. */
  boolean hasEdge(int p) {
    return edges.hasEdge(p);
  }

  /**
   * Records an edge between the spans at two positions, and makes it the first edge of each half
   * that says so (a half's first edge is the one its error logs count against). For the callee,
   * {@code calleePos} is the position error logs naming it find: the one that holds it as a
   * candidate parent.
   *
   * @param uncounted whether both halves are replayed, so the edge was counted before
   * @return the edge as its halves keep it
   */
  EdgeLinks.Link link(
      int callerPos,
      boolean callerFirst,
      int calleePos,
      boolean calleeFirst,
      Transport transport,
      boolean uncounted) {
    return edges.link(callerPos, callerFirst, calleePos, calleeFirst, transport, uncounted);
  }

  /** Which half of its first edge the span at {@code p} is. */
  Side edgeSide(int p) {
    return edges.edgeSide(p);
  }

  /** What the listener returned for the first edge of the span at {@code p}, or null. */
  Object edgeSeries(int p) {
    return edges.firstSeries(p);
  }

  /** The first edge of the span at {@code p}, rebuilt equal to the one reported when it formed. */
  Edge edge(int p) {
    return edges.edge(p);
  }

  // --- candidate parents ---

  /** Position of the span held as a candidate parent under this key, or {@link #NONE}. */
  int find(long traceHigh, long traceLow, long id) {
    return byId.find(traceHigh, traceLow, id);
  }

  /**
   * Position of a span held as a candidate parent whose trace id ends in {@code traceLow}, or
   * {@link #NONE} (for logs that carry a 64-bit trace id).
   */
  int findByLow(long traceLow, long id) {
    return byId.findByLow(traceLow, id);
  }

  /** Ends the candidate-parent part of {@code p}: it can no longer be found. */
  void dropOwn(int p) {
    ring.setBits(p, ring.bits(p) & ~OWN);
    byId.remove(byId.slotOfKeyAt(p));
  }

  // --- waiting children ---

  /** Makes {@code p} wait for its parent, as the newest of that parent's waiting children. */
  void addWait(int p) {
    waiting.add(p);
  }

  /**
   * Takes every child waiting for the span with this key, clearing their {@link #WAIT} flags.
   *
   * @return the oldest of them, followed through {@link #nextTaken} in arrival order, or {@link
   *     #NONE}
   */
  int takeWaiting(long traceHigh, long traceLow, long id) {
    return waiting.take(traceHigh, traceLow, id);
  }

  /** The next newer child after {@code p} in a chain from {@link #takeWaiting}, or NONE. */
  int nextTaken(int p) {
    return waiting.next(p);
  }

  /** Ends the wait of {@code p}, which must be the oldest waiting for its parent. */
  void dropOldestWait(int p) {
    waiting.dropOldest(p);
  }
}
