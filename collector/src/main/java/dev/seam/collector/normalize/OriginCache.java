package dev.seam.collector.normalize;

import com.google.protobuf.CodedInputStream;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.model.Origin;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
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

  private final byte[][] keys;
  private final String[] scopes;
  private final Entry[] entries;
  private final int mask;
  private final BiFunction<Resource, String, Entry> resolve;

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
    int h = len;
    for (int i = off, end = off + len; i < end; i++) {
      h = 31 * h + buf[i];
    }
    h = 31 * h + scopeName.hashCode();
    int slot = (h ^ (h >>> 16)) & mask;
    byte[] k = keys[slot];
    if (k != null
        && k.length == len
        && scopes[slot].equals(scopeName)
        && Arrays.equals(k, 0, len, buf, off, off + len)) {
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
}
