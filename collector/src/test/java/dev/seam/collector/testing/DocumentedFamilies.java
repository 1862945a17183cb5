package dev.seam.collector.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Holds what a running Seam exports to docs/metrics.md: the families on /metrics against the
 * documented ones, and the metric-name constants against the registered meters. Each check looks at
 * the part of the page a test can make Seam export (all but Kafka without a broker, Kafka with
 * one).
 */
public final class DocumentedFamilies {

  private DocumentedFamilies() {}

  /**
   * The {@code seam_*} and {@code traces_service_graph_*} families on /metrics that {@code which}
   * accepts are exactly those {@code doc} documents, with its types and label names, and each has
   * samples.
   */
  public static void assertExported(Scrape s, MetricsDoc doc, Predicate<String> which) {
    Map<String, MetricFamilies.Family> exposed = new TreeMap<>();
    Set<String> histograms = new TreeSet<>();
    for (MetricFamilies.Family f : new MetricFamilies(s).families().values()) {
      if ((f.name().startsWith("seam_") || f.name().startsWith("traces_service_graph_"))
          && which.test(f.name())) {
        exposed.put(f.name(), f);
        if (f.type().equals("histogram")) {
          histograms.add(f.name());
        }
      }
    }
    // Each histogram comes with Micrometer's _max gauge, which the page mentions once for all.
    for (String h : histograms) {
      MetricFamilies.Family max = exposed.remove(h + "_max");
      assertTrue(max != null && max.type().equals("gauge"), h + " has no _max gauge");
      assertEquals(exposed.get(h).labels(), max.labels(), h + "_max");
    }
    Map<String, MetricsDoc.Family> documented = doc.families();
    Set<String> undocumented = new TreeSet<>(exposed.keySet());
    undocumented.removeAll(documented.keySet());
    Set<String> notExposed = new TreeSet<>(documented.keySet());
    notExposed.removeAll(exposed.keySet());
    assertTrue(
        undocumented.isEmpty() && notExposed.isEmpty(),
        "exposed but not in docs/metrics.md: "
            + undocumented
            + "; documented but not exposed: "
            + notExposed);
    for (MetricsDoc.Family d : documented.values()) {
      MetricFamilies.Family e = exposed.get(d.name());
      assertEquals(d.type(), e.type(), d.name() + ": type");
      assertEquals(new TreeSet<>(d.labels()), e.labels(), d.name() + ": label names");
      assertTrue(e.samples() > 0, d.name() + " has no samples");
    }
  }

  /**
   * The Micrometer names registered that {@code which} accepts are exactly the constants of {@code
   * names}, and each constant's meters are exported under one family {@code doc} lists; the
   * constants' families are all of {@code doc}'s.
   */
  public static void assertConstantsNameTheFamilies(
      MeterRegistry registry, MetricsDoc doc, Predicate<String> which, Class<?>... names)
      throws Exception {
    Set<String> constants = new TreeSet<>();
    // Families built at scrape time rather than by meters are named as exported ('_', no '.').
    Set<String> collected = new TreeSet<>();
    for (Class<?> c : names) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
          String name = (String) f.get(null);
          assertTrue(constants.add(name), "two constants name " + name);
          if (!name.contains(".")) {
            collected.add(name);
          }
        }
      }
    }
    constants.removeAll(collected);
    Map<String, Set<String>> exportedAs = new TreeMap<>();
    for (Meter m : registry.getMeters()) {
      String name = m.getId().getName();
      if ((name.startsWith("seam.") || name.startsWith("traces.")) && which.test(name)) {
        exportedAs.computeIfAbsent(name, n -> new TreeSet<>()).add(exportedName(m));
      }
    }
    assertEquals(
        constants,
        exportedAs.keySet(),
        "registered meter names vs. the constants of the name classes");
    Set<String> families = new TreeSet<>();
    for (Map.Entry<String, Set<String>> e : exportedAs.entrySet()) {
      assertEquals(1, e.getValue().size(), e.getKey() + " is exported as " + e.getValue());
      String family = e.getValue().iterator().next();
      assertTrue(
          doc.families().containsKey(family),
          e.getKey() + " is exported as " + family + ", which docs/metrics.md does not list");
      families.add(family);
    }
    for (String family : collected) {
      assertTrue(doc.families().containsKey(family), family + " is not in docs/metrics.md");
      assertTrue(families.add(family), family + " is also a meter's family");
    }
    assertEquals(
        doc.families().keySet(), families, "documented families vs. the constants' families");
  }

  /** The family a meter appears under: Micrometer's suffixes for its type and base unit. */
  private static String exportedName(Meter m) {
    String base = m.getId().getName().replace('.', '_');
    String unit = m.getId().getBaseUnit();
    return switch (m.getId().getType()) {
      case COUNTER -> base + "_total";
      case TIMER -> base + "_seconds";
      default -> unit != null ? base + "_" + unit : base;
    };
  }
}
