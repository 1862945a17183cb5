package dev.seam.collector.normalize;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.google.protobuf.ByteString;
import dev.seam.collector.model.Ids;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the trace context a log record names in its attributes or body when its OTLP ids are
 * empty. Loggers that bypass the OTel log bridges (zap, slog, logrus, tracing-subscriber's JSON
 * layer, Datadog log correlation) still write the ids, as fields or as whole propagation headers;
 * docs/normalization.md, "Ids in logs that bypass the OTel bridges", lists the spellings.
 *
 * <p>Where it looks, first match wins: the record's attributes, then its body (a kvlist, or a
 * string holding one JSON object). Within one of those sources the trace id fields come first,
 * each paired with the best span id field of the same source, then the header fields, which carry
 * both ids. Within each list the earlier name wins, whatever the order of the record's keys. A
 * value that is empty, all zeros or malformed counts as absent, so the search goes on.
 *
 * <p>A dotted name matches a flat key spelled with the dots ({@code "trace.id"}), nested kvlists
 * or JSON objects ({@code trace -> id}), and any mix of the two. Names starting with {@code dd.}
 * are Datadog's: they also accept unsigned 64-bit decimal ids, as strings or ints.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class LogContextExtractor {

  /** Trace id field names {@link #defaults()} uses, first wins. */
  public static final List<String> DEFAULT_TRACE_ID_FIELDS =
      List.of(
          "trace_id",
          "traceId",
          "traceID",
          "TraceID",
          "TraceId",
          "trace.id",
          "dd.trace_id",
          "otel.trace_id",
          "openTelemetry.traceId");

  /** Span id field names {@link #defaults()} uses, first wins. */
  public static final List<String> DEFAULT_SPAN_ID_FIELDS =
      List.of(
          "span_id",
          "spanId",
          "spanID",
          "SpanID",
          "SpanId",
          "span.id",
          "dd.span_id",
          "otel.span_id",
          "openTelemetry.spanId");

  /** Names of fields holding a whole propagation header that {@link #defaults()} uses, first wins. */
  public static final List<String> DEFAULT_HEADER_FIELDS =
      List.of("traceparent", "b3", "uber-trace-id", "X-Amzn-Trace-Id", "x-amzn-trace-id", "_X_AMZN_TRACE_ID");

  /** String bodies longer than this many UTF-8 bytes are not parsed as JSON. */
  static final int MAX_JSON_BODY_BYTES = 64 * 1024;

  /** JSON bodies nested deeper than this (the top-level object is depth 1) are not used at all. */
  static final int MAX_JSON_DEPTH = 16;

  /** Field names with this prefix follow Datadog, which logs 64-bit ids in decimal. */
  private static final String DATADOG_PREFIX = "dd.";

  /** The largest unsigned 64-bit value, in decimal. */
  private static final String U64_MAX = "18446744073709551615";

  private static final Field[] NO_FIELDS = {};

  private static final JsonFactory JSON =
      JsonFactory.builder()
          // Field names come from log writers: keep them out of the JVM string pool and out of the
          // factory's shared symbol table, whose hash-flood guard throws an unchecked exception.
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  private static final LogContextExtractor DEFAULTS =
      new LogContextExtractor(DEFAULT_TRACE_ID_FIELDS, DEFAULT_SPAN_ID_FIELDS, DEFAULT_HEADER_FIELDS);

  /** Every configured name, and every dotted prefix of one, to what it stands for. */
  private final Map<String, Name> names;

  /**
   * @param traceIdFields names of fields holding a trace id, highest priority first
   * @param spanIdFields names of fields holding a span id, highest priority first
   * @param headerFields names of fields holding a whole W3C, B3, Jaeger or X-Ray header, highest
   *     priority first; the format is recognised from the value
   * @throws IllegalArgumentException when a name is empty, has an empty dotted segment, or is in
   *     two of the lists
   * @throws NullPointerException when a list or a name is null
   */
  public LogContextExtractor(List<String> traceIdFields, List<String> spanIdFields, List<String> headerFields) {
    Map<String, Name> n = new HashMap<>();
    add(n, traceIdFields, Kind.TRACE);
    add(n, spanIdFields, Kind.SPAN);
    add(n, headerFields, Kind.HEADER);
    this.names = n;
  }

  /** An extractor with the default field names; shared, since it holds no state. */
  public static LogContextExtractor defaults() {
    return DEFAULTS;
  }

  /**
   * The trace context the record names outside its OTLP ids, or {@code null} when it names none
   * or when the OTLP trace id is set: OTLP context always wins, and a malformed OTLP id is for
   * {@link LogNormalizer#invalidReason} to report, not for this class to paper over.
   */
  public Result extract(LogRecord r) {
    ByteString otlp = r.getTraceId();
    if (!otlp.isEmpty() && (otlp.size() != 16 || Ids.readLong(otlp, 0) != 0 || Ids.readLong(otlp, 8) != 0)) {
      return null;
    }
    Scan scan = scanKvList(r.getAttributesList());
    Result found = scan == null ? null : scan.result(false);
    if (found != null) {
      return found;
    }
    AnyValue body = r.getBody();
    switch (body.getValueCase()) {
      case KVLIST_VALUE:
        scan = scanKvList(body.getKvlistValue().getValuesList());
        break;
      case STRING_VALUE:
        scan = scanJson(body.getStringValueBytes());
        break;
      default:
        return null;
    }
    return scan == null ? null : scan.result(true);
  }

  // ---- where to look ----

  /** Offers every key of a kvlist that is a configured name, or leads to one through nesting. */
  private Scan scanKvList(List<KeyValue> kvs) {
    Scan scan = null;
    for (int i = 0, n = kvs.size(); i < n; i++) {
      KeyValue kv = kvs.get(i);
      String key = kv.getKey();
      Name name = names.get(key);
      if (name == null) {
        continue;
      }
      AnyValue v = kv.getValue();
      if (name.field != null) {
        scan = offer(scan, name.field, v);
      }
      if (name.below.length > 0 && v.getValueCase() == AnyValue.ValueCase.KVLIST_VALUE) {
        List<KeyValue> nested = v.getKvlistValue().getValuesList();
        for (Field f : name.below) {
          scan = scanNested(nested, f, key.length() + 1, scan);
        }
      }
    }
    return scan;
  }

  /**
   * Offers the value at the rest of {@code f}'s name, from {@code from}, inside a nested kvlist.
   * Keys are compared in place, so nesting costs no strings; the depth is bounded by the number of
   * dots in the name.
   */
  private static Scan scanNested(List<KeyValue> kvs, Field f, int from, Scan scan) {
    String name = f.name;
    for (int i = 0, n = kvs.size(); i < n; i++) {
      KeyValue kv = kvs.get(i);
      String key = kv.getKey();
      if (key.isEmpty() || !name.startsWith(key, from)) {
        continue;
      }
      int end = from + key.length();
      if (end == name.length()) {
        scan = offer(scan, f, kv.getValue());
      } else if (name.charAt(end) == '.' && kv.getValue().getValueCase() == AnyValue.ValueCase.KVLIST_VALUE) {
        scan = scanNested(kv.getValue().getKvlistValue().getValuesList(), f, end + 1, scan);
      }
    }
    return scan;
  }

  /**
   * Offers the fields of a body that is one JSON object. The whole body must parse: text that only
   * starts like JSON, or was cut short, is not a structured record, and ids read from its first
   * half would be a guess.
   */
  private Scan scanJson(ByteString body) {
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
    Scan scan = null;
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
                scan = offerText(scan, name.field, p.getText(), t == JsonToken.VALUE_NUMBER_INT);
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
    return scan;
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static boolean isJsonSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  // ---- reading one value ----

  private static Scan offer(Scan scan, Field f, AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return offerText(scan, f, v.getStringValue(), false);
      case INT_VALUE:
        return offerInt(scan, f, v.getIntValue());
      case ARRAY_VALUE:
        {
          // Captured HTTP headers (http.request.header.<name>) are string arrays, one element per
          // occurrence of the header; the first is the one a server acts on.
          ArrayValue a = v.getArrayValue();
          if (a.getValuesCount() > 0 && a.getValues(0).getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
            return offerText(scan, f, a.getValues(0).getStringValue(), false);
          }
          return scan;
        }
      default:
        return scan;
    }
  }

  /**
   * @param number the text is a JSON number, which only a decimal field accepts
   */
  private static Scan offerText(Scan scan, Field f, String s, boolean number) {
    if (scan == null) {
      scan = new Scan();
    } else if (!scan.wants(f)) {
      return scan;
    }
    int from = 0;
    int to = s.length();
    while (from < to && s.charAt(from) <= ' ') {
      from++;
    }
    while (to > from && s.charAt(to - 1) <= ' ') {
      to--;
    }
    boolean ok;
    switch (f.kind) {
      case TRACE:
        ok = traceId(s, from, to, f.decimal, number, scan);
        break;
      case SPAN:
        ok = spanId(s, from, to, f.decimal, number, scan);
        break;
      default:
        ok = !number && header(s, from, to, scan);
        break;
    }
    if (ok) {
      scan.keep(f);
    }
    return scan;
  }

  private static Scan offerInt(Scan scan, Field f, long v) {
    if (!f.decimal || v == 0) {
      return scan;
    }
    if (scan == null) {
      scan = new Scan();
    } else if (!scan.wants(f)) {
      return scan;
    }
    // OTLP ints are signed: a Datadog id at or above 2^63 can only arrive as a negative int, and
    // its bits are the unsigned id.
    scan.hi = 0;
    scan.lo = v;
    scan.span = v;
    scan.keep(f);
    return scan;
  }

  private static boolean traceId(String s, int from, int to, boolean decimal, boolean number, Scan out) {
    int n = to - from;
    // 32 digits are too many for a u64, so they are the 128-bit hex form even when no letter shows.
    if (decimal && n != 32 && isDigits(s, from, to)) {
      // Datadog's 64-bit trace id: the low half of the 128-bit id, as the OTel Datadog bridge maps it.
      if (!unsignedDecimal(s, from, to, out)) {
        return false;
      }
      out.hi = 0;
    } else if (number || (n != 16 && n != 32) || !isHex(s, from, to)) {
      return false;
    } else {
      hex128(s, from, to, out);
    }
    return (out.hi | out.lo) != 0;
  }

  private static boolean spanId(String s, int from, int to, boolean decimal, boolean number, Scan out) {
    if (decimal && isDigits(s, from, to)) {
      if (!unsignedDecimal(s, from, to, out)) {
        return false;
      }
      out.span = out.lo;
    } else if (number || to - from != 16 || !isHex(s, from, to)) {
      return false;
    } else {
      out.span = hex(s, from, to);
    }
    return out.span != 0;
  }

  /** A propagation header in whichever format its punctuation says; the formats share none. */
  private static boolean header(String s, int from, int to, Scan out) {
    if (indexOf(s, '=', from, to) >= 0) {
      return xray(s, from, to, out);
    }
    if (indexOf(s, ':', from, to) >= 0 || indexOf(s, '%', from, to) >= 0) {
      return jaeger(s, from, to, out);
    }
    // W3C opens with a 2-digit version; B3 with a 16- or 32-digit trace id.
    return indexOf(s, '-', from, to) - from == 2 ? traceparent(s, from, to, out) : b3(s, from, to, out);
  }

  /** W3C {@code version-traceid-parentid-flags}, per Trace Context level 1 section 3.2. */
  private static boolean traceparent(String s, int from, int to, Scan out) {
    int n = to - from;
    if (n < 55 || !isHex(s, from, from + 2)) {
      return false;
    }
    int version = (int) hex(s, from, from + 2);
    // Version ff is forbidden. Version 00 has exactly these four fields; a later version may append
    // more after another dash, and a reader of 00 must still use the first four.
    if (version == 0xff || (version == 0 ? n != 55 : n > 55 && s.charAt(from + 55) != '-')) {
      return false;
    }
    if (s.charAt(from + 2) != '-' || s.charAt(from + 35) != '-' || s.charAt(from + 52) != '-') {
      return false;
    }
    if (!isHex(s, from + 3, from + 35) || !isHex(s, from + 36, from + 52) || !isHex(s, from + 53, from + 55)) {
      return false;
    }
    hex128(s, from + 3, from + 35, out);
    out.span = hex(s, from + 36, from + 52);
    out.format = Format.W3C;
    // The spec voids the whole header when either id is all zeros.
    return (out.hi | out.lo) != 0 && out.span != 0;
  }

  /**
   * B3 single header {@code traceid-spanid[-sampled[-parentspanid]]}. The bare {@code 0}, {@code 1}
   * and {@code d} forms carry a sampling decision and no ids, so they fail here.
   */
  private static boolean b3(String s, int from, int to, Scan out) {
    int d1 = indexOf(s, '-', from, to);
    if (d1 < 0 || (d1 - from != 16 && d1 - from != 32) || !isHex(s, from, d1)) {
      return false;
    }
    int d2 = indexOf(s, '-', d1 + 1, to);
    int spanEnd = d2 < 0 ? to : d2;
    if (spanEnd - d1 - 1 != 16 || !isHex(s, d1 + 1, spanEnd)) {
      return false;
    }
    if (d2 >= 0) {
      int d3 = indexOf(s, '-', d2 + 1, to);
      int sampledEnd = d3 < 0 ? to : d3;
      if (sampledEnd - d2 - 1 != 1 || "01d".indexOf(s.charAt(d2 + 1)) < 0) {
        return false;
      }
      if (d3 >= 0 && (to - d3 - 1 != 16 || !isHex(s, d3 + 1, to))) {
        return false;
      }
    }
    hex128(s, from, d1, out);
    out.span = hex(s, d1 + 1, spanEnd);
    out.format = Format.B3;
    return (out.hi | out.lo) != 0 && out.span != 0;
  }

  /**
   * Jaeger {@code uber-trace-id}: {@code traceid:spanid:parentid:flags}, the colons possibly
   * URL-encoded. Jaeger clients print ids with {@code %x}, so leading zeros may be missing.
   */
  private static boolean jaeger(String s, int from, int to, Scan out) {
    int e0 = separator(s, from, to);
    if (e0 == to) {
      return false;
    }
    int b1 = afterSeparator(s, e0);
    int e1 = separator(s, b1, to);
    if (e1 == to) {
      return false;
    }
    int b2 = afterSeparator(s, e1);
    int e2 = separator(s, b2, to);
    if (e2 == to) {
      return false;
    }
    int b3 = afterSeparator(s, e2);
    if (separator(s, b3, to) != to) {
      return false;
    }
    if (!isHex(s, from, e0, 32) || !isHex(s, b1, e1, 16) || !isHex(s, b2, e2, 16) || !isHex(s, b3, to, 2)) {
      return false;
    }
    hex128(s, from, e0, out);
    out.span = hex(s, b1, e1);
    out.format = Format.JAEGER;
    return (out.hi | out.lo) != 0 && out.span != 0;
  }

  /** Index of the next {@code :} or {@code %3A} at or after {@code from}, or {@code to}. */
  private static int separator(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == ':' || (c == '%' && i + 2 < to && s.charAt(i + 1) == '3' && (s.charAt(i + 2) | 0x20) == 'a')) {
        return i;
      }
    }
    return to;
  }

  private static int afterSeparator(String s, int at) {
    return s.charAt(at) == ':' ? at + 1 : at + 3;
  }

  /**
   * AWS X-Ray {@code Root=1-<8hex>-<24hex>;Parent=<16hex>;Sampled=1}, parts in any order. The
   * trace id is the 8 and 24 digits run together, as the OTel X-Ray propagator maps it. Parent is
   * optional (a load balancer's header has none); {@code Self=} has the Root format and is not the
   * trace.
   */
  private static boolean xray(String s, int from, int to, Scan out) {
    boolean root = false;
    long span = 0;
    int p = from;
    while (p <= to) {
      int end = indexOf(s, ';', p, to);
      if (end < 0) {
        end = to;
      }
      int b = p;
      int e = end;
      while (b < e && s.charAt(b) == ' ') {
        b++;
      }
      while (e > b && s.charAt(e - 1) == ' ') {
        e--;
      }
      if (startsWithIgnoreCase(s, b, e, "Root=")) {
        int v = b + 5;
        if (root
            || e - v != 35
            || s.charAt(v) != '1'
            || s.charAt(v + 1) != '-'
            || s.charAt(v + 10) != '-'
            || !isHex(s, v + 2, v + 10)
            || !isHex(s, v + 11, e)) {
          return false;
        }
        out.hi = (hex(s, v + 2, v + 10) << 32) | hex(s, v + 11, v + 19);
        out.lo = hex(s, v + 19, e);
        root = true;
      } else if (startsWithIgnoreCase(s, b, e, "Parent=")) {
        if (e - b - 7 != 16 || !isHex(s, b + 7, e)) {
          return false;
        }
        span = hex(s, b + 7, e);
      }
      p = end + 1;
    }
    out.span = span;
    out.format = Format.XRAY;
    return root && (out.hi | out.lo) != 0;
  }

  // ---- digits ----

  private static int hexDigit(char c) {
    // Not Character.digit: that accepts full-width and other non-ASCII digits.
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static boolean isHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (hexDigit(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** 1 to {@code maxDigits} hex digits. */
  private static boolean isHex(String s, int from, int to, int maxDigits) {
    return to > from && to - from <= maxDigits && isHex(s, from, to);
  }

  /** The value of at most 16 hex digits already checked by {@link #isHex}. */
  private static long hex(String s, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      v = (v << 4) | hexDigit(s.charAt(i));
    }
    return v;
  }

  /** At most 32 checked hex digits as a 128-bit id, left-padded with zeros. */
  private static void hex128(String s, int from, int to, Scan out) {
    int split = Math.max(from, to - 16);
    out.hi = hex(s, from, split);
    out.lo = hex(s, split, to);
  }

  private static boolean isDigits(String s, int from, int to) {
    if (from == to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Decimal digits as an unsigned 64-bit value into {@code out.lo}; false above 2^64 - 1. */
  private static boolean unsignedDecimal(String s, int from, int to, Scan out) {
    while (to - from > 1 && s.charAt(from) == '0') {
      from++;
    }
    int n = to - from;
    if (n > U64_MAX.length()) {
      return false;
    }
    if (n == U64_MAX.length()) {
      for (int i = 0; i < n; i++) {
        int d = s.charAt(from + i) - U64_MAX.charAt(i);
        if (d != 0) {
          if (d > 0) {
            return false;
          }
          break;
        }
      }
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      // Wraps modulo 2^64, which leaves exactly the unsigned bits of any value that fits.
      v = v * 10 + (s.charAt(i) - '0');
    }
    out.lo = v;
    return true;
  }

  private static int indexOf(String s, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWithIgnoreCase(String s, int from, int to, String prefix) {
    return to - from >= prefix.length() && s.regionMatches(true, from, prefix, 0, prefix.length());
  }

  // ---- configuration ----

  private static void add(Map<String, Name> names, List<String> list, Kind kind) {
    int priority = 0;
    for (String name : List.copyOf(list)) {
      if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
        throw new IllegalArgumentException("log context field name '" + name + "' has an empty segment");
      }
      Name entry = names.computeIfAbsent(name, k -> new Name());
      if (entry.field != null) {
        if (entry.field.kind != kind) {
          throw new IllegalArgumentException(
              "log context field name '" + name + "' is listed as both " + entry.field.kind.label + " and " + kind.label);
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

  private enum Kind {
    TRACE("a trace id field"),
    SPAN("a span id field"),
    HEADER("a header field");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** Propagation header formats, as {@link Result#source()} names them. */
  private enum Format {
    W3C("W3C"),
    B3("B3"),
    JAEGER("Jaeger"),
    XRAY("X-Ray");

    final String label;

    Format(String label) {
      this.label = label;
    }
  }

  /** One configured field name. */
  private static final class Field {
    final String name;
    final Kind kind;
    /** Position in its list: lower wins. */
    final int priority;
    /** Also accepts unsigned decimal ids, as Datadog writes them. */
    final boolean decimal;
    /** {@link Result#source()} texts, built once: attribute then body, per format for headers. */
    private final String[] sources;

    Field(String name, Kind kind, int priority) {
      this.name = name;
      this.kind = kind;
      this.priority = priority;
      this.decimal = kind != Kind.HEADER && name.startsWith(DATADOG_PREFIX);
      if (kind == Kind.HEADER) {
        Format[] formats = Format.values();
        sources = new String[formats.length * 2];
        for (Format f : formats) {
          sources[f.ordinal() * 2] = "attribute " + name + " (" + f.label + ")";
          sources[f.ordinal() * 2 + 1] = "body field " + name + " (" + f.label + ")";
        }
      } else {
        sources = new String[] {"attribute " + name, "body field " + name};
      }
    }

    String source(boolean body) {
      return sources[body ? 1 : 0];
    }

    String source(boolean body, Format format) {
      return sources[format.ordinal() * 2 + (body ? 1 : 0)];
    }
  }

  /** What a key can stand for: a whole configured name, the start of dotted ones, or both. */
  private static final class Name {
    Field field;
    Field[] below = NO_FIELDS;
  }

  /**
   * The best candidates one source offered so far, plus the parsers' output slots. Created on the
   * first key that matches a name, so records without any cost no allocation.
   */
  private static final class Scan {
    long hi;
    long lo;
    long span;
    Format format;

    Field trace;
    long traceHigh;
    long traceLow;
    Field spanField;
    long spanId;
    Field header;
    Format headerFormat;
    long headerHigh;
    long headerLow;
    long headerSpan;

    /** Whether {@code f} outranks what this source already gave for its kind. */
    boolean wants(Field f) {
      Field held = f.kind == Kind.TRACE ? trace : f.kind == Kind.SPAN ? spanField : header;
      return held == null || f.priority < held.priority;
    }

    /** Keeps what the parser just wrote as {@code f}'s value. */
    void keep(Field f) {
      switch (f.kind) {
        case TRACE:
          trace = f;
          traceHigh = hi;
          traceLow = lo;
          break;
        case SPAN:
          spanField = f;
          spanId = span;
          break;
        default:
          header = f;
          headerFormat = format;
          headerHigh = hi;
          headerLow = lo;
          headerSpan = span;
          break;
      }
    }

    /**
     * The source's answer. A header's span id is not mixed with a trace id field's: a header
     * logged by a server is usually the incoming one, whose span is the caller's.
     */
    Result result(boolean body) {
      if (trace != null) {
        return new Result(traceHigh, traceLow, spanField != null ? spanId : 0, trace.source(body));
      }
      if (header != null) {
        return new Result(headerHigh, headerLow, headerSpan, header.source(body, headerFormat));
      }
      return null;
    }
  }

  /**
   * The trace context a log record names.
   *
   * @param traceIdHigh the first 8 bytes of the trace id; 0 for a 64-bit id
   * @param traceIdLow the last 8 bytes of the trace id
   * @param spanId the span id, or 0 when the record names only a trace
   * @param source where the ids were found, for a debug line, e.g. {@code "attribute trace_id"},
   *     {@code "body field openTelemetry.traceId"}, {@code "attribute traceparent (W3C)"}
   */
  public record Result(long traceIdHigh, long traceIdLow, long spanId, String source) {

    /** Hex ids, the way they appear in traces, so a debug line can be matched to them. */
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "trace %s span %s from %s", Ids.hex(traceIdHigh, traceIdLow), Ids.hex(spanId), source);
    }
  }
}
