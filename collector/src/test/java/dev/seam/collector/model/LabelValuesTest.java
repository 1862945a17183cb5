package dev.seam.collector.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LabelValuesTest {

  @Test
  void cleanValuesPassUnchanged() {
    String v = "pricing-core ünïcødé 🚀";
    assertSame(v, LabelValues.sanitize(v));
    assertNull(LabelValues.sanitize(null));
  }

  @Test
  void controlCharactersBecomeUnderscores() {
    assertEquals("a_b_c_d", LabelValues.sanitize("a\nb\tc\u007fd"));
    assertEquals("x_y", LabelValues.sanitize("x\u0000y"));
  }

  @Test
  void longValuesAreCutWithoutSplittingASurrogatePair() {
    assertEquals(LabelValues.MAX_LENGTH, LabelValues.sanitize("s".repeat(10_000)).length());
    String emojiAtCut = "a".repeat(LabelValues.MAX_LENGTH - 1) + "🚀" + "tail";
    String cut = LabelValues.sanitize(emojiAtCut);
    assertEquals(LabelValues.MAX_LENGTH - 1, cut.length());
    assertEquals("a".repeat(LabelValues.MAX_LENGTH - 1), cut);
  }
}
