package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.model.Transport;
import dev.seam.collector.testing.Spans;
import org.junit.jupiter.api.Test;

class SpanArenaTest {

  private static final long HIGH = 1;
  private static final Origin RUST = new Origin("pricing-core", "rust", "node-2/200", "node-2/200");

  private static Span parent(long trace) {
    return Spans.builder()
        .traceIdHigh(HIGH)
        .traceIdLow(trace)
        .spanId(1)
        .kind(SpanKind.CLIENT)
        .build();
  }

  private static Span child(long trace) {
    return Spans.builder()
        .traceIdHigh(HIGH)
        .traceIdLow(trace)
        .spanId(2)
        .parentSpanId(1)
        .parentLink(ParentLink.REMOTE)
        .kind(SpanKind.SERVER)
        .origin(RUST)
        .requestBytes(100)
        .build();
  }

  @Test
  void anAppendedSpanIsACandidateParentUntilItsPartEnds() {
    SpanArena arena = new SpanArena(4, 8);
    int p = arena.append(child(1), 17, 0);
    assertTrue(arena.has(p, SpanArena.OWN));
    assertFalse(arena.has(p, SpanArena.WAIT | SpanArena.PAIRED));
    assertEquals(p, arena.find(HIGH, 1, 2));
    assertEquals(17, arena.arrived(p));
    assertEquals(child(1), arena.span(p), "extras included");
    arena.dropOwn(p);
    assertEquals(SpanArena.NONE, arena.find(HIGH, 1, 2));
    arena.popHead();
    assertEquals(0, arena.size());
    assertEquals(1, arena.headSerial());
  }

  @Test
  void growingWhileWrappedKeepsIndexesChainsAndEdges() {
    SpanArena arena = new SpanArena(4, 100);
    // Move the head: two spans come and go.
    for (long t = 100; t <= 101; t++) {
      arena.dropOwn(arena.append(parent(t), 0, 0));
      arena.popHead();
    }
    // Trace 1 pairs at once; traces 2 and 3 have children waiting: the ring wraps and is full.
    int p1 = arena.append(parent(1), 0, 0);
    int c1 = arena.append(child(1), 0, 0);
    arena.markPaired(p1);
    arena.link(p1, true, c1, true, Transport.HTTP, false);
    for (long t = 2; t <= 3; t++) {
      arena.addWait(arena.append(child(t), 0, 0));
    }
    assertEquals(4, arena.size());
    arena.append(parent(4), 0, 0); // grows
    assertEquals(5, arena.size());

    assertEquals(0, arena.head(), "unwrapped");
    assertEquals(parent(1), arena.span(arena.find(HIGH, 1, 1)));
    int callee = arena.find(HIGH, 1, 2);
    assertEquals(new Edge(parent(1), child(1), Transport.HTTP), arena.edge(callee));
    assertEquals(Side.CALLEE, arena.edgeSide(callee));
    assertEquals(parent(4), arena.span(arena.find(HIGH, 4, 1)));
    for (long t = 2; t <= 3; t++) {
      int held = arena.find(HIGH, t, 2);
      assertTrue(arena.has(held, SpanArena.WAIT));
      int taken = arena.takeWaiting(HIGH, t, 1);
      assertEquals(held, taken);
      assertEquals(SpanArena.NONE, arena.nextTaken(taken));
      assertFalse(arena.has(held, SpanArena.WAIT));
    }
  }
}
