package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Span;
import dev.seam.collector.testing.Spans;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaitingChildrenTest {

  private static final long TRACE_HIGH = 0x5b8efff798038103L;

  /** Appends child {@code id} of span {@code parent} in trace {@code trace}. */
  private static int child(SpanRing ring, long trace, long id, long parent) {
    Span s =
        Spans.builder()
            .traceIdHigh(TRACE_HIGH)
            .traceIdLow(trace)
            .spanId(id)
            .parentSpanId(parent)
            .build();
    return ring.append(s, 0, EntryCodec.OWN, null);
  }

  /** The span ids of a taken chain, oldest first. */
  private static List<Long> take(SpanRing ring, WaitingChildren waiting, long trace, long parent) {
    List<Long> ids = new ArrayList<>();
    for (int c = waiting.take(TRACE_HIGH, trace, parent); c != SpanRing.NONE; c = waiting.next(c)) {
      ids.add(ring.spanId(c));
      assertEquals(0, ring.bits(c) & EntryCodec.WAIT, "no longer waiting: " + ring.spanId(c));
    }
    return ids;
  }

  @Test
  void childrenAreTakenInTheOrderTheyCame() {
    SpanRing ring = new SpanRing(16, 16);
    WaitingChildren waiting = new WaitingChildren(ring, 9);
    for (long id = 1; id <= 5; id++) {
      int p = child(ring, 1, id, 100);
      waiting.add(p);
      assertEquals(EntryCodec.OWN | EntryCodec.WAIT, ring.bits(p));
    }
    waiting.add(child(ring, 1, 6, 200)); // another parent
    waiting.add(child(ring, 2, 7, 100)); // the same parent id in another trace
    assertEquals(3, waiting.parents());

    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), take(ring, waiting, 1, 100));
    assertEquals(List.of(), take(ring, waiting, 1, 100), "taken once");
    assertEquals(List.of(6L), take(ring, waiting, 1, 200));
    assertEquals(List.of(7L), take(ring, waiting, 2, 100));
    assertEquals(0, waiting.parents());
  }

  @Test
  void theOldestWaitEndsAndTheChainGoesOn() {
    SpanRing ring = new SpanRing(16, 16);
    WaitingChildren waiting = new WaitingChildren(ring, 9);
    int[] p = new int[4];
    for (int i = 0; i < 4; i++) {
      p[i] = child(ring, 1, i + 1, 100);
      waiting.add(p[i]);
    }
    waiting.dropOldest(p[0]);
    assertEquals(EntryCodec.OWN, ring.bits(p[0]));
    waiting.dropOldest(p[1]);
    assertEquals(1, waiting.parents());
    assertEquals(List.of(3L, 4L), take(ring, waiting, 1, 100));

    int alone = child(ring, 1, 9, 300);
    waiting.add(alone);
    waiting.dropOldest(alone);
    assertEquals(0, waiting.parents(), "a chain of one leaves the index with its wait");
    assertEquals(List.of(), take(ring, waiting, 1, 300));
  }

  @Test
  void chainsSurviveTheRingGrowingWhileWrapped() {
    SpanRing ring = new SpanRing(4, 100);
    WaitingChildren waiting = new WaitingChildren(ring, 9);
    child(ring, 1, 1, 0);
    child(ring, 1, 2, 0);
    ring.popHead();
    ring.popHead();
    for (long id = 3; id <= 6; id++) {
      waiting.add(child(ring, 1, id, 100)); // positions 2, 3, 0, 1
    }
    int oldHead = ring.head();
    ring.grow();
    waiting.renumber(oldHead, 4);
    for (long id = 7; id <= 9; id++) {
      waiting.add(child(ring, 1, id, 100));
    }
    assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L), take(ring, waiting, 1, 100));
    assertTrue(ring.isFull());
  }
}
