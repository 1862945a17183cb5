package dev.seam.collector.normalize.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UberTraceIdParserTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final long HI = 0x0af7651916cd43ddL;
  private static final long LO = 0x8448eb211c80319cL;
  private static final String SPAN = "b7ad6b7169203331";
  private static final long SP = 0xb7ad6b7169203331L;

  private final ParsedContext out = new ParsedContext();

  private boolean parse(String s) {
    String padded = ":" + s + ":";
    return UberTraceIdParser.parse(padded, 1, padded.length() - 1, out);
  }

  private void assertIds(long hi, long lo, long span) {
    assertEquals(hi, out.traceIdHigh(), "trace id high");
    assertEquals(lo, out.traceIdLow(), "trace id low");
    assertEquals(span, out.spanId(), "span id");
    assertEquals(HeaderFormat.JAEGER, out.format());
  }

  @Test
  void fullLengthIds() {
    assertTrue(parse(TRACE + ":" + SPAN + ":0:1"));
    assertIds(HI, LO, SP);
    assertTrue(parse((TRACE + ":" + SPAN + ":05e3ac9a4f6e3b90:ff").toUpperCase(Locale.ROOT)));
    assertIds(HI, LO, SP);
  }

  @Test
  void sixteenDigitTraceIdIsTheLowHalf() {
    assertTrue(parse("8448eb211c80319c:" + SPAN + ":05e3ac9a4f6e3b90:3"));
    assertIds(0, LO, SP);
  }

  @Test
  void idsWithoutLeadingZeros() {
    assertTrue(parse("af7651916cd43dd8448eb211c80319c:" + SPAN + ":0:1"));
    assertIds(HI, LO, SP);
    assertTrue(parse("1a2b:3c:0:1"));
    assertIds(0, 0x1a2b, 0x3c);
    assertTrue(parse("58448eb211c80319c:" + SPAN + ":0:01"));
    assertIds(5, LO, SP);
  }

  @Test
  void urlEncodedColonsOfEitherCase() {
    assertTrue(parse(TRACE + "%3A" + SPAN + "%3A0%3A1"));
    assertIds(HI, LO, SP);
    assertTrue(parse(TRACE + "%3a" + SPAN + ":0%3a1"));
    assertIds(HI, LO, SP);
  }

  @ParameterizedTest(name = "\"{0}\" is invalid")
  @ValueSource(
      strings = {
        "",
        ":::",
        "0af7651916cd43dd8448eb211c80319c",
        "0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331",
        "0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0",
        "0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0:1:2",
        "00af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0:1",
        "0af7651916cd43dd8448eb211c80319c:0b7ad6b7169203331:0:1",
        "0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0b7ad6b7169203331:1",
        "0af7651916cd43dd8448eb211c80319c::0:1",
        ":b7ad6b7169203331:0:1",
        "0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331::1",
        "0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0:",
        "0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0:123",
        "0:b7ad6b7169203331:0:1",
        "00000000000000000000000000000000:b7ad6b7169203331:0:1",
        "0af7651916cd43dd8448eb211c80319c:0:0:1",
        "0af7651916cd43dd8448eb211c80319c%3Bb7ad6b7169203331%3A0%3A1",
        "0af7651916cd43dd8448eb211c80319c%3",
        "0af7651916cd43dd8448eb211c80319c%3A",
        "0af7651916cd43dd8448eb211c80319z:b7ad6b7169203331:0:1",
        "0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0:1 "
      })
  void invalid(String value) {
    assertFalse(parse(value));
  }
}
