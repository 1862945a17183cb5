package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeldErrorLogsTest {

  private static final long WINDOW = 1_000;

  private final HeldErrorLogs logs = new HeldErrorLogs();

  @Test
  void logsNamingOneSpanAreCountedAndTakenTogether() {
    assertTrue(logs.isEmpty());
    assertEquals(0, logs.take(1, 2, 3));
    logs.add(1, 2, 3, 0, 0, false);
    logs.add(1, 2, 3, 5, 1, false);
    logs.add(1, 2, 4, 5, 1, false);
    assertFalse(logs.isEmpty());
    assertEquals(0, logs.take(1, 9, 3), "another trace");
    assertEquals(2, logs.take(1, 2, 3));
    assertEquals(0, logs.take(1, 2, 3), "taken once");
    assertEquals(1, logs.take(1, 2, 4));
    assertTrue(logs.isEmpty());
  }

  @Test
  void aNewLogRestartsTheWindowOfAllLogsForItsSpan() {
    logs.add(1, 1, 1, 0, 0, false); // A
    logs.add(1, 1, 2, 10, 0, false); // B
    logs.add(1, 1, 1, 20, 0, false); // A again: A is now younger than B
    logs.add(1, 1, 3, 30, 0, false); // C
    assertEquals(0, logs.expire(WINDOW + 9, WINDOW));
    assertEquals(1, logs.expire(WINDOW + 10, WINDOW), "B only");
    assertEquals(0, logs.take(1, 1, 2));
    assertEquals(2, logs.expire(WINDOW + 20, WINDOW), "A's two logs; expiry stops at C");
    assertEquals(1, logs.take(1, 1, 3));
  }

  @Test
  void theOldestLogsAreEvictedOnlyIfTheyCameBeforeTheRingsHead() {
    logs.add(1, 1, 1, 0, 5, false);
    logs.add(1, 1, 1, 0, 6, false); // moves to serial 6
    logs.add(1, 1, 2, 0, 7, false);
    assertEquals(0, logs.evictOldestBefore(5));
    assertEquals(2, logs.evictOldestBefore(6), "came when the tail was 6: older than entry 6");
    assertEquals(0, logs.evictOldestBefore(6));
    assertEquals(1, logs.evictOldestBefore(Long.MAX_VALUE));
    assertEquals(0, logs.evictOldestBefore(Long.MAX_VALUE), "nothing left");
  }

  @Test
  void clearingCountsEveryLog() {
    logs.add(1, 1, 1, 0, 0, false);
    logs.add(1, 1, 1, 0, 0, false);
    logs.add(1, 1, 2, 0, 0, false);
    assertEquals(3, logs.clear());
    assertTrue(logs.isEmpty());
    assertEquals(0, logs.clear());
  }
}
