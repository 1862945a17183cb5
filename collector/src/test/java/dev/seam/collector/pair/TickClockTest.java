package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seam.collector.testing.Spans;
import org.junit.jupiter.api.Test;

class TickClockTest {

  @Test
  void windowsUnderTwoToThe28NanosecondsAreCountedInNanoseconds() {
    assertEquals(0, TickClock.shiftFor(1));
    assertEquals(0, TickClock.shiftFor(1_000_000L));
    assertEquals(0, TickClock.shiftFor((1L << 28) - 1));
    assertEquals(1, TickClock.shiftFor(1L << 28));
    assertEquals(1_000_000L, TickClock.windowTicks(1_000_000L));
  }

  @Test
  void aFifteenSecondWindowIsCountedIn64NanosecondTicksRoundedUp() {
    assertEquals(6, TickClock.shiftFor(15_000_000_000L));
    assertEquals(234_375_000L, TickClock.windowTicks(15_000_000_000L));
    assertEquals(234_375_001L, TickClock.windowTicks(15_000_000_001L));
    assertEquals(234_375_001L, TickClock.windowTicks(15_000_000_063L));
  }

  @Test
  void ticksCountFromTheEpoch() {
    SpanArena arena = new SpanArena(4, 4);
    TickClock clock = new TickClock(15_000_000_000L, 1_000);
    assertEquals(0, clock.tick(1_000, arena));
    assertEquals(1, clock.tick(1_064, arena));
    assertEquals(1, clock.tick(1_127, arena));
    assertEquals(-1, clock.tick(936, arena), "a clock that went back a little");
  }

  @Test
  void theEpochMovesNearTwoToThe30AndHeldArrivalsMoveBackWithIt() {
    SpanArena arena = new SpanArena(4, 4);
    TickClock clock = new TickClock(1_000_000L, 0);
    long now = 1L << 30;
    int recent = arena.append(Spans.builder().spanId(1).build(), clock.tick(now - 10, arena), 0);
    int ancient = arena.append(Spans.builder().spanId(2).build(), TickClock.FLOOR_TICK + 5, 0);
    assertEquals((1 << 30) - 10, arena.arrived(recent));

    int t = clock.tick(now + 100, arena); // past 2^30: the epoch moves
    assertEquals(1 << 29, t);
    assertEquals((1 << 29) - 110, arena.arrived(recent), "as far before the present as it was");
    assertEquals(TickClock.FLOOR_TICK, arena.arrived(ancient), "no further back than the floor");
    assertEquals((1 << 29) + 1, clock.tick(now + 101, arena), "later ticks, from the new epoch");
  }

  @Test
  void aClockThatWentFarBackStaysAtTheFloor() {
    SpanArena arena = new SpanArena(4, 4);
    TickClock clock = new TickClock(1_000_000L, 0);
    assertEquals(TickClock.FLOOR_TICK, clock.tick(-(1L << 40), arena));
  }
}
