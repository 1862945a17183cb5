package dev.seam.collector.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A value read from a YAML file together with its key path ({@code boundaries[2].budgets}), so
 * every complaint names the key the user must fix. Keys the reader does not know are refused, so a
 * typo never passes silently.
 */
final class YamlNode {

  /** A problem at one key; the file's reader adds the file's name. */
  static final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Problem(String key, String what) {
      super((key.isEmpty() ? "the top level" : "key '" + key + "'") + " " + what);
    }
  }

  private final String path;
  private final Object value;

  YamlNode(String path, Object value) {
    this.path = path;
    this.value = value;
  }

  String path() {
    return path;
  }

  boolean absent() {
    return value == null;
  }

  Problem problem(String what) {
    return new Problem(path, what);
  }

  /** The entries of a mapping, refusing keys outside {@code allowed} (null: any key). */
  Map<String, YamlNode> mapping(Set<String> allowed) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw problem("must be a mapping of keys");
    }
    Map<String, YamlNode> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = String.valueOf(e.getKey());
      String key = path.isEmpty() ? name : path + "." + name;
      if (allowed != null && !allowed.contains(name)) {
        throw new Problem(key, "is not known here (known: " + String.join(", ", allowed) + ")");
      }
      out.put(name, new YamlNode(key, e.getValue()));
    }
    return out;
  }

  /** The items of a list; an absent value is an empty list. */
  List<YamlNode> list() {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> items)) {
      throw problem("must be a list");
    }
    List<YamlNode> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      out.add(new YamlNode(path + "[" + i + "]", items.get(i)));
    }
    return out;
  }

  /** A single non-empty value as text (numbers and dates as written). */
  String text() {
    if (value == null || value instanceof Map<?, ?> || value instanceof List<?>) {
      throw problem("must be a single value");
    }
    String s = String.valueOf(value).trim();
    if (s.isEmpty()) {
      throw problem("must not be empty");
    }
    return s;
  }

  /** Like {@link #text()}, or {@code fallback} when absent. */
  String text(String fallback) {
    return value == null ? fallback : text();
  }

  /** A number. */
  double number() {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw problem("must be a number, got '" + value + "'");
  }

  /** One value or a list of values, as texts. */
  List<String> texts() {
    if (value instanceof List<?>) {
      List<String> out = new ArrayList<>();
      for (YamlNode item : list()) {
        out.add(item.text());
      }
      return out;
    }
    return List.of(text());
  }
}
