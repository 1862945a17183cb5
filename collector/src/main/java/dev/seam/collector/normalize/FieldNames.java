package dev.seam.collector.normalize;

import dev.seam.collector.normalize.propagation.HeaderFormat;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The field names a {@link LogContextExtractor} is configured with, looked up by the key a log
 * record uses: every configured name, and every dotted prefix of one, to what it stands for.
 */
final class FieldNames {

  /** Field names with this prefix follow Datadog, which logs 64-bit ids in decimal. */
  private static final String DATADOG_PREFIX = "dd.";

  private static final Field[] NO_FIELDS = {};

  private final Map<String, Name> names = new HashMap<>();

  /**
   * @throws IllegalArgumentException when a name is empty, has an empty dotted segment, or is in
   *     two of the lists
   * @throws NullPointerException when a list or a name is null
   */
  FieldNames(List<String> traceIdFields, List<String> spanIdFields, List<String> headerFields) {
    add(traceIdFields, Kind.TRACE);
    add(spanIdFields, Kind.SPAN);
    add(headerFields, Kind.HEADER);
  }

  /** What {@code key} stands for, or {@code null} when it is neither a name nor leads to one. */
  Name get(String key) {
    return names.get(key);
  }

  private void add(List<String> list, Kind kind) {
    int priority = 0;
    for (String name : List.copyOf(list)) {
      if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
        throw new IllegalArgumentException(
            "log context field name '" + name + "' has an empty segment");
      }
      Name entry = names.computeIfAbsent(name, k -> new Name());
      if (entry.field != null) {
        if (entry.field.kind != kind) {
          throw new IllegalArgumentException(
              "log context field name '"
                  + name
                  + "' is listed as both "
                  + entry.field.kind.label
                  + " and "
                  + kind.label);
        }
        // Repeated within one list: its first position already set its priority.
        continue;
      }
      Field f = new Field(name, kind, priority++);
      entry.field = f;
      for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
        Name prefix = names.computeIfAbsent(name.substring(0, dot), k -> new Name());
        prefix.below = Arrays.copyOf(prefix.below, prefix.below.length + 1);
        prefix.below[prefix.below.length - 1] = f;
      }
    }
  }

  /** What a configured field holds. */
  enum Kind {
    TRACE("a trace id field"),
    SPAN("a span id field"),
    HEADER("a header field");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** One configured field name. */
  static final class Field {
    final String name;
    final Kind kind;

    /** Position in its list: lower wins. */
    final int priority;

    /** Also accepts unsigned decimal ids, as Datadog writes them. */
    final boolean decimal;

    /** Result source texts, built once: attribute then body, per format for headers. */
    private final String[] sources;

    Field(String name, Kind kind, int priority) {
      this.name = name;
      this.kind = kind;
      this.priority = priority;
      this.decimal = kind != Kind.HEADER && name.startsWith(DATADOG_PREFIX);
      if (kind == Kind.HEADER) {
        HeaderFormat[] formats = HeaderFormat.values();
        sources = new String[formats.length * 2];
        for (HeaderFormat f : formats) {
          sources[f.ordinal() * 2] = "attribute " + name + " (" + f.label() + ")";
          sources[f.ordinal() * 2 + 1] = "body field " + name + " (" + f.label() + ")";
        }
      } else {
        sources = new String[] {"attribute " + name, "body field " + name};
      }
    }

    /** Where this trace or span id field's id was found, as {@code Result.source()} says it. */
    String source(boolean body) {
      return sources[body ? 1 : 0];
    }

    /** Where this header field's header was found, as {@code Result.source()} says it. */
    String source(boolean body, HeaderFormat format) {
      return sources[format.ordinal() * 2 + (body ? 1 : 0)];
    }
  }

  /** What a key can stand for: a whole configured name, the start of dotted ones, or both. */
  static final class Name {
    /** The configured name the key spells whole, or {@code null}. */
    Field field;

    /** The configured names that continue the key with a dot and more segments. */
    Field[] below = NO_FIELDS;
  }
}
