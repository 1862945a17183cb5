package dev.seam.collector.pair;

/**
 * Whether a span or error log is seen for the first time, or again because its Kafka partition
 * changed owner: the new owner reads the partition again from a point the previous owner committed,
 * and must count only what the previous owner did not.
 */
public enum Replay {

  /** Seen for the first time: everything about it counts. */
  NONE(0),

  /**
   * The previous owner processed it and still held it when it handed the partition over. It counts
   * like a new one, except that a call whose two halves are both replayed was counted by the
   * previous owner (as were the error logs it had tied to that call), so it is not counted again.
   */
  REPLAYED(EntryCodec.REPLAYED),

  /**
   * The previous owner processed it and had ended all of it before it handed the partition over: it
   * is held again only so that replayed halves find the counterparts they had found there. Nothing
   * about it is reported, and a span seen for the first time does not pair with it.
   */
  CONTEXT(EntryCodec.REPLAYED | EntryCodec.SILENT);

  /** The {@link EntryCodec} state bits a span held with this replay carries. */
  final int bits;

  Replay(int bits) {
    this.bits = bits;
  }
}
