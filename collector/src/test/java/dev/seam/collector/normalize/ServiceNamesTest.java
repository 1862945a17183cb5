package dev.seam.collector.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.seam.collector.model.Origin;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceNamesTest {

  @Test
  void namesAreLeftAsReportedByDefault() {
    assertEquals("Pricing_Core", ServiceNames.AS_REPORTED.name("Pricing_Core"));
    Origin o = new Origin("Pricing_Core", "rust", null, "unknown");
    assertSame(o, ServiceNames.AS_REPORTED.apply(o));
  }

  @Test
  void aliasesRenameExactlyWhenNotCanonical() {
    ServiceNames n = new ServiceNames(Map.of("pricing-svc", "pricing"), false);
    assertEquals("pricing", n.name("pricing-svc"));
    assertEquals("Pricing-Svc", n.name("Pricing-Svc"));
    assertEquals("pricing", n.apply(new Origin("pricing-svc", "rust", "h/1", "i")).service());
  }

  @Test
  void theCanonicalFormMakesOneServiceOfSpellings() {
    ServiceNames n = new ServiceNames(Map.of(), true);
    assertEquals("pricing-core", n.name("pricing_core"));
    assertEquals("pricing-core", n.name("Pricing-Core"));
    assertEquals("pricing-core", n.name(" PRICING_CORE "));
  }

  @Test
  void aliasesMatchTheCanonicalFormWhenCanonical() {
    ServiceNames n = new ServiceNames(Map.of("Pricing_SVC", "Pricing_Core"), true);
    assertEquals("pricing-core", n.name("pricing-svc"));
    assertEquals("pricing-core", n.name("PRICING_SVC"));
  }
}
