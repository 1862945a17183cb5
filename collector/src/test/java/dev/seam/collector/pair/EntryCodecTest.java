package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.testing.Spans;
import org.junit.jupiter.api.Test;

class EntryCodecTest {

  private static final int[] STATE_FLAGS = {
    EntryCodec.OWN,
    EntryCodec.WAIT,
    EntryCodec.PAIRED,
    EntryCodec.EDGE,
    EntryCodec.CALLEE,
    EntryCodec.EXTRAS
  };

  private static final int[] INT_EDGES = {Integer.MIN_VALUE, -2, -1, 0, 1, Integer.MAX_VALUE};

  @Test
  void everyKindLinkProtocolAndBooleanComesBackWithOrWithoutTheStateFlags() {
    int allFlags = 0;
    for (int f : STATE_FLAGS) {
      allFlags |= f;
    }
    int combinations = 0;
    for (SpanKind kind : SpanKind.values()) {
      for (ParentLink link : ParentLink.values()) {
        for (ProtocolHint protocol : ProtocolHint.values()) {
          for (boolean failed : new boolean[] {false, true}) {
            for (boolean answered : new boolean[] {false, true}) {
              Span s =
                  Spans.builder()
                      .kind(kind)
                      .parentLink(link)
                      .protocol(protocol)
                      .failed(failed)
                      .answered(answered)
                      .build();
              int bits = EntryCodec.bitsOf(s);
              assertEquals(0, bits & allFlags, "a span's bits carry no state: " + s);
              for (int b : new int[] {bits, bits | allFlags}) {
                assertEquals(kind, EntryCodec.kind(b));
                assertEquals(link, EntryCodec.parentLink(b));
                assertEquals(protocol, EntryCodec.protocol(b));
                assertEquals(failed, EntryCodec.failed(b));
                assertEquals(answered, EntryCodec.answered(b));
              }
              combinations++;
            }
          }
        }
      }
    }
    assertEquals(
        SpanKind.values().length * ParentLink.values().length * ProtocolHint.values().length * 4,
        combinations);
  }

  @Test
  void stateFlagsAreDistinctSingleBitsThatFitBesideAChainLink() {
    int seen = 0;
    for (int f : STATE_FLAGS) {
      assertEquals(1, Integer.bitCount(f), "one bit: " + f);
      assertEquals(0, seen & f, "distinct: " + f);
      seen |= f;
      // The bits go to the high half of a long, the chain link to the low one.
      long packed = EntryCodec.pack(f, SpanRing.NONE);
      assertEquals(f, EntryCodec.high(packed));
      assertEquals(SpanRing.NONE, EntryCodec.low(packed));
    }
  }

  @Test
  void bothHalvesOfAPackedLongComeBackAtTheEdgesOfTheirRange() {
    for (int high : INT_EDGES) {
      for (int low : INT_EDGES) {
        long packed = EntryCodec.pack(high, low);
        assertEquals(high, EntryCodec.high(packed), high + "/" + low);
        assertEquals(low, EntryCodec.low(packed), high + "/" + low);
        // The high half read as a signed long, as a duration is.
        assertEquals(high, packed >> 32);
      }
    }
  }

  @Test
  void eachHalfIsReplacedWithoutTouchingTheOther() {
    for (int high : INT_EDGES) {
      for (int low : INT_EDGES) {
        long packed = EntryCodec.pack(high, low);
        for (int other : INT_EDGES) {
          long h = EntryCodec.withHigh(packed, other);
          assertEquals(other, EntryCodec.high(h));
          assertEquals(low, EntryCodec.low(h));
          long l = EntryCodec.withLow(packed, other);
          assertEquals(high, EntryCodec.high(l));
          assertEquals(other, EntryCodec.low(l));
        }
      }
    }
  }

  @Test
  void aDurationFitsWhenAnIntKeepsIt() {
    assertTrue(EntryCodec.fitsInt(Integer.MAX_VALUE));
    assertTrue(EntryCodec.fitsInt(Integer.MIN_VALUE));
    assertTrue(EntryCodec.fitsInt(0));
    assertFalse(EntryCodec.fitsInt(Integer.MAX_VALUE + 1L));
    assertFalse(EntryCodec.fitsInt(Integer.MIN_VALUE - 1L));
    assertFalse(EntryCodec.fitsInt(Long.MAX_VALUE));
  }
}
