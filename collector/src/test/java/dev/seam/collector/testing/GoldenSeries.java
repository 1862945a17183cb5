package dev.seam.collector.testing;

import dev.seam.collector.testing.Scrape.Sample;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The series a golden case is judged by, and how a scrape is compared with them: the exact set of
 * samples of every compared metric family, by name, labels and value, in any order. Every {@code
 * seam_boundary_*} and {@code traces_service_graph_*} family is compared in every case; any other
 * family is compared when the expected file has a sample of it.
 */
public final class GoldenSeries {

  /** Families compared in every case, whether the expected file lists them or not. */
  private static final List<String> ALWAYS = List.of("seam_boundary_", "traces_service_graph_");

  /** Sample-name suffixes of a histogram's series, which belong to the histogram's family. */
  private static final List<String> HISTOGRAM_SUFFIXES =
      List.of("_bucket", "_count", "_sum", "_max");

  private GoldenSeries() {}

  /** The family a sample belongs to: its name without a histogram suffix. */
  public static String family(String sampleName) {
    for (String suffix : HISTOGRAM_SUFFIXES) {
      if (sampleName.endsWith(suffix)) {
        return sampleName.substring(0, sampleName.length() - suffix.length());
      }
    }
    return sampleName;
  }

  /** The families of every sample in {@code expected}. */
  public static Set<String> mentioned(Scrape expected) {
    Set<String> out = new TreeSet<>();
    for (Sample s : expected.samples()) {
      out.add(family(s.name()));
    }
    return out;
  }

  /**
   * The samples of {@code scrape} in compared families: always-compared ones and {@code mentioned}.
   */
  public static List<Sample> compared(Scrape scrape, Set<String> mentioned) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : scrape.samples()) {
      String f = family(s.name());
      if (mentioned.contains(f) || ALWAYS.stream().anyMatch(f::startsWith)) {
        out.add(s);
      }
    }
    out.sort(ORDER);
    return out;
  }

  /**
   * What differs between the expected and the actual samples, one line each, or an empty string
   * when they are the same set with the same values.
   */
  public static String diff(List<Sample> expected, List<Sample> actual) {
    Map<String, Sample> want = byKey(expected);
    Map<String, Sample> got = byKey(actual);
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Sample> e : want.entrySet()) {
      Sample g = got.get(e.getKey());
      if (g == null) {
        out.append("  missing:    ").append(line(e.getValue())).append('\n');
      } else if (!sameValue(e.getValue().value(), g.value())) {
        out.append("  different:  ")
            .append(series(e.getValue()))
            .append(" expected ")
            .append(number(e.getValue().value()))
            .append(" but was ")
            .append(number(g.value()))
            .append('\n');
      }
    }
    for (Map.Entry<String, Sample> e : got.entrySet()) {
      if (!want.containsKey(e.getKey())) {
        out.append("  unexpected: ").append(line(e.getValue())).append('\n');
      }
    }
    return out.toString();
  }

  /**
   * An expected file: {@code header} (comment lines, kept as they are), then one line per sample.
   */
  public static String format(List<String> header, List<Sample> samples) {
    StringBuilder out = new StringBuilder();
    for (String h : header) {
      out.append(h).append('\n');
    }
    String last = null;
    for (Sample s : samples) {
      String f = family(s.name());
      if (last != null && !f.equals(last)) {
        out.append('\n');
      }
      last = f;
      out.append(line(s)).append('\n');
    }
    return out.toString();
  }

  /** A sample as one line of the Prometheus text format. */
  public static String line(Sample s) {
    return series(s) + ' ' + number(s.value());
  }

  /** A sample's name and labels as the Prometheus text format writes them. */
  private static String series(Sample s) {
    StringBuilder b = new StringBuilder(s.name());
    if (!s.labels().isEmpty()) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<String, String> l : s.labels().entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        b.append(l.getKey()).append("=\"").append(escape(l.getValue())).append('"');
      }
      b.append('}');
    }
    return b.toString();
  }

  /** Values equal up to the rounding of a sum of doubles. */
  static boolean sameValue(double expected, double actual) {
    if (Double.isNaN(expected) || Double.isInfinite(expected)) {
      return Double.compare(expected, actual) == 0;
    }
    return Math.abs(expected - actual) <= 1e-12 + 1e-9 * Math.abs(expected);
  }

  /** A value as a reader would write it: 12 significant digits, no exponent, no trailing zeros. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return "0";
    }
    return new BigDecimal(v).round(new MathContext(12)).stripTrailingZeros().toPlainString();
  }

  private static Map<String, Sample> byKey(List<Sample> samples) {
    Map<String, Sample> out = new LinkedHashMap<>();
    for (Sample s : samples) {
      String key = key(s);
      if (out.put(key, s) != null) {
        throw new AssertionError("the sample " + key + " appears twice");
      }
    }
    return out;
  }

  /** Name and labels, with the labels in key order so that their order does not matter. */
  private static String key(Sample s) {
    return s.name() + new TreeMap<>(s.labels());
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"");
  }

  /**
   * Family, then the labels other than {@code le}, then {@code le} as a number: buckets in
   * ascending order.
   */
  private static final Comparator<Sample> ORDER =
      Comparator.<Sample, String>comparing(s -> family(s.name()))
          .thenComparing(
              s -> {
                Map<String, String> rest = new TreeMap<>(s.labels());
                rest.remove("le");
                return rest.toString();
              })
          .thenComparing(Sample::name)
          .thenComparingDouble(
              s -> {
                String le = s.labels().get("le");
                return le == null
                    ? 0
                    : le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
              });
}
