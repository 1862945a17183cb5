package dev.seam.collector.decode;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.util.Arrays;

/**
 * One OTLP span as read from the wire, without building the protobuf object tree: ids as longs,
 * shared Strings for names and keys, and attribute values left in the request's bytes until someone
 * asks for them (most attributes, such as {@code url.full} or {@code thread.id}, are never read). A
 * {@link TraceReader} fills and reuses these; one is valid until the reader reads the next request.
 */
public final class RawSpan {

  /** Value types of {@link #valueType}: what an attribute's {@code AnyValue} holds. */
  public static final byte NONE = 0;

  public static final byte STRING = 1;
  public static final byte BOOL = 2;
  public static final byte INT = 3;
  public static final byte DOUBLE = 4;

  /** An array, key-value list or bytes value: read by nothing in Seam. */
  public static final byte STRUCTURED = 5;

  /** What a value that is not an integer reads as in {@link #integerValue}. */
  public static final long ABSENT = Long.MIN_VALUE;

  byte[] buf;
  StringTable strings;

  int traceIdLength;
  int spanIdLength;
  int parentSpanIdLength;
  long traceIdHigh;
  long traceIdLow;
  long spanId;
  long parentSpanId;
  String name;
  int kind;
  int flags;
  long startNanos;
  long endNanos;
  int traceStateOff;
  int traceStateLen;
  int statusCode;
  int statusMessageOff;
  int statusMessageLen;

  // Grown on first use: a request of a million attribute-less spans must not cost a million sets of
  // arrays.
  int attributes;
  String[] keys = new String[0];
  byte[] types = new byte[0];
  long[] numbers = new long[0];
  int[] valueOff = new int[0];
  int[] valueLen = new int[0];

  int events;
  int[] eventOff = new int[0];
  int[] eventLen = new int[0];

  // Span links with a well-formed context, as three parallel arrays (a batch consumer carries one
  // per message).
  int links;
  long[] linkTraceHigh = new long[0];
  long[] linkTraceLow = new long[0];
  long[] linkSpanId = new long[0];

  RawSpan() {}

  void reset(byte[] buf, StringTable strings) {
    this.buf = buf;
    this.strings = strings;
    traceIdLength = 0;
    spanIdLength = 0;
    parentSpanIdLength = 0;
    traceIdHigh = 0;
    traceIdLow = 0;
    spanId = 0;
    parentSpanId = 0;
    name = "";
    kind = 0;
    flags = 0;
    startNanos = 0;
    endNanos = 0;
    traceStateLen = 0;
    statusCode = 0;
    statusMessageLen = 0;
    attributes = 0;
    events = 0;
    links = 0;
  }

  /**
   * Reads one protobuf {@code Span} message (for tests and callers holding a protobuf object). Its
   * strings come from a private table.
   */
  public static RawSpan of(Span span) {
    byte[] b = span.toByteArray();
    RawSpan s = new RawSpan();
    try {
      TraceReader.readSpan(b, 0, b.length, s, new StringTable(64));
    } catch (IOException e) {
      throw new IllegalStateException("a serialized Span did not read back", e);
    }
    return s;
  }

  public int traceIdLength() {
    return traceIdLength;
  }

  public int spanIdLength() {
    return spanIdLength;
  }

  public int parentSpanIdLength() {
    return parentSpanIdLength;
  }

  /** High 64 bits of the trace id (0 unless it is 16 bytes long). */
  public long traceIdHigh() {
    return traceIdHigh;
  }

  public long traceIdLow() {
    return traceIdLow;
  }

  /** The span id (0 unless it is 8 bytes long). */
  public long spanId() {
    return spanId;
  }

  /** The parent's span id (0 unless it is 8 bytes long). */
  public long parentSpanId() {
    return parentSpanId;
  }

  public String name() {
    return name;
  }

  /** The OTLP span kind number (0 unspecified ... 5 consumer; other numbers as sent). */
  public int kind() {
    return kind;
  }

  public int flags() {
    return flags;
  }

  public long startNanos() {
    return startNanos;
  }

  public long endNanos() {
    return endNanos;
  }

  /** The W3C tracestate, empty when none. */
  public String traceState() {
    return traceStateLen == 0 ? "" : strings.get(buf, traceStateOff, traceStateLen);
  }

  /** The status code number: 0 unset, 1 ok, 2 error. */
  public int statusCode() {
    return statusCode;
  }

  public String statusMessage() {
    return statusMessageLen == 0 ? "" : strings.get(buf, statusMessageOff, statusMessageLen);
  }

  public int attributeCount() {
    return attributes;
  }

  public String key(int i) {
    return keys[i];
  }

  public byte valueType(int i) {
    return types[i];
  }

  /** The string form of a scalar value, or {@code null} for a missing or structured one. */
  public String stringValue(int i) {
    switch (types[i]) {
      case STRING:
        return strings.get(buf, valueOff[i], valueLen[i]);
      case INT:
        return Long.toString(numbers[i]);
      case BOOL:
        return Boolean.toString(numbers[i] != 0);
      case DOUBLE:
        return Double.toString(Double.longBitsToDouble(numbers[i]));
      default:
        return null;
    }
  }

  /**
   * The integer a value holds (int, whole part of a finite double, or decimal string), or {@link
   * #ABSENT}.
   */
  public long integerValue(int i) {
    switch (types[i]) {
      case INT:
        return numbers[i];
      case DOUBLE:
        double d = Double.longBitsToDouble(numbers[i]);
        return Double.isFinite(d) ? (long) d : ABSENT;
      case STRING:
        return valueLen[i] > 64 ? ABSENT : decimal(strings.get(buf, valueOff[i], valueLen[i]));
      default:
        return ABSENT;
    }
  }

  /**
   * The integer a decimal string holds, surrounding blanks allowed (some SDKs send status codes as
   * strings), or {@link #ABSENT}.
   */
  public static long decimal(String text) {
    String s = text.trim();
    if (s.isEmpty() || s.length() > 19) {
      return ABSENT;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return ABSENT;
    }
  }

  /** The string value of the first attribute named {@code key}, or {@code null}. */
  public String find(String key) {
    for (int i = 0; i < attributes; i++) {
      if (keys[i].equals(key)) {
        return stringValue(i);
      }
    }
    return null;
  }

  public int eventCount() {
    return events;
  }

  /**
   * Event {@code i}, parsed only now (events matter only to explain a failure), or {@code null}
   * when its bytes are not a valid event.
   */
  public Span.Event event(int i) {
    try {
      return Span.Event.parseFrom(CodedInputStream.newInstance(buf, eventOff[i], eventLen[i]));
    } catch (InvalidProtocolBufferException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Links whose context is well formed (a 16-byte trace id and an 8-byte span id, neither all
   * zeros), in the order sent; other links are not kept.
   */
  public int linkCount() {
    return links;
  }

  /** High 64 bits of link {@code i}'s trace id. */
  public long linkTraceIdHigh(int i) {
    return linkTraceHigh[i];
  }

  /** Low 64 bits of link {@code i}'s trace id. */
  public long linkTraceIdLow(int i) {
    return linkTraceLow[i];
  }

  /** The span id link {@code i} names. */
  public long linkSpanId(int i) {
    return linkSpanId[i];
  }

  /**
   * Adds a link read from the wire: kept only when its context is well formed ({@link #linkCount}).
   * Readers of other encodings call it with the ids they decoded, lengths as sent.
   */
  void addLink(int traceIdLength, long traceHigh, long traceLow, int spanIdLength, long spanId) {
    if (traceIdLength != 16 || spanIdLength != 8 || (traceHigh | traceLow) == 0 || spanId == 0) {
      return;
    }
    if (links == linkSpanId.length) {
      int n = Math.max(2, links * 2);
      linkTraceHigh = Arrays.copyOf(linkTraceHigh, n);
      linkTraceLow = Arrays.copyOf(linkTraceLow, n);
      linkSpanId = Arrays.copyOf(linkSpanId, n);
    }
    linkTraceHigh[links] = traceHigh;
    linkTraceLow[links] = traceLow;
    linkSpanId[links] = spanId;
    links++;
  }

  void addAttribute(String key, byte type, long number, int off, int len) {
    if (attributes == keys.length) {
      int n = Math.max(8, attributes * 2);
      keys = Arrays.copyOf(keys, n);
      types = Arrays.copyOf(types, n);
      numbers = Arrays.copyOf(numbers, n);
      valueOff = Arrays.copyOf(valueOff, n);
      valueLen = Arrays.copyOf(valueLen, n);
    }
    keys[attributes] = key;
    types[attributes] = type;
    numbers[attributes] = number;
    valueOff[attributes] = off;
    valueLen[attributes] = len;
    attributes++;
  }

  void addEvent(int off, int len) {
    if (events == eventOff.length) {
      eventOff = Arrays.copyOf(eventOff, Math.max(2, events * 2));
      eventLen = Arrays.copyOf(eventLen, Math.max(2, events * 2));
    }
    eventOff[events] = off;
    eventLen[events] = len;
    events++;
  }
}
