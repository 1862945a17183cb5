package dev.seam.collector.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.seam.collector.testing.Otlp;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceIdSplitterTest {

  private static final String A = "0af7651916cd43dd8448eb211c80319c";
  private static final String B = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String C = "5b8efff798038103d269b633813fc60c";

  private static Span.Builder span(String trace, int n) {
    return Otlp.span(
        trace,
        String.format("%016x", 0x1000 + n),
        "",
        SpanKind.SPAN_KIND_INTERNAL,
        Otlp.T0 + n,
        1000);
  }

  private static ScopeSpans.Builder scope(String name, Span.Builder... spans) {
    ScopeSpans.Builder s =
        ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName(name).setVersion("1.0"))
            .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0");
    for (Span.Builder sp : spans) {
      s.addSpans(sp);
    }
    return s;
  }

  private static ResourceSpans.Builder resource(String service, ScopeSpans.Builder... scopes) {
    ResourceSpans.Builder r =
        ResourceSpans.newBuilder()
            .setResource(Otlp.resource(service, "go"))
            .setSchemaUrl("https://r/" + service);
    for (ScopeSpans.Builder s : scopes) {
      r.addScopeSpans(s);
    }
    return r;
  }

  /** The records as the Collector's SplitTraces groups them, built the plain way with messages. */
  private static List<KeyedRecord> reference(ExportTraceServiceRequest request) {
    List<KeyedRecord> out = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        Map<String, List<Span>> groups = new LinkedHashMap<>();
        for (Span s : ss.getSpansList()) {
          groups.computeIfAbsent(keyOf(s.getTraceId()), k -> new ArrayList<>()).add(s);
        }
        for (Map.Entry<String, List<Span>> g : groups.entrySet()) {
          ResourceSpans.Builder r = ResourceSpans.newBuilder().setSchemaUrl(rs.getSchemaUrl());
          if (rs.hasResource()) {
            r.setResource(rs.getResource());
          }
          ScopeSpans.Builder sc =
              ScopeSpans.newBuilder().setSchemaUrl(ss.getSchemaUrl()).addAllSpans(g.getValue());
          if (ss.hasScope()) {
            sc.setScope(ss.getScope());
          }
          out.add(
              new KeyedRecord(
                  g.getKey().getBytes(StandardCharsets.US_ASCII),
                  ExportTraceServiceRequest.newBuilder()
                      .addResourceSpans(r.addScopeSpans(sc))
                      .build()
                      .toByteArray()));
        }
      }
    }
    return out;
  }

  private static String keyOf(ByteString traceId) {
    boolean valid = traceId.size() == 16 && !traceId.equals(ByteString.copyFrom(new byte[16]));
    return valid ? HexFormat.of().formatHex(traceId.toByteArray()) : "";
  }

  /**
   * Splits and checks every record against the reference: same keys, same decoded requests, same
   * order.
   */
  private static List<KeyedRecord> splitAndCompare(ExportTraceServiceRequest request)
      throws Exception {
    List<KeyedRecord> got = TraceIdSplitter.SPANS.split(request);
    List<KeyedRecord> want = reference(request);
    assertEquals(want.size(), got.size(), "records");
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i).key(), got.get(i).key(), "key of record " + i);
      assertEquals(
          ExportTraceServiceRequest.parseFrom(want.get(i).value()),
          ExportTraceServiceRequest.parseFrom(got.get(i).value()),
          "record " + i);
    }
    return got;
  }

  private static String key(KeyedRecord r) {
    return r.key() == null ? null : new String(r.key(), StandardCharsets.US_ASCII);
  }

  @Test
  void oneRecordPerTraceInFirstAppearanceOrderKeyedByLowercaseHex() throws Exception {
    ExportTraceServiceRequest req =
        Otlp.traces(
            resource(
                    "gateway",
                    scope("otelhttp", span(B, 1), span(A, 2), span(B, 3), span(C, 4), span(A, 5)))
                .build());
    List<KeyedRecord> got = splitAndCompare(req);
    assertEquals(List.of(B, A, C), got.stream().map(TraceIdSplitterTest::key).toList());
    ExportTraceServiceRequest first = ExportTraceServiceRequest.parseFrom(got.get(0).value());
    assertEquals(1, first.getResourceSpansCount());
    assertEquals(1, first.getResourceSpans(0).getScopeSpansCount());
    assertEquals("https://r/gateway", first.getResourceSpans(0).getSchemaUrl());
    assertEquals(Otlp.resource("gateway", "go"), first.getResourceSpans(0).getResource());
    ScopeSpans s = first.getResourceSpans(0).getScopeSpans(0);
    assertEquals("otelhttp", s.getScope().getName());
    assertEquals("https://opentelemetry.io/schemas/1.26.0", s.getSchemaUrl());
    assertEquals(List.of(span(B, 1).build(), span(B, 3).build()), s.getSpansList());
  }

  @Test
  void aTraceInTwoScopesOrTwoResourcesMakesOneRecordForEachWithTheSameKey() throws Exception {
    ExportTraceServiceRequest req =
        Otlp.traces(
            resource(
                    "gateway",
                    scope("otelhttp", span(A, 1), span(B, 2)),
                    scope("otelgrpc", span(A, 3)))
                .build(),
            resource("pricing", scope("tracing", span(A, 4), span(C, 5))).build());
    List<KeyedRecord> got = splitAndCompare(req);
    assertEquals(Arrays.asList(A, B, A, A, C), got.stream().map(TraceIdSplitterTest::key).toList());
  }

  @Test
  void spansWithoutAValidTraceIdShareOneRecordWithTheEmptyKey() throws Exception {
    Span.Builder none = span("", 1);
    Span.Builder zeros = span("00000000000000000000000000000000", 2);
    Span.Builder shortId = span("0102030405060708", 3);
    ExportTraceServiceRequest req =
        Otlp.traces(resource("gateway", scope("s", span(A, 0), none, zeros, shortId)).build());
    List<KeyedRecord> got = splitAndCompare(req);
    assertEquals(2, got.size());
    assertArrayEquals(new byte[0], got.get(1).key(), "the empty key, not a missing one");
    assertEquals(
        List.of(none.build(), zeros.build(), shortId.build()),
        ExportTraceServiceRequest.parseFrom(got.get(1).value())
            .getResourceSpans(0)
            .getScopeSpans(0)
            .getSpansList());
  }

  @Test
  void manyTracesInOneScopeAndLargeItemsKeepTheirOrderAndBytes() throws Exception {
    ScopeSpans.Builder s = scope("batch");
    for (int i = 0; i < 600; i++) {
      // 60 traces, interleaved; every tenth span carries a 20 KB attribute so lengths need 3-byte
      // varints.
      Span.Builder sp = span(String.format("%032x", 0xabc000L + (i * 7) % 60), i);
      if (i % 10 == 0) {
        sp.addAttributes(Otlp.attr("payload", "x".repeat(20_000)));
      }
      s.addSpans(sp);
    }
    ExportTraceServiceRequest req = Otlp.traces(resource("gateway", s).build());
    List<KeyedRecord> got = splitAndCompare(req);
    assertEquals(60, got.size());
    int spans = 0;
    for (KeyedRecord r : got) {
      ExportTraceServiceRequest one = ExportTraceServiceRequest.parseFrom(r.value());
      for (Span sp : one.getResourceSpans(0).getScopeSpans(0).getSpansList()) {
        assertEquals(key(r), HexFormat.of().formatHex(sp.getTraceId().toByteArray()));
        spans++;
      }
    }
    assertEquals(600, spans);
  }

  @Test
  void resourcesAndScopesWithoutSpansMakeNoRecordAndAbsentResourceOrScopeStaysAbsent()
      throws Exception {
    assertEquals(List.of(), TraceIdSplitter.SPANS.split(new byte[0]));
    ExportTraceServiceRequest req =
        Otlp.traces(
            resource("empty").build(),
            resource("gateway", scope("no-spans"), ScopeSpans.newBuilder().addSpans(span(A, 1)))
                .build(),
            ResourceSpans.newBuilder().addScopeSpans(scope("s", span(B, 2))).build());
    List<KeyedRecord> got = splitAndCompare(req);
    assertEquals(List.of(A, B), got.stream().map(TraceIdSplitterTest::key).toList());
    ResourceSpans first =
        ExportTraceServiceRequest.parseFrom(got.get(0).value()).getResourceSpans(0);
    assertFalse(first.getScopeSpans(0).hasScope());
    assertFalse(
        ExportTraceServiceRequest.parseFrom(got.get(1).value()).getResourceSpans(0).hasResource());
  }

  @Test
  void unknownFieldsAroundTheSpansAreDroppedAndInsideThemKept() throws Exception {
    UnknownFieldSet extra =
        UnknownFieldSet.newBuilder()
            .addField(
                77,
                UnknownFieldSet.Field.newBuilder()
                    .addVarint(5)
                    .addLengthDelimited(ByteString.copyFromUtf8("z"))
                    .build())
            .build();
    Span.Builder sp = span(A, 1).setUnknownFields(extra);
    ExportTraceServiceRequest req =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                resource("gateway", scope("s", sp).setUnknownFields(extra)).setUnknownFields(extra))
            .setUnknownFields(extra)
            .build();
    List<KeyedRecord> got = TraceIdSplitter.SPANS.split(req);
    assertEquals(1, got.size());
    ExportTraceServiceRequest one = ExportTraceServiceRequest.parseFrom(got.get(0).value());
    assertEquals(UnknownFieldSet.getDefaultInstance(), one.getUnknownFields());
    assertEquals(UnknownFieldSet.getDefaultInstance(), one.getResourceSpans(0).getUnknownFields());
    assertEquals(
        UnknownFieldSet.getDefaultInstance(),
        one.getResourceSpans(0).getScopeSpans(0).getUnknownFields());
    assertEquals(sp.build(), one.getResourceSpans(0).getScopeSpans(0).getSpans(0));
  }

  @Test
  void malformedRequestsAreRefusedAsProtobufWouldRefuseThem() {
    byte[] good =
        Otlp.traces(resource("gateway", scope("s", span(A, 1), span(B, 2))).build()).toByteArray();
    for (int cut : new int[] {1, 5, good.length / 2, good.length - 1}) {
      byte[] truncated = Arrays.copyOf(good, cut);
      assertThrows(
          InvalidProtocolBufferException.class,
          () -> ExportTraceServiceRequest.parseFrom(truncated));
      assertThrows(
          InvalidProtocolBufferException.class,
          () -> TraceIdSplitter.SPANS.split(truncated),
          "cut at " + cut);
    }
    byte[] strayEndGroup = {0x0c};
    assertThrows(
        InvalidProtocolBufferException.class, () -> TraceIdSplitter.SPANS.split(strayEndGroup));
  }

  @Test
  void logRecordsAreSplitOnTheirOwnTraceIdFieldAndThoseWithoutOneGetNoKey() throws Exception {
    LogRecord withA =
        LogRecord.newBuilder()
            .setTraceId(Otlp.id(A))
            .setSpanId(Otlp.id("b7ad6b7169203331"))
            .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
            .setBody(AnyValue.newBuilder().setStringValue("boom"))
            .build();
    LogRecord withoutId =
        LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("no context")).build();
    LogRecord withB = withA.toBuilder().setTraceId(Otlp.id(B)).build();
    LogRecord zeros = withoutId.toBuilder().setTraceId(ByteString.copyFrom(new byte[16])).build();
    Resource res = Otlp.resource("pricing", "rust");
    ExportLogsServiceRequest req =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .setResource(res)
                    .setSchemaUrl("https://r")
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .setScope(InstrumentationScope.newBuilder().setName("tracing"))
                            .addLogRecords(withoutId)
                            .addLogRecords(withA)
                            .addLogRecords(zeros)
                            .addLogRecords(withB)
                            .addLogRecords(withA)))
            .build();
    List<KeyedRecord> got = TraceIdSplitter.LOGS.split(req);
    assertEquals(3, got.size());
    assertNull(got.get(0).key());
    assertEquals(A, key(got.get(1)));
    assertEquals(B, key(got.get(2)));
    List<List<LogRecord>> records = new ArrayList<>();
    for (KeyedRecord r : got) {
      ExportLogsServiceRequest one = ExportLogsServiceRequest.parseFrom(r.value());
      assertEquals(1, one.getResourceLogsCount());
      assertEquals(res, one.getResourceLogs(0).getResource());
      assertEquals("https://r", one.getResourceLogs(0).getSchemaUrl());
      assertEquals("tracing", one.getResourceLogs(0).getScopeLogs(0).getScope().getName());
      records.add(one.getResourceLogs(0).getScopeLogs(0).getLogRecordsList());
    }
    assertEquals(
        List.of(List.of(withoutId, zeros), List.of(withA, withA), List.of(withB)), records);
  }

  @Test
  void aSpanSplitterReadsOnlyTheSpansTraceIdField() throws Exception {
    // In a log record field 1 is time_unix_nano: splitting logs as spans finds no trace ids.
    LogRecord withA =
        LogRecord.newBuilder().setTimeUnixNano(Otlp.T0).setTraceId(Otlp.id(A)).build();
    ExportLogsServiceRequest req = Otlp.logs(Otlp.resource("pricing", "rust"), withA.toBuilder());
    assertEquals(
        List.of(""),
        TraceIdSplitter.SPANS.split(req).stream().map(TraceIdSplitterTest::key).toList());
    assertEquals(
        List.of(A),
        TraceIdSplitter.LOGS.split(req).stream().map(TraceIdSplitterTest::key).toList());
  }
}
