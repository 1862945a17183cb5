package dev.seam.collector.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parsesEachUnit() {
    assertEquals(Duration.ofNanos(2_500), Durations.parse("2.5us"));
    assertEquals(Duration.ofNanos(2_500), Durations.parse("2.5µs"));
    assertEquals(Duration.ofMinutes(1), Durations.parse("1m"));
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofNanos(7), Durations.parse("7ns"));
    assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
    assertEquals(Duration.ofHours(2), Durations.parse("2h"));
    assertEquals(Duration.ofMillis(2_500), Durations.parse("2.5s"));
  }

  @Test
  void refusesWhatIsNotADuration() {
    assertNull(Durations.parse("10"), "a unit is required");
    assertNull(Durations.parse("abc"));
    assertNull(Durations.parse("-1s"));
    assertNull(Durations.parse("1d"));
  }

  @Test
  void formatsAsTheDocumentationWritesIt() {
    assertEquals("10s", Durations.format(Duration.ofSeconds(10)));
    assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
    assertEquals("2.5ms", Durations.format(Duration.ofNanos(2_500_000)));
    assertEquals("2.5us", Durations.format(Duration.ofNanos(2_500)));
    assertEquals("2.5s", Durations.format(Duration.ofMillis(2_500)));
    assertEquals("90s", Durations.format(Duration.ofSeconds(90)), "no fractions of minutes");
    assertEquals("5m", Durations.format(Duration.ofMinutes(5)));
    assertEquals("1h", Durations.format(Duration.ofHours(1)));
    assertEquals("1234567ns", Durations.format(Duration.ofNanos(1_234_567)));
    assertEquals("0ns", Durations.format(Duration.ZERO));
    for (String text : new String[] {"10s", "500ms", "2.5ms", "2.5us", "1h", "5m", "7ns"}) {
      assertEquals(text, Durations.format(Durations.parse(text)), "round trip");
    }
  }
}
