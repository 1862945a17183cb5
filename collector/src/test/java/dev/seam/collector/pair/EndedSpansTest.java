package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Side;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EndedSpansTest {

  private static final long MS = 1L << EndedSpans.TIME_SHIFT; // one time unit, about 1 ms

  private final AtomicLong clock = new AtomicLong(0);

  @Test
  void findsWhatItRecordedWithSideAndSeries() {
    EndedSpans ended = new EndedSpans(100, 1000 * MS, 42, clock::get);
    ended.record(1, 10, Side.CALLER, "a");
    ended.record(1, 20, Side.CALLEE, "a");
    ended.record(2, 10, Side.CALLEE, null);
    int p = ended.find(1, 20);
    assertEquals(Side.CALLEE, ended.side(p));
    assertEquals("a", ended.series(p));
    assertEquals(Side.CALLER, ended.side(ended.find(1, 10)));
    assertNull(ended.series(ended.find(2, 10)));
    assertEquals(EndedSpans.NONE, ended.find(2, 20));
    assertEquals(EndedSpans.NONE, ended.find(3, 10));
  }

  @Test
  void forgetsEntriesOnceTheirLifetimeHasPassed() {
    EndedSpans ended = new EndedSpans(100, 1000 * MS, 42, clock::get);
    ended.record(1, 10, Side.CALLER, "a");
    clock.set(500 * MS);
    ended.record(1, 20, Side.CALLEE, "a");
    assertEquals(0, ended.expire(999 * MS));
    assertEquals(1, ended.expire(1000 * MS));
    assertEquals(EndedSpans.NONE, ended.find(1, 10));
    assertTrue(ended.find(1, 20) != EndedSpans.NONE);
    assertEquals(1, ended.expire(1500 * MS));
    assertEquals(0, ended.size());
  }

  @Test
  void growsUpToItsBoundThenForgetsTheOldest() {
    EndedSpans ended = new EndedSpans(100, 1000 * MS, 42, clock::get);
    int forgotten = 0;
    for (int i = 0; i < 150; i++) {
      forgotten += ended.record(7, i, Side.CALLER, null);
    }
    assertEquals(50, forgotten);
    assertEquals(100, ended.size());
    assertEquals(100, ended.capacity());
    assertEquals(256, ended.tableSize());
    for (int i = 0; i < 150; i++) {
      assertEquals(i >= 50, ended.find(7, i) != EndedSpans.NONE, "span " + i);
    }
  }

  /** Random records, expiries and lookups, checked against a plain map and queue. */
  @Test
  void agreesWithAModelUnderRandomUse() {
    Random random = new Random(16);
    int bound = 37; // not a power of two: the ring wraps at an odd length
    EndedSpans ended = new EndedSpans(bound, 50 * MS, random.nextLong(), clock::get);
    ArrayDeque<long[]> order = new ArrayDeque<>(); // {trace, span, time}
    Map<Long, Integer> held = new HashMap<>(); // key -> copies held
    long now = 0;
    for (int step = 0; step < 200_000; step++) {
      int op = random.nextInt(10);
      long trace = random.nextInt(8);
      long span = random.nextInt(64);
      long key = trace * 1000 + span;
      if (op < 5) {
        int forgotten = ended.record(trace, span, Side.CALLER, null);
        if (order.size() == bound) {
          assertEquals(1, forgotten);
          long[] old = order.poll();
          held.merge(old[0] * 1000 + old[1], -1, Integer::sum);
        } else {
          assertEquals(0, forgotten);
        }
        order.add(new long[] {trace, span, now});
        held.merge(key, 1, Integer::sum);
      } else if (op < 6) {
        now += random.nextInt(20) * MS;
        clock.set(now);
        int n = 0;
        while (!order.isEmpty() && now - order.peek()[2] >= 50 * MS) {
          long[] old = order.poll();
          held.merge(old[0] * 1000 + old[1], -1, Integer::sum);
          n++;
        }
        assertEquals(n, ended.expire(now));
      } else {
        boolean expected = held.getOrDefault(key, 0) > 0;
        assertEquals(expected, ended.find(trace, span) != EndedSpans.NONE, "step " + step);
      }
      assertEquals(order.size(), ended.size());
    }
  }
}
