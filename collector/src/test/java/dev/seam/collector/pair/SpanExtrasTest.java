package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.seam.collector.model.Span;
import dev.seam.collector.testing.Spans;
import org.junit.jupiter.api.Test;

class SpanExtrasTest {

  private static final long START = 1_767_225_600_000_000_000L;

  private static Spans.Builder lasting(long durationNanos) {
    return Spans.builder().startNanos(START).endNanos(START + durationNanos);
  }

  @Test
  void aSpanTheRingHoldsWhollyNeedsNone() {
    assertNull(SpanExtras.of(Spans.builder().build()));
    assertNull(SpanExtras.of(lasting(Integer.MAX_VALUE).build()), "2.1 s still fits");
    assertNull(SpanExtras.of(lasting(Integer.MIN_VALUE).build()), "a clock that went back");
    assertNull(SpanExtras.of(lasting(0).build()));
  }

  @Test
  void eachRareFieldNeedsExtrasThatKeepIt() {
    Span[] spans = {
      lasting(Integer.MAX_VALUE + 1L).build(),
      lasting(Integer.MIN_VALUE - 1L).build(),
      lasting(5).requestBytes(0).build(),
      lasting(5).responseBytes(1).build(),
      lasting(5).allocatedBytes(Long.MAX_VALUE).build(),
      lasting(5).adjustedCount(4.0).build(),
      lasting(5).adjustedCount(-0.0).build(),
      lasting(5).adjustedCount(Double.NaN).build(),
    };
    for (Span s : spans) {
      SpanExtras x = SpanExtras.of(s);
      assertEquals(
          new SpanExtras(
              s.endNanos(),
              s.requestBytes(),
              s.responseBytes(),
              s.allocatedBytes(),
              s.adjustedCount()),
          x,
          s.toString());
    }
  }
}
