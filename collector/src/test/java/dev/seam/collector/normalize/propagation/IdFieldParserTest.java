package dev.seam.collector.normalize.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdFieldParserTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final long HI = 0x0af7651916cd43ddL;
  private static final long LO = 0x8448eb211c80319cL;
  private static final String SPAN = "b7ad6b7169203331";
  private static final long SP = 0xb7ad6b7169203331L;

  private final ParsedContext out = new ParsedContext();

  private boolean traceId(String s, boolean decimal, boolean number) {
    // Surrounded by other text, so a parser that reads past its region fails.
    String padded = "[" + s + "]";
    return IdFieldParser.traceId(padded, 1, padded.length() - 1, decimal, number, out);
  }

  private boolean spanId(String s, boolean decimal, boolean number) {
    String padded = "[" + s + "]";
    return IdFieldParser.spanId(padded, 1, padded.length() - 1, decimal, number, out);
  }

  private void assertTraceId(long hi, long lo) {
    assertEquals(hi, out.traceIdHigh(), "high");
    assertEquals(lo, out.traceIdLow(), "low");
  }

  // ---- trace ids ----

  @Test
  void hexTraceIdOfEitherCase() {
    assertTrue(traceId(TRACE, false, false));
    assertTraceId(HI, LO);
    assertTrue(traceId(TRACE.toUpperCase(Locale.ROOT), false, false));
    assertTraceId(HI, LO);
    assertTrue(traceId("0AF7651916cd43DD8448eb211C80319c", true, false));
    assertTraceId(HI, LO);
  }

  @Test
  void sixteenDigitTraceIdIsTheLowHalf() {
    assertTrue(traceId("8448eb211c80319c", false, false));
    assertTraceId(0, LO);
  }

  @Test
  void allZeroTraceIdIsAbsent() {
    assertFalse(traceId("0".repeat(32), false, false));
    assertFalse(traceId("0".repeat(16), false, false));
    assertFalse(traceId("0".repeat(32), true, false));
    assertFalse(traceId("0", true, false));
    assertFalse(traceId("0", true, true));
  }

  @ParameterizedTest(name = "trace id \"{0}\" is malformed")
  @ValueSource(
      strings = {
        "",
        "0af7651916cd43dd8448eb211c80319",
        "0af7651916cd43dd8448eb211c80319c0",
        "8448eb211c80319",
        "8448eb211c80319c0",
        "0af7651916cd43dd8448eb211c80319g",
        "0af7651916cd43dd-8448eb211c80319c",
        "0af7651916cd43dd8448eb211c80319\uff10",
        "12345"
      })
  void malformedTraceIds(String value) {
    assertFalse(traceId(value, false, false));
  }

  @Test
  void decimalTraceIdOnlyInADecimalField() {
    assertFalse(traceId("12345", false, false));
    assertTrue(traceId("12345", true, false));
    assertTraceId(0, 12345);
  }

  @Test
  void decimalTraceIdBounds() {
    out.traceIdHigh = 7;
    assertTrue(traceId("18446744073709551615", true, false));
    assertTraceId(0, -1L);
    assertTrue(traceId("9223372036854775808", true, false));
    assertTraceId(0, Long.MIN_VALUE);
    assertTrue(traceId("000123", true, false));
    assertTraceId(0, 123);
    assertFalse(traceId("18446744073709551616", true, false));
    assertFalse(traceId("99999999999999999999", true, false));
  }

  @Test
  void sixteenDecimalDigitsAreDecimalButThirtyTwoAreHex() {
    assertTrue(traceId("1234567890123456", true, false));
    assertTraceId(0, 1234567890123456L);
    assertTrue(traceId("1234567890123456", false, false));
    assertTraceId(0, 0x1234567890123456L);
    assertTrue(traceId("00000000000000001234567890123456", true, false));
    assertTraceId(0, 0x1234567890123456L);
  }

  @Test
  void aJsonNumberIsOnlyADecimalId() {
    assertTrue(traceId("12345", true, true));
    assertTraceId(0, 12345);
    assertFalse(traceId("12345", false, true));
    assertFalse(traceId("1234567890123456", false, true));
    assertFalse(traceId("-5", true, true));
    // 32 digits are the hex form, which a JSON number cannot be.
    assertFalse(traceId("00000000000000001234567890123456", true, true));
  }

  // ---- span ids ----

  @Test
  void hexSpanIdOfEitherCase() {
    assertTrue(spanId(SPAN, false, false));
    assertEquals(SP, out.spanId());
    assertTrue(spanId(SPAN.toUpperCase(Locale.ROOT), false, false));
    assertEquals(SP, out.spanId());
    assertTrue(spanId("ffffffffffffffff", false, false));
    assertEquals(-1L, out.spanId());
  }

  @Test
  void spanIdLeavesTheTraceIdAlone() {
    assertTrue(traceId(TRACE, false, false));
    assertTrue(spanId(SPAN, false, false));
    assertTraceId(HI, LO);
  }

  @ParameterizedTest(name = "span id \"{0}\" is malformed or absent")
  @ValueSource(
      strings = {
        "",
        "0000000000000000",
        "b7ad6b716920333",
        "b7ad6b71692033310",
        "b7ad6b716920333x",
        "42"
      })
  void malformedOrZeroSpanIds(String value) {
    assertFalse(spanId(value, false, false));
  }

  @Test
  void decimalSpanIdOnlyInADecimalField() {
    assertTrue(spanId("42", true, false));
    assertEquals(42, out.spanId());
    assertTrue(spanId("42", true, true));
    assertEquals(42, out.spanId());
    assertFalse(spanId("42", false, true));
    assertFalse(spanId("0", true, false));
    assertFalse(spanId("-42", true, true));
  }

  @Test
  void decimalSpanIdBounds() {
    assertTrue(spanId("18446744073709551615", true, false));
    assertEquals(-1L, out.spanId());
    assertFalse(spanId("18446744073709551616", true, false));
    // Sixteen decimal digits in a decimal field are a decimal id, not hex.
    assertTrue(spanId("1234567890123456", true, false));
    assertEquals(1234567890123456L, out.spanId());
    assertTrue(spanId("1234567890abcdef", true, false));
    assertEquals(0x1234567890abcdefL, out.spanId());
  }
}
