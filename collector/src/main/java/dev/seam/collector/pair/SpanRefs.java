package dev.seam.collector.pair;

import dev.seam.collector.model.Span;

/**
 * The five references a span keeps beside its numbers where the pairing side holds spans in flat
 * arrays ({@link SpanRing}, {@link RecentRoots}): its origin, name, error class, operation and
 * peer, at {@code refs[at + field]}. The decoder shares these objects between spans, so a held span
 * costs only the references.
 */
final class SpanRefs {

  static final int ORIGIN = 0;
  static final int NAME = 1;
  static final int ERROR_CLASS = 2;
  static final int OPERATION = 3;
  static final int PEER = 4;

  /** How many references a span takes. */
  static final int COUNT = 5;

  private SpanRefs() {}

  /** Writes the references of {@code s} at {@code refs[at]} to {@code refs[at + COUNT - 1]}. */
  static void write(Object[] refs, int at, Span s) {
    refs[at + ORIGIN] = s.origin();
    refs[at + NAME] = s.name();
    refs[at + ERROR_CLASS] = s.errorClass();
    refs[at + OPERATION] = s.operation();
    refs[at + PEER] = s.peer();
  }
}
