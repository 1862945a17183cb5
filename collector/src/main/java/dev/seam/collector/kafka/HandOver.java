package dev.seam.collector.kafka;

import dev.seam.collector.pair.Replay;

/**
 * What the owner of a partition tells the next owner in the metadata of its committed offset: the
 * records from the committed offset up to {@code contextEnd} had ended at the previous owner
 * ({@link Replay#CONTEXT}), those from {@code contextEnd} to {@code replayEnd} it had processed and
 * still held ({@link Replay#REPLAYED}), and those after {@code replayEnd} it never saw.
 *
 * @param contextEnd the first offset whose record was still held (not everything of it had ended)
 * @param replayEnd the last offset processed
 */
record HandOver(long contextEnd, long replayEnd) {

  private static final String PREFIX = "seam1 ";

  /** The offset metadata: {@code seam1 <contextEnd> <replayEnd>}. */
  String metadata() {
    return PREFIX + contextEnd + " " + replayEnd;
  }

  /** The hand-over in committed metadata, or null when the metadata is not Seam's. */
  static HandOver parse(String metadata) {
    if (metadata == null || !metadata.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = metadata.substring(PREFIX.length()).split(" ");
    if (parts.length != 2) {
      return null;
    }
    try {
      return new HandOver(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** How a record at {@code offset} is seen again by the next owner. */
  Replay replayOf(long offset) {
    if (offset > replayEnd) {
      return Replay.NONE;
    }
    return offset < contextEnd ? Replay.CONTEXT : Replay.REPLAYED;
  }
}
