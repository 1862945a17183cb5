package dev.seam.collector.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.seam.collector.model.Ids;
import dev.seam.collector.testing.Otlp;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seam's span reader against protobuf's generated parser, the reference: on random SDK-shaped
 * requests and on mutants of them, whatever the generated parser accepts the reader must read to
 * the same values.
 *
 * <p>Longer than most test classes: one case per field and wire-format edge of the trace reader.
 */
class TraceReaderTest {

  private static final String[] KEYS = {
    "http.request.method",
    "http.response.status_code",
    "http.route",
    "url.full",
    "server.address",
    "rpc.system",
    "rpc.service",
    "rpc.method",
    "rpc.grpc.status_code",
    "error.type",
    "peer.service",
    "thread.id",
    "busy_ns",
    "seam.allocated_bytes",
    "otel.kind",
    "x"
  };

  private static AnyValue randomValue(Random r) {
    switch (r.nextInt(8)) {
      case 0:
        return AnyValue.newBuilder().setStringValue(randomString(r)).build();
      case 1:
        return AnyValue.newBuilder().setIntValue(r.nextLong() >> r.nextInt(64)).build();
      case 2:
        return AnyValue.newBuilder().setBoolValue(r.nextBoolean()).build();
      case 3:
        return AnyValue.newBuilder()
            .setDoubleValue(r.nextInt(3) == 0 ? Double.NaN : r.nextDouble() * 1000)
            .build();
      case 4:
        return AnyValue.newBuilder()
            .setArrayValue(
                ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue("a")))
            .build();
      case 5:
        return AnyValue.newBuilder()
            .setKvlistValue(KeyValueList.newBuilder().addValues(Otlp.attr("k", 1)))
            .build();
      case 6:
        return AnyValue.newBuilder()
            .setBytesValue(ByteString.copyFrom(new byte[] {1, 2, 3}))
            .build();
      default:
        return AnyValue.newBuilder().setStringValue(" " + r.nextInt(600) + " ").build();
    }
  }

  private static String randomString(Random r) {
    String[] pool = {
      "",
      "GET",
      "/price/{id}",
      "pricing",
      "status: Unavailable",
      "ünïcödé ✓",
      "a".repeat(200),
      "ot=th:8",
      "dd=s:1,ot=th:c"
    };
    return r.nextInt(4) == 0 ? "v" + r.nextInt(1000) : pool[r.nextInt(pool.length)];
  }

  private static ByteString randomId(Random r, int usualLength) {
    int len = r.nextInt(20) == 0 ? r.nextInt(20) : usualLength;
    byte[] b = new byte[len];
    if (r.nextInt(30) != 0) {
      r.nextBytes(b);
    }
    return ByteString.copyFrom(b);
  }

  static ExportTraceServiceRequest randomRequest(Random r) {
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    for (int res = 0, nres = 1 + r.nextInt(3); res < nres; res++) {
      ResourceSpans.Builder rs = ResourceSpans.newBuilder();
      if (r.nextInt(5) != 0) {
        rs.setResource(
            Otlp.resource(
                "svc" + r.nextInt(3),
                r.nextBoolean() ? "go" : "rust",
                Otlp.attr("host.name", "h" + r.nextInt(2))));
      }
      for (int sc = 0, nsc = r.nextInt(3); sc < nsc; sc++) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        if (r.nextBoolean()) {
          ss.setScope(
              InstrumentationScope.newBuilder()
                  .setName("scope" + sc)
                  .setVersion("1.0")
                  .addAttributes(Otlp.attr("a", "b")));
        }
        for (int i = 0, n = r.nextInt(6); i < n; i++) {
          Span.Builder s =
              Span.newBuilder()
                  .setTraceId(randomId(r, 16))
                  .setSpanId(randomId(r, 8))
                  .setParentSpanId(r.nextBoolean() ? ByteString.EMPTY : randomId(r, 8))
                  .setName(randomString(r))
                  .setKindValue(r.nextInt(7))
                  .setFlags(r.nextInt(0x400))
                  .setStartTimeUnixNano(r.nextLong())
                  .setEndTimeUnixNano(r.nextLong());
          if (r.nextBoolean()) {
            s.setTraceState(randomString(r));
          }
          for (int a = 0, na = r.nextInt(12); a < na; a++) {
            s.addAttributes(
                KeyValue.newBuilder()
                    .setKey(KEYS[r.nextInt(KEYS.length)])
                    .setValue(randomValue(r)));
          }
          if (r.nextInt(3) == 0) {
            s.setStatus(Status.newBuilder().setCodeValue(r.nextInt(3)).setMessage(randomString(r)));
          }
          for (int e = 0, ne = r.nextInt(3); e < ne; e++) {
            s.addEvents(
                Span.Event.newBuilder()
                    .setName(r.nextBoolean() ? "exception" : "log")
                    .setTimeUnixNano(r.nextLong())
                    .addAttributes(Otlp.attr("exception.type", randomString(r))));
          }
          if (r.nextInt(4) == 0) {
            s.addLinks(
                Span.Link.newBuilder().setTraceId(randomId(r, 16)).setSpanId(randomId(r, 8)));
          }
          ss.addSpans(s);
        }
        rs.addScopeSpans(ss);
      }
      req.addResourceSpans(rs);
    }
    return req.build();
  }

  /** Asserts that what the reader read is what the generated parser parsed. */
  static void assertSameAs(ExportTraceServiceRequest expected, TraceReader read, byte[] body) {
    assertEquals(expected.getResourceSpansCount(), read.resourceCount());
    int spans = 0;
    for (int res = 0; res < read.resourceCount(); res++) {
      ResourceSpans rs = expected.getResourceSpans(res);
      byte[] resource =
          Arrays.copyOfRange(
              read.resourceBytes(res),
              read.resourceOffset(res),
              read.resourceOffset(res) + read.resourceLength(res));
      try {
        assertEquals(rs.getResource(), Resource.parseFrom(resource));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      assertEquals(
          rs.getScopeSpansCount() > 0 ? rs.getScopeSpans(0).getScope().getName() : "",
          read.firstScopeName(res));
      assertEquals(spans, read.firstSpan(res));
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span want : ss.getSpansList()) {
          assertSameSpan(want, read.span(spans++));
        }
      }
      assertEquals(spans, read.endSpan(res));
    }
  }

  private static void assertSameSpan(Span want, RawSpan got) {
    assertEquals(want.getTraceId().size(), got.traceIdLength());
    assertEquals(want.getSpanId().size(), got.spanIdLength());
    assertEquals(want.getParentSpanId().size(), got.parentSpanIdLength());
    if (want.getTraceId().size() == 16) {
      assertEquals(Ids.readLong(want.getTraceId(), 0), got.traceIdHigh());
      assertEquals(Ids.readLong(want.getTraceId(), 8), got.traceIdLow());
    }
    if (want.getSpanId().size() == 8) {
      assertEquals(Ids.readLong(want.getSpanId(), 0), got.spanId());
    }
    if (want.getParentSpanId().size() == 8) {
      assertEquals(Ids.readLong(want.getParentSpanId(), 0), got.parentSpanId());
    }
    assertEquals(want.getName(), got.name());
    assertEquals(want.getKindValue(), got.kind());
    assertEquals(want.getFlags(), got.flags());
    assertEquals(want.getStartTimeUnixNano(), got.startNanos());
    assertEquals(want.getEndTimeUnixNano(), got.endNanos());
    assertEquals(want.getTraceState(), got.traceState());
    assertEquals(want.getStatus().getCodeValue(), got.statusCode());
    assertEquals(want.getStatus().getMessage(), got.statusMessage());
    assertEquals(want.getAttributesCount(), got.attributeCount());
    for (int i = 0; i < want.getAttributesCount(); i++) {
      KeyValue kv = want.getAttributes(i);
      assertEquals(kv.getKey(), got.key(i));
      AnyValue v = kv.getValue();
      String s =
          switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            default -> null;
          };
      assertEquals(s, got.stringValue(i), kv.getKey());
      long n =
          switch (v.getValueCase()) {
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE ->
                Double.isFinite(v.getDoubleValue()) ? (long) v.getDoubleValue() : RawSpan.ABSENT;
            case STRING_VALUE -> parse(v.getStringValue());
            default -> RawSpan.ABSENT;
          };
      assertEquals(n, got.integerValue(i), kv.getKey());
    }
    assertEquals(want.getEventsCount(), got.eventCount());
    for (int i = 0; i < want.getEventsCount(); i++) {
      assertEquals(want.getEvents(i), got.event(i));
    }
    // Links with well-formed ids are kept in order; the others are dropped.
    int link = 0;
    for (Span.Link l : want.getLinksList()) {
      if (l.getTraceId().size() != 16
          || l.getSpanId().size() != 8
          || (Ids.readLong(l.getTraceId(), 0) | Ids.readLong(l.getTraceId(), 8)) == 0
          || Ids.readLong(l.getSpanId(), 0) == 0) {
        continue;
      }
      assertEquals(Ids.readLong(l.getTraceId(), 0), got.linkTraceIdHigh(link));
      assertEquals(Ids.readLong(l.getTraceId(), 8), got.linkTraceIdLow(link));
      assertEquals(Ids.readLong(l.getSpanId(), 0), got.linkSpanId(link));
      link++;
    }
    assertEquals(link, got.linkCount());
  }

  private static long parse(String s) {
    String t = s.trim();
    if (t.isEmpty() || t.length() > 19) {
      return RawSpan.ABSENT;
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      return RawSpan.ABSENT;
    }
  }

  @Test
  void readsWhatTheGeneratedParserParses() throws Exception {
    Random r = new Random(11);
    TraceReader reader = new TraceReader(new StringTable(64));
    for (int i = 0; i < 3_000; i++) {
      ExportTraceServiceRequest req = randomRequest(r);
      byte[] body = req.toByteArray();
      assertSameAs(req, reader.read(body), body);
    }
  }

  @Test
  void mutantsTheGeneratedParserAcceptsReadTheSame() {
    Random r = new Random(5);
    TraceReader reader = new TraceReader(new StringTable(64));
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] body = randomRequest(r).toByteArray();
      if (body.length == 0) {
        continue;
      }
      for (int m = 0, n = 1 + r.nextInt(3); m < n; m++) {
        int at = r.nextInt(body.length);
        body[at] =
            r.nextBoolean() ? (byte) (body[at] ^ (1 << r.nextInt(8))) : (byte) r.nextInt(256);
      }
      ExportTraceServiceRequest expected;
      try {
        expected = ExportTraceServiceRequest.parseFrom(body);
      } catch (IOException e) {
        // Refused by the reference; the reader may refuse too or (skipped fields, UTF-8) read it.
        refused++;
        try {
          reader.read(body);
        } catch (OtlpDecodeException fine) {
          // refused alike
        }
        continue;
      }
      accepted++;
      try {
        assertSameAs(expected, reader.read(body), body);
      } catch (OtlpDecodeException e) {
        throw new AssertionError(
            "the generated parser accepts mutant "
                + i
                + " but the reader refused it: "
                + e.getMessage());
      }
    }
    assertTrue(
        accepted > 1_000 && refused > 1_000, accepted + " accepted, " + refused + " refused");
  }

  @Test
  void truncatedAndMalformedRequestsAreRefusedWhole() {
    TraceReader reader = new TraceReader(new StringTable(64));
    byte[] body = randomRequestWithSpans().toByteArray();
    for (int cut = 1; cut < body.length; cut++) {
      byte[] part = Arrays.copyOf(body, cut);
      boolean parses;
      try {
        ExportTraceServiceRequest.parseFrom(part);
        parses = true;
      } catch (IOException e) {
        parses = false;
      }
      if (!parses) {
        assertThrows(OtlpDecodeException.class, () -> reader.read(part), "cut at " + cut);
      }
    }
    OtlpDecodeException e =
        assertThrows(
            OtlpDecodeException.class,
            () -> reader.read(new byte[] {0x0a, (byte) 0xff, (byte) 0xff, 0x7f}));
    assertTrue(
        e.getMessage().startsWith("invalid OTLP protobuf ExportTraceServiceRequest: "),
        e.getMessage());
  }

  private static ExportTraceServiceRequest randomRequestWithSpans() {
    Random r = new Random(3);
    ExportTraceServiceRequest req;
    do {
      req = randomRequest(r);
    } while (req.getSerializedSize() < 300);
    return req;
  }

  @Test
  void invalidUtf8IsReadWithReplacementCharactersInsteadOfLosingTheRequest() throws Exception {
    // Go strings are bytes: an SDK can send a span name that is not UTF-8. The generated parser
    // refuses the whole request for it; Seam reads it, as U+FFFD, and keeps every other span.
    Span span =
        Otlp.span(
                "5b8efff798038103d269b633813fc60c",
                "eee19b7ec3c1b173",
                "",
                Span.SpanKind.SPAN_KIND_CLIENT,
                Otlp.T0,
                5)
            .setName("PLACEHOLDER")
            .build();
    byte[] body =
        Otlp.traces(Otlp.resourceSpans(Otlp.resource("g", "go"), span.toBuilder())).toByteArray();
    int at = indexOf(body, "PLACEHOLDER".getBytes(StandardCharsets.US_ASCII));
    body[at] = (byte) 0xc3; // a lead byte followed by ASCII: malformed
    assertThrows(IOException.class, () -> ExportTraceServiceRequest.parseFrom(body));
    RawSpan got = new TraceReader(new StringTable(64)).read(body).span(0);
    assertEquals("\uFFFDLACEHOLDER", got.name());
  }

  @Test
  void lastValueOfAOneofWinsAndAKnownFieldOfAnotherWireTypeIsSkipped() throws Exception {
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    CodedOutputStream v = CodedOutputStream.newInstance(value);
    v.writeString(1, "first");
    v.writeInt64(3, 42);
    v.flush();
    ByteArrayOutputStream span = new ByteArrayOutputStream();
    CodedOutputStream s = CodedOutputStream.newInstance(span);
    s.writeBytes(1, Otlp.id("5b8efff798038103d269b633813fc60c"));
    s.writeBytes(2, Otlp.id("eee19b7ec3c1b173"));
    s.writeUInt64(5, 7); // name as a varint: not a name
    s.writeString(5, "real-name");
    ByteArrayOutputStream kv = new ByteArrayOutputStream();
    CodedOutputStream k = CodedOutputStream.newInstance(kv);
    k.writeString(1, "n");
    k.writeBytes(2, ByteString.copyFrom(value.toByteArray()));
    k.flush();
    s.writeBytes(9, ByteString.copyFrom(kv.toByteArray()));
    s.flush();
    byte[] body =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(
                        ScopeSpans.newBuilder().addSpans(Span.parseFrom(span.toByteArray()))))
            .build()
            .toByteArray();
    ExportTraceServiceRequest expected = ExportTraceServiceRequest.parseFrom(body);
    TraceReader reader = new TraceReader(new StringTable(64)).read(body);
    assertSameAs(expected, reader, body);
    assertEquals("real-name", reader.span(0).name());
    assertEquals(42, reader.span(0).integerValue(0));
  }

  @Test
  void aRequestWithoutResourceOrScopeReadsAsEmpty() throws Exception {
    byte[] body =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder())
            .build()
            .toByteArray();
    TraceReader reader = new TraceReader(new StringTable(64)).read(body);
    assertEquals(1, reader.resourceCount());
    assertEquals(0, reader.resourceLength(0));
    assertEquals("", reader.firstScopeName(0));
    assertEquals(0, reader.endSpan(0));
    assertEquals(0, new TraceReader(new StringTable(64)).read(new byte[0]).resourceCount());
  }

  @Test
  void aLargeRequestReadsWholeAndTheReaderStaysSmallAfterwards() throws Exception {
    List<Span.Builder> spans = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      spans.add(
          Otlp.span(
              "5b8efff798038103d269b633813fc60c",
              String.format("%016x", i + 1),
              "",
              Span.SpanKind.SPAN_KIND_INTERNAL,
              Otlp.T0,
              1));
    }
    byte[] body =
        Otlp.traces(
                Otlp.resourceSpans(Otlp.resource("g", "go"), spans.toArray(Span.Builder[]::new)))
            .toByteArray();
    TraceReader reader = new TraceReader(new StringTable(64));
    reader.read(body);
    assertEquals(20_000, reader.endSpan(0));
    assertEquals(20_000, reader.span(19_999).spanId());
    long[] ids = reader.sortedSpanIds(0);
    for (int i = 0; i < 20_000; i++) {
      assertEquals(i + 1, ids[i]);
    }
    byte[] small =
        Otlp.traces(Otlp.resourceSpans(Otlp.resource("g", "go"), spans.get(0))).toByteArray();
    assertEquals(1, reader.read(small).endSpan(0));
  }

  @Test
  void theStringTableSharesOneStringPerValueAndNeverMixesValuesUp() {
    StringTable table = new StringTable(16);
    byte[] a = "http.request.method".getBytes(StandardCharsets.UTF_8);
    String first = table.get(a, 0, a.length);
    assertSame(first, table.get(a.clone(), 0, a.length));
    Random r = new Random(1);
    for (int i = 0; i < 50_000; i++) {
      String s =
          "k" + r.nextInt(200) + (r.nextBoolean() ? "-middle-" + r.nextInt(50) + "-end" : "");
      byte[] b = ("__" + s + "__").getBytes(StandardCharsets.UTF_8);
      assertEquals(s, table.get(b, 2, b.length - 4));
    }
    byte[] longer = "x".repeat(StringTable.MAX_CACHED_BYTES + 1).getBytes(StandardCharsets.UTF_8);
    assertEquals("x".repeat(StringTable.MAX_CACHED_BYTES + 1), table.get(longer, 0, longer.length));
    assertEquals("", table.get(longer, 3, 0));
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
