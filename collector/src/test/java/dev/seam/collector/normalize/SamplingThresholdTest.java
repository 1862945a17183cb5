package dev.seam.collector.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SamplingThresholdTest {

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "null | 1.0",
        "'' | 1.0",
        "ot=th:0 | 1.0",
        "ot=th:8 | 2.0",
        "ot=th:c | 4.0",
        "ot=th:f | 16.0",
        "ot=rv:abcdef;th:8 | 2.0",
        "vendor=x,ot=th:c,other=y | 4.0",
        "vendor=x, ot=th:c | 4.0",
        "foot=th:8 | 1.0",
        "ot=th: | 1.0",
        "ot=th:123456789abcdef | 1.0",
        "ot=th:zz | 1.0",
        "ot=rv:8 | 1.0"
      })
  void adjustedCount(String traceState, double expected) {
    assertEquals(expected, SamplingThreshold.adjustedCount(traceState), 1e-9);
  }
}
