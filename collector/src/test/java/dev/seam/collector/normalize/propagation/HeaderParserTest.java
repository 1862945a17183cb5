package dev.seam.collector.normalize.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderParserTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final long HI = 0x0af7651916cd43ddL;
  private static final long LO = 0x8448eb211c80319cL;
  private static final String SPAN = "b7ad6b7169203331";
  private static final long SP = 0xb7ad6b7169203331L;

  private final ParsedContext out = new ParsedContext();

  @ParameterizedTest(name = "\"{0}\" can only be {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 | W3C",
        "00-garbage | W3C",
        "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1 | B3",
        "8448eb211c80319c-b7ad6b7169203331 | B3",
        "0 | B3",
        "abc-00-00 | B3",
        "0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0:1 | JAEGER",
        "0af7651916cd43dd%3Ab7ad6b7169203331%3A0%3A1 | JAEGER",
        "00-abc:def | JAEGER",
        "Root=1-5759e988-bd862e3fe1be46a994272793 | XRAY",
        "Sampled=1 | XRAY",
        "a:b=c | XRAY"
      })
  void theFormatFollowsThePunctuation(String value, HeaderFormat format) {
    assertEquals(format, HeaderParser.formatOf(value, 0, value.length()));
  }

  @Test
  void eachFormatReachesItsParser() {
    assertParsed("00-" + TRACE + "-" + SPAN + "-01", HeaderFormat.W3C, HI, LO, SP);
    assertParsed(TRACE + "-" + SPAN + "-1", HeaderFormat.B3, HI, LO, SP);
    assertParsed(TRACE + ":" + SPAN + ":0:1", HeaderFormat.JAEGER, HI, LO, SP);
    assertParsed(
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
        HeaderFormat.XRAY,
        0x5759e988bd862e3fL,
        0xe1be46a994272793L,
        0x53995c3f42cd8ad8L);
  }

  @Test
  void onlyTheRegionIsRead() {
    String s = "traceparent: 00-" + TRACE + "-" + SPAN + "-01;";
    assertTrue(HeaderParser.parse(s, 13, s.length() - 1, out));
    assertEquals(HeaderFormat.W3C, out.format());
    assertEquals(SP, out.spanId());
    assertFalse(HeaderParser.parse(s, 0, s.length(), out));
  }

  @Test
  void aValueInNoFormatIsNoHeader() {
    for (String s : new String[] {"", "hello", "1", TRACE, "00-" + TRACE, "Parent=" + SPAN}) {
      assertFalse(HeaderParser.parse(s, 0, s.length(), out), s);
    }
  }

  private void assertParsed(String s, HeaderFormat format, long hi, long lo, long span) {
    assertTrue(HeaderParser.parse(s, 0, s.length(), out), s);
    assertEquals(format, out.format(), s);
    assertEquals(hi, out.traceIdHigh(), s);
    assertEquals(lo, out.traceIdLow(), s);
    assertEquals(span, out.spanId(), s);
  }

  @Test
  void formatLabelsAreWhatDebugLinesShow() {
    assertEquals("W3C", HeaderFormat.W3C.label());
    assertEquals("B3", HeaderFormat.B3.label());
    assertEquals("Jaeger", HeaderFormat.JAEGER.label());
    assertEquals("X-Ray", HeaderFormat.XRAY.label());
  }
}
