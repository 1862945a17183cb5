package dev.seam.collector.pair;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Error logs that name a span not yet a half of an edge, one entry per span with a count, whose
 * window restarts at each new log for the span. They are rare, so they wait in a plain
 * insertion-ordered map. Not thread-safe: the shard's lock guards it.
 */
final class HeldErrorLogs {

  /** The key of a span: its trace and its own id. */
  private record SpanKey(long traceIdHigh, long traceIdLow, long spanId) {}

  /** The logs naming one span. */
  private static final class Held {
    int count;
    long arrivedNanos;

    /** The ring's tail serial when the latest of them came, to compare with the ring's head. */
    long serial;
  }

  // Insertion order is arrival order, so expiry stops at the first key still in its window.
  private final LinkedHashMap<SpanKey, Held> byKey = new LinkedHashMap<>();

  boolean isEmpty() {
    return byKey.isEmpty();
  }

  /**
   * Holds one more log naming this span, which moves the span to the young end and restarts the
   * window of all its logs.
   *
   * @param serial {@link SpanArena#tailSerial} now
   */
  void add(long traceIdHigh, long traceIdLow, long spanId, long nowNanos, long serial) {
    SpanKey key = new SpanKey(traceIdHigh, traceIdLow, spanId);
    Held held = byKey.remove(key);
    if (held == null) {
      held = new Held();
    }
    held.count++;
    held.arrivedNanos = nowNanos;
    held.serial = serial;
    byKey.put(key, held);
  }

  /** Takes the logs naming this span; returns how many there were (0 for none). */
  int take(long traceIdHigh, long traceIdLow, long spanId) {
    if (byKey.isEmpty()) {
      return 0;
    }
    Held held = byKey.remove(new SpanKey(traceIdHigh, traceIdLow, spanId));
    int count = held != null ? held.count : 0;
    if (traceIdHigh != 0) {
      // Logs that named the span with the low 64 bits of its trace id only.
      Held low = byKey.remove(new SpanKey(0, traceIdLow, spanId));
      count += low != null ? low.count : 0;
    }
    return count;
  }

  /**
   * Removes the oldest span's logs if they came before the ring entry with arrival number {@code
   * headSerial} (logs that came when the ring's tail was at serial s are older than entry s and
   * later).
   *
   * @return how many logs were removed (0 for none)
   */
  int evictOldestBefore(long headSerial) {
    if (byKey.isEmpty()) {
      return 0;
    }
    Iterator<Held> it = byKey.values().iterator();
    Held oldest = it.next();
    if (oldest.serial > headSerial) {
      return 0;
    }
    it.remove();
    return oldest.count;
  }

  /** Removes the logs whose window has passed; returns how many. */
  int expire(long nowNanos, long windowNanos) {
    int n = 0;
    Iterator<Held> it = byKey.values().iterator();
    while (it.hasNext()) {
      Held held = it.next();
      if (nowNanos - held.arrivedNanos < windowNanos) {
        break;
      }
      it.remove();
      n += held.count;
    }
    return n;
  }

  /** Removes every log; returns how many. */
  int clear() {
    int n = 0;
    for (Held held : byKey.values()) {
      n += held.count;
    }
    byKey.clear();
    return n;
  }
}
