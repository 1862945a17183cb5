package dev.seam.collector.normalize.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceparentParserTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN = "b7ad6b7169203331";

  private final ParsedContext out = new ParsedContext();

  private boolean parse(String s) {
    String padded = "  " + s + "\n";
    return TraceparentParser.parse(padded, 2, padded.length() - 1, out);
  }

  private void assertIds(long hi, long lo, long span) {
    assertEquals(hi, out.traceIdHigh(), "trace id high");
    assertEquals(lo, out.traceIdLow(), "trace id low");
    assertEquals(span, out.spanId(), "span id");
    assertEquals(HeaderFormat.W3C, out.format());
  }

  @Test
  void version00() {
    assertTrue(parse("00-" + TRACE + "-" + SPAN + "-01"));
    assertIds(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0xb7ad6b7169203331L);
    assertTrue(parse("00-" + TRACE + "-" + SPAN + "-00"));
    assertIds(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0xb7ad6b7169203331L);
  }

  @Test
  void upperCaseHex() {
    assertTrue(parse(("00-" + TRACE + "-" + SPAN + "-0a").toUpperCase(Locale.ROOT)));
    assertIds(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0xb7ad6b7169203331L);
  }

  @Test
  void aTraceIdWithOnlyTheLowHalfSet() {
    assertTrue(parse("00-00000000000000008448eb211c80319c-" + SPAN + "-01"));
    assertIds(0, 0x8448eb211c80319cL, 0xb7ad6b7169203331L);
  }

  @Test
  void laterVersionsMayAppendFieldsAfterADash() {
    assertTrue(parse("01-" + TRACE + "-" + SPAN + "-01"));
    assertTrue(parse("cc-" + TRACE + "-" + SPAN + "-09-what-ever"));
    assertIds(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0xb7ad6b7169203331L);
    assertTrue(parse("FE-" + TRACE + "-" + SPAN + "-01-"));
  }

  @ParameterizedTest(name = "\"{0}\" is no traceparent")
  @ValueSource(
      strings = {
        "",
        "00",
        "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "FF-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-",
        "cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01x",
        "00-00000000000000000000000000000000-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0g",
        "00-0af7651916cd43dd8448eb211c80319-cb7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333-101",
        "00_0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331_01",
        "0g-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319z-b7ad6b7169203331-01",
        "00-8448eb211c80319c-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1"
      })
  void invalid(String value) {
    assertFalse(parse(value));
  }
}
