package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.model.Transport;
import dev.seam.collector.testing.Spans;
import org.junit.jupiter.api.Test;

class EdgeLinksTest {

  private static final Origin RUST = new Origin("pricing-core", "rust", "node-2/200", "node-2/200");

  private final SpanRing ring = new SpanRing(8, 8);
  private final EdgeLinks edges = new EdgeLinks(ring);

  private static Span caller(long id) {
    return Spans.builder().spanId(id).kind(SpanKind.CLIENT).build();
  }

  private static Span callee(long id, long parent) {
    return Spans.builder()
        .spanId(id)
        .parentSpanId(parent)
        .parentLink(ParentLink.REMOTE)
        .kind(SpanKind.SERVER)
        .origin(RUST)
        .build();
  }

  private int append(Span s) {
    SpanExtras extras = SpanExtras.of(s);
    int bits = EntryCodec.bitsOf(s) | (extras != null ? EntryCodec.EXTRAS : 0);
    return ring.append(s, 0, bits, extras);
  }

  /** Lets the ring's head go, as the arena does. */
  private void popHead() {
    edges.beforeHeadLeaves();
    ring.popHead();
  }

  @Test
  void bothHalvesFindTheEdgeAndTheirSide() {
    int p = append(caller(1));
    int c = append(callee(2, 1));
    assertFalse(edges.hasEdge(p));
    edges.link(p, true, c, true, Transport.GRPC, false);
    assertTrue(edges.hasEdge(p));
    assertTrue(edges.hasEdge(c));
    assertEquals(Side.CALLER, edges.edgeSide(p));
    assertEquals(Side.CALLEE, edges.edgeSide(c));
    Edge expected = new Edge(caller(1), callee(2, 1), Transport.GRPC);
    assertEquals(expected, edges.edge(p));
    assertEquals(expected, edges.edge(c));
  }

  @Test
  void theOlderHalfLeavesACopyForTheNewerOne() {
    int c = append(callee(2, 1)); // the child came first
    int p = append(caller(1));
    edges.link(p, true, c, true, Transport.HTTP, false);
    popHead();
    assertEquals(new Edge(caller(1), callee(2, 1), Transport.HTTP), edges.edge(p));
    assertEquals(Side.CALLER, edges.edgeSide(p));
  }

  @Test
  void aParentThatLeavesFirstLeavesOneCopyForEveryChildCountingAgainstIt() {
    int p = append(caller(1));
    int a = append(callee(2, 1));
    int b = append(callee(3, 1));
    edges.link(p, true, a, true, Transport.HTTP, false);
    edges.link(p, false, b, true, Transport.HTTP, false); // the parent keeps its first edge
    popHead();
    Edge edgeA = edges.edge(a);
    Edge edgeB = edges.edge(b);
    assertEquals(new Edge(caller(1), callee(2, 1), Transport.HTTP), edgeA);
    assertEquals(new Edge(caller(1), callee(3, 1), Transport.HTTP), edgeB);
    assertSame(edgeA.caller(), edgeB.caller(), "one copy for both");
  }

  @Test
  void extrasStayBesideTheEdges() {
    Span longCaller =
        Spans.builder()
            .spanId(1)
            .kind(SpanKind.CLIENT)
            .endNanos(5_000_000_000L)
            .requestBytes(64)
            .adjustedCount(2.0)
            .build();
    Span bigCallee =
        Spans.builder()
            .spanId(2)
            .parentSpanId(1)
            .parentLink(ParentLink.REMOTE)
            .kind(SpanKind.SERVER)
            .origin(RUST)
            .allocatedBytes(1 << 20)
            .build();
    int p = append(longCaller);
    int c = append(bigCallee);
    int other = append(callee(3, 1));
    edges.link(p, true, c, true, Transport.OTHER, false);
    edges.link(p, false, other, true, Transport.OTHER, false);
    assertEquals(longCaller, ring.span(p));
    assertEquals(bigCallee, ring.span(c));
    assertEquals(new Edge(longCaller, bigCallee, Transport.OTHER), edges.edge(c));
    popHead();
    assertEquals(new Edge(longCaller, callee(3, 1), Transport.OTHER), edges.edge(other));
  }
}
