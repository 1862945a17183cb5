package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Span;
import dev.seam.collector.testing.Spans;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpanIndexTest {

  private static final long TRACE_HIGH = 0x4bf92f3577b34da6L;

  /** The multiplier the index's hash applies to the trace id's low half. */
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /**
   * Key i of a family whose hashes are all equal, whatever the seed: the hash starts from traceLow
   * * GOLDEN + id, which raising the trace by one and lowering the id by GOLDEN keeps.
   */
  private static long collidingTrace(int i) {
    return 7_000 + i;
  }

  private static long collidingId(int i) {
    return 0x1234_5678L - i * GOLDEN;
  }

  private static int append(SpanRing ring, long traceLow, long id) {
    Span s = Spans.builder().traceIdHigh(TRACE_HIGH).traceIdLow(traceLow).spanId(id).build();
    return ring.append(s, 0, 0, null);
  }

  private static int add(SpanRing ring, SpanIndex index, long traceLow, long id) {
    int p = append(ring, traceLow, id);
    index.insert(p);
    return p;
  }

  private static int slotOf(SpanIndex index, int i) {
    return index.slotOf(TRACE_HIGH, collidingTrace(i), collidingId(i));
  }

  @Test
  void tablesAreSizedForALoadOfAtMostSixTenths() {
    assertEquals(16, SpanIndex.tableSizeFor(0));
    assertEquals(16, SpanIndex.tableSizeFor(9));
    assertEquals(32, SpanIndex.tableSizeFor(10));
    assertEquals(512, SpanIndex.tableSizeFor(256));
    assertEquals(512, new SpanIndex(new SpanRing(256, 256), SpanRing.SPAN_ID, 1, 256).tableSize());
  }

  @Test
  void findsHeldKeysByTheChosenIdFieldAndNothingElse() {
    SpanRing ring = new SpanRing(64, 64);
    SpanIndex byId = new SpanIndex(ring, SpanRing.SPAN_ID, 42, 0);
    SpanIndex byParent = new SpanIndex(ring, SpanRing.PARENT_ID, 42, 0);
    int p =
        ring.append(
            Spans.builder().traceIdHigh(1).traceIdLow(2).spanId(3).parentSpanId(4).build(),
            0,
            0,
            null);
    byId.insert(p);
    byParent.insert(p);
    assertEquals(p, byId.find(1, 2, 3));
    assertEquals(SpanRing.NONE, byId.find(1, 2, 4));
    assertEquals(p, byParent.find(1, 2, 4));
    assertEquals(SpanRing.NONE, byParent.find(1, 2, 3));
    assertEquals(SpanRing.NONE, byId.find(2, 2, 3));
    assertEquals(SpanRing.NONE, byId.find(1, 3, 3));
  }

  @Test
  void removalShiftsTheRestOfTheRunBackWithoutTombstones() {
    SpanRing ring = new SpanRing(64, 64);
    SpanIndex index = new SpanIndex(ring, SpanRing.SPAN_ID, 7, 0);
    for (int i = 0; i < 3; i++) {
      add(ring, index, collidingTrace(i), collidingId(i));
    }
    int home = slotOf(index, 0);
    int mask = index.tableSize() - 1;
    assertEquals((home + 1) & mask, slotOf(index, 1));
    assertEquals((home + 2) & mask, slotOf(index, 2));

    index.remove(home);
    assertEquals(2, index.size());
    assertEquals(-1, slotOf(index, 0));
    assertEquals(home, slotOf(index, 1), "pulled back into the gap");
    assertEquals((home + 1) & mask, slotOf(index, 2));
    // The run is two long again: a new colliding key takes the slot after it, not a tombstone's.
    add(ring, index, collidingTrace(3), collidingId(3));
    assertEquals((home + 2) & mask, slotOf(index, 3));
  }

  @Test
  void positionsCanBeRepointedInPlace() {
    SpanRing ring = new SpanRing(8, 8);
    SpanIndex index = new SpanIndex(ring, SpanRing.SPAN_ID, 7, 0);
    int p = add(ring, index, 1, 10);
    int q = append(ring, 1, 10); // a second entry with the same key
    int slot = index.slotOf(TRACE_HIGH, 1, 10);
    assertEquals(p, index.positionAt(slot));
    index.setPositionAt(slot, q);
    assertEquals(q, index.find(TRACE_HIGH, 1, 10));
    assertEquals(slot, index.slotOfKeyAt(p));
  }

  @Test
  void aRunLongerThanTheFingerprintCanTellStillDeletesCorrectly() {
    int n = 600;
    SpanRing ring = new SpanRing(1_024, 1_024);
    SpanIndex index = new SpanIndex(ring, SpanRing.SPAN_ID, 3, 0);
    int[] positions = new int[n];
    for (int i = 0; i < n; i++) {
      positions[i] = add(ring, index, collidingTrace(i), collidingId(i));
    }
    assertTrue(index.hasFarEntries(), "entries 256 and more past their home slot");
    // Remove every other key, from the front of the run and from its middle.
    for (int i = 0; i < n; i += 2) {
      index.remove(index.slotOfKeyAt(positions[i]));
    }
    assertEquals(n / 2, index.size());
    for (int i = 0; i < n; i++) {
      int expected = i % 2 == 0 ? SpanRing.NONE : positions[i];
      assertEquals(expected, index.find(TRACE_HIGH, collidingTrace(i), collidingId(i)), "key " + i);
    }
  }

  @Test
  void randomInsertsAndRemovalsAgreeWithAMap() {
    Random random = new Random(11);
    SpanRing ring = new SpanRing(20_000, 20_000);
    SpanIndex index = new SpanIndex(ring, SpanRing.SPAN_ID, random.nextLong(), 0);
    Map<Long, Integer> held = new HashMap<>();
    List<Long> keys = new ArrayList<>();
    for (int step = 0; step < 20_000; step++) {
      if (held.isEmpty() || random.nextInt(3) > 0) {
        long id = 1 + random.nextInt(1_000_000);
        if (!held.containsKey(id)) {
          held.put(id, add(ring, index, 5, id));
          keys.add(id);
        }
      } else {
        long id = keys.remove(random.nextInt(keys.size()));
        index.remove(index.slotOf(TRACE_HIGH, 5, id));
        held.remove(id);
      }
    }
    assertEquals(held.size(), index.size());
    assertTrue(index.tableSize() >= 16 && held.size() * 5 <= index.tableSize() * 3);
    assertFalse(index.hasFarEntries());
    for (Map.Entry<Long, Integer> e : held.entrySet()) {
      assertEquals(e.getValue(), index.find(TRACE_HIGH, 5, e.getKey()));
    }
    int missing = 0;
    for (long id = 1; id <= 1_000_000; id += 997) {
      if (!held.containsKey(id)) {
        assertEquals(SpanRing.NONE, index.find(TRACE_HIGH, 5, id));
        missing++;
      }
    }
    assertTrue(missing > 900);
  }

  @Test
  void renumberingAfterTheRingGrewKeepsEveryKeyFindable() {
    // 10 positions take 4 bits, 16 take 5: growth moves every entry's fingerprint.
    SpanRing ring = new SpanRing(10, 100);
    SpanIndex index = new SpanIndex(ring, SpanRing.SPAN_ID, 5, 0);
    for (long id = 1; id <= 10; id++) {
      add(ring, index, id, id);
    }
    for (long id = 1; id <= 4; id++) {
      index.remove(index.slotOfKeyAt(ring.head()));
      ring.popHead();
    }
    for (long id = 11; id <= 14; id++) {
      add(ring, index, id, id); // wraps to positions 0..3
    }
    int oldHead = ring.head();
    assertEquals(4, oldHead);
    ring.grow();
    index.renumber(oldHead, 10);
    assertEquals(16, ring.capacity());
    for (long id = 5; id <= 14; id++) {
      int p = index.find(TRACE_HIGH, id, id);
      assertEquals(id - 5, p, "key " + id + " at its unwrapped position");
      assertEquals(id, ring.spanId(p));
    }
    assertEquals(SpanRing.NONE, index.find(TRACE_HIGH, 4, 4));
    // Entries added after the growth use the wider positions.
    for (long id = 15; id <= 20; id++) {
      assertEquals(id - 5, add(ring, index, id, id));
    }
    for (long id = 5; id <= 20; id++) {
      assertEquals(id - 5, index.find(TRACE_HIGH, id, id));
    }
  }
}
