package dev.seam.collector.pair;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.Span;
import java.util.Arrays;

/**
 * The spans one shard holds, in two flat arrays used as a ring in arrival order; it keeps the
 * entries and their positions, and {@link SpanArena} decides what they mean. Not thread-safe.
 *
 * <p><b>Why flat arrays.</b> A map entry, a key record, a slot object and the 128-byte {@link Span}
 * record would cost about 270 bytes a span, and the store holds up to a million of them. Here a
 * span is one <em>position</em> p: seven {@code long}s at {@code p * NUMS} in {@code nums} (its
 * ids, its start, its duration and arrival, its packed enums and flags and a chain link, as {@link
 * EntryCodec} packs them) and six references at {@code p * REFS} in {@code refs} (origin, name,
 * error class, operation and peer, which the decoder shares between spans, and one attachment), 80
 * bytes in all. Nothing is allocated to hold a span; a {@link Span} is rebuilt from the arrays only
 * when the listener is told about it ({@link #span}).
 *
 * <p>The fields of one span sit side by side rather than in one array per field: a lookup reads a
 * span at a random position (its key, to confirm an index hit; all of it, to rebuild it), and side
 * by side that is two or three cache lines instead of fifteen; appending writes two sequential
 * streams per shard instead of fifteen.
 *
 * <p><b>Why a ring.</b> Entries are appended at the tail as they arrive and leave from the head, so
 * nothing is ever moved and the ring is always in arrival order. The ring starts small and {@link
 * #grow}s by half, unwrapping so that the head is position 0, only up to its bound.
 */
final class SpanRing {

  /** No position: the end of a detached waiting chain, or a failed lookup. */
  static final int NONE = -1;

  // The longs of position p, at nums[p * NUMS + field].
  private static final int TRACE_HI = 0;
  private static final int TRACE_LO = 1;

  /** The field of a span's own id: the key of a candidate parent. */
  static final int SPAN_ID = 2;

  /** The field of its parent's id: the key of a waiting child. */
  static final int PARENT_ID = 3;

  private static final int START = 4;

  /**
   * High half: endNanos - startNanos when that fits in an int (spans under 2.1 s; start + duration
   * gives the end back in wrapping arithmetic whatever the clocks said), else the end is in the
   * {@link SpanExtras}. Low half: the arrival tick (see {@link TickClock}).
   */
  private static final int DURATION_ARRIVED = 5;

  /** High half: the {@link EntryCodec} bits. Low half: the next newer sibling of a waiting span. */
  private static final int BITS_NEXT = 6;

  private static final int NUMS = 7;

  // The references of position p, at refs[p * REFS + field].
  private static final int ORIGIN = SpanRefs.ORIGIN;
  private static final int NAME = SpanRefs.NAME;
  private static final int ERROR_CLASS = SpanRefs.ERROR_CLASS;
  private static final int OPERATION = SpanRefs.OPERATION;
  private static final int PEER = SpanRefs.PEER;

  /** What {@link EdgeLinks} keeps for the span: null, its extras or its edges. */
  private static final int ATTACHMENT = SpanRefs.COUNT;

  private static final int REFS = SpanRefs.COUNT + 1;

  /** Most positions a ring can have: its {@code nums} must stay a Java array. */
  static final int MAX_CAPACITY = (Integer.MAX_VALUE - 8) / NUMS;

  private final int maxCapacity;
  private long[] nums;
  private Object[] refs;

  /** Positions the ring has now. */
  private int capacity;

  private int head;
  private int size;

  /** Arrival number of the head; the entry at offset i from the head has number headSerial + i. */
  private long headSerial;

  /**
   * @param initialCapacity positions to start with
   * @param maxCapacity positions the ring may grow to, at most {@link #MAX_CAPACITY}
   */
  SpanRing(int initialCapacity, int maxCapacity) {
    this.maxCapacity = Math.min(maxCapacity, MAX_CAPACITY);
    capacity = Math.min(initialCapacity, this.maxCapacity);
    nums = new long[capacity * NUMS];
    refs = new Object[capacity * REFS];
  }

  int capacity() {
    return capacity;
  }

  int size() {
    return size;
  }

  boolean isFull() {
    return size == capacity;
  }

  /** Whether {@link #grow} has room to grow. */
  boolean canGrow() {
    return capacity < maxCapacity;
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

  /** Position of the entry {@code offsetFromHead} entries after the head. */
  int positionAt(int offsetFromHead) {
    int p = head + offsetFromHead;
    return p < capacity ? p : p - capacity;
  }

  /** Arrival number of the entry at {@code p}. */
  long serialOf(int p) {
    int offset = p - head;
    return headSerial + (offset < 0 ? offset + capacity : offset);
  }

  /** Position of the entry with arrival number {@code serial}, which must still be held. */
  int positionOf(long serial) {
    return positionAt((int) (serial - headSerial));
  }

  /**
   * Writes a span as the youngest entry, which the ring must have room for ({@link #isFull}).
   *
   * @param bits its {@link EntryCodec} bits, state flags included
   * @param attachment what {@link EdgeLinks} keeps for it, or null
   * @return its position
   */
  int append(Span s, int arrivedTick, int bits, Object attachment) {
    assert size < capacity : "appending to a full ring";
    int p = positionAt(size);
    int n = p * NUMS;
    nums[n + TRACE_HI] = s.traceIdHigh();
    nums[n + TRACE_LO] = s.traceIdLow();
    nums[n + SPAN_ID] = s.spanId();
    nums[n + PARENT_ID] = s.parentSpanId();
    nums[n + START] = s.startNanos();
    int duration = (int) (s.endNanos() - s.startNanos());
    nums[n + DURATION_ARRIVED] = EntryCodec.pack(duration, arrivedTick);
    nums[n + BITS_NEXT] = EntryCodec.pack(bits, NONE);
    int r = p * REFS;
    SpanRefs.write(refs, r, s);
    refs[r + ATTACHMENT] = attachment;
    size++;
    return p;
  }

  /** Removes the oldest entry and lets go of what it referenced. */
  void popHead() {
    int p = head;
    Arrays.fill(refs, p * REFS, p * REFS + REFS, null);
    head = p + 1 == capacity ? 0 : p + 1;
    size--;
    headSerial++;
  }

  /**
   * Grows the full ring by half (up to its bound), unwrapping it so the head is position 0: the
   * entry at old position p is at {@link #renumbered} p afterwards. By half rather than double: a
   * full store is most of Seam's heap, and a ring that doubled would sit 30% empty on average (15%
   * here) for one more copy now and then.
   *
   * @throws IllegalStateException when the ring is at its bound already
   */
  void grow() {
    assert size == capacity : "growing a ring that has room";
    int cap = capacity;
    int newCap = (int) Math.min(maxCapacity, cap + (cap >> 1) + 1L);
    if (newCap <= cap) {
      throw new IllegalStateException("pairing ring is full at " + cap + " positions");
    }
    // The ring is full: copying it oldest first makes every old position p (p - head) mod cap.
    nums = unwrapped(nums, head, cap, new long[newCap * NUMS], NUMS);
    refs = unwrapped(refs, head, cap, new Object[newCap * REFS], REFS);
    head = 0;
    capacity = newCap;
  }

  /**
   * Copies the array of a full ring with this head and capacity, {@code stride} slots a position,
   * into {@code dst} oldest first, so that old position p is at {@link #renumbered} p.
   */
  static <A> A unwrapped(A src, int head, int capacity, A dst, int stride) {
    int split = (capacity - head) * stride;
    System.arraycopy(src, head * stride, dst, 0, split);
    System.arraycopy(src, 0, dst, split, head * stride);
    return dst;
  }

  /** Where old position {@code p} is after {@link #grow} unwrapped a ring with this head. */
  static int renumbered(int p, int oldHead, int oldCapacity) {
    int q = p - oldHead;
    return q < 0 ? q + oldCapacity : q;
  }

  /**
   * Moves every arrival {@code delta} ticks earlier, never below {@code floor} (the shard's {@link
   * TickClock} moved its epoch forward by {@code delta}).
   */
  void shiftArrivals(long delta, int floor) {
    for (int i = 0; i < size; i++) {
      int n = positionAt(i) * NUMS + DURATION_ARRIVED;
      int shifted = (int) Math.max(EntryCodec.low(nums[n]) - delta, floor);
      nums[n] = EntryCodec.withLow(nums[n], shifted);
    }
  }

  // --- the fields of the entry at position p ---

  long traceHi(int p) {
    return nums[p * NUMS + TRACE_HI];
  }

  long traceLo(int p) {
    return nums[p * NUMS + TRACE_LO];
  }

  long spanId(int p) {
    return nums[p * NUMS + SPAN_ID];
  }

  long parentId(int p) {
    return nums[p * NUMS + PARENT_ID];
  }

  /** The id in {@code idField}: {@link #SPAN_ID} or {@link #PARENT_ID}. */
  long idAt(int p, int idField) {
    return nums[p * NUMS + idField];
  }

  /** Whether the entry at {@code p} has this trace and, in {@code idField}, this id. */
  boolean hasKey(int p, int idField, long traceHigh, long traceLow, long id) {
    int n = p * NUMS;
    return nums[n + TRACE_LO] == traceLow
        && nums[n + idField] == id
        && nums[n + TRACE_HI] == traceHigh;
  }

  int arrived(int p) {
    return EntryCodec.low(nums[p * NUMS + DURATION_ARRIVED]);
  }

  int bits(int p) {
    return EntryCodec.high(nums[p * NUMS + BITS_NEXT]);
  }

  void setBits(int p, int bits) {
    int n = p * NUMS + BITS_NEXT;
    nums[n] = EntryCodec.withHigh(nums[n], bits);
  }

  /** The chain link of a waiting span. */
  int next(int p) {
    return EntryCodec.low(nums[p * NUMS + BITS_NEXT]);
  }

  void setNext(int p, int next) {
    int n = p * NUMS + BITS_NEXT;
    nums[n] = EntryCodec.withLow(nums[n], next);
  }

  Origin origin(int p) {
    return (Origin) refs[p * REFS + ORIGIN];
  }

  Object attachment(int p) {
    return refs[p * REFS + ATTACHMENT];
  }

  void setAttachment(int p, Object attachment) {
    refs[p * REFS + ATTACHMENT] = attachment;
  }

  /**
   * The span at {@code p}, rebuilt from the arrays: equal field by field to the span that was
   * appended.
   */
  Span span(int p) {
    int b = bits(p);
    int n = p * NUMS;
    int r = p * REFS;
    long start = nums[n + START];
    long endNanos = start + EntryCodec.high(nums[n + DURATION_ARRIVED]);
    long requestBytes = -1;
    long responseBytes = -1;
    long allocatedBytes = -1;
    double adjustedCount = 1.0;
    if ((b & EntryCodec.EXTRAS) != 0) {
      SpanExtras x = EdgeLinks.extrasOf(refs[r + ATTACHMENT]);
      endNanos = x.endNanos();
      requestBytes = x.requestBytes();
      responseBytes = x.responseBytes();
      allocatedBytes = x.allocatedBytes();
      adjustedCount = x.adjustedCount();
    }
    return new Span(
        nums[n + TRACE_HI],
        nums[n + TRACE_LO],
        nums[n + SPAN_ID],
        nums[n + PARENT_ID],
        EntryCodec.parentLink(b),
        EntryCodec.kind(b),
        (Origin) refs[r + ORIGIN],
        (String) refs[r + NAME],
        start,
        endNanos,
        EntryCodec.failed(b),
        (String) refs[r + ERROR_CLASS],
        EntryCodec.protocol(b),
        (String) refs[r + OPERATION],
        (String) refs[r + PEER],
        requestBytes,
        responseBytes,
        allocatedBytes,
        adjustedCount,
        EntryCodec.answered(b));
  }
}
