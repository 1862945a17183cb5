package dev.seam.collector.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeverityTest {

  @ParameterizedTest(name = "number {0} -> {1}")
  @CsvSource({
    "1, TRACE",
    "4, TRACE",
    "5, DEBUG",
    "8, DEBUG",
    "9, INFO",
    "12, INFO",
    "13, WARN",
    "16, WARN",
    "17, ERROR",
    "20, ERROR",
    "21, FATAL",
    "24, FATAL",
  })
  void numbersFallInTheirRangeWhateverTheText(int number, Severity expected) {
    assertEquals(expected, Severity.of(number, null));
    assertEquals(expected, Severity.of(number, ""));
    // A stated number wins over a contradicting text.
    assertEquals(expected, Severity.of(number, expected == Severity.FATAL ? "TRACE" : "FATAL"));
  }

  @ParameterizedTest(name = "number 0, text \"{0}\" -> {1}")
  @CsvSource({
    "ERROR, ERROR",
    "error, ERROR",
    "Err, ERROR",
    "warning, WARN",
    "WARN, WARN",
    "Fatal, FATAL",
    "CRITICAL, FATAL",
    "panic, FATAL",
    "EMERGENCY, FATAL",
    "trace, TRACE",
    "Debug, DEBUG",
    "INFO, INFO",
    "notice, INFO",
    "'  error  ', ERROR",
    "'', INFO",
  })
  void unspecifiedNumberFallsBackToTheText(String text, Severity expected) {
    assertEquals(expected, Severity.of(0, text));
  }

  @Test
  void noNumberAndNoTextIsInfo() {
    assertEquals(Severity.INFO, Severity.of(0, null));
    assertEquals(Severity.INFO, Severity.of(0, "   "));
  }

  @Test
  void numbersOutsideTheRangesFallBackToTheText() {
    assertEquals(Severity.ERROR, Severity.of(25, "ERROR"));
    assertEquals(Severity.INFO, Severity.of(25, null));
    assertEquals(Severity.WARN, Severity.of(-3, "warn"));
  }

  @Test
  void onlyErrorAndFatalAreErrors() {
    assertFalse(Severity.TRACE.isError());
    assertFalse(Severity.DEBUG.isError());
    assertFalse(Severity.INFO.isError());
    assertFalse(Severity.WARN.isError());
    assertTrue(Severity.ERROR.isError());
    assertTrue(Severity.FATAL.isError());
    assertTrue(Severity.of(17, null).isError());
    assertFalse(Severity.of(16, null).isError());
  }

  @Test
  void labelsAreLowercaseNames() {
    assertEquals("trace", Severity.TRACE.label());
    assertEquals("warn", Severity.WARN.label());
    assertEquals("error", Severity.ERROR.label());
    assertEquals("fatal", Severity.FATAL.label());
  }
}
