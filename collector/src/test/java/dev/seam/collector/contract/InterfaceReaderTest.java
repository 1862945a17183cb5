package dev.seam.collector.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.seam.collector.model.Transport;
import org.junit.jupiter.api.Test;

class InterfaceReaderTest {

  private final InterfaceReader defaults =
      new InterfaceReader(ContractsConfig.InterfaceConfig.DEFAULT);

  @Test
  void readsTheVersionedPackageOfAnRpcMethod() {
    assertEquals("pricing.v2", defaults.read(Transport.GRPC, "pricing.v2.Pricing/Quote", null));
    assertEquals("pricing.v1", defaults.read(Transport.GRPC, "/pricing.v1.Pricing/Quote", null));
    assertEquals(
        "grpc.health.v1", defaults.read(Transport.GRPC, "grpc.health.v1.Health/Check", null));
    assertEquals(
        "acme.pricing.v1beta1",
        defaults.read(Transport.GRPC, "acme.pricing.v1beta1.Pricing/Quote", null));
    assertNull(defaults.read(Transport.GRPC, "Pricing/Quote", null));
    assertNull(defaults.read(Transport.GRPC, null, null));
    assertEquals("pricing.v3", defaults.read(Transport.OTHER, "pricing.v3.Pricing/Quote", null));
  }

  @Test
  void readsTheLeadingVersionOfAnHttpRoute() {
    assertEquals("v1", defaults.read(Transport.HTTP, "/v1/price/{id}", null));
    assertEquals("v10beta", defaults.read(Transport.HTTP, "/v10beta/price", null));
    assertEquals("v2", defaults.read(Transport.HTTP, "/v2", null));
    assertNull(defaults.read(Transport.HTTP, "/price/{id}", null));
    assertNull(defaults.read(Transport.HTTP, "/version/1", null));
  }

  @Test
  void readsMessagingDestinationsAndFfiVersions() {
    assertEquals("pricing.v2", defaults.read(Transport.MESSAGING, "pricing.v2.quotes", null));
    assertNull(defaults.read(Transport.MESSAGING, "orders", null));
    assertEquals("v2", defaults.read(Transport.FFI, "quote", "v2"));
    assertNull(defaults.read(Transport.FFI, "quote", null));
    InterfaceReader byName =
        new InterfaceReader(
            new ContractsConfig.InterfaceConfig("^(v[0-9]+)_", "", "", "operation"));
    assertEquals("v3", byName.read(Transport.FFI, "v3_quote", "v2"));
    assertNull(byName.read(Transport.HTTP, "/v1/price", null), "an empty pattern reads nothing");
    InterfaceReader none =
        new InterfaceReader(new ContractsConfig.InterfaceConfig("", "", "", "none"));
    assertNull(none.read(Transport.FFI, "quote", "v2"));
  }

  @Test
  void theMajorOfAServiceVersionNamesTheInterface() {
    assertEquals("v2", ServiceFacts.versionInterface("2.3.1"));
    assertEquals("v3", ServiceFacts.versionInterface("v3"));
    assertEquals("v1", ServiceFacts.versionInterface("1.0.0-rc.1+build.5"));
    assertEquals("v0", ServiceFacts.versionInterface("0.9"));
    assertNull(ServiceFacts.versionInterface("main"));
    assertNull(ServiceFacts.versionInterface("99999999999999999999.1"));
    assertNull(ServiceFacts.versionInterface(null));
  }
}
