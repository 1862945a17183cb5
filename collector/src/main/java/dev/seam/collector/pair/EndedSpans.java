package dev.seam.collector.pair;

import dev.seam.collector.model.Side;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * The boundary spans one shard ended recently: for each, a fingerprint of its ids, which side of
 * which boundary series it was, and when it ended, kept for {@code pairing.log-window}. It answers
 * two questions the ring can no longer answer once a span has left it: which boundary side an error
 * log that comes late names, and whether a span offered again (an exporter's retry after the
 * window) was counted already. Not thread-safe: the shard's lock guards it.
 *
 * <h2>Layout</h2>
 *
 * <p>No object per entry. A ring in the order the spans ended holds, per entry, a {@code long}: a
 * 63-bit keyed hash of the low 64 bits of the trace id and the span id, with the side in its lowest
 * bit; an {@code int} end time in units of 2^20 ns (about 1 ms); and a reference to the series
 * token the {@link BoundaryListener} returned for the span's first edge ({@link
 * BoundaryListener#onEdgeSeries}; null for a span that counted but not in an edge, such as an
 * unpaired half): 16 bytes with compressed references. An {@code int[]} open-addressing table
 * (linear probing, backward-shift deletion, a load of at most one half) finds a fingerprint's
 * position: 8 to 16 bytes per entry, 8 when the bound is a power of two. So a full index costs 24
 * to 32 bytes an entry. The ring starts small and doubles up to the bound; past it the oldest entry
 * is forgotten.
 *
 * <p>Only the low half of the trace id is hashed, so a log that carries a 64-bit trace id finds the
 * span of its 128-bit trace, as in the ring. Two different spans share a fingerprint with odds of
 * about one in 2^63 per lookup and entry held (the hash is keyed per shard, so ids cannot be made
 * to collide on purpose); such a span would be taken for a duplicate.
 */
final class EndedSpans {

  /** No entry: a failed lookup. */
  static final int NONE = -1;

  /** End times are kept in units of this many nanoseconds, as an int: 2^20 ns, about 1 ms. */
  static final int TIME_SHIFT = 20;

  private static final int INITIAL_CAPACITY = 64;

  private final int bound;
  private final long seed;
  private final int lifetimeUnits;
  private final LongSupplier nanoClock;

  /** Fingerprint with its lowest bit replaced by the side (1 for the callee). */
  private long[] keys;

  private int[] ended;
  private Object[] series;

  /** Position + 1 of an entry; 0 is an empty slot. */
  private int[] table;

  private int head;
  private int size;

  /**
   * @param bound most entries held; past it the oldest is forgotten
   * @param lifetimeNanos how long an entry is kept after it is recorded
   * @param seed keys the fingerprint
   * @param nanoClock the store's clock, read when an entry is recorded
   */
  EndedSpans(int bound, long lifetimeNanos, long seed, LongSupplier nanoClock) {
    if (bound < 1) {
      throw new IllegalArgumentException("bound must be positive");
    }
    this.bound = bound;
    this.seed = seed;
    this.nanoClock = nanoClock;
    this.lifetimeUnits = (int) Math.min(Integer.MAX_VALUE / 2, lifetimeNanos >> TIME_SHIFT);
    allocate(Math.min(INITIAL_CAPACITY, bound));
  }

  /** Entries held. */
  int size() {
    return size;
  }

  /** Positions the ring has now. */
  int capacity() {
    return keys.length;
  }

  /** Slots of the table now. */
  int tableSize() {
    return table.length;
  }

  /**
   * Records a span that ended now.
   *
   * @param side the side of the series it counted in (ignored without a series)
   * @param seriesToken what the listener returned for its first edge, or null
   * @return how many entries were forgotten to make room (0 or 1)
   */
  int record(long traceIdLow, long spanId, Side side, Object seriesToken) {
    int forgotten = 0;
    if (size == keys.length) {
      if (keys.length < bound) {
        resize((int) Math.min(bound, 2L * keys.length));
      } else {
        removeHead();
        forgotten = 1;
      }
    }
    int p = head + size;
    if (p >= keys.length) {
      p -= keys.length;
    }
    long fp = fingerprint(traceIdLow, spanId);
    keys[p] = (fp & ~1L) | (side == Side.CALLEE ? 1L : 0L);
    ended[p] = units(nanoClock.getAsLong());
    series[p] = seriesToken;
    size++;
    place(p);
    return forgotten;
  }

  /**
   * The position of the newest-found entry for this span (the low 64 bits of its trace id and its
   * id), or {@link #NONE}.
   */
  int find(long traceIdLow, long spanId) {
    if (size == 0) {
      return NONE;
    }
    long fp = fingerprint(traceIdLow, spanId);
    int mask = table.length - 1;
    for (int s = home(fp, mask); table[s] != 0; s = (s + 1) & mask) {
      int p = table[s] - 1;
      if (((keys[p] ^ fp) & ~1L) == 0) {
        return p;
      }
    }
    return NONE;
  }

  /** The side of the series the entry at {@code p} counted in. */
  Side side(int p) {
    return (keys[p] & 1L) != 0 ? Side.CALLEE : Side.CALLER;
  }

  /** The listener's token for the series the entry at {@code p} counted in, or null. */
  Object series(int p) {
    return series[p];
  }

  /**
   * Forgets every entry recorded {@code pairing.log-window} or longer before {@code nowNanos}.
   *
   * @return how many
   */
  int expire(long nowNanos) {
    int now = units(nowNanos);
    int n = 0;
    while (size > 0 && now - ended[head] >= lifetimeUnits) {
      removeHead();
      n++;
    }
    return n;
  }

  private static int units(long nanos) {
    // Differences of wrapped ints are exact while entries are younger than 2^31 units (24 days).
    return (int) (nanos >> TIME_SHIFT);
  }

  private long fingerprint(long traceIdLow, long spanId) {
    return mix(mix(traceIdLow ^ seed) ^ spanId);
  }

  /** The home slot of a fingerprint: its top bits, which the side bit leaves alone. */
  private static int home(long key, int mask) {
    return (int) (key >>> 32) & mask;
  }

  /** murmur3's 64-bit finalizer. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  private void place(int p) {
    int mask = table.length - 1;
    int s = home(keys[p], mask);
    while (table[s] != 0) {
      s = (s + 1) & mask;
    }
    table[s] = p + 1;
  }

  /** Removes the oldest entry from the table and the ring. */
  private void removeHead() {
    int mask = table.length - 1;
    int s = home(keys[head], mask);
    while (table[s] != head + 1) {
      s = (s + 1) & mask;
    }
    // Backward-shift deletion: later entries of the probe run move up when their home allows.
    int hole = s;
    for (int j = (hole + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
      int home = home(keys[table[j] - 1], mask);
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        table[hole] = table[j];
        hole = j;
      }
    }
    table[hole] = 0;
    series[head] = null;
    head = head + 1 == keys.length ? 0 : head + 1;
    size--;
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    ended = new int[capacity];
    series = new Object[capacity];
    table = new int[tableSizeFor(capacity)];
  }

  /** The smallest power of two at least twice {@code capacity}. */
  static int tableSizeFor(int capacity) {
    return Integer.highestOneBit(Math.max(1, 2 * capacity - 1)) << 1;
  }

  private void resize(int capacity) {
    long[] oldKeys = keys;
    int[] oldEnded = ended;
    Object[] oldSeries = series;
    int n = size;
    int oldHead = head;
    allocate(capacity);
    for (int i = 0; i < n; i++) {
      int from = (oldHead + i) % oldKeys.length;
      keys[i] = oldKeys[from];
      ended[i] = oldEnded[from];
      series[i] = oldSeries[from];
      place(i);
    }
    head = 0;
    Arrays.fill(oldSeries, null);
  }
}
