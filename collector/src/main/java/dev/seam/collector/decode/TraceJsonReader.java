package dev.seam.collector.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads an OTLP/JSON {@code ExportTraceServiceRequest} with Jackson's streaming parser straight
 * into a {@link TraceReader}'s {@link RawSpan}s, as the protobuf reader does, without the generated
 * classes. What the spans' accessors hand out as bytes (string attribute values, trace state,
 * status message) and what the pipeline reads later as protobuf (the resource, the events) is
 * written to a reused scratch buffer, which becomes the spans' and resources' buffer.
 *
 * <p>The reader accepts a body only when it is sure the OTLP JSON mapping as {@link OtlpJson}
 * implements it (protobuf's {@code JsonFormat}) would accept it and read the same values: field
 * names in lowerCamelCase or as in the proto, hex ids, enums as names or numbers, 64-bit integers
 * as strings or numbers, {@code "NaN"} and {@code "Infinity"} doubles, unknown fields skipped.
 * Anything else, malformed or only unusual (a {@code null}, a field given twice, a number written
 * {@code "1e3"}, an enum name it does not know), throws {@link Unsure} and the caller reads the
 * body the old way, which gives the same answer and the same error message as before. Every known
 * field is checked against its type, including those Seam does not read (links, scope attributes),
 * so the fast path never accepts a body the old path refuses.
 *
 * <p>Longer than most classes because it is the whole JSON walk over the trace request, with its
 * number, id and base64 checks, kept in one place so the hot path is a straight loop.
 */
final class TraceJsonReader {

  /** The body is not one this reader can vouch for; read it the general way. */
  static final class Unsure extends Exception {
    private static final long serialVersionUID = 1L;

    private Unsure() {
      super("read the OTLP JSON body the general way", null, false, false);
    }
  }

  private static final Unsure UNSURE = new Unsure();

  /** The scratch buffer kept between requests; a larger one is let go at the next read. */
  private static final int MAX_KEPT_SCRATCH = 1 << 20;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxNestingDepth(OtlpJson.MAX_DEPTH)
                  .build())
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  /** Bytes fields that are hex in OTLP JSON (the rest are base64). */
  private static final Set<String> ID_FIELDS = Set.of("trace_id", "span_id", "parent_span_id");

  private static final Schema REQUEST =
      Schema.of(ExportTraceServiceRequest.getDescriptor(), new HashMap<>());
  private static final Schema RESOURCE_SPANS = REQUEST.message(1);
  private static final Schema SCOPE_SPANS = RESOURCE_SPANS.message(2);
  private static final Schema SCOPE = SCOPE_SPANS.message(1);
  private static final Schema SPAN = SCOPE_SPANS.message(2);
  private static final Schema STATUS = SPAN.message(15);
  private static final Schema LINK = SPAN.message(13);
  private static final Schema KEY_VALUE = SPAN.message(9);
  private static final Schema ANY_VALUE = KEY_VALUE.message(2);

  private final TraceReader reader;
  private final StringTable strings;
  private byte[] out = new byte[4096];
  private int len;

  TraceJsonReader(TraceReader reader, StringTable strings) {
    this.reader = reader;
    this.strings = strings;
  }

  /** Reads a body into the reader, or throws {@link Unsure} having left the reader half filled. */
  void read(byte[] body) throws Unsure {
    if (out.length > MAX_KEPT_SCRATCH) {
      out = new byte[4096];
    }
    len = 0;
    reader.begin(out);
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw UNSURE;
      }
      long seen = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        Field f = REQUEST.field(p.currentName());
        t = p.nextToken();
        if (f == null) {
          p.skipChildren();
          continue;
        }
        seen = f.mark(seen, t);
        if (f.number == 1) {
          for (t = array(p, t); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            resourceSpans(p, t);
          }
        } else {
          value(p, t, f, false);
        }
      }
      if (p.nextToken() != null) {
        throw UNSURE;
      }
    } catch (IOException | RuntimeException e) {
      // Malformed JSON, or something this reader did not expect: the general path says what.
      throw UNSURE;
    }
    reader.end(out);
  }

  private void resourceSpans(JsonParser p, JsonToken start) throws IOException, Unsure {
    object(start);
    int r = reader.beginResource();
    long seen = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      Field f = RESOURCE_SPANS.field(p.currentName());
      t = p.nextToken();
      if (f == null) {
        p.skipChildren();
        continue;
      }
      seen = f.mark(seen, t);
      if (f.number == 1) {
        int from = len;
        message(p, object(t), f.message, true);
        reader.resource(r, from, len - from);
      } else if (f.number == 2) {
        for (t = array(p, t); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          scopeSpans(p, t, r);
        }
      } else {
        value(p, t, f, false);
      }
    }
    reader.endResource(r);
  }

  private void scopeSpans(JsonParser p, JsonToken start, int r) throws IOException, Unsure {
    object(start);
    boolean takesName = reader.scopeName(r) == null;
    long seen = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      Field f = SCOPE_SPANS.field(p.currentName());
      t = p.nextToken();
      if (f == null) {
        p.skipChildren();
        continue;
      }
      seen = f.mark(seen, t);
      if (f.number == 1) {
        String name = scope(p, object(t));
        if (takesName) {
          reader.scopeName(r, name);
        }
      } else if (f.number == 2) {
        for (t = array(p, t); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          span(p, object(t), reader.nextSpan());
        }
      } else {
        value(p, t, f, false);
      }
    }
    if (takesName && reader.scopeName(r) == null) {
      reader.scopeName(r, "");
    }
  }

  private String scope(JsonParser p, JsonToken start) throws IOException, Unsure {
    String name = "";
    long seen = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      Field f = SCOPE.field(p.currentName());
      t = p.nextToken();
      if (f == null) {
        p.skipChildren();
        continue;
      }
      seen = f.mark(seen, t);
      if (f.number == 1) {
        name = string(p, t);
      } else {
        value(p, t, f, false);
      }
    }
    return name;
  }

  private void span(JsonParser p, JsonToken start, RawSpan s) throws IOException, Unsure {
    s.reset(out, strings);
    long seen = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      Field f = SPAN.field(p.currentName());
      t = p.nextToken();
      if (f == null) {
        p.skipChildren();
        continue;
      }
      seen = f.mark(seen, t);
      switch (f.number) {
        case 1: // trace_id
          s.traceIdLength = idLength(id(p, t));
          s.traceIdHigh = traceIdHalf(p, s.traceIdLength, 0);
          s.traceIdLow = traceIdHalf(p, s.traceIdLength, 1);
          break;
        case 2: // span_id
          s.spanIdLength = idLength(id(p, t));
          s.spanId = spanId(p, s.spanIdLength);
          break;
        case 3: // trace_state
          s.traceStateOff = len;
          s.traceStateLen = utf8(p, t);
          break;
        case 4: // parent_span_id
          s.parentSpanIdLength = idLength(id(p, t));
          s.parentSpanId = spanId(p, s.parentSpanIdLength);
          break;
        case 5:
          s.name = string(p, t);
          break;
        case 6:
          s.kind = enumValue(p, t, f);
          break;
        case 7:
          s.startNanos = unsigned(p, t, -1L);
          break;
        case 8:
          s.endNanos = unsigned(p, t, -1L);
          break;
        case 9: // attributes
          for (t = array(p, t); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            attribute(p, object(t), s);
          }
          break;
        case 11: // events: kept as protobuf until a failure needs them
          for (t = array(p, t); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            int from = len;
            message(p, object(t), f.message, true);
            s.addEvent(from, len - from);
          }
          break;
        case 15:
          status(p, object(t), s);
          break;
        case 16:
          s.flags = (int) unsigned(p, t, 0xFFFF_FFFFL);
          break;
        case 13: // links: their ids kept, the rest checked
          for (t = array(p, t); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            link(p, object(t), s);
          }
          break;
        default:
          // The dropped counts: checked, not kept.
          value(p, t, f, false);
          break;
      }
    }
  }

  private void link(JsonParser p, JsonToken start, RawSpan s) throws IOException, Unsure {
    int traceIdLength = 0;
    long traceHigh = 0;
    long traceLow = 0;
    int spanIdLength = 0;
    long spanId = 0;
    long seen = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      Field f = LINK.field(p.currentName());
      t = p.nextToken();
      if (f == null) {
        p.skipChildren();
        continue;
      }
      seen = f.mark(seen, t);
      if (f.number == 1) {
        traceIdLength = idLength(id(p, t));
        traceHigh = traceIdHalf(p, traceIdLength, 0);
        traceLow = traceIdHalf(p, traceIdLength, 1);
      } else if (f.number == 2) {
        spanIdLength = idLength(id(p, t));
        spanId = spanId(p, spanIdLength);
      } else {
        value(p, t, f, false);
      }
    }
    s.addLink(traceIdLength, traceHigh, traceLow, spanIdLength, spanId);
  }

  /**
   * The high ({@code half} 0) or low (1) 64 bits of the trace id the current hex token holds, or 0
   * when it is not 16 bytes long ({@code length}, as {@link #idLength} gave it).
   */
  private static long traceIdHalf(JsonParser p, int length, int half) throws IOException {
    return length == 16 ? hexLong(p.getTextCharacters(), p.getTextOffset() + 16 * half) : 0;
  }

  /** The span id the current hex token holds, or 0 when it is not 8 bytes long. */
  private static long spanId(JsonParser p, int length) throws IOException {
    return length == 8 ? hexLong(p.getTextCharacters(), p.getTextOffset()) : 0;
  }

  private void status(JsonParser p, JsonToken start, RawSpan s) throws IOException, Unsure {
    long seen = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      Field f = STATUS.field(p.currentName());
      t = p.nextToken();
      if (f == null) {
        p.skipChildren();
        continue;
      }
      seen = f.mark(seen, t);
      if (f.number == 2) {
        s.statusMessageOff = len;
        s.statusMessageLen = utf8(p, t);
      } else if (f.number == 3) {
        s.statusCode = enumValue(p, t, f);
      } else {
        value(p, t, f, false);
      }
    }
  }

  private void attribute(JsonParser p, JsonToken start, RawSpan s) throws IOException, Unsure {
    String key = "";
    byte type = RawSpan.NONE;
    long number = 0;
    int off = 0;
    int valueLen = 0;
    long seen = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      Field f = KEY_VALUE.field(p.currentName());
      t = p.nextToken();
      if (f == null) {
        p.skipChildren();
        continue;
      }
      seen = f.mark(seen, t);
      if (f.number == 1) {
        key = string(p, t);
      } else if (f.number == 2) {
        object(t);
        long valueSeen = 0;
        for (t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
          Field v = ANY_VALUE.field(p.currentName());
          t = p.nextToken();
          if (v == null) {
            p.skipChildren();
            continue;
          }
          valueSeen = v.mark(valueSeen, t);
          switch (v.number) {
            case 1:
              off = len;
              valueLen = utf8(p, t);
              type = RawSpan.STRING;
              break;
            case 2:
              number = bool(t) ? 1 : 0;
              type = RawSpan.BOOL;
              break;
            case 3:
              number = int64(p, t);
              type = RawSpan.INT;
              break;
            case 4:
              number = Double.doubleToRawLongBits(doubleValue(p, t));
              type = RawSpan.DOUBLE;
              break;
            default:
              // Arrays, key-value lists and bytes: checked, read by nothing in Seam.
              value(p, t, v, false);
              type = RawSpan.STRUCTURED;
              break;
          }
        }
      } else {
        value(p, t, f, false);
      }
    }
    s.addAttribute(key, type, number, off, valueLen);
  }

  // ------------------------------------------------------------ any field, by its descriptor

  /**
   * Reads a message's fields, checking each against its type, and writes the message's protobuf
   * form (without tag and length) when {@code emit}.
   */
  private void message(JsonParser p, JsonToken start, Schema schema, boolean emit)
      throws IOException, Unsure {
    long seen = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      Field f = schema.field(p.currentName());
      t = p.nextToken();
      if (f == null) {
        p.skipChildren();
        continue;
      }
      seen = f.mark(seen, t);
      value(p, t, f, emit);
    }
  }

  /** Reads the value of field {@code f} (all of it, when repeated), starting at token {@code t}. */
  private void value(JsonParser p, JsonToken t, Field f, boolean emit) throws IOException, Unsure {
    if (!f.repeated) {
      single(p, t, f, emit);
      return;
    }
    for (t = array(p, t); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      single(p, t, f, emit);
    }
  }

  private void single(JsonParser p, JsonToken t, Field f, boolean emit) throws IOException, Unsure {
    if (t == JsonToken.VALUE_NULL) {
      throw UNSURE;
    }
    switch (f.kind) {
      case MESSAGE:
        {
          object(t);
          int mark = emit ? open(f.number) : 0;
          message(p, t, f.message, emit);
          if (emit) {
            close(mark);
          }
          return;
        }
      case STRING:
        {
          if (!emit) {
            if (t != JsonToken.VALUE_STRING) {
              throw UNSURE;
            }
            return;
          }
          int mark = open(f.number);
          utf8(p, t);
          close(mark);
          return;
        }
      case BYTES:
        {
          int mark = emit ? open(f.number) : len;
          base64(p, t);
          if (emit) {
            close(mark);
          } else {
            len = mark;
          }
          return;
        }
      case ID:
        {
          int n = id(p, t);
          if (emit) {
            varint((f.number << 3) | ProtoInput.LENGTH_DELIMITED);
            varint(idLength(n));
            room(idLength(n));
            if (n < 0) {
              out[len++] = 0;
            }
            for (int i = 0; i < n; i++) {
              out[len++] = (byte) hexByte(p, i * 2);
            }
          }
          return;
        }
      case BOOL:
        {
          boolean b = bool(t);
          if (emit) {
            varint(f.number << 3);
            varint(b ? 1 : 0);
          }
          return;
        }
      case INT64:
        {
          long v = int64(p, t);
          if (emit) {
            varint(f.number << 3);
            varint(v);
          }
          return;
        }
      case UINT32:
        {
          long v = unsigned(p, t, 0xFFFF_FFFFL);
          if (emit) {
            varint(f.number << 3);
            varint(v);
          }
          return;
        }
      case ENUM:
        {
          int v = enumValue(p, t, f);
          if (emit) {
            varint(f.number << 3);
            varint(v);
          }
          return;
        }
      case FIXED32:
        {
          long v = unsigned(p, t, 0xFFFF_FFFFL);
          if (emit) {
            varint((f.number << 3) | ProtoInput.FIXED32);
            fixed((int) v, 4);
          }
          return;
        }
      case FIXED64:
        {
          long v = unsigned(p, t, -1L);
          if (emit) {
            varint((f.number << 3) | ProtoInput.FIXED64);
            fixed(v, 8);
          }
          return;
        }
      case DOUBLE:
        {
          double d = doubleValue(p, t);
          if (emit) {
            varint((f.number << 3) | ProtoInput.FIXED64);
            fixed(Double.doubleToRawLongBits(d), 8);
          }
          return;
        }
      default:
        // A field type the trace request did not have when this was written.
        throw UNSURE;
    }
  }

  // ------------------------------------------------------------ tokens

  private static JsonToken object(JsonToken t) throws Unsure {
    if (t != JsonToken.START_OBJECT) {
      throw UNSURE;
    }
    return t;
  }

  /** Checks that {@code t} starts an array and returns the array's first token. */
  private static JsonToken array(JsonParser p, JsonToken t) throws IOException, Unsure {
    if (t != JsonToken.START_ARRAY) {
      throw UNSURE;
    }
    return p.nextToken();
  }

  private static boolean bool(JsonToken t) throws Unsure {
    if (t == JsonToken.VALUE_TRUE) {
      return true;
    }
    if (t == JsonToken.VALUE_FALSE) {
      return false;
    }
    throw UNSURE;
  }

  /** A string value as a shared String, by way of its UTF-8 bytes at the end of the scratch. */
  private String string(JsonParser p, JsonToken t) throws IOException, Unsure {
    int from = len;
    int n = utf8(p, t);
    len = from;
    return strings.get(out, from, n);
  }

  /** Appends a string value's UTF-8 bytes to the scratch and returns how many there are. */
  private int utf8(JsonParser p, JsonToken t) throws IOException, Unsure {
    if (t != JsonToken.VALUE_STRING) {
      throw UNSURE;
    }
    char[] c = p.getTextCharacters();
    int off = p.getTextOffset();
    int n = p.getTextLength();
    room(n * 3);
    int from = len;
    int o = len;
    byte[] b = out;
    for (int i = off, end = off + n; i < end; i++) {
      char ch = c[i];
      if (ch < 0x80) {
        b[o++] = (byte) ch;
      } else if (ch < 0x800) {
        b[o++] = (byte) (0xC0 | ch >> 6);
        b[o++] = (byte) (0x80 | ch & 0x3F);
      } else if (Character.isSurrogate(ch)) {
        if (Character.isHighSurrogate(ch) && i + 1 < end && Character.isLowSurrogate(c[i + 1])) {
          int cp = Character.toCodePoint(ch, c[++i]);
          b[o++] = (byte) (0xF0 | cp >> 18);
          b[o++] = (byte) (0x80 | cp >> 12 & 0x3F);
          b[o++] = (byte) (0x80 | cp >> 6 & 0x3F);
          b[o++] = (byte) (0x80 | cp & 0x3F);
        } else {
          // What protobuf writes for a lone surrogate (by way of String.getBytes).
          b[o++] = '?';
        }
      } else {
        b[o++] = (byte) (0xE0 | ch >> 12);
        b[o++] = (byte) (0x80 | ch >> 6 & 0x3F);
        b[o++] = (byte) (0x80 | ch & 0x3F);
      }
    }
    len = o;
    return o - from;
  }

  /** The byte length of a hex id (0 for an empty string), or -1 when it is not hex. */
  private static int id(JsonParser p, JsonToken t) throws IOException, Unsure {
    switch (t) {
      case VALUE_STRING:
        {
          char[] c = p.getTextCharacters();
          int off = p.getTextOffset();
          int n = p.getTextLength();
          if ((n & 1) != 0) {
            return -1;
          }
          for (int i = off, end = off + n; i < end; i++) {
            if (hex(c[i]) < 0) {
              return -1;
            }
          }
          return n / 2;
        }
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
      case VALUE_TRUE:
      case VALUE_FALSE:
        return -1;
      default:
        throw UNSURE;
    }
  }

  /**
   * The length of the id as {@link OtlpJson} decodes it: what is not hex becomes a single zero
   * byte, refused later as the wrong length.
   */
  private static int idLength(int id) {
    return id < 0 ? 1 : id;
  }

  /** The 16 hex digits at {@code off}, already checked, as a long. */
  private static long hexLong(char[] c, int off) {
    long v = 0;
    for (int i = off, end = off + 16; i < end; i++) {
      v = (v << 4) | hex(c[i]);
    }
    return v;
  }

  private static int hexByte(JsonParser p, int at) throws IOException {
    char[] c = p.getTextCharacters();
    int off = p.getTextOffset() + at;
    return hex(c[off]) << 4 | hex(c[off + 1]);
  }

  /** An ASCII hex digit's value (either case, as HexFormat reads them), or -1. */
  private static int hex(char ch) {
    if (ch >= '0' && ch <= '9') {
      return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
      return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
      return ch - 'A' + 10;
    }
    return -1;
  }

  /**
   * An unsigned integer of at most {@code max} (as unsigned), written as digits in a number or a
   * string.
   */
  private static long unsigned(JsonParser p, JsonToken t, long max) throws IOException, Unsure {
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_STRING) {
      throw UNSURE;
    }
    char[] c = p.getTextCharacters();
    int off = p.getTextOffset();
    int n = p.getTextLength();
    if (n == 0 || n > 20) {
      throw UNSURE;
    }
    long v = 0;
    for (int i = off, end = off + n; i < end; i++) {
      int d = c[i] - '0';
      if (d < 0 || d > 9) {
        throw UNSURE;
      }
      // 1844674407370955161 * 10 + 5 is the largest unsigned 64-bit value.
      if (Long.compareUnsigned(v, 1844674407370955161L) > 0 || v == 1844674407370955161L && d > 5) {
        throw UNSURE;
      }
      v = v * 10 + d;
    }
    if (Long.compareUnsigned(v, max) > 0) {
      throw UNSURE;
    }
    return v;
  }

  /** A signed 64-bit integer written as digits in a number or a string. */
  private static long int64(JsonParser p, JsonToken t) throws IOException, Unsure {
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_STRING) {
      throw UNSURE;
    }
    char[] c = p.getTextCharacters();
    int off = p.getTextOffset();
    int n = p.getTextLength();
    boolean negative = n > 0 && c[off] == '-';
    int i = negative ? off + 1 : off;
    int end = off + n;
    if (i == end || end - i > 19) {
      throw UNSURE;
    }
    // Accumulated negative, whose range includes Long.MIN_VALUE.
    long v = 0;
    for (; i < end; i++) {
      int d = c[i] - '0';
      if (d < 0 || d > 9 || v < (Long.MIN_VALUE + d) / 10) {
        throw UNSURE;
      }
      v = v * 10 - d;
    }
    if (!negative) {
      if (v == Long.MIN_VALUE) {
        throw UNSURE;
      }
      v = -v;
    }
    return v;
  }

  private static int enumValue(JsonParser p, JsonToken t, Field f) throws IOException, Unsure {
    if (t == JsonToken.VALUE_STRING) {
      char[] c = p.getTextCharacters();
      int off = p.getTextOffset();
      int n = p.getTextLength();
      for (int i = 0; i < f.enumNames.length; i++) {
        char[] name = f.enumNames[i];
        if (name.length == n && Arrays.equals(name, 0, n, c, off, off + n)) {
          return f.enumNumbers[i];
        }
      }
    }
    long v = int64(p, t);
    if (v != (int) v) {
      throw UNSURE;
    }
    return (int) v;
  }

  private static double doubleValue(JsonParser p, JsonToken t) throws IOException, Unsure {
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      if (Double.isInfinite(d)) {
        throw UNSURE;
      }
      // JsonFormat reads numbers by way of BigDecimal, which has no negative zero.
      return d == 0 ? 0.0 : d;
    }
    if (t == JsonToken.VALUE_STRING) {
      char[] c = p.getTextCharacters();
      int off = p.getTextOffset();
      int n = p.getTextLength();
      if (is(c, off, n, "NaN")) {
        return Double.NaN;
      }
      if (is(c, off, n, "Infinity")) {
        return Double.POSITIVE_INFINITY;
      }
      if (is(c, off, n, "-Infinity")) {
        return Double.NEGATIVE_INFINITY;
      }
    }
    throw UNSURE;
  }

  private static boolean is(char[] c, int off, int n, String s) {
    if (n != s.length()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (c[off + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Appends the bytes of a standard, padded base64 string (the form every encoder writes; others
   * are left to the general path).
   */
  private void base64(JsonParser p, JsonToken t) throws IOException, Unsure {
    if (t != JsonToken.VALUE_STRING) {
      throw UNSURE;
    }
    char[] c = p.getTextCharacters();
    int off = p.getTextOffset();
    int n = p.getTextLength();
    if ((n & 3) != 0) {
      throw UNSURE;
    }
    room(n / 4 * 3);
    for (int i = off, end = off + n; i < end; i += 4) {
      int a = sextet(c[i]);
      int b = sextet(c[i + 1]);
      int x = c[i + 2] == '=' && i + 4 == end && c[i + 3] == '=' ? -2 : sextet(c[i + 2]);
      int y = x == -2 ? -2 : c[i + 3] == '=' && i + 4 == end ? -2 : sextet(c[i + 3]);
      if ((a | b) < 0 || x == -1 || y == -1) {
        throw UNSURE;
      }
      out[len++] = (byte) (a << 2 | b >> 4);
      if (x >= 0) {
        out[len++] = (byte) (b << 4 | x >> 2);
        if (y >= 0) {
          out[len++] = (byte) (x << 6 | y);
        }
      }
    }
  }

  private static int sextet(char ch) {
    if (ch >= 'A' && ch <= 'Z') {
      return ch - 'A';
    }
    if (ch >= 'a' && ch <= 'z') {
      return ch - 'a' + 26;
    }
    if (ch >= '0' && ch <= '9') {
      return ch - '0' + 52;
    }
    return ch == '+' ? 62 : ch == '/' ? 63 : -1;
  }

  // ------------------------------------------------------------ protobuf output

  private void room(int n) {
    if (out.length - len < n) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, len + n));
    }
  }

  private void varint(long v) {
    room(10);
    while ((v & ~0x7FL) != 0) {
      out[len++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[len++] = (byte) v;
  }

  private void fixed(long v, int bytes) {
    room(bytes);
    for (int i = 0; i < bytes; i++) {
      out[len++] = (byte) (v >>> (8 * i));
    }
  }

  /** Writes a length-delimited field's tag and a one-byte length, to be fixed by {@link #close}. */
  private int open(int number) {
    varint((number << 3) | ProtoInput.LENGTH_DELIMITED);
    room(1);
    len++;
    return len;
  }

  private void close(int mark) {
    int n = len - mark;
    if (n < 0x80) {
      out[mark - 1] = (byte) n;
      return;
    }
    int extra = 0;
    for (int v = n >>> 7; v != 0; v >>>= 7) {
      extra++;
    }
    room(extra);
    System.arraycopy(out, mark, out, mark + extra, n);
    len = mark - 1;
    varint(n);
    len += n;
  }

  // ------------------------------------------------------------ schema

  /** How a field's JSON value is read and written. */
  enum Kind {
    MESSAGE,
    STRING,
    BYTES,
    ID,
    BOOL,
    INT64,
    UINT32,
    ENUM,
    FIXED32,
    FIXED64,
    DOUBLE,
    OTHER
  }

  /** A message type's fields by both of their JSON names. */
  static final class Schema {
    private final Map<String, Field> byName = new HashMap<>();
    private final Map<Integer, Field> byNumber = new HashMap<>();

    static Schema of(Descriptor d, Map<String, Schema> made) {
      Schema s = made.get(d.getFullName());
      if (s != null) {
        return s;
      }
      s = new Schema();
      made.put(d.getFullName(), s);
      if (d.getFields().size() > 64) {
        throw new IllegalStateException(
            d.getFullName() + " has more fields than a seen-mask holds");
      }
      for (FieldDescriptor fd : d.getFields()) {
        Field f = new Field(fd, d, made);
        s.byName.put(fd.getName(), f);
        s.byName.put(fd.getJsonName(), f);
        s.byNumber.put(fd.getNumber(), f);
      }
      return s;
    }

    Field field(String name) {
      return byName.get(name);
    }

    Schema message(int number) {
      return byNumber.get(number).message;
    }
  }

  /** One field of a message type. */
  static final class Field {
    final int number;
    final Kind kind;
    final boolean repeated;
    final Schema message;
    final char[][] enumNames;
    final int[] enumNumbers;
    private final long bit;

    /** The bits of its oneof's fields, or its own bit when it is in none. */
    private final long exclusive;

    Field(FieldDescriptor fd, Descriptor owner, Map<String, Schema> made) {
      number = fd.getNumber();
      repeated = fd.isRepeated();
      bit = 1L << fd.getIndex();
      long mask = bit;
      if (fd.getRealContainingOneof() != null) {
        for (FieldDescriptor other : fd.getRealContainingOneof().getFields()) {
          mask |= 1L << other.getIndex();
        }
      }
      exclusive = mask;
      message =
          fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !fd.isMapField()
              ? Schema.of(fd.getMessageType(), made)
              : null;
      if (fd.getType() == FieldDescriptor.Type.ENUM) {
        var values = fd.getEnumType().getValues();
        enumNames = new char[values.size()][];
        enumNumbers = new int[values.size()];
        for (int i = 0; i < values.size(); i++) {
          EnumValueDescriptor v = values.get(i);
          enumNames[i] = v.getName().toCharArray();
          enumNumbers[i] = v.getNumber();
        }
      } else {
        enumNames = new char[0][];
        enumNumbers = new int[0];
      }
      kind = kind(fd);
    }

    private static Kind kind(FieldDescriptor fd) {
      if (fd.isMapField()) {
        return Kind.OTHER;
      }
      return switch (fd.getType()) {
        case MESSAGE -> Kind.MESSAGE;
        case STRING -> Kind.STRING;
        case BYTES -> ID_FIELDS.contains(fd.getName()) ? Kind.ID : Kind.BYTES;
        case BOOL -> Kind.BOOL;
        case INT64 -> Kind.INT64;
        case UINT32 -> Kind.UINT32;
        case ENUM -> Kind.ENUM;
        case FIXED32 -> Kind.FIXED32;
        case FIXED64 -> Kind.FIXED64;
        case DOUBLE -> Kind.DOUBLE;
        default -> Kind.OTHER;
      };
    }

    /**
     * Marks this field as seen in an object; a field given twice (under either name), a second
     * member of a oneof or a {@code null} (which means different things to different fields) is
     * left to the general path.
     */
    long mark(long seen, JsonToken t) throws Unsure {
      if ((seen & exclusive) != 0 || t == JsonToken.VALUE_NULL) {
        throw UNSURE;
      }
      return seen | bit;
    }
  }
}
