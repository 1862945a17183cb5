package dev.seam.collector.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GunzipTest {

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 4095, 4096, 4097, 65_536, 1_000_003})
  void roundTrip(int size) throws Exception {
    byte[] data = random(size, size);
    assertArrayEquals(data, Gunzip.inflate(gzip(data), 16L << 20));
  }

  @Test
  void roundTripOfHighlyCompressibleData() throws Exception {
    byte[] data = new byte[3_000_000];
    Arrays.fill(data, (byte) 'x');
    assertArrayEquals(data, Gunzip.inflate(gzip(data), data.length));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {1, 100, 4095, 4096, 4097, 8192, 100_000})
  void limitExactlyAtTheSizePasses(int size) throws Exception {
    byte[] data = random(size, 7);
    assertArrayEquals(data, Gunzip.inflate(gzip(data), size));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {1, 100, 4095, 4096, 4097, 8192, 100_000})
  void oneByteOverTheLimitThrows(int size) throws Exception {
    byte[] data = random(size + 1, 7);
    BodyTooLargeException e =
        assertThrows(BodyTooLargeException.class, () -> Gunzip.inflate(gzip(data), size));
    assertEquals(size, e.limit());
  }

  @Test
  void compressibleOneByteOverTheLimitThrows() throws Exception {
    byte[] data = new byte[1_048_577];
    assertThrows(BodyTooLargeException.class, () -> Gunzip.inflate(gzip(data), 1_048_576));
    assertEquals(1_048_576, Gunzip.inflate(gzip(Arrays.copyOf(data, 1_048_576)), 1_048_576).length);
  }

  @Test
  void emptyGzipWithLimitZeroPasses() throws Exception {
    assertEquals(0, Gunzip.inflate(gzip(new byte[0]), 0).length);
    assertThrows(BodyTooLargeException.class, () -> Gunzip.inflate(gzip(new byte[1]), 0));
  }

  @Test
  void decompressionBombStopsAtTheLimitQuickly() throws Exception {
    // 100 MiB of zeros compresses to about 100 KiB.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 100; i++) {
        gz.write(zeros);
      }
    }
    byte[] bomb = out.toByteArray();
    assertTrue(bomb.length < 1 << 20, "bomb is " + bomb.length + " bytes");
    BodyTooLargeException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () -> assertThrows(BodyTooLargeException.class, () -> Gunzip.inflate(bomb, 1L << 20)));
    assertEquals(1L << 20, e.limit());
    assertTrue(e.getMessage().contains("1048576"), e.getMessage());
  }

  @Test
  void garbageIsADecodeError() {
    byte[] garbage = "this is not gzip at all".getBytes(StandardCharsets.UTF_8);
    OtlpDecodeException e =
        assertThrows(OtlpDecodeException.class, () -> Gunzip.inflate(garbage, 1 << 20));
    assertTrue(e.getMessage().contains("gzip"), e.getMessage());
  }

  @Test
  void emptyBodyIsADecodeError() {
    assertThrows(OtlpDecodeException.class, () -> Gunzip.inflate(new byte[0], 1 << 20));
  }

  @Test
  void truncatedGzipIsADecodeError() throws Exception {
    byte[] full = gzip(random(10_000, 3));
    byte[] truncated = Arrays.copyOf(full, full.length / 2);
    assertThrows(OtlpDecodeException.class, () -> Gunzip.inflate(truncated, 1 << 20));
  }

  @Test
  void corruptedDataIsADecodeError() throws Exception {
    byte[] body = gzip("hello hello hello hello".getBytes(StandardCharsets.UTF_8));
    body[body.length - 5] ^= 0x5a; // inside the CRC-32 / size trailer
    assertThrows(OtlpDecodeException.class, () -> Gunzip.inflate(body, 1 << 20));
  }

  @Test
  void concatenatedMembersAreReadInTurn() throws Exception {
    byte[] a = "first member;".getBytes(StandardCharsets.UTF_8);
    byte[] b = random(50_000, 11);
    byte[] c = "third".getBytes(StandardCharsets.UTF_8);
    byte[] body = concat(concat(gzip(a), gzip(b)), gzip(c));
    byte[] expected = concat(concat(a, b), c);
    assertArrayEquals(expected, Gunzip.inflate(body, expected.length));
  }

  @Test
  void concatenatedMembersCountTogetherAgainstTheLimit() throws Exception {
    byte[] a = random(3_000, 1);
    byte[] b = random(3_000, 2);
    byte[] body = concat(gzip(a), gzip(b));
    assertThrows(BodyTooLargeException.class, () -> Gunzip.inflate(body, 5_999));
    assertEquals(6_000, Gunzip.inflate(body, 6_000).length);
  }
}
