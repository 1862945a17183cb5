package dev.seam.collector.normalize;

import static dev.seam.collector.testing.Otlp.attr;
import static dev.seam.collector.testing.Otlp.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.model.Origin;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The resource cache: a resource is resolved once however often and wherever in a request it comes,
 * every byte of it and its scope name tell entries apart, and bad bytes are refused without harm.
 */
class OriginCacheTest {

  /** Resolves a resource to an origin named after its service, and remembers what it resolved. */
  private final List<String> resolved = new ArrayList<>();

  private OriginCache cache(int slots) {
    return new OriginCache(
        slots,
        (resource, scope) -> {
          String service =
              resource.getAttributesList().stream()
                  .filter(kv -> kv.getKey().equals("service.name"))
                  .map(kv -> kv.getValue().getStringValue())
                  .findFirst()
                  .orElse("none");
          resolved.add(service + "/" + scope);
          return new OriginCache.Entry(new Origin(service, "go", "", ""), false);
        });
  }

  /** The resource's bytes at {@code off} in a larger array, as a request holds them. */
  private static byte[] at(int off, Resource r) {
    byte[] b = r.toByteArray();
    byte[] buf = new byte[off + b.length + 7];
    System.arraycopy(b, 0, buf, off, b.length);
    return buf;
  }

  private static Resource pod(String name) {
    return resource(
        "checkout",
        "go",
        attr("k8s.pod.name", name),
        attr("host.name", "node-1"),
        attr("service.version", "1.4.2"));
  }

  @Test
  void aResourceIsResolvedOnceWhereverItSits() throws OtlpDecodeException {
    OriginCache cache = cache(64);
    Resource r = pod("checkout-7d9f-abcde");
    int len = r.getSerializedSize();
    OriginCache.Entry first = cache.get(at(0, r), 0, len, "otel-go");
    for (int off : new int[] {1, 3, 8, 13, 100}) {
      assertSame(first, cache.get(at(off, r), off, len, "otel-go"));
    }
    assertEquals(List.of("checkout/otel-go"), resolved);
  }

  @Test
  void everyByteAndTheScopeNameTellResourcesApart() throws OtlpDecodeException {
    OriginCache cache = cache(1024);
    Resource a = pod("checkout-7d9f-abcde");
    Resource b = pod("checkout-7d9f-abcdf");
    byte[] ab = a.toByteArray();
    byte[] bb = b.toByteArray();
    assertEquals(ab.length, bb.length);
    OriginCache.Entry ea = cache.get(ab, 0, ab.length, "s");
    OriginCache.Entry eb = cache.get(bb, 0, bb.length, "s");
    OriginCache.Entry other = cache.get(ab, 0, ab.length, "t");
    assertEquals(List.of("checkout/s", "checkout/s", "checkout/t"), resolved);
    assertNotSame(ea, eb);
    assertNotSame(ea, other);
    // Each stays cached under its own key.
    assertSame(eb, cache.get(bb, 0, bb.length, "s"));
    assertSame(ea, cache.get(ab, 0, ab.length, "s"));
    assertEquals(3, resolved.size());
  }

  @Test
  void theHashDependsOnEveryByteInEveryPosition() {
    // Lengths that exercise the 32-byte steps, the 8-byte steps and the last single bytes.
    for (int len : new int[] {0, 1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100, 431}) {
      byte[] buf = new byte[len + 5];
      for (int i = 0; i < buf.length; i++) {
        buf[i] = (byte) (i * 37 + 11);
      }
      long h = OriginCache.hash(buf, 2, len);
      for (int i = 2; i < 2 + len; i++) {
        buf[i] ^= 0x20;
        assertNotEquals(h, OriginCache.hash(buf, 2, len), "byte " + (i - 2) + " of " + len);
        buf[i] ^= 0x20;
      }
      // Bytes outside the range do not count.
      buf[0] ^= 1;
      buf[buf.length - 1] ^= 1;
      assertEquals(h, OriginCache.hash(buf, 2, len));
    }
    // The length counts: a zero byte more is another key.
    assertNotEquals(OriginCache.hash(new byte[8], 0, 7), OriginCache.hash(new byte[8], 0, 8));
  }

  @Test
  void resourcesTakingTurnsStayCached() throws OtlpDecodeException {
    OriginCache cache = cache(1024);
    byte[] a = pod("a").toByteArray();
    byte[] b = pod("b").toByteArray();
    // The precondition of exact counts: the two keys live in different slots of 1024.
    assertNotEquals(
        (OriginCache.hash(a, 0, a.length) ^ "s".hashCode()) & 1023,
        (OriginCache.hash(b, 0, b.length) ^ "s".hashCode()) & 1023);
    for (int i = 0; i < 10; i++) {
      cache.get(a, 0, a.length, "s");
      cache.get(b, 0, b.length, "s");
    }
    assertEquals(2, resolved.size());
  }

  @Test
  void badBytesAreRefusedAndHarmNothing() throws OtlpDecodeException {
    OriginCache cache = cache(64);
    byte[] good = pod("a").toByteArray();
    OriginCache.Entry e = cache.get(good, 0, good.length, "s");
    byte[] bad = {0x0a, 0x7f, 0x01};
    OtlpDecodeException thrown =
        assertThrows(OtlpDecodeException.class, () -> cache.get(bad, 0, bad.length, "s"));
    assertTrue(thrown.getMessage().startsWith("invalid OTLP protobuf Resource"));
    assertSame(e, cache.get(good, 0, good.length, "s"));
    assertEquals(1, resolved.size());
  }

  @Test
  void anEmptyResourceIsTheDefaultOne() throws OtlpDecodeException {
    OriginCache cache = cache(64);
    OriginCache.Entry e = cache.get(new byte[4], 2, 0, "");
    assertEquals("none", e.origin().service());
    assertSame(e, cache.get(new byte[0], 0, 0, ""));
    assertEquals(List.of("none/"), resolved);
  }
}
