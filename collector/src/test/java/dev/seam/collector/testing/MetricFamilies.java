package dev.seam.collector.testing;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The metric families of one scrape in the Prometheus text format: each {@code # TYPE} line opens a
 * family, and the samples after it belong to it. A family's labels are those of its samples,
 * without the {@code le} of histogram buckets.
 */
public final class MetricFamilies {

  /** One exposed family: its name as documented, its type, and the label names of its samples. */
  public record Family(String name, String type, Set<String> labels, int samples) {}

  private final Map<String, Family> families = new TreeMap<>();

  /** Reads the families of {@code scrape}. */
  public MetricFamilies(Scrape scrape) {
    Map<String, String> types = new TreeMap<>();
    Map<String, Set<String>> labels = new TreeMap<>();
    Map<String, Integer> samples = new TreeMap<>();
    String current = null;
    int sample = 0;
    for (String line : scrape.text().split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        current = documentedName(parts[2], parts[3]);
        types.put(current, parts[3]);
        labels.put(current, new TreeSet<>());
        samples.put(current, 0);
      } else if (!line.isEmpty() && !line.startsWith("#")) {
        Scrape.Sample s = scrape.samples().get(sample++);
        if (current == null) {
          throw new AssertionError("a sample before any # TYPE line: " + line);
        }
        Set<String> names = labels.get(current);
        names.addAll(s.labels().keySet());
        names.remove("le");
        samples.merge(current, 1, Integer::sum);
      }
    }
    for (Map.Entry<String, String> e : types.entrySet()) {
      String name = e.getKey();
      families.put(name, new Family(name, e.getValue(), labels.get(name), samples.get(name)));
    }
  }

  /** Every family by name. */
  public Map<String, Family> families() {
    return families;
  }

  /** A counter is documented by its samples' name, which ends in {@code _total}. */
  private static String documentedName(String name, String type) {
    return type.equals("counter") && !name.endsWith("_total") ? name + "_total" : name;
  }
}
