package dev.seam.collector.pair;

import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;

/**
 * How a {@link SpanRing} entry packs its small fields: a span's three enums and two booleans and
 * the entry's state as one {@code int} of bits, and two {@code int}s to a {@code long} (the bits
 * beside the waiting chain's link, the duration beside the arrival tick).
 */
final class EntryCodec {

  // The bits: three enums and two booleans of the span, then the entry's state.
  private static final int KIND_MASK = 0x7;
  private static final int LINK_SHIFT = 3;
  private static final int LINK_MASK = 0x3;
  private static final int PROTOCOL_SHIFT = 5;
  private static final int PROTOCOL_MASK = 0x7;
  private static final int FAILED = 1 << 8;
  private static final int ANSWERED = 1 << 9;

  /** The span is held as a candidate parent and can be found by its own id. */
  static final int OWN = 1 << 10;

  /** The span waits for its parent, found by its parent's id. */
  static final int WAIT = 1 << 11;

  /** A child that crossed found this span as its parent. */
  static final int PAIRED = 1 << 12;

  /** The span is a half of an edge: it has a first {@link EdgeLinks.Link}. */
  static final int EDGE = 1 << 13;

  /** With {@link #EDGE}: this span is the callee of its first edge, else its caller. */
  static final int CALLEE = 1 << 14;

  /** The span has {@link SpanExtras} in its attachment. */
  static final int EXTRAS = 1 << 15;

  /**
   * The span came again from a Kafka record the partition's previous owner had processed ({@link
   * Replay#REPLAYED} or {@link Replay#CONTEXT}): a call between two such halves was counted there.
   */
  static final int REPLAYED = 1 << 16;

  /**
   * Every part of the span had ended at the partition's previous owner ({@link Replay#CONTEXT}).
   */
  static final int SILENT = 1 << 17;

  /**
   * With {@link #EDGE}: the span's first edge joins two replayed halves, so the previous owner
   * already counted it and the replayed error logs tied to it.
   */
  static final int UNCOUNTED_EDGE = 1 << 18;

  private static final SpanKind[] KINDS = SpanKind.values();
  private static final ParentLink[] LINKS = ParentLink.values();
  private static final ProtocolHint[] PROTOCOLS = ProtocolHint.values();

  static {
    if (KINDS.length > KIND_MASK + 1
        || LINKS.length > LINK_MASK + 1
        || PROTOCOLS.length > PROTOCOL_MASK + 1) {
      throw new ExceptionInInitializerError("an enum outgrew its bits in EntryCodec");
    }
  }

  private static final long LOW_INT = 0xFFFF_FFFFL;

  private EntryCodec() {}

  /** The bits of a span's kind, parent link, protocol, failure and answer; no state flags. */
  static int bitsOf(Span s) {
    int b =
        s.kind().ordinal()
            | s.parentLink().ordinal() << LINK_SHIFT
            | s.protocol().ordinal() << PROTOCOL_SHIFT;
    if (s.failed()) {
      b |= FAILED;
    }
    if (s.answered()) {
      b |= ANSWERED;
    }
    return b;
  }

  static SpanKind kind(int bits) {
    return KINDS[bits & KIND_MASK];
  }

  static ParentLink parentLink(int bits) {
    return LINKS[bits >>> LINK_SHIFT & LINK_MASK];
  }

  static ProtocolHint protocol(int bits) {
    return PROTOCOLS[bits >>> PROTOCOL_SHIFT & PROTOCOL_MASK];
  }

  static boolean failed(int bits) {
    return (bits & FAILED) != 0;
  }

  static boolean answered(int bits) {
    return (bits & ANSWERED) != 0;
  }

  /** {@code high} in the upper half of a {@code long}, {@code low} in the lower. */
  static long pack(int high, int low) {
    return (long) high << 32 | (low & LOW_INT);
  }

  static int high(long packed) {
    return (int) (packed >>> 32);
  }

  static int low(long packed) {
    return (int) packed;
  }

  static long withHigh(long packed, int high) {
    return (long) high << 32 | (packed & LOW_INT);
  }

  static long withLow(long packed, int low) {
    return packed & ~LOW_INT | (low & LOW_INT);
  }

  /** Whether a {@code long} survives being kept as an {@code int}. */
  static boolean fitsInt(long v) {
    return (int) v == v;
  }
}
