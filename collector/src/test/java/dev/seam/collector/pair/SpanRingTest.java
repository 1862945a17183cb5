package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.testing.Spans;
import org.junit.jupiter.api.Test;

class SpanRingTest {

  private static final Origin RUST = new Origin("pricing-core", "rust", "node-2/200", "node-2/200");

  private static Span span(long id) {
    return Spans.builder().spanId(id).parentSpanId(id + 1_000).build();
  }

  /** Appends span(id), arrived at tick id. */
  private static int append(SpanRing ring, long id) {
    Span s = span(id);
    return ring.append(s, (int) id, EntryCodec.bitsOf(s) | EntryCodec.OWN, null);
  }

  /** The span ids from head to tail. */
  private static long[] ids(SpanRing ring) {
    long[] ids = new long[ring.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = ring.spanId(ring.positionAt(i));
    }
    return ids;
  }

  @Test
  void aSpanIsRebuiltFieldByField() {
    SpanRing ring = new SpanRing(4, 4);
    Span s =
        Spans.builder()
            .traceIdHigh(-1)
            .traceIdLow(Long.MIN_VALUE)
            .spanId(Long.MAX_VALUE)
            .parentSpanId(7)
            .parentLink(ParentLink.REMOTE)
            .kind(SpanKind.CONSUMER)
            .origin(RUST)
            .name("consume")
            .startNanos(Long.MAX_VALUE - 3)
            .endNanos(Long.MIN_VALUE + 3) // wraps: the duration is 7
            .failed(true)
            .errorClass("timeout")
            .protocol(ProtocolHint.MESSAGING)
            .operation("orders")
            .peer("kafka")
            .answered(false)
            .build();
    int p = ring.append(s, 42, EntryCodec.bitsOf(s), null);
    assertEquals(s, ring.span(p));
    assertEquals(42, ring.arrived(p));
    assertEquals(RUST, ring.origin(p));
    assertEquals(7, ring.parentId(p));
    assertEquals(7, ring.idAt(p, SpanRing.PARENT_ID));
    assertEquals(Long.MAX_VALUE, ring.idAt(p, SpanRing.SPAN_ID));
  }

  @Test
  void aSpanWithExtrasIsRebuiltFromThem() {
    SpanRing ring = new SpanRing(4, 4);
    Span s =
        Spans.builder()
            .startNanos(0)
            .endNanos(10_000_000_000L)
            .requestBytes(512)
            .responseBytes(2_048)
            .allocatedBytes(4_096)
            .adjustedCount(4.0)
            .build();
    int p = ring.append(s, 0, EntryCodec.bitsOf(s) | EntryCodec.EXTRAS, SpanExtras.of(s));
    assertEquals(s, ring.span(p));
  }

  @Test
  void keysAreMatchedOnTraceAndTheChosenIdField() {
    SpanRing ring = new SpanRing(4, 4);
    Span s = Spans.builder().traceIdHigh(1).traceIdLow(2).spanId(3).parentSpanId(4).build();
    int p = ring.append(s, 0, 0, null);
    assertTrue(ring.hasKey(p, SpanRing.SPAN_ID, 1, 2, 3));
    assertTrue(ring.hasKey(p, SpanRing.PARENT_ID, 1, 2, 4));
    assertFalse(ring.hasKey(p, SpanRing.SPAN_ID, 1, 2, 4));
    assertFalse(ring.hasKey(p, SpanRing.SPAN_ID, 9, 2, 3));
    assertFalse(ring.hasKey(p, SpanRing.SPAN_ID, 1, 9, 3));
  }

  @Test
  void bitsAndChainLinkShareALongWithoutTouchingEachOther() {
    SpanRing ring = new SpanRing(4, 4);
    int p = append(ring, 1);
    assertEquals(EntryCodec.bitsOf(span(1)) | EntryCodec.OWN, ring.bits(p));
    assertEquals(SpanRing.NONE, ring.next(p));
    ring.setNext(p, 3);
    ring.setBits(p, -1);
    assertEquals(3, ring.next(p));
    assertEquals(-1, ring.bits(p));
    ring.setNext(p, SpanRing.NONE);
    assertEquals(-1, ring.bits(p));
    assertEquals(1, ring.spanId(p));
  }

  @Test
  void positionsWrapAroundAndSerialsKeepCounting() {
    SpanRing ring = new SpanRing(4, 4);
    for (long id = 1; id <= 4; id++) {
      assertEquals(id - 1, append(ring, id));
    }
    assertTrue(ring.isFull());
    ring.popHead();
    ring.popHead();
    assertEquals(2, ring.head());
    assertEquals(2, ring.headSerial());
    assertEquals(0, append(ring, 5), "the tail wraps to position 0");
    assertEquals(1, append(ring, 6));
    assertTrue(ring.isFull());
    assertEquals(6, ring.tailSerial());
    assertArrayEquals(new long[] {3, 4, 5, 6}, ids(ring));
    assertEquals(4, ring.serialOf(0));
    assertEquals(3, ring.serialOf(3));
    assertEquals(0, ring.positionOf(4));
    assertEquals(3, ring.positionOf(3));
  }

  @Test
  void poppingTheHeadLetsGoOfItsReferences() {
    SpanRing ring = new SpanRing(2, 2);
    Object attachment = new Object();
    int p = ring.append(span(1), 0, 0, attachment);
    assertEquals(attachment, ring.attachment(p));
    ring.popHead();
    assertNull(ring.attachment(p));
    assertNull(ring.origin(p));
    assertEquals(0, ring.size());
    assertEquals(1, ring.head());
  }

  @Test
  void aWrappedRingGrowsByHalfUnwrappedInArrivalOrder() {
    SpanRing ring = new SpanRing(4, 100);
    for (long id = 1; id <= 4; id++) {
      append(ring, id);
    }
    ring.popHead();
    ring.popHead();
    append(ring, 5);
    append(ring, 6);
    int oldHead = ring.head();
    ring.grow();
    assertEquals(4 + 2 + 1, ring.capacity());
    assertEquals(0, ring.head());
    assertEquals(2, ring.headSerial(), "arrival numbers do not change");
    assertArrayEquals(new long[] {3, 4, 5, 6}, ids(ring));
    // Old positions 2, 3, 0, 1 are now 0, 1, 2, 3.
    assertEquals(0, SpanRing.renumbered(2, oldHead, 4));
    assertEquals(1, SpanRing.renumbered(3, oldHead, 4));
    assertEquals(2, SpanRing.renumbered(0, oldHead, 4));
    assertEquals(3, SpanRing.renumbered(1, oldHead, 4));
    assertEquals(Spans.builder().spanId(5).parentSpanId(1_005).build(), ring.span(2));
    assertEquals(5, ring.arrived(2));
    for (long id = 7; id <= 9; id++) {
      append(ring, id);
    }
    assertTrue(ring.isFull());
    assertArrayEquals(new long[] {3, 4, 5, 6, 7, 8, 9}, ids(ring));
  }

  @Test
  void growthStopsAtTheBound() {
    SpanRing ring = new SpanRing(4, 6);
    for (long id = 1; id <= 4; id++) {
      append(ring, id);
    }
    ring.grow();
    assertEquals(6, ring.capacity(), "half of 4 plus one would be 7; the bound is 6");
    append(ring, 5);
    append(ring, 6);
    IllegalStateException e = assertThrows(IllegalStateException.class, ring::grow);
    assertEquals("pairing ring is full at 6 positions", e.getMessage());
    assertEquals(4, new SpanRing(16, 4).capacity(), "the bound caps the first size too");
  }

  @Test
  void arrivalsShiftBackButNotBelowTheFloor() {
    SpanRing ring = new SpanRing(4, 4);
    int a = ring.append(span(1), 1_000, 0, null);
    int b = ring.append(span(2), -900, EntryCodec.bitsOf(span(2)), null);
    ring.shiftArrivals(500, -1_000);
    assertEquals(500, ring.arrived(a));
    assertEquals(-1_000, ring.arrived(b));
    assertEquals(1, ring.spanId(a));
    assertEquals(Spans.builder().spanId(2).parentSpanId(1_002).build(), ring.span(b));
  }
}
