package dev.seam.collector.receive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.seam.collector.decode.BodyTooLargeException;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.testing.Otlp;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The encodings each receiver takes, by the name its protocol gives them, and inflation. */
class ContentEncodingTest {

  @Test
  void grpcNamesAreMatchedExactly() {
    assertEquals(ContentEncoding.IDENTITY, ContentEncoding.ofGrpc("identity"));
    assertEquals(ContentEncoding.GZIP, ContentEncoding.ofGrpc("gzip"));
    assertNull(ContentEncoding.ofGrpc("GZIP"));
    assertNull(ContentEncoding.ofGrpc("deflate"));
    assertNull(ContentEncoding.ofGrpc(null));
  }

  @Test
  void httpHeadersIgnoreCaseAndBlanksAndMayBeAbsent() {
    assertEquals(ContentEncoding.IDENTITY, ContentEncoding.ofHttp(null));
    assertEquals(ContentEncoding.IDENTITY, ContentEncoding.ofHttp(""));
    assertEquals(ContentEncoding.IDENTITY, ContentEncoding.ofHttp("  "));
    assertEquals(ContentEncoding.IDENTITY, ContentEncoding.ofHttp("Identity"));
    assertEquals(ContentEncoding.GZIP, ContentEncoding.ofHttp(" GZip "));
    assertNull(ContentEncoding.ofHttp("br"));
    assertNull(ContentEncoding.ofHttp("gzip, br"));
  }

  @Test
  void gzipIsInflatedWithinItsLimitAndIdentityIsLeftAsItCame() throws Exception {
    byte[] plain = "x".repeat(4000).getBytes(StandardCharsets.UTF_8);
    assertSame(plain, ContentEncoding.IDENTITY.decode(plain, 10));
    assertArrayEquals(plain, ContentEncoding.GZIP.decode(Otlp.gzip(plain), 4000));
    assertThrows(
        BodyTooLargeException.class, () -> ContentEncoding.GZIP.decode(Otlp.gzip(plain), 3999));
    assertThrows(OtlpDecodeException.class, () -> ContentEncoding.GZIP.decode(plain, 4000));
  }
}
