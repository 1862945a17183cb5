package dev.seam.collector.pair;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the pairing store counts about itself beyond entry outcomes: repeated spans it ignored, how
 * error logs ended, and what left the {@link EndedSpans} index. Shards add under their locks;
 * meters read at any time.
 */
final class StoreCounts {

  /** Copies of a span still held. */
  final LongAdder duplicatesPending = new LongAdder();

  /** Copies of a span that ended within {@code pairing.log-window}. */
  final LongAdder duplicatesEnded = new LongAdder();

  /** Error logs counted against a half of an edge still held. */
  final LongAdder logsTied = new LongAdder();

  /** Error logs counted against a half of an edge that had left the store. */
  final LongAdder logsLate = new LongAdder();

  /** Error logs that ended without an edge to count against. */
  final LongAdder logsUntied = new LongAdder();

  /** Ended spans forgotten when their {@code pairing.log-window} passed. */
  final LongAdder endedExpired = new LongAdder();

  /** Ended spans forgotten early, to make room ({@code pairing.max-ended-spans}). */
  final LongAdder endedEvicted = new LongAdder();
}
