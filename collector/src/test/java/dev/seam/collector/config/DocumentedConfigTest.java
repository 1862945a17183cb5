package dev.seam.collector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.contract.ContractMetricNames;
import dev.seam.collector.forward.ForwardMetricNames;
import dev.seam.collector.kafka.KafkaMetricNames;
import dev.seam.collector.measure.MeasureMetricNames;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration documentation is checked against the code: every key the records have is in
 * docs/configuration.md with its default as the code has it, no documented key is missing from the
 * code, and each component's README lists the keys of its sections (and the metrics of its name
 * class) the same way.
 */
class DocumentedConfigTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path CODE = ROOT.resolve("collector/src/main/java/dev/seam/collector");
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.-]+)` \\| `([^`]*)` \\|");

  /** Section of the file -> the component folder whose README lists it. */
  private static final Map<String, String> OWNERS =
      Map.ofEntries(
          Map.entry("receivers", "receive"),
          Map.entry("auth", "receive"),
          Map.entry("metrics", "expose"),
          Map.entry("normalize", "normalize"),
          Map.entry("pairing", "pair"),
          Map.entry("boundary", "measure"),
          Map.entry("compat", "measure"),
          Map.entry("forward", "forward"),
          Map.entry("pipeline", "pipeline"),
          Map.entry("contracts", "contract"),
          Map.entry("limits", "config"),
          Map.entry("kafka", "kafka"));

  @Test
  void everyKeyIsDocumentedWithItsDefault() throws IOException {
    Map<String, String> code = keys();
    Map<String, String> docs = rows(ROOT.resolve("docs/configuration.md"));
    assertEquals(
        List.copyOf(code.keySet()),
        List.copyOf(docs.keySet()),
        "docs/configuration.md lists the keys in the code's order, no more and no fewer");
    assertEquals(code, docs, "each default as the code has it");
  }

  @Test
  void eachComponentReadmeListsItsKeys() throws IOException {
    Map<String, String> code = keys();
    assertEquals(OWNERS.keySet(), sections(code), "every section has an owning component");
    for (Map.Entry<String, String> owner : OWNERS.entrySet()) {
      Map<String, String> readme = rows(CODE.resolve(owner.getValue()).resolve("README.md"));
      code.forEach(
          (key, def) -> {
            if (key.startsWith(owner.getKey() + ".")) {
              assertEquals(def, readme.get(key), owner.getValue() + "/README.md lists " + key);
            }
          });
    }
  }

  @Test
  void componentReadmesListTheMetricsTheirNameClassesDefine() throws Exception {
    assertMentionsEvery(MeasureMetricNames.class, CODE.resolve("measure/README.md"));
    assertMentionsEvery(ForwardMetricNames.class, CODE.resolve("forward/README.md"));
    assertMentionsEvery(KafkaMetricNames.class, CODE.resolve("kafka/README.md"));
    assertMentionsEvery(ContractMetricNames.class, CODE.resolve("contract/README.md"));
  }

  private static void assertMentionsEvery(Class<?> names, Path readme) throws Exception {
    String text = Files.readString(readme);
    for (Field f : names.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        String prometheus = ((String) f.get(null)).replace('.', '_');
        assertTrue(
            text.contains("`" + prometheus),
            readme.getFileName()
                + " of "
                + readme.getParent().getFileName()
                + " lists "
                + prometheus);
      }
    }
  }

  /** Every leaf key of the defaults and its default, written as the docs write it. */
  private static Map<String, String> keys() {
    Map<String, String> out = new LinkedHashMap<>();
    flatten("", ConfigLoader.tree(SeamConfig.DEFAULT), out);
    return out;
  }

  private static void flatten(String prefix, Map<String, Object> tree, Map<String, String> out) {
    tree.forEach(
        (name, value) -> {
          String key = prefix + name;
          if (value instanceof Map<?, ?> m && !m.isEmpty()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> inner = (Map<String, Object>) m;
            flatten(key + ".", inner, out);
          } else {
            out.put(key, written(value));
          }
        });
  }

  private static String written(Object value) {
    if (value instanceof Map<?, ?>) {
      return "{}";
    }
    if (value instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      list.forEach(o -> items.add(String.valueOf(o)));
      return "[" + String.join(", ", items) + "]";
    }
    if (value instanceof String s && s.isEmpty()) {
      return "\"\"";
    }
    return String.valueOf(value);
  }

  private static Set<String> sections(Map<String, String> keys) {
    Set<String> out = new HashSet<>();
    keys.keySet().forEach(k -> out.add(k.substring(0, k.indexOf('.'))));
    return out;
  }

  private static Map<String, String> rows(Path markdown) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(markdown)) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        out.put(m.group(1), m.group(2));
      }
    }
    return out;
  }
}
