package dev.seam.collector.pair;

import dev.seam.collector.model.Span;

/**
 * What most held spans do not need: the four numbers that are nearly always "not known" (-1) and
 * "stands for itself" (1.0), and the end of a span that lasted 2.1 s or more. Keeping them in the
 * {@link SpanRing} would cost 32 more bytes on every span; a span that needs any of them pays for
 * this object instead.
 */
record SpanExtras(
    long endNanos,
    long requestBytes,
    long responseBytes,
    long allocatedBytes,
    double adjustedCount) {

  private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);

  /** The extras {@code s} needs, or null when its ring entry alone gives it back. */
  static SpanExtras of(Span s) {
    if (EntryCodec.fitsInt(s.endNanos() - s.startNanos())
        && s.requestBytes() == -1
        && s.responseBytes() == -1
        && s.allocatedBytes() == -1
        && Double.doubleToRawLongBits(s.adjustedCount()) == ONE_BITS) {
      return null;
    }
    return new SpanExtras(
        s.endNanos(), s.requestBytes(), s.responseBytes(), s.allocatedBytes(), s.adjustedCount());
  }
}
