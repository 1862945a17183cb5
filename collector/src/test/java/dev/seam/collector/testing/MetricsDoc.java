package dev.seam.collector.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric families docs/metrics.md documents, read from its tables: every row of a table whose
 * header has a {@code metric} and a {@code type} column is one family, with the label names its
 * {@code labels} column lists. A table with an {@code extra labels} column adds them to the labels
 * of the "Boundary labels" table ({@code | label | value |}), which every boundary series carries.
 */
public final class MetricsDoc {

  /** One documented family: its exported name, its type and its label names. */
  public record Family(String name, String type, Set<String> labels) {}

  private static final Pattern CODE = Pattern.compile("`([^`]*)`");
  private static final Pattern PARENTHESES = Pattern.compile("\\([^()]*\\)");

  private final Map<String, Family> families = new TreeMap<>();

  private MetricsDoc() {}

  /** Reads the page at {@code file}. */
  public static MetricsDoc read(Path file) throws IOException {
    return parse(Files.readAllLines(file));
  }

  /** Reads a page given as lines. */
  public static MetricsDoc parse(List<String> lines) {
    MetricsDoc doc = new MetricsDoc();
    Set<String> boundaryLabels = boundaryLabels(lines);
    List<String> header = null;
    for (String line : lines) {
      if (!line.startsWith("|")) {
        header = null;
        continue;
      }
      List<String> cells = cells(line);
      if (header == null) {
        header = cells;
        continue;
      }
      if (cells.get(0).startsWith("---")) {
        continue;
      }
      int metric = header.indexOf("metric");
      int type = header.indexOf("type");
      int labels = header.indexOf("labels");
      int extra = header.indexOf("extra labels");
      if (metric < 0 || type < 0 || (labels < 0 && extra < 0)) {
        continue;
      }
      String name = only(codes(cells.get(metric)), line);
      Set<String> names = new LinkedHashSet<>();
      if (extra >= 0) {
        names.addAll(boundaryLabels);
      }
      names.addAll(labelNames(cells.get(extra >= 0 ? extra : labels)));
      Family previous = doc.families.put(name, new Family(name, cells.get(type), names));
      if (previous != null) {
        throw new AssertionError("docs/metrics.md documents " + name + " twice");
      }
    }
    return doc;
  }

  /** Every documented family by name. */
  public Map<String, Family> families() {
    return families;
  }

  /** The documented families whose names {@code keep} accepts. */
  public MetricsDoc filtered(Predicate<String> keep) {
    MetricsDoc doc = new MetricsDoc();
    for (Family f : families.values()) {
      if (keep.test(f.name())) {
        doc.families.put(f.name(), f);
      }
    }
    return doc;
  }

  /** The first column of the {@code | label | value |} table. */
  private static Set<String> boundaryLabels(List<String> lines) {
    Set<String> out = new LinkedHashSet<>();
    boolean inTable = false;
    for (String line : lines) {
      if (!line.startsWith("|")) {
        if (inTable) {
          break;
        }
        continue;
      }
      List<String> cells = cells(line);
      if (!inTable) {
        inTable = cells.equals(List.of("label", "value"));
        continue;
      }
      if (!cells.get(0).startsWith("---")) {
        out.addAll(codes(cells.get(0)));
      }
    }
    if (out.isEmpty()) {
      throw new AssertionError("docs/metrics.md has no | label | value | table");
    }
    return out;
  }

  /** The label names a labels cell lists: code spans outside parentheses (values are inside). */
  private static List<String> labelNames(String cell) {
    String outside = cell;
    for (String before = null; !outside.equals(before); ) {
      before = outside;
      outside = PARENTHESES.matcher(outside).replaceAll("");
    }
    return codes(outside);
  }

  /** A row's cells, trimmed; the last (the meaning) may itself hold '|'. */
  private static List<String> cells(String line) {
    List<String> out = new ArrayList<>();
    for (String cell : line.substring(1).split("\\|", -1)) {
      out.add(cell.trim());
    }
    if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  private static List<String> codes(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = CODE.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String only(List<String> names, String line) {
    if (names.size() != 1) {
      throw new AssertionError("expected one metric name in: " + line);
    }
    return names.get(0);
  }
}
