package dev.seam.collector.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Longer than most test classes: one case per rule of the OTLP JSON mapping and per malformed
 * input.
 */
class OtlpJsonTest {

  private static final String TRACE_A = "5B8EFFF798038103D269B633813FC60C";
  private static final String TRACE_B = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN_A = "EEE19B7EC3C1B174";
  private static final String SPAN_B = "b7ad6b7169203331";
  private static final String SPAN_C = "00f067aa0ba902b7";

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ByteString hex(String h) {
    return ByteString.copyFrom(HexFormat.of().parseHex(h));
  }

  private static String spansJson(String spans) {
    return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + spans + "]}]}]}";
  }

  private static Span onlySpan(String spanJson) throws OtlpDecodeException {
    ExportTraceServiceRequest req = OtlpJson.traces(utf8(spansJson(spanJson)));
    return req.getResourceSpans(0).getScopeSpans(0).getSpans(0);
  }

  private static AnyValue attr(List<KeyValue> attrs, String key) {
    return attrs.stream()
        .filter(kv -> kv.getKey().equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no attribute " + key))
        .getValue();
  }

  // ---------------------------------------------------------------- traces

  @Test
  void decodesRealisticTraceRequest() throws Exception {
    String json =
        """
        {
          "resourceSpans": [{
            "resource": {
              "attributes": [
                {"key": "service.name", "value": {"stringValue": "checkout"}},
                {"key": "telemetry.sdk.language", "value": {"stringValue": "java"}}
              ],
              "droppedAttributesCount": 0
            },
            "scopeSpans": [{
              "scope": {"name": "dev.seam.test", "version": "1.2.3"},
              "schemaUrl": "https://opentelemetry.io/schemas/1.24.0",
              "spans": [
                {
                  "traceId": "%s",
                  "spanId": "%s",
                  "parentSpanId": "",
                  "traceState": "vendor=1",
                  "name": "GET /cart",
                  "kind": 3,
                  "startTimeUnixNano": "1700000000123456789",
                  "endTimeUnixNano": 1700000000987654321,
                  "flags": 768,
                  "attributes": [
                    {"key": "s", "value": {"stringValue": "héllo ✓"}},
                    {"key": "b", "value": {"boolValue": true}},
                    {"key": "iStr", "value": {"intValue": "-9223372036854775808"}},
                    {"key": "iNum", "value": {"intValue": 42}},
                    {"key": "d", "value": {"doubleValue": 1.5}},
                    {"key": "bytes", "value": {"bytesValue": "AQID"}},
                    {"key": "arr", "value": {"arrayValue": {"values": [
                      {"stringValue": "a"}, {"intValue": "7"}, {"doubleValue": "NaN"}
                    ]}}},
                    {"key": "kv", "value": {"kvlistValue": {"values": [
                      {"key": "inner", "value": {"boolValue": false}},
                      {"key": "nested", "value": {"kvlistValue": {"values": [
                        {"key": "deep", "value": {"stringValue": "x"}}
                      ]}}}
                    ]}}},
                    {"key": "empty", "value": {}}
                  ],
                  "droppedAttributesCount": 1,
                  "events": [{"timeUnixNano": "1700000000500000000", "name": "retry",
                              "attributes": [{"key": "n", "value": {"intValue": "1"}}]}],
                  "links": [{"traceId": "%s", "spanId": "%s", "flags": 256}],
                  "status": {"code": 2, "message": "boom"}
                },
                {
                  "traceId": "%s",
                  "spanId": "%s",
                  "parentSpanId": "%s",
                  "name": "SELECT",
                  "kind": 3,
                  "startTimeUnixNano": 1700000000200000000,
                  "endTimeUnixNano": "1700000000300000000",
                  "status": {"code": 1}
                }
              ]
            }]
          }]
        }
        """
            .formatted(TRACE_A, SPAN_A, TRACE_B, SPAN_C, TRACE_B, SPAN_B, SPAN_C.toUpperCase());

    ExportTraceServiceRequest req = OtlpJson.traces(utf8(json));

    assertEquals(1, req.getResourceSpansCount());
    ResourceSpans rs = req.getResourceSpans(0);
    assertEquals(2, rs.getResource().getAttributesCount());
    assertEquals(
        "checkout", attr(rs.getResource().getAttributesList(), "service.name").getStringValue());
    assertEquals(
        "java",
        attr(rs.getResource().getAttributesList(), "telemetry.sdk.language").getStringValue());
    assertEquals("dev.seam.test", rs.getScopeSpans(0).getScope().getName());
    assertEquals("1.2.3", rs.getScopeSpans(0).getScope().getVersion());
    assertEquals("https://opentelemetry.io/schemas/1.24.0", rs.getScopeSpans(0).getSchemaUrl());
    assertEquals(2, rs.getScopeSpans(0).getSpansCount());

    Span a = rs.getScopeSpans(0).getSpans(0);
    assertEquals(hex(TRACE_A), a.getTraceId());
    assertEquals(16, a.getTraceId().size());
    assertArrayEquals(
        new byte[] {
          0x5B,
          (byte) 0x8E,
          (byte) 0xFF,
          (byte) 0xF7,
          (byte) 0x98,
          0x03,
          (byte) 0x81,
          0x03,
          (byte) 0xD2,
          0x69,
          (byte) 0xB6,
          0x33,
          (byte) 0x81,
          0x3F,
          (byte) 0xC6,
          0x0C
        },
        a.getTraceId().toByteArray());
    assertEquals(hex(SPAN_A), a.getSpanId());
    assertEquals(8, a.getSpanId().size());
    assertEquals(ByteString.EMPTY, a.getParentSpanId());
    assertEquals("vendor=1", a.getTraceState());
    assertEquals("GET /cart", a.getName());
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, a.getKind());
    assertEquals(3, a.getKindValue());
    assertEquals(1700000000123456789L, a.getStartTimeUnixNano());
    assertEquals(1700000000987654321L, a.getEndTimeUnixNano());
    assertEquals(0x300, a.getFlags());
    assertEquals(1, a.getDroppedAttributesCount());
    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, a.getStatus().getCode());
    assertEquals("boom", a.getStatus().getMessage());

    List<KeyValue> attrs = a.getAttributesList();
    assertEquals(9, attrs.size());
    assertEquals("héllo ✓", attr(attrs, "s").getStringValue());
    assertTrue(attr(attrs, "b").getBoolValue());
    assertEquals(AnyValue.ValueCase.BOOL_VALUE, attr(attrs, "b").getValueCase());
    assertEquals(Long.MIN_VALUE, attr(attrs, "iStr").getIntValue());
    assertEquals(42L, attr(attrs, "iNum").getIntValue());
    assertEquals(AnyValue.ValueCase.INT_VALUE, attr(attrs, "iNum").getValueCase());
    assertEquals(1.5, attr(attrs, "d").getDoubleValue());
    assertEquals(ByteString.copyFrom(new byte[] {1, 2, 3}), attr(attrs, "bytes").getBytesValue());
    List<AnyValue> arr = attr(attrs, "arr").getArrayValue().getValuesList();
    assertEquals(3, arr.size());
    assertEquals("a", arr.get(0).getStringValue());
    assertEquals(7L, arr.get(1).getIntValue());
    assertTrue(Double.isNaN(arr.get(2).getDoubleValue()));
    List<KeyValue> kv = attr(attrs, "kv").getKvlistValue().getValuesList();
    assertEquals(2, kv.size());
    assertEquals("inner", kv.get(0).getKey());
    assertEquals(AnyValue.ValueCase.BOOL_VALUE, kv.get(0).getValue().getValueCase());
    assertFalse(kv.get(0).getValue().getBoolValue());
    assertEquals(
        "x", attr(attr(kv, "nested").getKvlistValue().getValuesList(), "deep").getStringValue());
    assertEquals(AnyValue.ValueCase.VALUE_NOT_SET, attr(attrs, "empty").getValueCase());

    assertEquals(1, a.getEventsCount());
    assertEquals(1700000000500000000L, a.getEvents(0).getTimeUnixNano());
    assertEquals("retry", a.getEvents(0).getName());
    assertEquals(1L, a.getEvents(0).getAttributes(0).getValue().getIntValue());

    assertEquals(1, a.getLinksCount());
    assertEquals(hex(TRACE_B), a.getLinks(0).getTraceId());
    assertEquals(hex(SPAN_C), a.getLinks(0).getSpanId());
    assertEquals(256, a.getLinks(0).getFlags());

    Span b = rs.getScopeSpans(0).getSpans(1);
    assertEquals(hex(TRACE_B), b.getTraceId());
    assertEquals(hex(SPAN_B), b.getSpanId());
    // Upper-case hex must give the same bytes as lower-case.
    assertEquals(hex(SPAN_C), b.getParentSpanId());
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, b.getKind());
    assertEquals(1700000000200000000L, b.getStartTimeUnixNano());
    assertEquals(1700000000300000000L, b.getEndTimeUnixNano());
    assertEquals(Status.StatusCode.STATUS_CODE_OK, b.getStatus().getCode());
  }

  @Test
  void hexIdIsNotMistakenForBase64() throws Exception {
    // 32 hex chars are also valid base64 (24 bytes); this is the bug the rewrite exists for.
    Span s = onlySpan("{\"traceId\":\"" + TRACE_B + "\",\"spanId\":\"" + SPAN_B + "\"}");
    assertEquals(16, s.getTraceId().size());
    assertEquals(8, s.getSpanId().size());
    assertEquals(TRACE_B, HexFormat.of().formatHex(s.getTraceId().toByteArray()));
    assertEquals(SPAN_B, HexFormat.of().formatHex(s.getSpanId().toByteArray()));
  }

  @Test
  void snakeCaseIdKeysAreAlsoHex() throws Exception {
    Span s =
        onlySpan(
            "{\"trace_id\":\""
                + TRACE_B
                + "\",\"span_id\":\""
                + SPAN_B
                + "\",\"parent_span_id\":\""
                + SPAN_C
                + "\",\"start_time_unix_nano\":\"5\"}");
    assertEquals(hex(TRACE_B), s.getTraceId());
    assertEquals(hex(SPAN_B), s.getSpanId());
    assertEquals(hex(SPAN_C), s.getParentSpanId());
    assertEquals(5L, s.getStartTimeUnixNano());
  }

  // ---------------------------------------------------------------- logs

  @Test
  void decodesLogRequest() throws Exception {
    String json =
        """
        {"resourceLogs": [{
          "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "api"}}]},
          "scopeLogs": [{
            "scope": {"name": "app.logger"},
            "logRecords": [
              {
                "timeUnixNano": "0",
                "observedTimeUnixNano": "1700000000123456789",
                "severityNumber": 17,
                "severityText": "ERROR",
                "body": {"stringValue": "disk full"},
                "attributes": [{"key": "disk", "value": {"stringValue": "/dev/sda1"}}],
                "droppedAttributesCount": 0,
                "flags": 1,
                "traceId": "",
                "spanId": ""
              },
              {
                "timeUnixNano": 1700000000000000001,
                "severityNumber": 9,
                "body": {"kvlistValue": {"values": [{"key": "msg", "value": {"stringValue": "ok"}}]}},
                "traceId": "%s",
                "spanId": "%s",
                "eventName": "app.started"
              }
            ]
          }]
        }]}
        """
            .formatted(TRACE_A, SPAN_B);

    ExportLogsServiceRequest req = OtlpJson.logs(utf8(json));

    assertEquals(1, req.getResourceLogsCount());
    assertEquals(
        "api",
        attr(req.getResourceLogs(0).getResource().getAttributesList(), "service.name")
            .getStringValue());
    assertEquals("app.logger", req.getResourceLogs(0).getScopeLogs(0).getScope().getName());
    List<LogRecord> records = req.getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
    assertEquals(2, records.size());

    LogRecord r = records.get(0);
    assertEquals(0L, r.getTimeUnixNano());
    assertEquals(1700000000123456789L, r.getObservedTimeUnixNano());
    assertEquals(SeverityNumber.SEVERITY_NUMBER_ERROR, r.getSeverityNumber());
    assertEquals(17, r.getSeverityNumberValue());
    assertEquals("ERROR", r.getSeverityText());
    assertEquals(AnyValue.ValueCase.STRING_VALUE, r.getBody().getValueCase());
    assertEquals("disk full", r.getBody().getStringValue());
    assertEquals("/dev/sda1", attr(r.getAttributesList(), "disk").getStringValue());
    assertEquals(1, r.getFlags());
    assertEquals(ByteString.EMPTY, r.getTraceId());
    assertEquals(ByteString.EMPTY, r.getSpanId());

    LogRecord r2 = records.get(1);
    assertEquals(1700000000000000001L, r2.getTimeUnixNano());
    assertEquals(SeverityNumber.SEVERITY_NUMBER_INFO, r2.getSeverityNumber());
    assertEquals("ok", attr(r2.getBody().getKvlistValue().getValuesList(), "msg").getStringValue());
    assertEquals(hex(TRACE_A), r2.getTraceId());
    assertEquals(hex(SPAN_B), r2.getSpanId());
    assertEquals("app.started", r2.getEventName());
  }

  // ---------------------------------------------------------------- metrics

  @Test
  void decodesMetricsRequest() throws Exception {
    String json =
        """
        {"resourceMetrics": [{
          "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "db"}}]},
          "scopeMetrics": [{
            "scope": {"name": "meter"},
            "metrics": [
              {
                "name": "cpu.temp", "unit": "Cel", "description": "temperature",
                "gauge": {"dataPoints": [
                  {"timeUnixNano": "1700000000000000000", "asDouble": 71.25,
                   "attributes": [{"key": "core", "value": {"intValue": "3"}}]}
                ]}
              },
              {
                "name": "requests",
                "sum": {
                  "aggregationTemporality": 2,
                  "isMonotonic": true,
                  "dataPoints": [
                    {"startTimeUnixNano": "1699999990000000000", "timeUnixNano": 1700000000000000000,
                     "asInt": "9007199254740993"}
                  ]
                }
              },
              {
                "name": "latency",
                "histogram": {
                  "aggregationTemporality": 1,
                  "dataPoints": [{
                    "startTimeUnixNano": "1699999990000000000",
                    "timeUnixNano": "1700000000000000000",
                    "count": "6",
                    "sum": 12.5,
                    "min": 0.5,
                    "max": 7,
                    "bucketCounts": ["1", "2", "3"],
                    "explicitBounds": [1.0, 5],
                    "exemplars": [{
                      "timeUnixNano": "1699999995000000000",
                      "asDouble": 4.2,
                      "traceId": "%s",
                      "spanId": "%s",
                      "filteredAttributes": [{"key": "user", "value": {"stringValue": "u1"}}]
                    }]
                  }]
                }
              }
            ]
          }]
        }]}
        """
            .formatted(TRACE_A, SPAN_A);

    ExportMetricsServiceRequest req = OtlpJson.metrics(utf8(json));

    ResourceMetrics rm = req.getResourceMetrics(0);
    assertEquals("db", attr(rm.getResource().getAttributesList(), "service.name").getStringValue());
    List<Metric> metrics = rm.getScopeMetrics(0).getMetricsList();
    assertEquals(3, metrics.size());

    Metric gauge = metrics.get(0);
    assertEquals("cpu.temp", gauge.getName());
    assertEquals("Cel", gauge.getUnit());
    assertEquals(Metric.DataCase.GAUGE, gauge.getDataCase());
    NumberDataPoint gp = gauge.getGauge().getDataPoints(0);
    assertEquals(1700000000000000000L, gp.getTimeUnixNano());
    assertEquals(NumberDataPoint.ValueCase.AS_DOUBLE, gp.getValueCase());
    assertEquals(71.25, gp.getAsDouble());
    assertEquals(3L, gp.getAttributes(0).getValue().getIntValue());

    Metric sum = metrics.get(1);
    assertEquals(Metric.DataCase.SUM, sum.getDataCase());
    assertEquals(
        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
        sum.getSum().getAggregationTemporality());
    assertTrue(sum.getSum().getIsMonotonic());
    NumberDataPoint sp = sum.getSum().getDataPoints(0);
    assertEquals(1699999990000000000L, sp.getStartTimeUnixNano());
    assertEquals(1700000000000000000L, sp.getTimeUnixNano());
    assertEquals(NumberDataPoint.ValueCase.AS_INT, sp.getValueCase());
    assertEquals(9007199254740993L, sp.getAsInt()); // 2^53 + 1: not representable as double

    Metric hist = metrics.get(2);
    assertEquals(Metric.DataCase.HISTOGRAM, hist.getDataCase());
    assertEquals(
        AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
        hist.getHistogram().getAggregationTemporality());
    HistogramDataPoint hp = hist.getHistogram().getDataPoints(0);
    assertEquals(6L, hp.getCount());
    assertEquals(12.5, hp.getSum());
    assertTrue(hp.hasSum());
    assertEquals(0.5, hp.getMin());
    assertEquals(7.0, hp.getMax());
    assertEquals(List.of(1L, 2L, 3L), hp.getBucketCountsList());
    assertEquals(List.of(1.0, 5.0), hp.getExplicitBoundsList());
    Exemplar ex = hp.getExemplars(0);
    assertEquals(1699999995000000000L, ex.getTimeUnixNano());
    assertEquals(4.2, ex.getAsDouble());
    assertEquals(hex(TRACE_A), ex.getTraceId());
    assertEquals(hex(SPAN_A), ex.getSpanId());
    assertEquals("u1", ex.getFilteredAttributes(0).getValue().getStringValue());
  }

  // ---------------------------------------------------------------- leniency

  @Test
  void ignoresUnknownFieldsAtEveryLevel() throws Exception {
    String json =
        """
        {
          "futureTopLevel": {"a": [1, 2, {"b": null}]},
          "resourceSpans": [{
            "unknownInResourceSpans": "x",
            "resource": {"attributes": [], "entityRefs": [], "mystery": 1},
            "scopeSpans": [{
              "scope": {"name": "s", "extra": true},
              "spans": [{
                "name": "n",
                "brandNewField": [[["deep"]]],
                "traceId": "%s",
                "status": {"code": 2, "reason": "later proto"},
                "attributes": [{"key": "k", "value": {"stringValue": "v", "futureValue": 1}, "x": 2}]
              }],
              "whatever": 3.5
            }]
          }],
          "zz": "last"
        }
        """
            .formatted(TRACE_B);

    Span s = OtlpJson.traces(utf8(json)).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertEquals("n", s.getName());
    assertEquals(hex(TRACE_B), s.getTraceId());
    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, s.getStatus().getCode());
    assertEquals("v", s.getAttributes(0).getValue().getStringValue());
  }

  @Test
  void emptyObjectIsEmptyRequest() throws Exception {
    assertEquals(ExportTraceServiceRequest.getDefaultInstance(), OtlpJson.traces(utf8("{}")));
    assertEquals(ExportLogsServiceRequest.getDefaultInstance(), OtlpJson.logs(utf8(" { } \n")));
    assertEquals(ExportMetricsServiceRequest.getDefaultInstance(), OtlpJson.metrics(utf8("{}")));
    // null means "absent" in proto3 JSON.
    assertEquals(
        ExportTraceServiceRequest.getDefaultInstance(),
        OtlpJson.traces(utf8("{\"resourceSpans\":null}")));
  }

  @Test
  void largeIntegersSurviveAsNumbersAndStrings() throws Exception {
    Span asNumber = onlySpan("{\"startTimeUnixNano\":1700000000123456789}");
    Span asString = onlySpan("{\"startTimeUnixNano\":\"1700000000123456789\"}");
    assertEquals(1700000000123456789L, asNumber.getStartTimeUnixNano());
    assertEquals(1700000000123456789L, asString.getStartTimeUnixNano());
    // A double would have rounded this to 1700000000123456768.
    assertEquals(1700000000123456768L, (long) 1700000000123456789.0);

    // fixed64 holds the full unsigned range; Java sees the top value as -1.
    assertEquals(-1L, onlySpan("{\"endTimeUnixNano\":18446744073709551615}").getEndTimeUnixNano());
    assertEquals(
        -1L, onlySpan("{\"endTimeUnixNano\":\"18446744073709551615\"}").getEndTimeUnixNano());

    Span attrs =
        onlySpan(
            "{\"attributes\":[{\"key\":\"max\",\"value\":{\"intValue\":9223372036854775807}},"
                + "{\"key\":\"min\",\"value\":{\"intValue\":\"-9223372036854775808\"}},"
                + "{\"key\":\"exp\",\"value\":{\"doubleValue\":1.25e3}},"
                + "{\"key\":\"dstr\",\"value\":{\"doubleValue\":\"-Infinity\"}}]}");
    assertEquals(Long.MAX_VALUE, attr(attrs.getAttributesList(), "max").getIntValue());
    assertEquals(Long.MIN_VALUE, attr(attrs.getAttributesList(), "min").getIntValue());
    assertEquals(1250.0, attr(attrs.getAttributesList(), "exp").getDoubleValue());
    assertEquals(
        Double.NEGATIVE_INFINITY, attr(attrs.getAttributesList(), "dstr").getDoubleValue());

    // uint32 and enum fields accept strings too.
    Span small = onlySpan("{\"flags\":\"768\",\"droppedEventsCount\":\"4\",\"kind\":\"2\"}");
    assertEquals(768, small.getFlags());
    assertEquals(4, small.getDroppedEventsCount());
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, small.getKind());
  }

  @Test
  void enumsAsIntegersAndNames() throws Exception {
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, onlySpan("{\"kind\":2}").getKind());
    assertEquals(
        Span.SpanKind.SPAN_KIND_SERVER, onlySpan("{\"kind\":\"SPAN_KIND_SERVER\"}").getKind());
    // Open proto3 enums keep unknown numbers (forward compatibility) ...
    Span future = onlySpan("{\"kind\":9}");
    assertEquals(Span.SpanKind.UNRECOGNIZED, future.getKind());
    assertEquals(9, future.getKindValue());
    // ... but with ignoringUnknownFields an unknown *name* silently becomes 0.
    assertEquals(0, onlySpan("{\"kind\":\"SPAN_KIND_FUTURE\"}").getKindValue());
  }

  // ---------------------------------------------------------------- bad ids

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc", // odd length
        "zz0af7651916cd43dd8448eb211c8031", // non-hex characters, right length
        "0af7651916cd43dd8448eb211c80319c==", // base64 padding is not hex
        " 0af7651916cd43dd8448eb211c80319c", // whitespace
        "0x0af7651916cd43dd8448eb211c8031", // prefix
        "CvdlGRbNQ92ESOshHIAxnA==" // the base64 form of a 16-byte id is not hex
      })
  void invalidHexIdBecomesOneByteIdNotAnError(String badId) throws Exception {
    Span s =
        onlySpan(
            "{\"name\":\"bad\",\"traceId\":\""
                + badId
                + "\",\"spanId\":\""
                + badId
                + "\",\"parentSpanId\":\""
                + badId
                + "\"}");
    assertEquals(ByteString.copyFrom(new byte[] {0}), s.getTraceId());
    assertEquals(ByteString.copyFrom(new byte[] {0}), s.getSpanId());
    assertEquals(ByteString.copyFrom(new byte[] {0}), s.getParentSpanId());
    assertEquals("bad", s.getName()); // the rest of the item still decoded
  }

  @Test
  void invalidIdDoesNotSpoilOtherItems() throws Exception {
    ExportTraceServiceRequest req =
        OtlpJson.traces(
            utf8(
                spansJson(
                    "{\"traceId\":\"not-hex\",\"spanId\":\""
                        + SPAN_A
                        + "\"},"
                        + "{\"traceId\":\""
                        + TRACE_A
                        + "\",\"spanId\":\""
                        + SPAN_B
                        + "\"}")));
    List<Span> spans = req.getResourceSpans(0).getScopeSpans(0).getSpansList();
    assertEquals(1, spans.get(0).getTraceId().size());
    assertEquals(hex(SPAN_A), spans.get(0).getSpanId());
    assertEquals(hex(TRACE_A), spans.get(1).getTraceId());
    assertEquals(hex(SPAN_B), spans.get(1).getSpanId());
  }

  @Test
  void wrongLengthHexDecodesToThatLength() throws Exception {
    String thirty = TRACE_B.substring(0, 30);
    Span s = onlySpan("{\"traceId\":\"" + thirty + "\",\"spanId\":\"" + TRACE_B + "\"}");
    assertEquals(15, s.getTraceId().size());
    assertEquals(hex(thirty), s.getTraceId());
    assertEquals(16, s.getSpanId().size()); // trace-sized span id: left for per-item validation
  }

  @Test
  void nonStringIdIsInvalidIdNotWrongBytes() throws Exception {
    // Digits are valid base64: without care, 22 digits would decode to a plausible 16-byte id.
    Span s = onlySpan("{\"traceId\":1234567890123456789012,\"spanId\":true}");
    assertEquals(ByteString.copyFrom(new byte[] {0}), s.getTraceId());
    assertEquals(ByteString.copyFrom(new byte[] {0}), s.getSpanId());
    assertEquals(ByteString.EMPTY, onlySpan("{\"traceId\":null}").getTraceId());
  }

  @Test
  void idKeysInsideAttributesAreOnlyRewrittenAsFieldNames() throws Exception {
    // An attribute *called* traceId is a value, not a bytes field; its string must be untouched.
    Span s =
        onlySpan(
            "{\"attributes\":[{\"key\":\"traceId\",\"value\":{\"stringValue\":\""
                + TRACE_A
                + "\"}},{\"key\":\"raw\",\"value\":{\"bytesValue\":\"AQID\"}}]}");
    assertEquals(TRACE_A, attr(s.getAttributesList(), "traceId").getStringValue());
    assertEquals(
        ByteString.copyFrom(new byte[] {1, 2, 3}),
        attr(s.getAttributesList(), "raw").getBytesValue());
  }

  // ---------------------------------------------------------------- errors

  private static OtlpDecodeException tracesFails(String body) {
    return assertThrows(OtlpDecodeException.class, () -> OtlpJson.traces(utf8(body)));
  }

  @Test
  void brokenJsonNamesPosition() {
    OtlpDecodeException e = tracesFails("{\"resourceSpans\": [ {\"scopeSpans\": x } ] }");
    // Jackson reports where it stopped reading, just past the bad token.
    assertEquals(
        "invalid OTLP JSON at line 1 column 38: Unrecognized token 'x': was expecting (JSON String,"
            + " Number, Array, Object or token 'null', 'true' or 'false')",
        e.getMessage());

    OtlpDecodeException multiline = tracesFails("{\n  \"resourceSpans\": [\n    {,}\n  ]\n}");
    assertTrue(
        multiline.getMessage().startsWith("invalid OTLP JSON at line 3 column 6: "),
        multiline.getMessage());
  }

  @Test
  void truncatedJsonIsReported() {
    OtlpDecodeException e = tracesFails("{\"resourceSpans\": [{\"scopeSpans\": [");
    assertTrue(e.getMessage().startsWith("invalid OTLP JSON at line 1"), e.getMessage());
    assertEquals(
        "invalid OTLP JSON at line 1 column 36: Unexpected end-of-input: expected close marker for"
            + " Array (start marker at line 1 column 35)",
        e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"resourceSpans\": [],}", // trailing comma
        "{'resourceSpans': []}", // single quotes
        "{resourceSpans: []}", // unquoted name
        "{\"resourceSpans\": [] // comment\n}",
        "{\"a\": 01}", // leading zero
        "{\"a\": NaN}",
        "{\"a\": .5}",
        "{\"a\": \"tab\there\"}", // raw control character
        "{\"a\" 1}",
        "{\"a\": tru}",
        "{\"a\": \"\\x41\"}", // bad escape
        "{\"a\": 1}}",
        "}",
        "nul"
      })
  void strictJsonSyntax(String body) {
    OtlpDecodeException e = tracesFails(body);
    assertTrue(e.getMessage().startsWith("invalid OTLP JSON"), e.getMessage());
  }

  @Test
  void emptyBodyIsNotJson() {
    OtlpDecodeException e = tracesFails("");
    assertEquals("invalid OTLP JSON: body is empty, expected a JSON object", e.getMessage());
    assertThrows(OtlpDecodeException.class, () -> OtlpJson.logs(utf8("   \n ")));
  }

  @Test
  void topLevelMustBeObject() {
    assertEquals(
        "invalid OTLP JSON at line 1 column 1: expected a JSON object at top level but found an"
            + " array",
        tracesFails("[]").getMessage());
    assertEquals(
        "invalid OTLP JSON at line 1 column 1: expected a JSON object at top level but found a"
            + " string",
        assertThrows(OtlpDecodeException.class, () -> OtlpJson.metrics(utf8("\"x\"")))
            .getMessage());
    assertTrue(tracesFails("null").getMessage().endsWith("found null"));
    assertTrue(tracesFails("42").getMessage().endsWith("found a number"));
  }

  @Test
  void trailingContentIsRejected() {
    assertEquals(
        "invalid OTLP JSON at line 1 column 4: found an object after the top-level object",
        tracesFails("{} {}").getMessage());
    assertTrue(
        tracesFails("{}x")
            .getMessage()
            .startsWith("invalid OTLP JSON at line 1 column 4: Unrecognized token 'x'"));
    OtlpDecodeException extraClose = tracesFails("{\"a\":1}}");
    assertEquals(
        "invalid OTLP JSON at line 1 column 8: Unexpected close marker '}': expected ']'"
            + " (for root starting at line 1)",
        extraClose.getMessage());
  }

  @Test
  void wrongShapesAreReportedWithFieldName() {
    OtlpDecodeException notArray = tracesFails("{\"resourceSpans\":\"x\"}");
    assertEquals(
        "invalid OTLP JSON: body does not match ExportTraceServiceRequest: "
            + "Expected an array for resource_spans but found \"x\"",
        notArray.getMessage());

    OtlpDecodeException spansNumber =
        tracesFails("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":5}]}]}");
    assertEquals(
        "invalid OTLP JSON: body does not match ExportTraceServiceRequest: "
            + "Expected an array for spans but found 5",
        spansNumber.getMessage());

    OtlpDecodeException elementNotObject = tracesFails("{\"resourceSpans\":[5]}");
    assertTrue(
        elementNotObject.getMessage().contains("Expect message object"),
        elementNotObject.getMessage());

    OtlpDecodeException badTime = tracesFails(spansJson("{\"startTimeUnixNano\":\"soon\"}"));
    assertTrue(badTime.getMessage().contains("uint64"), badTime.getMessage());

    OtlpDecodeException negativeTime = tracesFails(spansJson("{\"startTimeUnixNano\":-1}"));
    assertTrue(
        negativeTime.getMessage().contains("Out of range uint64 value: -1"),
        negativeTime.getMessage());

    OtlpDecodeException hexFlags = tracesFails(spansJson("{\"flags\":\"0x300\"}"));
    assertTrue(hexFlags.getMessage().contains("uint32"), hexFlags.getMessage());

    OtlpDecodeException twoValues =
        tracesFails(
            spansJson(
                "{\"attributes\":[{\"key\":\"k\",\"value\":{\"intValue\":1,\"stringValue\":\"s\"}}]}"));
    assertTrue(twoValues.getMessage().contains("oneof"), twoValues.getMessage());

    OtlpDecodeException idObject = tracesFails(spansJson("{\"traceId\":{}}"));
    assertTrue(
        idObject.getMessage().startsWith("invalid OTLP JSON: body does not match"),
        idObject.getMessage());

    assertThrows(
        OtlpDecodeException.class,
        () -> OtlpJson.logs(utf8("{\"resourceLogs\":[{\"scopeLogs\":{\"logRecords\":[]}}]}")));
    assertThrows(
        OtlpDecodeException.class,
        () ->
            OtlpJson.metrics(
                utf8("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"sum\":[]}]}]}]}")));
  }

  @Test
  void longLibraryMessagesAreTruncated() {
    String big = "{\"resourceSpans\":[[" + "\"" + "y".repeat(5000) + "\"" + "]]}";
    OtlpDecodeException e = tracesFails(big);
    assertTrue(e.getMessage().length() < 500, () -> "length " + e.getMessage().length());
    assertTrue(e.getMessage().endsWith("..."), e.getMessage());
  }

  @Test
  void invalidUtf8IsRejected() {
    byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    OtlpDecodeException e = assertThrows(OtlpDecodeException.class, () -> OtlpJson.traces(body));
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
  }

  @Test
  void deepNestingIsRejectedWithoutStackOverflow() {
    int n = 10_000;
    String arrays = "{\"x\":" + "[".repeat(n) + "]".repeat(n) + "}";
    OtlpDecodeException e = tracesFails(arrays);
    assertEquals(
        "invalid OTLP JSON at line 1 column 69: nesting deeper than 64 levels", e.getMessage());

    String objects = "{\"a\":".repeat(n) + "1" + "}".repeat(n);
    assertTrue(tracesFails(objects).getMessage().contains("nesting deeper than 64 levels"));

    // Unterminated deep nesting must hit the depth limit, not end-of-input handling.
    assertTrue(tracesFails("[".repeat(n)).getMessage().contains("top level"));
    assertTrue(
        tracesFails("{\"x\":" + "[".repeat(n)).getMessage().contains("nesting deeper than 64"));

    // Realistic shape: kvlist inside kvlist inside an attribute.
    String kv = "{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":";
    String deepAttr =
        spansJson(
            "{\"attributes\":[{\"key\":\"a\",\"value\":"
                + kv.repeat(n)
                + "{}"
                + "}]}}".repeat(n)
                + "}]}");
    assertTrue(tracesFails(deepAttr).getMessage().contains("nesting deeper than 64 levels"));
  }

  @Test
  void depthLimitBoundary() throws Exception {
    // Top-level object is level 1; 63 arrays inside it make 64 levels, which is allowed.
    assertEquals(
        ExportTraceServiceRequest.getDefaultInstance(),
        OtlpJson.traces(utf8("{\"x\":" + "[".repeat(63) + "]".repeat(63) + "}")));
    assertTrue(
        tracesFails("{\"x\":" + "[".repeat(64) + "]".repeat(64) + "}")
            .getMessage()
            .endsWith("nesting deeper than 64 levels"));

    // Moderately nested real attributes (5 kvlist levels) still decode.
    String kv = "{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":";
    Span s =
        onlySpan(
            "{\"attributes\":[{\"key\":\"a\",\"value\":"
                + kv.repeat(5)
                + "{\"stringValue\":\"leaf\"}"
                + "}]}}".repeat(5)
                + "}]}");
    AnyValue v = s.getAttributes(0).getValue();
    for (int i = 0; i < 5; i++) {
      v = v.getKvlistValue().getValues(0).getValue();
    }
    assertEquals("leaf", v.getStringValue());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"resourceSpans\":[null]}",
        "{\"resourceSpans\":{}}",
        "{\"resourceSpans\":[{\"resource\":[]}]}",
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":[]}]}}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"events\":[{\"timeUnixNano\":1.5}]}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":[]}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"flags\":1e100}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"value\":{\"intValue\":1e400}}]}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"value\":{\"bytesValue\":\"!!\"}}]}]}]}]}",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"value\":{\"boolValue\":\"maybe\"}}]}]}]}]}"
      })
  void otherWrongShapesThrowOnlyDecodeException(String body) {
    OtlpDecodeException e = tracesFails(body);
    assertTrue(
        e.getMessage()
            .startsWith("invalid OTLP JSON: body does not match ExportTraceServiceRequest: "),
        e.getMessage());
  }

  // ---------------------------------------------------------------- print

  @Test
  void printsPartialSuccessReply() {
    ExportTraceServiceResponse resp =
        ExportTraceServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportTracePartialSuccess.newBuilder().setRejectedSpans(2).setErrorMessage("x"))
            .build();
    String json = OtlpJson.print(resp);
    assertTrue(json.contains("\"partialSuccess\""), json);
    assertTrue(json.contains("\"rejectedSpans\":\"2\""), json);
    assertEquals("{\"partialSuccess\":{\"rejectedSpans\":\"2\",\"errorMessage\":\"x\"}}", json);

    assertEquals("{}", OtlpJson.print(ExportLogsServiceResponse.getDefaultInstance()));
  }

  @Test
  void printWritesEnumsAsIntegers() throws Exception {
    Span span =
        Span.newBuilder()
            .setName("n")
            .setKind(Span.SpanKind.SPAN_KIND_CONSUMER)
            .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
            .setStartTimeUnixNano(1700000000123456789L)
            .build();
    String json = OtlpJson.print(span);
    assertEquals(
        "{\"name\":\"n\",\"kind\":5,\"startTimeUnixNano\":\"1700000000123456789\",\"status\":{\"code\":2}}",
        json);
    // And what we print we can read back.
    assertEquals(span, onlySpan(json));
  }

  @Test
  void decodedRequestRoundTripsThroughBinary() throws Exception {
    String json =
        spansJson("{\"traceId\":\"" + TRACE_A + "\",\"spanId\":\"" + SPAN_A + "\",\"name\":\"x\"}");
    ExportTraceServiceRequest req = OtlpJson.traces(utf8(json));
    assertEquals(req, ExportTraceServiceRequest.parseFrom(req.toByteArray()));
    assertEquals(
        List.of(TRACE_A.toLowerCase()),
        req.getResourceSpans(0).getScopeSpans(0).getSpansList().stream()
            .map(sp -> HexFormat.of().formatHex(sp.getTraceId().toByteArray()))
            .collect(Collectors.toList()));
  }
}
