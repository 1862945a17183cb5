package dev.seam.collector.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One scrape of /metrics in the Prometheus text format, parsed into samples. */
public final class Scrape {

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final String text;
  private final List<Sample> samples = new ArrayList<>();

  public Scrape(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      samples.add(parse(line));
    }
  }

  /** The raw text. */
  public String text() {
    return text;
  }

  /** Every sample. */
  public List<Sample> samples() {
    return samples;
  }

  /** Samples of {@code name} whose labels include every {@code key, value} pair given. */
  public List<Sample> find(String name, String... labelPairs) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name.equals(name) && matches(s.labels, labelPairs)) {
        out.add(s);
      }
    }
    return out;
  }

  /** Sum of the matching samples; 0 when none match. */
  public double sum(String name, String... labelPairs) {
    double total = 0;
    for (Sample s : find(name, labelPairs)) {
      total += s.value;
    }
    return total;
  }

  /** The single matching sample's value; fails when there is not exactly one. */
  public double value(String name, String... labelPairs) {
    List<Sample> found = find(name, labelPairs);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one sample of "
              + name
              + " "
              + String.join(",", labelPairs)
              + " but found "
              + found.size()
              + ": "
              + found);
    }
    return found.get(0).value;
  }

  private static boolean matches(Map<String, String> labels, String... pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }

  private static Sample parse(String line) {
    int brace = line.indexOf('{');
    int space;
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    if (brace >= 0 && brace < line.indexOf(' ')) {
      name = line.substring(0, brace);
      int i = brace + 1;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String key = line.substring(i, eq);
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        while (line.charAt(j) != '"') {
          char c = line.charAt(j);
          if (c == '\\') {
            char n = line.charAt(++j);
            value.append(n == 'n' ? '\n' : n);
          } else {
            value.append(c);
          }
          j++;
        }
        labels.put(key, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      space = i + 1;
    } else {
      space = line.indexOf(' ');
      name = line.substring(0, space);
    }
    String rest = line.substring(space).trim();
    int end = rest.indexOf(' ');
    String v = end >= 0 ? rest.substring(0, end) : rest;
    double value =
        v.equals("+Inf")
            ? Double.POSITIVE_INFINITY
            : v.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(v);
    return new Sample(name, labels, value);
  }

  /**
   * Label pairs {@code labels} followed by {@code more}: a boundary's labels plus a few of one
   * series.
   */
  public static String[] with(String[] labels, String... more) {
    String[] out = new String[labels.length + more.length];
    System.arraycopy(labels, 0, out, 0, labels.length);
    System.arraycopy(more, 0, out, labels.length, more.length);
    return out;
  }
}
