package dev.seam.collector.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns UTF-8 byte ranges into Strings, handing back the String it made the last time it saw the
 * same bytes. OTLP repeats the same few hundred keys, span names, routes and service names in every
 * request; sharing one String for each spares the allocation on the hot path and, more importantly,
 * means a span held in the pairing store points at a shared name instead of owning a copy.
 *
 * <p>Direct-mapped and fixed in size: a new string simply replaces whatever sat in its slot, so
 * high-cardinality values (URLs, ids) cost a miss and never grow the table. Not thread-safe; each
 * pipeline thread has its own.
 */
public final class StringTable {

  /** Longer values are rarely repeated and are decoded without the table. */
  static final int MAX_CACHED_BYTES = 128;

  private final byte[][] keys;
  private final String[] values;
  private final int mask;

  /**
   * @param slots number of slots, rounded up to a power of two
   */
  public StringTable(int slots) {
    int n = Integer.highestOneBit(Math.max(2, slots) - 1) << 1;
    keys = new byte[n][];
    values = new String[n];
    mask = n - 1;
  }

  /** The String of {@code len} UTF-8 bytes at {@code off}; malformed sequences become U+FFFD. */
  public String get(byte[] buf, int off, int len) {
    if (len == 0) {
      return "";
    }
    if (len > MAX_CACHED_BYTES) {
      return new String(buf, off, len, StandardCharsets.UTF_8);
    }
    int h = hash(buf, off, len);
    int slot = h & mask;
    byte[] k = keys[slot];
    if (k != null && k.length == len && same(k, buf, off, len)) {
      return values[slot];
    }
    String s = new String(buf, off, len, StandardCharsets.UTF_8);
    keys[slot] = Arrays.copyOfRange(buf, off, off + len);
    values[slot] = s;
    return s;
  }

  /**
   * Whether {@code k} holds the {@code len} bytes at {@code off}; most keys and names are 8 to 32
   * bytes, compared as longs.
   */
  private static boolean same(byte[] k, byte[] buf, int off, int len) {
    if (len < 8 || len > 32) {
      return Arrays.equals(k, 0, len, buf, off, off + len);
    }
    // Overlapping 8-byte words from the front, and the last word, cover every byte.
    for (int i = 0; i < len - 8; i += 8) {
      if ((long) LONGS.get(k, i) != (long) LONGS.get(buf, off + i)) {
        return false;
      }
    }
    return (long) LONGS.get(k, len - 8) == (long) LONGS.get(buf, off + len - 8);
  }

  /**
   * A hash of the length and the first and last eight bytes: enough to tell OTLP's keys and names
   * apart (they differ in length or at an end), and it costs the same for every length. Values that
   * differ only in the middle share a slot and take turns; they are compared in full either way.
   */
  private static int hash(byte[] buf, int off, int len) {
    long h;
    if (len >= 8) {
      h = (long) LONGS.get(buf, off) * 0x9E3779B97F4A7C15L + (long) LONGS.get(buf, off + len - 8);
    } else {
      h = 0;
      for (int i = off, end = off + len; i < end; i++) {
        h = (h << 8) | (buf[i] & 0xff);
      }
    }
    h = (h ^ len) * 0xBF58476D1CE4E5B9L;
    return (int) (h ^ (h >>> 32));
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
}
