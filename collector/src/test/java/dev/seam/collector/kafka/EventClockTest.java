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
    assertEquals(950 * S, clock.advance(), "P0 has no lag: it is at the wall clock");
    clock.lag(P1, 0);
    assertEquals(1_000 * S, clock.advance(), "all caught up: the wall clock");
    clock.lag(P1, 3);
    clock.processed(P1, ms(1_500 * S));
    assertEquals(1_000 * S, clock.advance(), "a producer clock ahead of the wall does not carry it into the future");
  }

  @Test
  void aPartitionRunningAheadIsHeldBackUntilTheOthersCatchUp() {
    clock.assign(P0);
    clock.assign(P1);
    clock.settled();
    clock.processed(P0, ms(100 * S));
    clock.processed(P1, ms(100 * S));
    clock.advance();
    assertFalse(clock.ahead(P1, ms(102 * S)), "two seconds are allowed");
    assertTrue(clock.ahead(P1, ms(102 * S) + 1));
    clock.holdBack(P1, ms(105 * S));
    assertFalse(clock.mayGoOn(P1));
    clock.processed(P0, ms(103 * S));
    assertTrue(clock.mayGoOn(P1));
    assertTrue(clock.mayGoOn(P1), "no longer held");
    assertTrue(clock.mayGoOn(P0), "never held");
  }

  @Test
  void theSlowestPartitionIsNeverHeldBackSoTheClockCanAlwaysMove() {
    clock.assign(P0);
    clock.assign(P1);
    clock.assign(P2);
    clock.settled();
    clock.processed(P0, ms(100 * S));
    clock.processed(P1, ms(101 * S));
    clock.processed(P2, ms(100 * S));
    clock.lag(P2, 0);
    // P0's next record is far ahead (a gap in its data): held back at 200 s.
    assertTrue(clock.ahead(P0, ms(200 * S)));
    clock.holdBack(P0, ms(200 * S));
    // P1's next record is ahead of P0's last record, but not of where P0 will be next.
    assertFalse(clock.ahead(P1, ms(150 * S)));
    clock.processed(P1, ms(150 * S));
    assertEquals(150 * S, clock.advance(), "held back at its next record, P0 is as far as 200 s, not 100 s");
    assertFalse(clock.mayGoOn(P0));
    clock.processed(P1, ms(198 * S));
    assertTrue(clock.mayGoOn(P0), "now within the skew of the slowest other");
  }

  @Test
  void aPartitionAloneOrNotYetPlacedIsNeverAhead() {
    clock.assign(P0);
    clock.settled();
    assertFalse(clock.ahead(P0, ms(100 * S)), "not placed yet");
    clock.processed(P0, ms(100 * S));
    assertFalse(clock.ahead(P0, ms(500 * S)), "alone");
    clock.assign(P1);
    assertFalse(clock.ahead(P0, ms(500 * S)), "the other is not placed yet");
    clock.revoke(P1);
    clock.revoke(P0);
    long before = clock.advance();
    wall.addAndGet(10 * S);
    assertEquals(before, clock.advance(), "nothing owned while the group rebalances: it stands still");
  }
}
