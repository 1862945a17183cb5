package dev.seam.collector.pair;

/**
 * The children in a {@link SpanRing} that wait for a parent that has not arrived, found by (trace,
 * parent id). Not thread-safe.
 *
 * <p>The children of one parent form a circular list through their chain links in arrival order,
 * and the index holds its newest member, whose successor is the oldest: so appending a child,
 * taking the oldest (expiry and eviction, which work from the ring's head, always meet a chain's
 * oldest first) and taking the whole chain when the parent arrives are all constant time, even for
 * a parent with thousands of waiting callees. A waiting span has the {@link EntryCodec#WAIT} flag.
 */
final class WaitingChildren {

  private final SpanRing ring;
  private final SpanIndex byParent;

  WaitingChildren(SpanRing ring, long seed) {
    this.ring = ring;
    this.byParent = new SpanIndex(ring, SpanRing.PARENT_ID, seed, 0);
  }

  /** Parents that have children waiting. */
  int parents() {
    return byParent.size();
  }

  /** Makes {@code p} wait for its parent, as the newest of that parent's waiting children. */
  void add(int p) {
    ring.setBits(p, ring.bits(p) | EntryCodec.WAIT);
    int slot = byParent.slotOfKeyAt(p);
    if (slot < 0) {
      ring.setNext(p, p); // a chain of one is its own successor
      byParent.insert(p);
    } else {
      int newest = byParent.positionAt(slot);
      ring.setNext(p, ring.next(newest)); // the oldest
      ring.setNext(newest, p);
      byParent.setPositionAt(slot, p);
    }
  }

  /**
   * Takes every child waiting for the span with this key out of the index, clearing their {@link
   * EntryCodec#WAIT} flags.
   *
   * @return the oldest of them, followed through {@link #next} in arrival order, or {@link
   *     SpanRing#NONE}
   */
  int take(long traceHigh, long traceLow, long id) {
    int slot = byParent.slotOf(traceHigh, traceLow, id);
    if (slot < 0) {
      return SpanRing.NONE;
    }
    int newest = byParent.positionAt(slot);
    byParent.remove(slot);
    int oldest = ring.next(newest);
    ring.setNext(newest, SpanRing.NONE); // the chain becomes a list ending at its newest
    for (int c = oldest; c != SpanRing.NONE; c = ring.next(c)) {
      ring.setBits(c, ring.bits(c) & ~EntryCodec.WAIT);
    }
    return oldest;
  }

  /** The next newer child after {@code p} in a chain from {@link #take}, or NONE. */
  int next(int p) {
    return ring.next(p);
  }

  /**
   * Ends the wait of {@code p}, which must be the oldest waiting for its parent: expiry and
   * eviction only end the wait of the ring's head, and nothing in a chain is older than that.
   */
  void dropOldest(int p) {
    ring.setBits(p, ring.bits(p) & ~EntryCodec.WAIT);
    int slot = byParent.slotOfKeyAt(p);
    int newest = byParent.positionAt(slot);
    assert ring.next(newest) == p : "a wait ended out of arrival order";
    if (newest == p) {
      byParent.remove(slot);
    } else {
      ring.setNext(newest, ring.next(p));
    }
  }

  /** After the ring unwrapped and grew: renumbers the index and every waiting span's link. */
  void renumber(int oldHead, int oldCapacity) {
    byParent.renumber(oldHead, oldCapacity);
    for (int p = 0; p < ring.size(); p++) {
      if ((ring.bits(p) & EntryCodec.WAIT) != 0) {
        ring.setNext(p, SpanRing.renumbered(ring.next(p), oldHead, oldCapacity));
      }
    }
  }
}
