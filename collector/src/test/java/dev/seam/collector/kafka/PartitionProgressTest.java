package dev.seam.collector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.seam.collector.pair.Replay;
import java.util.ArrayDeque;
import java.util.Random;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

  private static final long S = 1_000_000_000L;
  private static final long WINDOW = 2 * S;

  @Test
  void commitsTheOldestRecordThatMayStillMatterWithTheFirstOneStillHeld() {
    PartitionProgress p = new PartitionProgress(null);
    assertNull(p.commitPoint(Long.MIN_VALUE, WINDOW), "nothing processed");
    for (long o = 100; o < 110; o++) {
      p.processed(o, (o - 100) * S); // offset 100 arrived at 0 s, 109 at 9 s
    }
    // Nothing has expired yet: every record is still held.
    assertEquals(
        new OffsetAndMetadata(100, "seam1 100 109"), p.commitPoint(Long.MIN_VALUE, WINDOW));
    assertNull(p.commitPoint(Long.MIN_VALUE, WINDOW), "unchanged");
    // Everything that arrived by 5 s has ended: 106 on are held; 104 and 105 arrived within a
    // window of 106 and are context for a next owner; 100 to 103 no longer matter.
    assertEquals(new OffsetAndMetadata(104, "seam1 106 109"), p.commitPoint(5 * S, WINDOW));
    assertEquals(6, p.runs());
    p.commitFailed();
    assertEquals(
        new OffsetAndMetadata(104, "seam1 106 109"),
        p.commitPoint(5 * S, WINDOW),
        "given again after a failed commit");
    // All ended: a next owner reads what arrived within a window of the end, and nothing is held.
    assertEquals(new OffsetAndMetadata(109, "seam1 110 109"), p.handOver(10 * S, WINDOW));
    assertEquals(new OffsetAndMetadata(110, "seam1 110 109"), p.handOver(12 * S, WINDOW));
    assertEquals(Replay.NONE, p.replayOf(100));
  }

  @Test
  void aNextOwnerReadsThePreviousOwnersRecordsAsContextAndReplaysAndPassesTheHandOverOn() {
    PartitionProgress p = new PartitionProgress(HandOver.parse(new HandOver(20, 30).metadata()));
    assertEquals(Replay.CONTEXT, p.replayOf(15));
    assertEquals(Replay.REPLAYED, p.replayOf(20));
    assertEquals(Replay.REPLAYED, p.replayOf(30));
    assertEquals(Replay.NONE, p.replayOf(31));
    // This owner read 15 to 25 (all arriving at once, as a replay does) and is stopped.
    for (long o = 15; o <= 25; o++) {
      p.processed(o, 50 * S);
    }
    // Its own store ended nothing yet; the next owner must still see 15..19 as context (they had
    // ended two owners ago) and 26..30 as replays (this owner never read them).
    assertEquals(new OffsetAndMetadata(15, "seam1 20 30"), p.handOver(Long.MIN_VALUE, WINDOW));
    // Everything it held has ended here, and it read on past the previous owner's last record.
    for (long o = 26; o <= 40; o++) {
      p.processed(o, 60 * S);
    }
    assertEquals(new OffsetAndMetadata(26, "seam1 41 40"), p.handOver(61 * S, WINDOW));
  }

  @Test
  void keepsAnyNumberOfRecords() {
    PartitionProgress p = new PartitionProgress(null);
    for (long o = 0; o < 1000; o++) {
      p.processed(o, o * 1_000_000L);
    }
    assertEquals(1000, p.runs());
    // Settled before 0.5 s, window 0.1 s: 400 and on may matter, 501 on are held.
    assertEquals(
        new OffsetAndMetadata(401, "seam1 501 999"), p.commitPoint(500_000_000L, 100_000_000L));
    assertEquals(599, p.runs());
  }

  @Test
  void handOverMetadataReadsBackAndOthersAreIgnored() {
    assertEquals(new HandOver(7, 9), HandOver.parse("seam1 7 9"));
    assertNull(HandOver.parse(null));
    assertNull(HandOver.parse(""));
    assertNull(HandOver.parse("seam1 7"));
    assertNull(HandOver.parse("seam1 a b"));
    assertNull(HandOver.parse("committed by someone else"));
  }

  @Test
  void recordsProcessedAtOneTimeAreOneRun() {
    PartitionProgress p = new PartitionProgress(null);
    // 10,000 records over 10 s of event time, a thousand per second in 20 ms steps.
    for (long o = 0; o < 10_000; o++) {
      p.processed(o, (o / 20) * 20_000_000L);
    }
    assertEquals(500, p.runs());
    // Settled before 6 s, window 2 s: what arrived after 4 s may matter (the run at 4.02 s starts
    // at
    // offset 4020), and the first still held arrived at 6.02 s (offset 6020).
    assertEquals(new OffsetAndMetadata(4020, "seam1 6020 9999"), p.commitPoint(6 * S, WINDOW));
    assertEquals(299, p.runs());
    // All of it settled: the room it took is given back.
    p.commitPoint(20 * S, WINDOW);
    assertEquals(0, p.runs());
  }

  /** The runs give every answer that per-record bookkeeping gives, on random streams. */
  @Test
  void runsAnswerAsRecordsWould() {
    Random random = new Random(42);
    for (int stream = 0; stream < 200; stream++) {
      PartitionProgress p = new PartitionProgress(null);
      PerRecord expected = new PerRecord();
      long offset = random.nextInt(1000);
      long arrival = 0;
      for (int step = 0; step < 2_000; step++) {
        // Gaps in offsets (transaction markers, compaction) and repeated arrivals.
        offset += 1 + (random.nextInt(10) == 0 ? random.nextInt(5) : 0);
        if (random.nextInt(4) == 0) {
          arrival += random.nextInt(3) * 1_000_000L;
        }
        p.processed(offset, arrival);
        expected.processed(offset, arrival);
        if (random.nextInt(50) == 0) {
          long settled = arrival - random.nextInt(5) * 1_000_000L;
          long window = random.nextInt(4) * 1_000_000L;
          assertEquals(expected.handOver(settled, window), p.handOver(settled, window));
        }
      }
      assertEquals(expected.handOver(Long.MIN_VALUE, 0), p.handOver(Long.MIN_VALUE, 0));
    }
  }

  /** The bookkeeping a record at a time, as it was: the reference for the runs. */
  private static final class PerRecord {
    private final ArrayDeque<long[]> kept = new ArrayDeque<>();
    private long lastProcessed = -1;

    void processed(long offset, long arrival) {
      kept.addLast(new long[] {offset, arrival});
      lastProcessed = offset;
    }

    OffsetAndMetadata handOver(long settledBefore, long window) {
      long irrelevant = settledBefore == Long.MIN_VALUE ? Long.MIN_VALUE : settledBefore - window;
      while (!kept.isEmpty() && kept.peekFirst()[1] <= irrelevant) {
        kept.removeFirst();
      }
      long start = kept.isEmpty() ? lastProcessed + 1 : kept.peekFirst()[0];
      long contextEnd = lastProcessed + 1;
      for (long[] r : kept) {
        if (r[1] > settledBefore) {
          contextEnd = r[0];
          break;
        }
      }
      return new OffsetAndMetadata(start, new HandOver(contextEnd, lastProcessed).metadata());
    }
  }
}
