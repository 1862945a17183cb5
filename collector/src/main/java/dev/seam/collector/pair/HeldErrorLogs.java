package dev.seam.collector.pair;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Error logs that name a span not yet a half of an edge, one entry per span with a count, whose
 * window restarts at each new log for the span. They are rare, so they wait in a plain
 * insertion-ordered map. Replayed logs ({@link Replay#REPLAYED}) wait under a key of their own,
 * since they are not counted again when their span pairs with another replayed half. Not
 * thread-safe: the shard's lock guards it.
 */
final class HeldErrorLogs {

  /**
   * The key of a span: its trace and its own id, and whether the logs held under it are replayed.
   */
  private record SpanKey(long traceIdHigh, long traceIdLow, long spanId, boolean replayed) {}

  /** The logs naming one span. */
  private static final class Held {
    int count;
    long arrivedNanos;

    /** The ring's tail serial when the latest of them came, to compare with the ring's head. */
    long serial;
  }

  // Insertion order is arrival order, so expiry stops at the first key still in its window.
  private final LinkedHashMap<SpanKey, Held> byKey = new LinkedHashMap<>();

  /** Keys of replayed logs held: while there are none, taking a span's logs is one lookup. */
  private int replayedKeys;

  boolean isEmpty() {
    return byKey.isEmpty();
  }

  /**
   * Holds one more log naming this span, which moves the span to the young end and restarts the
   * window of all its logs.
   *
   * @param serial {@link SpanArena#tailSerial} now
   * @param replayed whether the log is replayed
   */
  void add(
      long traceIdHigh,
      long traceIdLow,
      long spanId,
      long nowNanos,
      long serial,
      boolean replayed) {
    SpanKey key = new SpanKey(traceIdHigh, traceIdLow, spanId, replayed);
    Held held = byKey.remove(key);
    if (held == null) {
      held = new Held();
      if (replayed) {
        replayedKeys++;
      }
    }
    held.count++;
    held.arrivedNanos = nowNanos;
    held.serial = serial;
    byKey.put(key, held);
  }

  /** Takes the logs naming this span that are not replayed; returns how many there were. */
  int take(long traceIdHigh, long traceIdLow, long spanId) {
    if (byKey.isEmpty()) {
      return 0;
    }
    Held held = byKey.remove(new SpanKey(traceIdHigh, traceIdLow, spanId, false));
    int count = held != null ? held.count : 0;
    if (traceIdHigh != 0) {
      // Logs that named the span with the low 64 bits of its trace id only.
      Held low = byKey.remove(new SpanKey(0, traceIdLow, spanId, false));
      count += low != null ? low.count : 0;
    }
    return count;
  }

  /** Takes the replayed logs naming this span; returns how many there were. */
  int takeReplayed(long traceIdHigh, long traceIdLow, long spanId) {
    if (replayedKeys == 0) {
      return 0;
    }
    Held held = byKey.remove(new SpanKey(traceIdHigh, traceIdLow, spanId, true));
    if (held == null) {
      return 0;
    }
    replayedKeys--;
    return held.count;
  }

  /** Removes the logs naming spans of the traces {@code which} accepts; returns how many. */
  int forget(TraceIdPredicate which) {
    int n = 0;
    Iterator<Map.Entry<SpanKey, Held>> it = byKey.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<SpanKey, Held> e = it.next();
      if (which.test(e.getKey().traceIdHigh(), e.getKey().traceIdLow())) {
        it.remove();
        n += e.getValue().count;
        if (e.getKey().replayed()) {
          replayedKeys--;
        }
      }
    }
    return n;
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
    Iterator<Map.Entry<SpanKey, Held>> it = byKey.entrySet().iterator();
    Map.Entry<SpanKey, Held> oldest = it.next();
    if (oldest.getValue().serial > headSerial) {
      return 0;
    }
    it.remove();
    if (oldest.getKey().replayed()) {
      replayedKeys--;
    }
    return oldest.getValue().count;
  }

  /** Removes the logs whose window has passed; returns how many. */
  int expire(long nowNanos, long windowNanos) {
    int n = 0;
    Iterator<Map.Entry<SpanKey, Held>> it = byKey.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<SpanKey, Held> e = it.next();
      if (nowNanos - e.getValue().arrivedNanos < windowNanos) {
        break;
      }
      it.remove();
      n += e.getValue().count;
      if (e.getKey().replayed()) {
        replayedKeys--;
      }
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
    replayedKeys = 0;
    return n;
  }
}
