package dev.seam.collector.normalize.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdParserTest {

  @Test
  void hexDigitsOfBothCases() {
    assertEquals(0, IdParser.hexDigit('0'));
    assertEquals(9, IdParser.hexDigit('9'));
    assertEquals(10, IdParser.hexDigit('a'));
    assertEquals(10, IdParser.hexDigit('A'));
    assertEquals(15, IdParser.hexDigit('f'));
    assertEquals(15, IdParser.hexDigit('F'));
  }

  @ParameterizedTest(name = "{0} is no hex digit")
  @ValueSource(chars = {'g', 'G', '/', ':', '@', '`', ' ', '-', '\uff10', '\u0663'})
  void nonAsciiAndNeighbouringCharsAreNoHexDigits(char c) {
    assertEquals(-1, IdParser.hexDigit(c));
  }

  @Test
  void isHexLooksOnlyAtTheRegion() {
    String s = "xx0aF9yy";
    assertTrue(IdParser.isHex(s, 2, 6));
    assertFalse(IdParser.isHex(s, 1, 6));
    assertFalse(IdParser.isHex(s, 2, 7));
    // An empty region has no bad digit; callers check lengths first.
    assertTrue(IdParser.isHex(s, 3, 3));
  }

  @Test
  void isHexWithAMaximumWantsOneToThatManyDigits() {
    assertTrue(IdParser.isHex("abc", 0, 3, 3));
    assertTrue(IdParser.isHex("abc", 0, 1, 3));
    assertFalse(IdParser.isHex("abcd", 0, 4, 3));
    assertFalse(IdParser.isHex("abc", 1, 1, 3));
    assertFalse(IdParser.isHex("abz", 0, 3, 3));
  }

  @Test
  void hexValueIgnoresCase() {
    assertEquals(0xb7ad6b7169203331L, IdParser.hex("b7ad6b7169203331", 0, 16));
    assertEquals(0xb7ad6b7169203331L, IdParser.hex("B7AD6B7169203331", 0, 16));
    assertEquals(0xb7ad6b7169203331L, IdParser.hex("b7AD6b7169203331", 0, 16));
    assertEquals(-1L, IdParser.hex("ffffffffffffffff", 0, 16));
    assertEquals(0x1a2bL, IdParser.hex("-1a2b-", 1, 5));
    assertEquals(0, IdParser.hex("", 0, 0));
  }

  @Test
  void thirtyTwoDigitsSplitIntoTwoHalves() {
    String s = "0af7651916cd43dd8448eb211c80319c";
    assertEquals(0x0af7651916cd43ddL, IdParser.hexHigh(s, 0, 32));
    assertEquals(0x8448eb211c80319cL, IdParser.hexLow(s, 0, 32));
  }

  @Test
  void fewerDigitsArePaddedOnTheLeft() {
    String sixteen = "8448eb211c80319c";
    assertEquals(0, IdParser.hexHigh(sixteen, 0, 16));
    assertEquals(0x8448eb211c80319cL, IdParser.hexLow(sixteen, 0, 16));
    String seventeen = "5" + sixteen;
    assertEquals(5, IdParser.hexHigh(seventeen, 0, 17));
    assertEquals(0x8448eb211c80319cL, IdParser.hexLow(seventeen, 0, 17));
    assertEquals(0, IdParser.hexHigh("1a2b", 0, 4));
    assertEquals(0x1a2b, IdParser.hexLow("1a2b", 0, 4));
  }

  @Test
  void isDigitsWantsAsciiDecimalDigits() {
    assertTrue(IdParser.isDigits("0123456789", 0, 10));
    assertTrue(IdParser.isDigits("x42x", 1, 3));
    assertFalse(IdParser.isDigits("x42x", 0, 3));
    assertFalse(IdParser.isDigits("", 0, 0));
    assertFalse(IdParser.isDigits("-1", 0, 2));
    assertFalse(IdParser.isDigits("1a", 0, 2));
    assertFalse(IdParser.isDigits("\uff11\u0663", 0, 2));
  }

  @ParameterizedTest(name = "{0} fits in 64 bits")
  @ValueSource(
      strings = {
        "0",
        "000",
        "1",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551614",
        "18446744073709551615",
        "0018446744073709551615",
        "9999999999999999999"
      })
  void fitsUnsigned64(String digits) {
    assertTrue(IdParser.fitsUnsigned64(digits, 0, digits.length()));
  }

  @ParameterizedTest(name = "{0} does not fit in 64 bits")
  @ValueSource(
      strings = {
        "18446744073709551616",
        "18446744073709551700",
        "19000000000000000000",
        "99999999999999999999",
        "100000000000000000000",
        "0100000000000000000000"
      })
  void doesNotFitUnsigned64(String digits) {
    assertFalse(IdParser.fitsUnsigned64(digits, 0, digits.length()));
  }

  @ParameterizedTest(name = "{0} reads as {1}")
  @CsvSource({
    "0, 0",
    "42, 42",
    "000123, 123",
    "9223372036854775807, 9223372036854775807",
    "9223372036854775808, -9223372036854775808",
    "18446744073709551615, -1",
    "12345678901234567890, -6101065172474983726"
  })
  void unsigned64KeepsTheUnsignedBits(String digits, long expected) {
    assertEquals(expected, IdParser.unsigned64(digits, 0, digits.length()));
    assertEquals(digits.replaceFirst("^0+(?=.)", ""), Long.toUnsignedString(expected));
  }

  @Test
  void decimalRegionsInsideLongerText() {
    String s = "id=18446744073709551615;";
    assertTrue(IdParser.fitsUnsigned64(s, 3, 23));
    assertEquals(-1L, IdParser.unsigned64(s, 3, 23));
  }
}
