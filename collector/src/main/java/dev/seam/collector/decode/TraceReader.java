package dev.seam.collector.decode;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an OTLP {@code ExportTraceServiceRequest} straight from its protobuf bytes into reusable
 * {@link RawSpan}s, grouped by resource, without building the protobuf object tree. Building that
 * tree (a message per span, attribute, key-value and value, and a String per string field) was
 * most of Seam's cost per span.
 *
 * <p>The whole request is read before the caller sees any of it, so a malformed request is
 * refused as a whole and never half processed (a client retrying it would otherwise be counted
 * twice). Fields Seam never reads (links, dropped counts, schema URLs, scope attributes) are
 * skipped, and structured attribute values are framed but not looked into; so a request that
 * the generated parser would refuse only for a flaw inside those is accepted.
 *
 * <p>One reader per thread: it is not thread-safe, and what it returns is valid until its next
 * {@link #read}.
 */
public final class TraceReader {

  /** Pooled spans kept between requests; a larger request allocates the rest, let go at the next read. */
  private static final int MAX_POOLED_SPANS = 8192;

  private static final int TAG_RESOURCE_SPANS = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int TAG_RESOURCE = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int TAG_SCOPE_SPANS = tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int TAG_SCOPE = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int TAG_SPANS = tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int TAG_NAME = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);

  private final StringTable strings;
  private final List<RawSpan> pool = new ArrayList<>();
  private byte[] buf;
  private int spans;
  private int resources;
  private int[] resourceOff = new int[4];
  private int[] resourceLen = new int[4];
  private String[] scopeName = new String[4];
  private int[] firstSpan = new int[4];
  private long[] sortedIds = new long[256];

  /** @param strings where names, keys and values are turned into shared Strings */
  public TraceReader(StringTable strings) {
    this.strings = strings;
  }

  /**
   * Reads a request. Afterwards {@link #resourceCount} resources hold the spans in request order.
   *
   * @throws OtlpDecodeException when the bytes are not a well-formed request
   */
  public TraceReader read(byte[] body) throws OtlpDecodeException {
    // A huge request's spans are let go when the next one comes, not kept for ever.
    if (pool.size() > MAX_POOLED_SPANS) {
      pool.subList(MAX_POOLED_SPANS, pool.size()).clear();
    }
    buf = body;
    spans = 0;
    resources = 0;
    try {
      CodedInputStream in = CodedInputStream.newInstance(body);
      in.setSizeLimit(Integer.MAX_VALUE);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == TAG_RESOURCE_SPANS) {
          int limit = in.pushLimit(in.readRawVarint32());
          readResourceSpans(in);
          in.popLimit(limit);
        } else {
          skip(in, tag);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new OtlpDecodeException("invalid OTLP protobuf ExportTraceServiceRequest: " + e.getMessage(), e);
    }
    return this;
  }

  /** Resource batches in the request. */
  public int resourceCount() {
    return resources;
  }

  /** Offset in the body of resource {@code r}'s {@code Resource} message (length 0 when it has none). */
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

  /** The span ids of resource {@code r}, sorted, in a buffer the reader reuses; its first {@code endSpan - firstSpan} are valid. */
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

  private void readResourceSpans(CodedInputStream in) throws IOException {
    if (resources == resourceOff.length) {
      int n = resources * 2;
      resourceOff = Arrays.copyOf(resourceOff, n);
      resourceLen = Arrays.copyOf(resourceLen, n);
      scopeName = Arrays.copyOf(scopeName, n);
      firstSpan = Arrays.copyOf(firstSpan, n);
    }
    int r = resources++;
    resourceOff[r] = 0;
    resourceLen[r] = 0;
    scopeName[r] = null;
    firstSpan[r] = spans;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == TAG_RESOURCE) {
        int len = in.readRawVarint32();
        // The last occurrence wins, as protobuf merges; a resource repeated in pieces is not worth merging here.
        resourceOff[r] = in.getTotalBytesRead();
        resourceLen[r] = len;
        in.skipRawBytes(len);
      } else if (tag == TAG_SCOPE_SPANS) {
        int limit = in.pushLimit(in.readRawVarint32());
        readScopeSpans(in, r);
        in.popLimit(limit);
      } else {
        skip(in, tag);
      }
    }
    if (scopeName[r] == null) {
      scopeName[r] = "";
    }
  }

  private void readScopeSpans(CodedInputStream in, int r) throws IOException {
    boolean first = scopeName[r] == null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == TAG_SCOPE) {
        int limit = in.pushLimit(in.readRawVarint32());
        String name = "";
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
          if (t == TAG_NAME) {
            name = string(in);
          } else {
            skip(in, t);
          }
        }
        in.popLimit(limit);
        if (first) {
          scopeName[r] = name;
        }
      } else if (tag == TAG_SPANS) {
        int limit = in.pushLimit(in.readRawVarint32());
        RawSpan s = next();
        readSpan(in, buf, s, strings);
        in.popLimit(limit);
      } else {
        skip(in, tag);
      }
    }
    if (first && scopeName[r] == null) {
      scopeName[r] = "";
    }
  }

  private RawSpan next() {
    RawSpan s;
    if (spans < pool.size()) {
      s = pool.get(spans);
    } else {
      s = new RawSpan();
      pool.add(s);
    }
    spans++;
    s.reset(buf, strings);
    return s;
  }

  /** Reads the fields of one {@code Span} message up to the current limit. */
  static void readSpan(CodedInputStream in, byte[] buf, RawSpan s, StringTable strings) throws IOException {
    s.reset(buf, strings);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: { // trace_id
          int len = in.readRawVarint32();
          int off = in.getTotalBytesRead();
          in.skipRawBytes(len);
          s.traceIdLength = len;
          s.traceIdHigh = len == 16 ? readLong(buf, off) : 0;
          s.traceIdLow = len == 16 ? readLong(buf, off + 8) : 0;
          break;
        }
        case (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: { // span_id
          int len = in.readRawVarint32();
          int off = in.getTotalBytesRead();
          in.skipRawBytes(len);
          s.spanIdLength = len;
          s.spanId = len == 8 ? readLong(buf, off) : 0;
          break;
        }
        case (3 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: { // trace_state
          s.traceStateLen = in.readRawVarint32();
          s.traceStateOff = in.getTotalBytesRead();
          in.skipRawBytes(s.traceStateLen);
          break;
        }
        case (4 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: { // parent_span_id
          int len = in.readRawVarint32();
          int off = in.getTotalBytesRead();
          in.skipRawBytes(len);
          s.parentSpanIdLength = len;
          s.parentSpanId = len == 8 ? readLong(buf, off) : 0;
          break;
        }
        case (5 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: // name
          s.name = string(in, buf, strings);
          break;
        case (6 << 3) | WireFormat.WIRETYPE_VARINT: // kind
          s.kind = in.readEnum();
          break;
        case (7 << 3) | WireFormat.WIRETYPE_FIXED64: // start_time_unix_nano
          s.startNanos = in.readFixed64();
          break;
        case (8 << 3) | WireFormat.WIRETYPE_FIXED64: // end_time_unix_nano
          s.endNanos = in.readFixed64();
          break;
        case (9 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: { // attributes
          int limit = in.pushLimit(in.readRawVarint32());
          readKeyValue(in, buf, s, strings);
          in.popLimit(limit);
          break;
        }
        case (11 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: { // events: kept as bytes until a failure needs them
          int len = in.readRawVarint32();
          int off = in.getTotalBytesRead();
          in.skipRawBytes(len);
          s.addEvent(off, len);
          break;
        }
        case (15 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED: { // status
          int limit = in.pushLimit(in.readRawVarint32());
          for (int t = in.readTag(); t != 0; t = in.readTag()) {
            if (t == ((2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
              s.statusMessageLen = in.readRawVarint32();
              s.statusMessageOff = in.getTotalBytesRead();
              in.skipRawBytes(s.statusMessageLen);
            } else if (t == ((3 << 3) | WireFormat.WIRETYPE_VARINT)) {
              s.statusCode = in.readEnum();
            } else {
              skip(in, t);
            }
          }
          in.popLimit(limit);
          break;
        }
        case (16 << 3) | WireFormat.WIRETYPE_FIXED32: // flags
          s.flags = in.readFixed32();
          break;
        default:
          skip(in, tag);
          break;
      }
    }
  }

  private static void readKeyValue(CodedInputStream in, byte[] buf, RawSpan s, StringTable strings) throws IOException {
    String key = "";
    byte type = RawSpan.NONE;
    long number = 0;
    int off = 0;
    int len = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == ((1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        key = string(in, buf, strings);
      } else if (tag == ((2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        int limit = in.pushLimit(in.readRawVarint32());
        // AnyValue is a oneof: the last value on the wire wins, and an empty one holds nothing.
        type = RawSpan.NONE;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
          switch (t) {
            case (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED:
              len = in.readRawVarint32();
              off = in.getTotalBytesRead();
              in.skipRawBytes(len);
              type = RawSpan.STRING;
              break;
            case (2 << 3) | WireFormat.WIRETYPE_VARINT:
              number = in.readBool() ? 1 : 0;
              type = RawSpan.BOOL;
              break;
            case (3 << 3) | WireFormat.WIRETYPE_VARINT:
              number = in.readInt64();
              type = RawSpan.INT;
              break;
            case (4 << 3) | WireFormat.WIRETYPE_FIXED64:
              number = in.readRawLittleEndian64();
              type = RawSpan.DOUBLE;
              break;
            case (5 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED:
            case (6 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED:
            case (7 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED:
              in.skipRawBytes(in.readRawVarint32());
              type = RawSpan.STRUCTURED;
              break;
            default:
              skip(in, t);
              break;
          }
        }
        in.popLimit(limit);
      } else {
        skip(in, tag);
      }
    }
    s.addAttribute(key, type, number, off, len);
  }

  private String string(CodedInputStream in) throws IOException {
    return string(in, buf, strings);
  }

  private static String string(CodedInputStream in, byte[] buf, StringTable strings) throws IOException {
    int len = in.readRawVarint32();
    int off = in.getTotalBytesRead();
    in.skipRawBytes(len);
    return strings.get(buf, off, len);
  }

  private static void skip(CodedInputStream in, int tag) throws IOException {
    if (!in.skipField(tag)) {
      throw new IOException("unexpected end-group tag " + tag);
    }
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
