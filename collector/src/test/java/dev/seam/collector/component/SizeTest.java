package dev.seam.collector.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SizeTest {

  private static final long MIB = 1L << 20;

  @Test
  void parsesEachUnit() {
    assertEquals(16 * MIB, Size.parse("16MiB").bytes());
    assertEquals(512 * 1024L, Size.parse("512KiB").bytes());
    assertEquals(1_048_576L, Size.parse("1048576").bytes());
    assertEquals(1_048_576L, Size.parse(" 1048576 ").bytes());
    assertEquals(3L << 30, Size.parse("3GiB").bytes());
    assertEquals(5_000_000_000L, Size.parse("5GB").bytes());
    assertEquals(2_000L, Size.parse("2KB").bytes());
    assertEquals(7 * MIB, Size.parse("7M").bytes());
    assertEquals(100L, Size.parse("100B").bytes());
  }

  @Test
  void refusesWhatIsNotASize() {
    assertNull(Size.parse("1.5MiB"));
    assertNull(Size.parse("MiB"));
    assertNull(Size.parse("-1"));
    assertNull(Size.parse("lots"));
    assertNull(Size.parse("9223372036854775807KiB"), "beyond a long");
    assertNull(Size.parse("99999999999999999999"), "more digits than a long");
    assertThrows(IllegalArgumentException.class, () -> new Size(-1));
  }

  @Test
  void printsInTheLargestBinaryUnitThatDividesIt() {
    assertEquals("16MiB", Size.mib(16).toString());
    assertEquals("1KiB", Size.bytes(1024).toString());
    assertEquals("3GiB", Size.bytes(3L << 30).toString());
    assertEquals("1000", Size.bytes(1000).toString());
    assertEquals("0", Size.bytes(0).toString());
    for (String text : new String[] {"16MiB", "1KiB", "3GiB", "1000", "64"}) {
      assertEquals(text, Size.parse(text).toString(), "round trip");
    }
  }
}
