package dev.seam.collector.pipeline;

import static dev.seam.collector.testing.Otlp.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Origin;
import dev.seam.collector.normalize.OriginCache;
import dev.seam.collector.normalize.ServiceNames;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A resource's origin under the shown service name, and whether that renames it. */
class OriginsTest {

  private final Origins origins =
      new Origins(new ServiceNames(Map.of("pricing-svc", "pricing"), true));

  @Test
  void showsTheConfiguredName() {
    Origin o = origins.of(resource("Pricing_Svc", "rust"), "");
    assertEquals("pricing", o.service());
    assertEquals("rust", o.language());
    assertEquals("pricing", origins.renamedService(resource("Pricing_Svc", "rust"), ""));
  }

  @Test
  void aNameShownAsReportedOrUnknownIsNoRename() {
    assertNull(origins.renamedService(resource("gateway", "go"), ""));
    assertNull(origins.renamedService(resource(null, "go"), ""));
    assertEquals(Origin.UNKNOWN, origins.of(resource(null, null), "").service());
  }

  @Test
  void theCacheEntrySaysWhetherTheResourceIsRenamed() {
    OriginCache.Entry renamed = origins.entry(resource("pricing_svc", "rust"), "");
    assertEquals("pricing", renamed.origin().service());
    assertTrue(renamed.renamed());
    OriginCache.Entry asReported = origins.entry(resource("gateway", "go"), "");
    assertEquals("gateway", asReported.origin().service());
    assertFalse(asReported.renamed());
  }
}
