package dev.seam.collector.normalize.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class B3SingleParserTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final long HI = 0x0af7651916cd43ddL;
  private static final long LO = 0x8448eb211c80319cL;
  private static final String SPAN = "b7ad6b7169203331";
  private static final long SP = 0xb7ad6b7169203331L;

  private final ParsedContext out = new ParsedContext();

  private boolean parse(String s) {
    String padded = "b3:" + s + "-";
    return B3SingleParser.parse(padded, 3, padded.length() - 1, out);
  }

  private void assertIds(long hi, long lo, long span) {
    assertEquals(hi, out.traceIdHigh(), "trace id high");
    assertEquals(lo, out.traceIdLow(), "trace id low");
    assertEquals(span, out.spanId(), "span id");
    assertEquals(HeaderFormat.B3, out.format());
  }

  @Test
  void idsAlone() {
    assertTrue(parse(TRACE + "-" + SPAN));
    assertIds(HI, LO, SP);
  }

  @ParameterizedTest(name = "sampling state {0}")
  @ValueSource(strings = {"0", "1", "d"})
  void withASamplingState(String sampled) {
    assertTrue(parse(TRACE + "-" + SPAN + "-" + sampled));
    assertIds(HI, LO, SP);
  }

  @Test
  void withAParentSpanId() {
    assertTrue(parse(TRACE + "-" + SPAN + "-1-05e3ac9a4f6e3b90"));
    assertIds(HI, LO, SP);
  }

  @Test
  void sixteenDigitTraceIdIsTheLowHalf() {
    assertTrue(parse("8448eb211c80319c-" + SPAN + "-0"));
    assertIds(0, LO, SP);
  }

  @Test
  void upperCaseHex() {
    String upper = (TRACE + "-" + SPAN + "-1-05e3ac9a4f6e3b90").toUpperCase(Locale.ROOT);
    assertTrue(parse(upper));
    assertIds(HI, LO, SP);
  }

  @ParameterizedTest(name = "\"{0}\" carries no ids")
  @ValueSource(
      strings = {
        "",
        "0",
        "1",
        "d",
        "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-x",
        "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-D",
        "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-10",
        "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-",
        "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1-05e3ac9a",
        "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1-05e3ac9a4f6e3b9g",
        "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1-05e3ac9a4f6e3b90-x",
        "0af7651916cd43dd8448eb211c80319c-b7ad6b716920333",
        "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331x",
        "0af7651916cd43dd8448eb211c8031-b7ad6b7169203331",
        "0af7651916cd43dd8448eb211c80319c0-b7ad6b7169203331",
        "0af7651916cd43dd8448eb211c80319z-b7ad6b7169203331",
        "0af7651916cd43dd8448eb211c80319c",
        "00000000000000000000000000000000-b7ad6b7169203331",
        "0000000000000000-b7ad6b7169203331",
        "0af7651916cd43dd8448eb211c80319c-0000000000000000-1"
      })
  void invalid(String value) {
    assertFalse(parse(value));
  }
}
