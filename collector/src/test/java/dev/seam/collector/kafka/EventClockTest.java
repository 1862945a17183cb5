package dev.seam.collector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class EventClockTest {

  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final TopicPartition P0 = new TopicPartition("otlp_spans", 0);
  private static final TopicPartition P1 = new TopicPartition("otlp_spans", 1);
  private static final TopicPartition P2 = new TopicPartition("otlp_spans", 2);

  private final AtomicLong wall = new AtomicLong(1_000 * S);
  private final EventClock clock = new EventClock(wall::get, 2 * S);

  private static long ms(long nanos) {
    return nanos / MS;
  }

  @Test
  void standsStillUntilTheGroupSettlesThenFollowsTheWallClockWithNothingOwned() {
    assertEquals(0, clock.advance());
    clock.settled();
    assertEquals(1_000 * S, clock.advance());
    wall.addAndGet(S);
    assertEquals(1_001 * S, clock.advance());
    assertEquals(0, clock.lagNanos());
    clock.assign(P0);
    clock.revoke(P0);
    wall.addAndGet(10 * S);
    assertEquals(
        1_001 * S, clock.advance(), "nothing owned while the group rebalances: it stands still");
  }

  @Test
  void isTheSlowestPartitionNeverGoesBackAndIsTheWallClockWhenCaughtUp() {
    clock.assign(P0);
    clock.assign(P1);
    clock.settled();
    assertEquals(0, clock.advance(), "nothing known yet");
    clock.processed(P0, ms(900 * S));
    assertEquals(900 * S, clock.advance(), "a partition not known yet holds nothing up");
    clock.processed(P1, ms(890 * S));
    assertEquals(900 * S, clock.advance(), "never back");
    clock.processed(P1, ms(950 * S));
    assertEquals(900 * S, clock.advance(), "the slowest partition");
    clock.processed(P0, ms(940 * S));
    assertEquals(940 * S, clock.advance());
    assertEquals(60 * S, clock.lagNanos());
    clock.lag(P0, 0);
    assertEquals(950 * S, clock.advance(), "P0 has nothing to fetch: it is at the wall clock");
    clock.next(P0, ms(945 * S));
    clock.lag(P1, 0);
    assertEquals(
        950 * S, clock.advance(), "P0's last fetch left a record waiting: it is where it was");
    clock.noNext(P0);
    assertEquals(1_000 * S, clock.advance(), "all caught up: the wall clock");
    clock.lag(P1, 3);
    clock.processed(P1, ms(1_500 * S));
    assertEquals(
        1_000 * S,
        clock.advance(),
        "a producer clock ahead of the wall does not carry it into the future");
  }

  @Test
  void aRecordWaitsWhileAPartitionNotFetchedYetMayHoldEarlierOnes() {
    clock.assign(P0);
    clock.assign(P1);
    clock.assign(P2);
    clock.settled();
    clock.next(P0, ms(100 * S));
    clock.next(P1, ms(101 * S));
    assertFalse(
        clock.mayProcess(P0, ms(100 * S)), "P2 has not been fetched: it may start anywhere");
    clock.lag(P2, 0);
    assertTrue(clock.mayProcess(P0, ms(100 * S)), "P2 has nothing to read");
    clock.lag(P2, 5);
    clock.processed(P2, ms(99 * S));
    assertTrue(clock.mayProcess(P0, ms(100 * S)));
    assertTrue(clock.mayProcess(P0, ms(101 * S)), "two seconds of skew are allowed");
    clock.next(P1, ms(110 * S));
    assertFalse(
        clock.mayProcess(P0, ms(102 * S)),
        "P2's next record, not fetched yet, may be as early as 99 s");
    clock.next(P2, ms(108 * S));
    assertTrue(clock.mayProcess(P0, ms(102 * S)), "fetched: P2 is at 108 s");
    assertFalse(clock.mayProcess(P0, ms(111 * S)), "P1 waits at 110 s");
  }

  @Test
  void aPartitionAloneIsNeverHeldBack() {
    clock.assign(P0);
    clock.settled();
    assertTrue(clock.mayProcess(P0, ms(100 * S)));
    clock.processed(P0, ms(100 * S));
    assertTrue(clock.mayProcess(P0, ms(500 * S)));
  }
}
