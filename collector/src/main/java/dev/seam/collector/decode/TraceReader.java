package dev.seam.collector.decode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an OTLP {@code ExportTraceServiceRequest} straight from its protobuf bytes into reusable
 * {@link RawSpan}s, grouped by resource, without building the protobuf object tree. Building that
 * tree (a message per span, attribute, key-value and value, and a String per string field) was most
 * of Seam's cost per span, and protobuf's CodedInputStream most of what remained, so the wire
 * format is read by {@link ProtoInput}, which refuses what protobuf refuses.
 *
 * <p>The whole request is read before the caller sees any of it, so a malformed request is refused
 * as a whole and never half processed (a client retrying it would otherwise be counted twice).
 * Fields Seam never reads (dropped counts, schema URLs, scope attributes, a link's trace state,
 * attributes and flags) are skipped, and structured attribute values are framed but not looked
 * into; so a request that the generated parser would refuse only for a flaw inside those is
 * accepted. Of a link, only its context (trace id and span id) is read.
 *
 * <p>One reader per thread: it is not thread-safe, and what it returns is valid until its next
 * {@link #read}.
 *
 * <p>Longer than most classes because it is one hand-written protobuf walk over the whole trace
 * request (resource, scope, span, event, link, attributes), kept in one place so that the hot path
 * stays a straight loop without allocation.
 */
public final class TraceReader {

  /**
   * Pooled spans kept between requests; a larger request allocates the rest, let go at the next
   * read.
   */
  private static final int MAX_POOLED_SPANS = 8192;

  private static final int TAG_RESOURCE_SPANS = tag(1, ProtoInput.LENGTH_DELIMITED);
  private static final int TAG_RESOURCE = tag(1, ProtoInput.LENGTH_DELIMITED);
  private static final int TAG_SCOPE_SPANS = tag(2, ProtoInput.LENGTH_DELIMITED);
  private static final int TAG_SCOPE = tag(1, ProtoInput.LENGTH_DELIMITED);
  private static final int TAG_SPANS = tag(2, ProtoInput.LENGTH_DELIMITED);
  private static final int TAG_NAME = tag(1, ProtoInput.LENGTH_DELIMITED);

  private final StringTable strings;
  private final List<RawSpan> pool = new ArrayList<>();
  private byte[] buf;
  private int spans;
  private int resources;
  private byte[][] resourceBuf = new byte[4][];
  private int[] resourceOff = new int[4];
  private int[] resourceLen = new int[4];
  private String[] scopeName = new String[4];
  private int[] firstSpan = new int[4];
  private long[] sortedIds = new long[256];
  private TraceJsonReader json;

  /**
   * @param strings where names, keys and values are turned into shared Strings
   */
  public TraceReader(StringTable strings) {
    this.strings = strings;
  }

  /**
   * Reads a request. Afterwards {@link #resourceCount} resources hold the spans in request order.
   *
   * @throws OtlpDecodeException when the bytes are not a well-formed request
   */
  public TraceReader read(byte[] body) throws OtlpDecodeException {
    begin(body);
    try {
      ProtoInput in = new ProtoInput(body, 0);
      int end = body.length;
      for (int tag = in.tag(end); tag != 0; tag = in.tag(end)) {
        if (tag == TAG_RESOURCE_SPANS) {
          int rsEnd = in.length(end);
          readResourceSpans(in, rsEnd);
          in.pos = rsEnd;
        } else {
          in.skip(tag, end);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new OtlpDecodeException(
          "invalid OTLP protobuf ExportTraceServiceRequest: " + e.getMessage(), e);
    }
    return this;
  }

  /**
   * Reads a request sent as OTLP/JSON into the same spans and resources as {@link #read}; the
   * resources and events are then protobuf bytes the reader wrote, in {@link #resourceBytes} and
   * {@link #body}. A body the streaming reader cannot vouch for (malformed, or only unusual) is
   * decoded by {@link OtlpJson} and read as protobuf, which refuses it with the same message.
   *
   * @throws OtlpDecodeException when the body is not a well-formed OTLP/JSON request
   */
  public TraceReader readJson(byte[] body) throws OtlpDecodeException {
    if (json == null) {
      json = new TraceJsonReader(this, strings);
    }
    try {
      json.read(body);
      return this;
    } catch (TraceJsonReader.Unsure e) {
      return read(OtlpJson.traces(body).toByteArray());
    }
  }

  /** Starts a request read from {@code body}. */
  void begin(byte[] body) {
    // A huge request's spans are let go when the next one comes, not kept for ever.
    if (pool.size() > MAX_POOLED_SPANS) {
      pool.subList(MAX_POOLED_SPANS, pool.size()).clear();
    }
    buf = body;
    spans = 0;
    resources = 0;
  }

  /** Ends a request whose spans and resources hold offsets into {@code body}. */
  void end(byte[] body) {
    buf = body;
    for (int i = 0; i < spans; i++) {
      pool.get(i).buf = body;
    }
  }

  /** Starts the next resource and returns its index. */
  int beginResource() {
    if (resources == resourceOff.length) {
      int n = resources * 2;
      resourceBuf = Arrays.copyOf(resourceBuf, n);
      resourceOff = Arrays.copyOf(resourceOff, n);
      resourceLen = Arrays.copyOf(resourceLen, n);
      scopeName = Arrays.copyOf(scopeName, n);
      firstSpan = Arrays.copyOf(firstSpan, n);
    }
    int r = resources++;
    resourceBuf[r] = null;
    resourceOff[r] = 0;
    resourceLen[r] = 0;
    scopeName[r] = null;
    firstSpan[r] = spans;
    return r;
  }

  /** Sets resource {@code r}'s {@code Resource} message to {@code len} bytes of the body. */
  void resource(int r, int off, int len) {
    resourceBuf[r] = null;
    resourceOff[r] = off;
    resourceLen[r] = len;
  }

  void endResource(int r) {
    if (scopeName[r] == null) {
      scopeName[r] = "";
    }
  }

  /** Resource {@code r}'s first scope name so far, {@code null} before its first scope ends. */
  String scopeName(int r) {
    return scopeName[r];
  }

  void scopeName(int r, String name) {
    scopeName[r] = name;
  }

  /** Resource batches in the request. */
  public int resourceCount() {
    return resources;
  }

  /**
   * The bytes holding resource {@code r}'s {@code Resource} message: the body, unless it came in
   * pieces.
   */
  public byte[] resourceBytes(int r) {
    return resourceBuf[r] != null ? resourceBuf[r] : buf;
  }

  /**
   * Offset in {@link #resourceBytes} of resource {@code r}'s {@code Resource} message (length 0
   * when it has none).
   */
  public int resourceOffset(int r) {
    return resourceOff[r];
  }

  public int resourceLength(int r) {
    return resourceLen[r];
  }

  /** The instrumentation scope name of resource {@code r}'s first scope, empty when none. */
  public String firstScopeName(int r) {
    return scopeName[r];
  }

  /** Index of resource {@code r}'s first span. */
  public int firstSpan(int r) {
    return firstSpan[r];
  }

  /** Index one past resource {@code r}'s last span. */
  public int endSpan(int r) {
    return r + 1 < resources ? firstSpan[r + 1] : spans;
  }

  /** The body the spans were read from. */
  public byte[] body() {
    return buf;
  }

  /** Span {@code i} of the request. */
  public RawSpan span(int i) {
    return pool.get(i);
  }

  /**
   * The span ids of resource {@code r}, sorted, in a buffer the reader reuses; its first {@code
   * endSpan - firstSpan} are valid.
   */
  public long[] sortedSpanIds(int r) {
    int from = firstSpan(r);
    int n = endSpan(r) - from;
    if (sortedIds.length < n) {
      sortedIds = new long[Math.max(n, sortedIds.length * 2)];
    }
    for (int i = 0; i < n; i++) {
      sortedIds[i] = pool.get(from + i).spanId;
    }
    Arrays.sort(sortedIds, 0, n);
    return sortedIds;
  }

  private void readResourceSpans(ProtoInput in, int end) throws IOException {
    int r = beginResource();
    for (int tag = in.tag(end); tag != 0; tag = in.tag(end)) {
      if (tag == TAG_RESOURCE) {
        int resourceEnd = in.length(end);
        if (resourceBuf[r] == null) {
          resourceBuf[r] = buf;
          resourceOff[r] = in.pos;
          resourceLen[r] = resourceEnd - in.pos;
        } else {
          // A message field sent in pieces is their merge, which is the parse of the pieces'
          // concatenation.
          byte[] merged = new byte[resourceLen[r] + resourceEnd - in.pos];
          System.arraycopy(resourceBuf[r], resourceOff[r], merged, 0, resourceLen[r]);
          System.arraycopy(buf, in.pos, merged, resourceLen[r], resourceEnd - in.pos);
          resourceBuf[r] = merged;
          resourceOff[r] = 0;
          resourceLen[r] = merged.length;
        }
        in.pos = resourceEnd;
      } else if (tag == TAG_SCOPE_SPANS) {
        int scopeEnd = in.length(end);
        readScopeSpans(in, scopeEnd, r);
        in.pos = scopeEnd;
      } else {
        in.skip(tag, end);
      }
    }
    endResource(r);
  }

  private void readScopeSpans(ProtoInput in, int end, int r) throws IOException {
    boolean first = scopeName[r] == null;
    for (int tag = in.tag(end); tag != 0; tag = in.tag(end)) {
      if (tag == TAG_SCOPE) {
        int scopeEnd = in.length(end);
        String name = "";
        for (int t = in.tag(scopeEnd); t != 0; t = in.tag(scopeEnd)) {
          if (t == TAG_NAME) {
            name = string(in, scopeEnd, buf, strings);
          } else {
            in.skip(t, scopeEnd);
          }
        }
        in.pos = scopeEnd;
        if (first) {
          scopeName[r] = name;
        }
      } else if (tag == TAG_SPANS) {
        int spanEnd = in.length(end);
        readSpan(in, spanEnd, buf, nextSpan(), strings);
        in.pos = spanEnd;
      } else {
        in.skip(tag, end);
      }
    }
    if (first && scopeName[r] == null) {
      scopeName[r] = "";
    }
  }

  /** The next span of the request, reset by its reader. */
  RawSpan nextSpan() {
    RawSpan s;
    if (spans < pool.size()) {
      s = pool.get(spans);
    } else {
      s = new RawSpan();
      pool.add(s);
    }
    spans++;
    return s;
  }

  /** Reads one protobuf {@code Span} message of {@code len} bytes at {@code off}. */
  static void readSpan(byte[] buf, int off, int len, RawSpan s, StringTable strings)
      throws IOException {
    readSpan(new ProtoInput(buf, off), off + len, buf, s, strings);
  }

  /** Reads the fields of one {@code Span} message that ends at {@code end}. */
  private static void readSpan(ProtoInput in, int end, byte[] buf, RawSpan s, StringTable strings)
      throws IOException {
    s.reset(buf, strings);
    for (int tag = in.tag(end); tag != 0; tag = in.tag(end)) {
      switch (tag) {
        case (1 << 3) | ProtoInput.LENGTH_DELIMITED:
          { // trace_id
            int idEnd = in.length(end);
            int off = in.pos;
            s.traceIdLength = idEnd - off;
            s.traceIdHigh = s.traceIdLength == 16 ? readLong(buf, off) : 0;
            s.traceIdLow = s.traceIdLength == 16 ? readLong(buf, off + 8) : 0;
            in.pos = idEnd;
            break;
          }
        case (2 << 3) | ProtoInput.LENGTH_DELIMITED:
          { // span_id
            int idEnd = in.length(end);
            s.spanIdLength = idEnd - in.pos;
            s.spanId = s.spanIdLength == 8 ? readLong(buf, in.pos) : 0;
            in.pos = idEnd;
            break;
          }
        case (3 << 3) | ProtoInput.LENGTH_DELIMITED:
          { // trace_state
            int stateEnd = in.length(end);
            s.traceStateOff = in.pos;
            s.traceStateLen = stateEnd - in.pos;
            in.pos = stateEnd;
            break;
          }
        case (4 << 3) | ProtoInput.LENGTH_DELIMITED:
          { // parent_span_id
            int idEnd = in.length(end);
            s.parentSpanIdLength = idEnd - in.pos;
            s.parentSpanId = s.parentSpanIdLength == 8 ? readLong(buf, in.pos) : 0;
            in.pos = idEnd;
            break;
          }
        case (5 << 3) | ProtoInput.LENGTH_DELIMITED: // name
          s.name = string(in, end, buf, strings);
          break;
        case (6 << 3) | ProtoInput.VARINT: // kind
          s.kind = in.varint32(end);
          break;
        case (7 << 3) | ProtoInput.FIXED64: // start_time_unix_nano
          s.startNanos = in.fixed64(end);
          break;
        case (8 << 3) | ProtoInput.FIXED64: // end_time_unix_nano
          s.endNanos = in.fixed64(end);
          break;
        case (9 << 3) | ProtoInput.LENGTH_DELIMITED:
          { // attributes
            int kvEnd = in.length(end);
            readKeyValue(in, kvEnd, buf, s, strings);
            in.pos = kvEnd;
            break;
          }
        case (11 << 3) | ProtoInput.LENGTH_DELIMITED:
          { // events: kept as bytes until a failure needs them
            int eventEnd = in.length(end);
            s.addEvent(in.pos, eventEnd - in.pos);
            in.pos = eventEnd;
            break;
          }
        case (13 << 3) | ProtoInput.LENGTH_DELIMITED:
          { // links: their context, for messaging calls whose consumer links to its producer
            int linkEnd = in.length(end);
            readLink(in, linkEnd, buf, s);
            in.pos = linkEnd;
            break;
          }
        case (15 << 3) | ProtoInput.LENGTH_DELIMITED:
          { // status
            int statusEnd = in.length(end);
            for (int t = in.tag(statusEnd); t != 0; t = in.tag(statusEnd)) {
              if (t == ((2 << 3) | ProtoInput.LENGTH_DELIMITED)) {
                int messageEnd = in.length(statusEnd);
                s.statusMessageOff = in.pos;
                s.statusMessageLen = messageEnd - in.pos;
                in.pos = messageEnd;
              } else if (t == ((3 << 3) | ProtoInput.VARINT)) {
                s.statusCode = in.varint32(statusEnd);
              } else {
                in.skip(t, statusEnd);
              }
            }
            in.pos = statusEnd;
            break;
          }
        case (16 << 3) | ProtoInput.FIXED32: // flags
          s.flags = in.fixed32(end);
          break;
        default:
          in.skip(tag, end);
          break;
      }
    }
  }

  /** Reads one {@code Span.Link} message ending at {@code end}: its trace id and span id. */
  private static void readLink(ProtoInput in, int end, byte[] buf, RawSpan s) throws IOException {
    int traceIdLength = 0;
    long traceHigh = 0;
    long traceLow = 0;
    int spanIdLength = 0;
    long spanId = 0;
    for (int tag = in.tag(end); tag != 0; tag = in.tag(end)) {
      if (tag == ((1 << 3) | ProtoInput.LENGTH_DELIMITED)) {
        int idEnd = in.length(end);
        traceIdLength = idEnd - in.pos;
        traceHigh = traceIdLength == 16 ? readLong(buf, in.pos) : 0;
        traceLow = traceIdLength == 16 ? readLong(buf, in.pos + 8) : 0;
        in.pos = idEnd;
      } else if (tag == ((2 << 3) | ProtoInput.LENGTH_DELIMITED)) {
        int idEnd = in.length(end);
        spanIdLength = idEnd - in.pos;
        spanId = spanIdLength == 8 ? readLong(buf, in.pos) : 0;
        in.pos = idEnd;
      } else {
        in.skip(tag, end);
      }
    }
    s.addLink(traceIdLength, traceHigh, traceLow, spanIdLength, spanId);
  }

  private static void readKeyValue(
      ProtoInput in, int end, byte[] buf, RawSpan s, StringTable strings) throws IOException {
    String key = "";
    byte type = RawSpan.NONE;
    long number = 0;
    int off = 0;
    int len = 0;
    for (int tag = in.tag(end); tag != 0; tag = in.tag(end)) {
      if (tag == ((1 << 3) | ProtoInput.LENGTH_DELIMITED)) {
        key = string(in, end, buf, strings);
      } else if (tag == ((2 << 3) | ProtoInput.LENGTH_DELIMITED)) {
        int valueEnd = in.length(end);
        // AnyValue is a oneof: the last value on the wire wins, and an empty one holds nothing.
        type = RawSpan.NONE;
        for (int t = in.tag(valueEnd); t != 0; t = in.tag(valueEnd)) {
          switch (t) {
            case (1 << 3) | ProtoInput.LENGTH_DELIMITED:
              {
                int stringEnd = in.length(valueEnd);
                off = in.pos;
                len = stringEnd - off;
                in.pos = stringEnd;
                type = RawSpan.STRING;
                break;
              }
            case (2 << 3) | ProtoInput.VARINT:
              number = in.int64(valueEnd) != 0 ? 1 : 0;
              type = RawSpan.BOOL;
              break;
            case (3 << 3) | ProtoInput.VARINT:
              number = in.int64(valueEnd);
              type = RawSpan.INT;
              break;
            case (4 << 3) | ProtoInput.FIXED64:
              number = in.fixed64(valueEnd);
              type = RawSpan.DOUBLE;
              break;
            case (5 << 3) | ProtoInput.LENGTH_DELIMITED:
            case (6 << 3) | ProtoInput.LENGTH_DELIMITED:
            case (7 << 3) | ProtoInput.LENGTH_DELIMITED:
              in.pos = in.length(valueEnd);
              type = RawSpan.STRUCTURED;
              break;
            default:
              in.skip(t, valueEnd);
              break;
          }
        }
        in.pos = valueEnd;
      } else {
        in.skip(tag, end);
      }
    }
    s.addAttribute(key, type, number, off, len);
  }

  private static String string(ProtoInput in, int end, byte[] buf, StringTable strings)
      throws IOException {
    int stringEnd = in.length(end);
    int off = in.pos;
    in.pos = stringEnd;
    return strings.get(buf, off, stringEnd - off);
  }

  private static long readLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xffL);
    }
    return v;
  }

  private static int tag(int field, int wireType) {
    return (field << 3) | wireType;
  }
}
