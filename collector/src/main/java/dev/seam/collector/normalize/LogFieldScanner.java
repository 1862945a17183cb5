package dev.seam.collector.normalize;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.google.protobuf.ByteString;
import dev.seam.collector.normalize.FieldNames.Field;
import dev.seam.collector.normalize.FieldNames.Name;
import dev.seam.collector.normalize.propagation.HeaderParser;
import dev.seam.collector.normalize.propagation.IdFieldParser;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.util.List;

/**
 * Walks one source of a log record, a kvlist or a JSON object body, for the keys that spell a
 * configured field name, flat ({@code "trace.id"}), nested ({@code trace -> id}) or a mix, and
 * offers their values to the parser of the field's kind.
 */
final class LogFieldScanner {

  /** String bodies longer than this many UTF-8 bytes are not parsed as JSON. */
  static final int MAX_JSON_BODY_BYTES = 64 * 1024;

  /** JSON bodies nested deeper than this (the top-level object is depth 1) are not used at all. */
  static final int MAX_JSON_DEPTH = 16;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          // Field names come from log writers: keep them out of the JVM string pool and out of the
          // factory's shared symbol table, whose hash-flood guard throws an unchecked exception.
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  private final FieldNames names;

  LogFieldScanner(FieldNames names) {
    this.names = names;
  }

  /**
   * What a kvlist offers: every key that is a configured name, or leads to one through nesting.
   *
   * @return {@code null} when no key matched a name
   */
  Candidates scanKvList(List<KeyValue> kvs) {
    Candidates found = null;
    for (int i = 0, n = kvs.size(); i < n; i++) {
      KeyValue kv = kvs.get(i);
      String key = kv.getKey();
      Name name = names.get(key);
      if (name == null) {
        continue;
      }
      AnyValue v = kv.getValue();
      if (name.field != null) {
        found = offer(found, name.field, v);
      }
      if (name.below.length > 0 && v.getValueCase() == AnyValue.ValueCase.KVLIST_VALUE) {
        List<KeyValue> nested = v.getKvlistValue().getValuesList();
        for (Field f : name.below) {
          found = scanNested(nested, f, key.length() + 1, found);
        }
      }
    }
    return found;
  }

  /**
   * Offers the value at the rest of {@code f}'s name, from {@code from}, inside a nested kvlist.
   * Keys are compared in place, so nesting costs no strings; the depth is bounded by the number of
   * dots in the name.
   */
  private static Candidates scanNested(List<KeyValue> kvs, Field f, int from, Candidates found) {
    String name = f.name;
    for (int i = 0, n = kvs.size(); i < n; i++) {
      KeyValue kv = kvs.get(i);
      String key = kv.getKey();
      if (key.isEmpty() || !name.startsWith(key, from)) {
        continue;
      }
      int end = from + key.length();
      if (end == name.length()) {
        found = offer(found, f, kv.getValue());
      } else if (name.charAt(end) == '.'
          && kv.getValue().getValueCase() == AnyValue.ValueCase.KVLIST_VALUE) {
        found = scanNested(kv.getValue().getKvlistValue().getValuesList(), f, end + 1, found);
      }
    }
    return found;
  }

  /**
   * What a body that is one JSON object offers. The whole body must parse: text that only starts
   * like JSON, or was cut short, is not a structured record, and ids read from its first half would
   * be a guess.
   *
   * @return {@code null} when the body is not such an object or no key matched a name
   */
  Candidates scanJson(ByteString body) {
    int n = body.size();
    if (n > MAX_JSON_BODY_BYTES) {
      return null;
    }
    // Most string bodies are plain text: tell them apart without creating a parser.
    int i = 0;
    while (i < n && isJsonSpace(body.byteAt(i))) {
      i++;
    }
    if (i == n || body.byteAt(i) != '{') {
      return null;
    }
    Candidates found = null;
    // paths[d]: the dotted path of the object open at depth d, or null when no configured name
    // lies inside it (arrays, and objects off every name's path), so its values are not looked up.
    String[] paths = new String[MAX_JSON_DEPTH + 1];
    try (JsonParser p = JSON.createParser(body.toByteArray())) {
      p.nextToken();
      paths[1] = "";
      int depth = 1;
      while (depth > 0) {
        JsonToken t = p.nextToken();
        if (t == null) {
          return null;
        }
        switch (t) {
          case START_OBJECT:
          case START_ARRAY:
            if (depth == MAX_JSON_DEPTH) {
              return null;
            }
            String parent = paths[depth];
            depth++;
            paths[depth] = null;
            if (t == JsonToken.START_OBJECT && parent != null) {
              String path = join(parent, p.currentName());
              Name name = names.get(path);
              if (name != null && name.below.length > 0) {
                paths[depth] = path;
              }
            }
            break;
          case END_OBJECT:
          case END_ARRAY:
            depth--;
            break;
          case VALUE_STRING:
          case VALUE_NUMBER_INT:
            if (paths[depth] != null) {
              Name name = names.get(join(paths[depth], p.currentName()));
              if (name != null && name.field != null) {
                boolean number = t == JsonToken.VALUE_NUMBER_INT;
                found = offerText(found, name.field, p.getText(), number);
              }
            }
            break;
          default:
            break;
        }
      }
      if (p.nextToken() != null) {
        return null;
      }
    } catch (IOException e) {
      // Malformed JSON, bad UTF-8, or a Jackson read limit: the body names nothing we can trust.
      return null;
    }
    return found;
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static boolean isJsonSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  // ---- reading one value ----

  private static Candidates offer(Candidates found, Field f, AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return offerText(found, f, v.getStringValue(), false);
      case INT_VALUE:
        return offerInt(found, f, v.getIntValue());
      case ARRAY_VALUE:
        {
          // Captured HTTP headers (http.request.header.<name>) are string arrays, one element per
          // occurrence of the header; the first is the one a server acts on.
          ArrayValue a = v.getArrayValue();
          if (a.getValuesCount() > 0
              && a.getValues(0).getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
            return offerText(found, f, a.getValues(0).getStringValue(), false);
          }
          return found;
        }
      default:
        return found;
    }
  }

  /**
   * @param number the text is a JSON number, which only a decimal field accepts
   */
  private static Candidates offerText(Candidates found, Field f, String s, boolean number) {
    if (found == null) {
      found = new Candidates();
    } else if (!found.wants(f)) {
      return found;
    }
    int from = 0;
    int to = s.length();
    while (from < to && s.charAt(from) <= ' ') {
      from++;
    }
    while (to > from && s.charAt(to - 1) <= ' ') {
      to--;
    }
    boolean ok =
        switch (f.kind) {
          case TRACE -> IdFieldParser.traceId(s, from, to, f.decimal, number, found);
          case SPAN -> IdFieldParser.spanId(s, from, to, f.decimal, number, found);
          case HEADER -> !number && HeaderParser.parse(s, from, to, found);
        };
    if (ok) {
      found.keep(f);
    }
    return found;
  }

  private static Candidates offerInt(Candidates found, Field f, long v) {
    if (!f.decimal || v == 0) {
      return found;
    }
    if (found == null) {
      found = new Candidates();
    } else if (!found.wants(f)) {
      return found;
    }
    // OTLP ints are signed: a Datadog id at or above 2^63 can only arrive as a negative int, and
    // its bits are the unsigned id.
    found.keepInt(f, v);
    return found;
  }
}
