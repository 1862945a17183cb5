package dev.seam.collector.component;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksTest {

  @Test
  void eachCheckNamesItsKeyAndTheValue() {
    InvalidConfigException e =
        assertThrows(InvalidConfigException.class, () -> Checks.port("port", 70000));
    assertEquals("config key 'port' must be between 0 and 65535, got 70000", e.getMessage());
    e = assertThrows(InvalidConfigException.class, () -> Checks.positive("window", Duration.ZERO));
    assertEquals("window", e.key());
    e =
        assertThrows(
            InvalidConfigException.class,
            () -> Checks.atLeast("idle-timeout", Duration.ofMillis(500), Duration.ofSeconds(1)));
    assertEquals("config key 'idle-timeout' must be at least 1s, got 500ms", e.getMessage());
    e =
        assertThrows(
            InvalidConfigException.class, () -> Checks.oneOf("protocol", "x", List.of("a", "b")));
    assertEquals("config key 'protocol' must be one of a, b, got 'x'", e.getMessage());
    e = assertThrows(InvalidConfigException.class, () -> Checks.ascending("bytes", List.of(2, 1)));
    assertEquals("config key 'bytes' must be in ascending order", e.getMessage());
    e =
        assertThrows(
            InvalidConfigException.class, () -> Checks.ascending("bytes", List.<Integer>of()));
    assertEquals("config key 'bytes' must not be empty", e.getMessage());
    assertDoesNotThrow(() -> Checks.between("share", 1.0, 0.1, 1.0));
  }

  @Test
  void aKeyIsPrefixedWithItsSection() {
    InvalidConfigException e = new InvalidConfigException("max-roots", "must be positive");
    assertEquals(
        "config key 'pairing.context-broken.max-roots' must be positive",
        e.under("pairing.context-broken").getMessage());
    assertEquals(
        "config key 'pairing.window' x",
        new InvalidConfigException("", "x").under("pairing.window").getMessage());
    assertEquals(e, e.under(""));
  }
}
