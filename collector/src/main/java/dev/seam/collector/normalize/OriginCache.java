package dev.seam.collector.normalize;

import com.google.protobuf.CodedInputStream;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.model.Origin;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * Remembers the {@link Origin} resolved for a resource, keyed by the resource's bytes: an SDK sends
 * the same resource with every batch, so it is parsed and resolved once instead of per request, and
 * every span of a service points at one shared Origin. Direct-mapped and fixed in size, so a fleet
 * of thousands of processes costs a re-resolve now and then, never memory. Not thread-safe; each
 * pipeline thread has its own.
 */
public final class OriginCache {

  /** The resolved origin and whether Seam shows it under another service name than it reported. */
  public record Entry(Origin origin, boolean renamed) {}

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[][] keys;
  private final String[] scopes;
  private final Entry[] entries;
  private final int mask;
  private final BiFunction<Resource, String, Entry> resolve;
  private int lastSlot = -1;

  /**
   * @param slots number of slots, rounded up to a power of two
   * @param resolve resolves a parsed resource and its first scope name
   */
  public OriginCache(int slots, BiFunction<Resource, String, Entry> resolve) {
    int n = Integer.highestOneBit(Math.max(2, slots) - 1) << 1;
    keys = new byte[n][];
    scopes = new String[n];
    entries = new Entry[n];
    mask = n - 1;
    this.resolve = resolve;
  }

  /**
   * The entry of the {@code Resource} message of {@code len} bytes at {@code off}.
   *
   * @throws OtlpDecodeException when those bytes are not a valid resource
   */
  public Entry get(byte[] buf, int off, int len, String scopeName) throws OtlpDecodeException {
    // Consecutive requests often carry the same resource (a consuming instance reads a batch's
    // records, one per trace, one after the other): the last hit is compared before anything is
    // hashed.
    if (lastSlot >= 0 && holds(lastSlot, buf, off, len, scopeName)) {
      return entries[lastSlot];
    }
    int slot = (int) (hash(buf, off, len) ^ scopeName.hashCode()) & mask;
    lastSlot = slot;
    if (holds(slot, buf, off, len, scopeName)) {
      return entries[slot];
    }
    Resource resource;
    try {
      resource =
          len == 0
              ? Resource.getDefaultInstance()
              : Resource.parseFrom(CodedInputStream.newInstance(buf, off, len));
    } catch (IOException | RuntimeException e) {
      throw new OtlpDecodeException("invalid OTLP protobuf Resource: " + e.getMessage(), e);
    }
    Entry entry = resolve.apply(resource, scopeName);
    keys[slot] = Arrays.copyOfRange(buf, off, off + len);
    scopes[slot] = scopeName;
    entries[slot] = entry;
    return entry;
  }

  private boolean holds(int slot, byte[] buf, int off, int len, String scopeName) {
    byte[] k = keys[slot];
    return k != null
        && k.length == len
        && scopes[slot].equals(scopeName)
        && Arrays.equals(k, 0, len, buf, off, off + len);
  }

  /**
   * A well-mixed hash of every byte of the range. A resource is hashed on every request, and on
   * every record a consuming instance reads from Kafka (one resource per trace there), so it reads
   * 32 bytes a step. Every byte counts, so two pods of one service, whose resources differ only in
   * a host name or a pod id, do not share a slot.
   */
  static long hash(byte[] buf, int off, int len) {
    // Four lanes, so that the multiplications of one 32-byte step overlap instead of each waiting
    // for the last.
    long a = len * 0x9E3779B97F4A7C15L;
    long b = ~a;
    long c = a ^ 0x5851F42D4C957F2DL;
    long d = a ^ 0x14057B7EF767814FL;
    int i = off;
    int end = off + len;
    for (; i + 4 * Long.BYTES <= end; i += 4 * Long.BYTES) {
      a = Long.rotateLeft(a ^ (long) LONGS.get(buf, i), 31) * 0xBF58476D1CE4E5B9L;
      b = Long.rotateLeft(b ^ (long) LONGS.get(buf, i + 8), 31) * 0x94D049BB133111EBL;
      c = Long.rotateLeft(c ^ (long) LONGS.get(buf, i + 16), 31) * 0xBF58476D1CE4E5B9L;
      d = Long.rotateLeft(d ^ (long) LONGS.get(buf, i + 24), 31) * 0x94D049BB133111EBL;
    }
    long h = a ^ Long.rotateLeft(b, 16) ^ Long.rotateLeft(c, 32) ^ Long.rotateLeft(d, 48);
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      h = Long.rotateLeft(h ^ (long) LONGS.get(buf, i), 31) * 0xBF58476D1CE4E5B9L;
    }
    for (; i < end; i++) {
      h = (h ^ (buf[i] & 0xFF)) * 0x100000001B3L;
    }
    // murmur3's 64-bit finalizer, so that the slot's low bits depend on every input bit.
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    return h ^ (h >>> 33);
  }
}
