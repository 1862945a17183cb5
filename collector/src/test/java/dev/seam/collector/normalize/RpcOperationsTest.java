package dev.seam.collector.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RpcOperationsTest {

  @ParameterizedTest(name = "service {0}, method {1}, span {2} -> {3}")
  @CsvSource(
      nullValues = "null",
      value = {
        "pricing.Pricer, Quote, x, pricing.Pricer/Quote",
        "/pricing.Pricer, Quote, x, pricing.Pricer/Quote",
        "null, pricing.Pricer/Quote, x, pricing.Pricer/Quote",
        "null, /pricing.Pricer/Quote, x, pricing.Pricer/Quote",
        "other.Svc, pricing.Pricer/Quote, x, pricing.Pricer/Quote",
        "null, null, /pricing.Pricer/Quote, pricing.Pricer/Quote",
        "null, Quote, pricing.Pricer/Quote, pricing.Pricer/Quote",
        "null, Quote, GET /quote, Quote",
        "null, null, GET /quote, null",
        "pricing.Pricer, null, plain, null"
      })
  void operationFromEitherNamingGeneration(
      String service, String method, String span, String expected) {
    assertEquals(expected, RpcOperations.operation(service, method, span));
  }

  @Test
  void theSameStringsGiveTheSameOperationObject() {
    RpcOperations cache = new RpcOperations();
    String svc = "pricing.Pricer";
    String method = "Quote";
    String first = cache.of(svc, method, "op");
    assertEquals("pricing.Pricer/Quote", first);
    assertSame(first, cache.of(svc, method, "op"));
  }

  @Test
  void equalButDistinctStringsAndManyNamesStayCorrect() {
    RpcOperations cache = new RpcOperations();
    for (int i = 0; i < 2000; i++) {
      String svc = new String("svc" + (i % 300));
      assertEquals("svc" + (i % 300) + "/M" + i, cache.of(svc, "M" + i, "op"));
    }
    assertNull(cache.of(null, null, "op"));
  }
}
