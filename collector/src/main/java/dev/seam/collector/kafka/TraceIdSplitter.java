package dev.seam.collector.kafka;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts an encoded OTLP export request into the Kafka records the OpenTelemetry Collector's kafka
 * exporter writes for it with {@code partition_traces_by_id} ({@link #SPANS}) or {@code
 * partition_logs_by_trace_id} ({@link #LOGS}): one request per resource, scope and trace id, in the
 * order each first appears, keeping the resource and the scope (and their schema URLs), keyed by
 * the trace id as 32 lowercase hex digits in ASCII. A trace id present in two scopes or two
 * resources makes two records with the same key, as in the Collector.
 *
 * <p>It works on the wire format and copies the items' bytes as they came, without decoding or
 * re-encoding them; unknown fields outside the items are dropped, as the Collector drops them.
 * Scopes and resources without items make no record. A trace id that is absent, all zeros or not 16
 * bytes long counts as no trace id.
 */
public final class TraceIdSplitter {

  /**
   * {@code ExportTraceServiceRequest}: spans without a trace id share one record per scope with the
   * empty key (not a missing key), as the Collector writes them.
   */
  public static final TraceIdSplitter SPANS = new TraceIdSplitter(1, new byte[0]);

  /**
   * {@code ExportLogsServiceRequest}: log records without a trace id share one record per scope
   * without a key, as the Collector writes them (its partitioner then picks any partition).
   */
  public static final TraceIdSplitter LOGS = new TraceIdSplitter(9, null);

  private static final int LENGTH_DELIMITED = 2;

  /**
   * resource_spans / resource_logs in the request; resource in ResourceSpans; scope in ScopeSpans.
   */
  private static final int FIELD_1 = 1 << 3 | LENGTH_DELIMITED;

  /** scope_spans / scope_logs in a ResourceSpans; spans / log_records in a ScopeSpans. */
  private static final int FIELD_2 = 2 << 3 | LENGTH_DELIMITED;

  /** schema_url in ResourceSpans and ScopeSpans. */
  private static final int FIELD_3 = 3 << 3 | LENGTH_DELIMITED;

  /** Scopes with more trace ids than this find their group through a hash map. */
  private static final int LINEAR_GROUPS = 8;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final int traceIdTag;
  private final byte[] keyWithoutTraceId;

  private TraceIdSplitter(int traceIdField, byte[] keyWithoutTraceId) {
    this.traceIdTag = traceIdField << 3 | LENGTH_DELIMITED;
    this.keyWithoutTraceId = keyWithoutTraceId;
  }

  /** The records for {@code request}, an encoded export request of this splitter's signal. */
  public List<KeyedRecord> split(byte[] request) throws InvalidProtocolBufferException {
    List<KeyedRecord> out = new ArrayList<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(request);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == FIELD_1) {
          int len = in.readRawVarint32();
          int start = in.getTotalBytesRead();
          in.skipRawBytes(len);
          resource(request, start, len, out);
        } else {
          skip(in, tag);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      // A CodedInputStream over an array throws nothing else; kept for the signature.
      throw new InvalidProtocolBufferException(e);
    }
    return out;
  }

  /** The records for {@code request}, an export request message of this splitter's signal. */
  public List<KeyedRecord> split(MessageLite request) throws InvalidProtocolBufferException {
    return split(request.toByteArray());
  }

  /** One ResourceSpans / ResourceLogs at {@code [start, start + len)}. */
  private void resource(byte[] b, int start, int len, List<KeyedRecord> out) throws IOException {
    Ranges header = new Ranges();
    Ranges scopes = new Ranges();
    CodedInputStream in = CodedInputStream.newInstance(b, start, len);
    for (int at = start, tag = in.readTag();
        tag != 0;
        at = start + in.getTotalBytesRead(), tag = in.readTag()) {
      if (tag == FIELD_2) {
        int n = in.readRawVarint32();
        int from = start + in.getTotalBytesRead();
        in.skipRawBytes(n);
        scopes.add(from, from + n);
      } else {
        skip(in, tag);
        if (tag == FIELD_1 || tag == FIELD_3) {
          header.add(at, start + in.getTotalBytesRead());
        }
      }
    }
    for (int i = 0; i < scopes.size(); i++) {
      scope(b, scopes.start(i), scopes.end(i), header, out);
    }
  }

  /**
   * One ScopeSpans / ScopeLogs at {@code [start, end)}, under a resource with {@code
   * resourceHeader}.
   */
  private void scope(byte[] b, int start, int end, Ranges resourceHeader, List<KeyedRecord> out)
      throws IOException {
    Ranges header = new Ranges();
    List<Group> groups = new ArrayList<>();
    Map<TraceId, Group> index = null;
    Group withoutTraceId = null;
    CodedInputStream in = CodedInputStream.newInstance(b, start, end - start);
    for (int at = start, tag = in.readTag();
        tag != 0;
        at = start + in.getTotalBytesRead(), tag = in.readTag()) {
      if (tag != FIELD_2) {
        skip(in, tag);
        if (tag == FIELD_1 || tag == FIELD_3) {
          header.add(at, start + in.getTotalBytesRead());
        }
        continue;
      }
      int n = in.readRawVarint32();
      int from = start + in.getTotalBytesRead();
      in.skipRawBytes(n);
      int itemEnd = from + n;
      int id = traceIdOffset(b, from, n);
      Group g;
      if (id < 0) {
        if (withoutTraceId == null) {
          withoutTraceId = new Group(0, 0, false);
          groups.add(withoutTraceId);
        }
        g = withoutTraceId;
      } else {
        long high = readLong(b, id);
        long low = readLong(b, id + 8);
        g = null;
        if (index != null) {
          g = index.get(new TraceId(high, low));
        } else {
          for (Group c : groups) {
            if (c.hasTraceId && c.high == high && c.low == low) {
              g = c;
              break;
            }
          }
        }
        if (g == null) {
          g = new Group(high, low, true);
          groups.add(g);
          if (index != null) {
            index.put(new TraceId(high, low), g);
          } else if (groups.size() > LINEAR_GROUPS) {
            index = new HashMap<>();
            for (Group c : groups) {
              if (c.hasTraceId) {
                index.put(new TraceId(c.high, c.low), c);
              }
            }
          }
        }
      }
      g.items.add(at, itemEnd);
    }
    for (Group g : groups) {
      out.add(
          new KeyedRecord(
              g.hasTraceId ? hexKey(g.high, g.low) : keyWithoutTraceId,
              encode(b, resourceHeader, header, g.items)));
    }
  }

  /**
   * Where the 16 bytes of the item's trace id start (its last occurrence, as protobuf reads it), or
   * -1 when it has none, an all-zero one or one of another length.
   */
  private int traceIdOffset(byte[] b, int start, int len) throws IOException {
    int found = -1;
    CodedInputStream in = CodedInputStream.newInstance(b, start, len);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == traceIdTag) {
        int n = in.readRawVarint32();
        int from = start + in.getTotalBytesRead();
        in.skipRawBytes(n);
        found = n == 16 && (readLong(b, from) | readLong(b, from + 8)) != 0 ? from : -1;
      } else {
        skip(in, tag);
      }
    }
    return found;
  }

  /**
   * Skips the field of {@code tag}; an end-group tag outside a group is malformed, as protobuf
   * says.
   */
  private static void skip(CodedInputStream in, int tag) throws IOException {
    if (!in.skipField(tag)) {
      throw new InvalidProtocolBufferException(
          "Protocol message end-group tag did not match expected tag.");
    }
  }

  /**
   * One export request: one resource (its header fields), one scope (its header fields), the items.
   */
  private static byte[] encode(byte[] b, Ranges resourceHeader, Ranges scopeHeader, Ranges items) {
    int scopeLen = scopeHeader.bytes() + items.bytes();
    int resourceLen = resourceHeader.bytes() + 1 + varintSize(scopeLen) + scopeLen;
    byte[] v = new byte[1 + varintSize(resourceLen) + resourceLen];
    int p = 0;
    v[p++] = FIELD_1;
    p = writeVarint(v, p, resourceLen);
    p = resourceHeader.copy(b, v, p);
    v[p++] = FIELD_2;
    p = writeVarint(v, p, scopeLen);
    p = scopeHeader.copy(b, v, p);
    items.copy(b, v, p);
    return v;
  }

  private static byte[] hexKey(long high, long low) {
    return hexKey(high, low, new byte[32]);
  }

  /**
   * Writes the key of the trace id {@code high}:{@code low} (32 lowercase hex digits) into {@code
   * k}.
   */
  static byte[] hexKey(long high, long low, byte[] k) {
    for (int i = 15; i >= 0; i--) {
      k[i] = HEX[(int) (high & 0xf)];
      k[16 + i] = HEX[(int) (low & 0xf)];
      high >>>= 4;
      low >>>= 4;
    }
    return k;
  }

  private static long readLong(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xffL);
    }
    return v;
  }

  private static int varintSize(int v) {
    return v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5;
  }

  private static int writeVarint(byte[] out, int p, int v) {
    while ((v & ~0x7f) != 0) {
      out[p++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out[p++] = (byte) v;
    return p;
  }

  /** The items of one trace id in one scope. */
  private static final class Group {
    final long high;
    final long low;
    final boolean hasTraceId;
    final Ranges items = new Ranges();

    Group(long high, long low, boolean hasTraceId) {
      this.high = high;
      this.low = low;
      this.hasTraceId = hasTraceId;
    }
  }

  private record TraceId(long high, long low) {}

  /** Byte ranges {@code [start, end)} of the request, in order. */
  private static final class Ranges {
    private int[] bounds = new int[8];
    private int size;
    private int bytes;

    void add(int start, int end) {
      if (2 * size + 2 > bounds.length) {
        bounds = Arrays.copyOf(bounds, bounds.length * 2);
      }
      bounds[2 * size] = start;
      bounds[2 * size + 1] = end;
      size++;
      bytes += end - start;
    }

    int size() {
      return size;
    }

    int start(int i) {
      return bounds[2 * i];
    }

    int end(int i) {
      return bounds[2 * i + 1];
    }

    int bytes() {
      return bytes;
    }

    /**
     * Copies every range of {@code from} to {@code to} at {@code p}; returns the position after.
     */
    int copy(byte[] from, byte[] to, int p) {
      for (int i = 0; i < size; i++) {
        int n = end(i) - start(i);
        System.arraycopy(from, start(i), to, p, n);
        p += n;
      }
      return p;
    }
  }
}
