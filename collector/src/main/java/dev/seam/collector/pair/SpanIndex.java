package dev.seam.collector.pair;

/**
 * Open-addressing table from a key held in a {@link SpanRing} (trace and span id, or trace and
 * parent id) to the position that holds it; {@link SpanArena} keeps one over own ids and one over
 * parent ids. Not thread-safe.
 *
 * <p>The table is an {@code int[]} with linear probing, backward-shift deletion (no tombstones, so
 * probe runs never grow stale) and a load of at most 0.6. The keys stay in the ring; an entry is
 * position + 1 in the low {@link #posBits} bits (0 is an empty slot) and a {@link #fingerprint} of
 * the key's hash above them. That is why the table is fast although the keys live elsewhere: a
 * probe compares fingerprints first, so it reads a key (a cache miss at a random position) almost
 * only for the key it is looking for; and deletion finds each later entry's home slot from the
 * fingerprint's low bits, which give its distance from home exactly while that is under 256. At a
 * load of 0.6 a longer distance has odds of about e^-28 per entry; should one occur, {@link
 * #farEntries} records it and deletion reads the keys instead until the table is rebuilt.
 */
final class SpanIndex {

  private static final int MAX_TABLE = 1 << 30;

  /** At most this many low bits of the home slot are kept: distances up to 255 are told exactly. */
  private static final int HOME_BITS = 8;

  private final SpanRing ring;

  /** Where the ring keeps the key's id: {@link SpanRing#SPAN_ID} or {@link SpanRing#PARENT_ID}. */
  private final int idField;

  /** Random per shard, so that ids crafted to collide in one collector need not in another. */
  private final long seed;

  /** Bits of an entry that hold position + 1: enough for the ring's capacity. */
  private int posBits;

  /** Bits of an entry's {@link #fingerprint} taken from the home slot, and from the hash's top. */
  private int homeBits;

  private int tagBits;

  private int[] table;
  private int count;
  private boolean farEntries;

  /**
   * @param idField where the ring keeps the id of the key
   * @param expectedEntries entries to make room for at first
   */
  SpanIndex(SpanRing ring, int idField, long seed, int expectedEntries) {
    this.ring = ring;
    this.idField = idField;
    this.seed = seed;
    this.table = new int[tableSizeFor(expectedEntries)];
    setPositionBits(ring.capacity());
  }

  /** The smallest table that holds {@code entries} at a load of at most 0.6. */
  static int tableSizeFor(int entries) {
    int cap = 16;
    while (cap < MAX_TABLE && (long) entries * 5 > (long) cap * 3) {
      cap <<= 1;
    }
    return cap;
  }

  /** Keys held. */
  int size() {
    return count;
  }

  int tableSize() {
    return table.length;
  }

  /** Whether an entry sits farther from home than its fingerprint can tell. */
  boolean hasFarEntries() {
    return farEntries;
  }

  /** The position holding this key, or {@link SpanRing#NONE}. */
  int find(long traceHigh, long traceLow, long id) {
    int slot = slotOf(traceHigh, traceLow, id);
    return slot < 0 ? SpanRing.NONE : positionAt(slot);
  }

  /** The position in {@code slot}, which holds an entry. */
  int positionAt(int slot) {
    return (table[slot] & ((1 << posBits) - 1)) - 1;
  }

  /** Points {@code slot}, which holds an entry, at {@code p}, whose key is the same. */
  void setPositionAt(int slot, int p) {
    table[slot] = (table[slot] & -(1 << posBits)) | (p + 1);
  }

  /**
   * The position of a span whose trace id ends in {@code traceLow} (any high half) with this id, or
   * {@link SpanRing#NONE}: how a log that carries only 64 bits of the trace id (Datadog's {@code
   * dd.trace_id}, 64-bit B3 and Jaeger ids) finds its span.
   */
  int findByLow(long traceLow, long id) {
    int h = hash(traceLow, id);
    int mask = table.length - 1;
    int posMask = (1 << posBits) - 1;
    int wanted = fingerprint(h) << posBits;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      int e = table[i];
      if (e == 0) {
        return SpanRing.NONE;
      }
      int p = (e & posMask) - 1;
      if ((e & ~posMask) == wanted && ring.traceLo(p) == traceLow && ring.idAt(p, idField) == id) {
        return p;
      }
    }
  }

  /** The slot holding this key, or -1. */
  int slotOf(long traceHigh, long traceLow, long id) {
    int h = hash(traceLow, id);
    int mask = table.length - 1;
    int posMask = (1 << posBits) - 1;
    int wanted = fingerprint(h) << posBits;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      int e = table[i];
      if (e == 0) {
        return -1;
      }
      if ((e & ~posMask) == wanted
          && ring.hasKey((e & posMask) - 1, idField, traceHigh, traceLow, id)) {
        return i;
      }
    }
  }

  /** The slot holding the key of the entry at {@code p}, which must be in the table. */
  int slotOfKeyAt(int p) {
    return slotOf(ring.traceHi(p), ring.traceLo(p), ring.idAt(p, idField));
  }

  /** Adds position {@code p}, whose key is not in the table yet. */
  void insert(int p) {
    if ((long) (count + 1) * 5 > (long) table.length * 3 && table.length < MAX_TABLE) {
      resize(table.length << 1);
    }
    place(p, hashOf(p));
    count++;
  }

  /**
   * Empties {@code slot}, then pulls back each later entry of its probe run whose home is not after
   * the gap, so every key stays reachable from its home without tombstones.
   */
  void remove(int slot) {
    int mask = table.length - 1;
    int gap = slot;
    for (int j = (gap + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
      if (distance(j) >= ((j - gap) & mask)) {
        table[gap] = table[j];
        gap = j;
      }
    }
    table[gap] = 0;
    count--;
  }

  /**
   * After the ring unwrapped and grew ({@link SpanRing#grow}): the keys, and so the slots, are
   * unchanged; each entry gets its new position, and its fingerprint loses the top bits that no
   * longer fit beside the wider position.
   */
  void renumber(int oldHead, int oldCapacity) {
    int oldPosBits = posBits;
    int oldHomeBits = homeBits;
    int oldTagBits = tagBits;
    setPositionBits(ring.capacity());
    int oldPosMask = (1 << oldPosBits) - 1;
    for (int i = 0; i < table.length; i++) {
      int e = table[i];
      if (e != 0) {
        int fp = e >>> oldPosBits;
        int home = fp & ((1 << oldHomeBits) - 1);
        int tag = fp >>> oldHomeBits;
        // The top bits of the hash stay the top bits; the home's low bits stay its low bits.
        int newFp =
            (home & ((1 << homeBits) - 1))
                | (tagBits == 0 ? 0 : (tag >>> (oldTagBits - tagBits)) << homeBits);
        if (homeBits < oldHomeBits
            && !farEntries
            && (((i - home) & (table.length - 1) & ((1 << oldHomeBits) - 1)) >= 1 << homeBits)) {
          farEntries = true;
        }
        int p = SpanRing.renumbered((e & oldPosMask) - 1, oldHead, oldCapacity);
        table[i] = newFp << posBits | (p + 1);
      }
    }
  }

  /**
   * 32 well-mixed bits of a key (murmur3's 64-bit finalizer over the low trace id, the id and a
   * seed).
   */
  private int hash(long traceLow, long id) {
    // The trace id's high half is left out so that a 64-bit id finds its span (findByLow); the
    // low half of a 128-bit id is as random as the whole.
    long h = traceLow * 0x9E3779B97F4A7C15L + id;
    h ^= seed;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) h;
  }

  private int hashOf(int p) {
    return hash(ring.traceLo(p), ring.idAt(p, idField));
  }

  /**
   * The bits of a key's hash an entry keeps above its position: the low {@link #homeBits} bits
   * (those of its home slot), then as many of the hash's top bits as fit.
   */
  private int fingerprint(int h) {
    int home = h & ((1 << homeBits) - 1);
    return tagBits == 0 ? home : home | (h >>> (32 - tagBits)) << homeBits;
  }

  /** Sets {@link #posBits} for a ring of {@code capacity} positions, and the fingerprint parts. */
  private void setPositionBits(int capacity) {
    posBits = 32 - Integer.numberOfLeadingZeros(capacity);
    homeBits = Math.min(HOME_BITS, 32 - posBits);
    tagBits = 32 - posBits - homeBits;
  }

  private void place(int p, int h) {
    int mask = table.length - 1;
    int home = h & mask;
    int i = home;
    while (table[i] != 0) {
      i = (i + 1) & mask;
    }
    table[i] = fingerprint(h) << posBits | (p + 1);
    if (((i - home) & mask) >= 1 << homeBits) {
      farEntries = true;
    }
  }

  /** How far the entry in {@code slot} is from its home slot. */
  private int distance(int slot) {
    int mask = table.length - 1;
    int e = table[slot];
    if (farEntries) {
      return (slot - hashOf((e & ((1 << posBits) - 1)) - 1)) & mask;
    }
    return (slot - (e >>> posBits)) & mask & ((1 << homeBits) - 1);
  }

  /** Rebuilds the table at a new size, from the keys (a rare, amortized pass). */
  private void resize(int size) {
    int[] old = table;
    table = new int[size];
    farEntries = false;
    int posMask = (1 << posBits) - 1;
    for (int e : old) {
      if (e != 0) {
        int p = (e & posMask) - 1;
        place(p, hashOf(p));
      }
    }
  }
}
