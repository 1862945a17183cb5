package dev.seam.collector.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.seam.collector.model.Ids;
import dev.seam.collector.normalize.LogContextExtractor.Result;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Longer than most test classes: one case per field dialect and header format the extractor reads,
 * on shared record builders.
 */
class LogContextExtractorTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final long HI = 0x0af7651916cd43ddL;
  private static final long LO = 0x8448eb211c80319cL;
  private static final String SPAN = "b7ad6b7169203331";
  private static final long SP = 0xb7ad6b7169203331L;
  private static final String OTHER_TRACE = "11111111111111112222222222222222";

  private static final LogContextExtractor X = LogContextExtractor.defaults();

  // ---- builders ----

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(str(value)).build();
  }

  private static KeyValue kv(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static KeyValue nested(String key, KeyValue... inner) {
    return kv(key, kvlist(inner));
  }

  private static AnyValue kvlist(KeyValue... inner) {
    return AnyValue.newBuilder()
        .setKvlistValue(KeyValueList.newBuilder().addAllValues(List.of(inner)))
        .build();
  }

  private static LogRecord attrs(KeyValue... kvs) {
    return LogRecord.newBuilder().addAllAttributes(List.of(kvs)).build();
  }

  private static LogRecord body(String s) {
    return LogRecord.newBuilder().setBody(str(s)).build();
  }

  private static LogRecord kvBody(KeyValue... kvs) {
    return LogRecord.newBuilder().setBody(kvlist(kvs)).build();
  }

  private static Result result(long hi, long lo, long span, String source) {
    return new Result(hi, lo, span, source);
  }

  private static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  private static Result header(String field, String value) {
    return X.extract(attrs(kv(field, value)));
  }

  // ---- field names ----

  @ParameterizedTest(name = "attribute {0} + {1}")
  @CsvSource({
    "trace_id, span_id",
    "traceId, spanId",
    "traceID, spanID",
    "TraceID, SpanID",
    "TraceId, SpanId",
    "trace.id, span.id",
    "dd.trace_id, dd.span_id",
    "otel.trace_id, otel.span_id",
    "openTelemetry.traceId, openTelemetry.spanId"
  })
  void everyDefaultFieldNameAsAnAttribute(String traceField, String spanField) {
    assertEquals(
        result(HI, LO, SP, "attribute " + traceField),
        X.extract(attrs(kv("msg", "hello"), kv(traceField, TRACE), kv(spanField, SPAN))));
  }

  @ParameterizedTest(name = "kvlist body {0} + {1}")
  @CsvSource({
    "trace_id, span_id",
    "traceId, spanId",
    "traceID, spanID",
    "TraceID, SpanID",
    "TraceId, SpanId",
    "trace.id, span.id",
    "dd.trace_id, dd.span_id",
    "otel.trace_id, otel.span_id",
    "openTelemetry.traceId, openTelemetry.spanId"
  })
  void everyDefaultFieldNameInAKvlistBody(String traceField, String spanField) {
    assertEquals(
        result(HI, LO, SP, "body field " + traceField),
        X.extract(kvBody(kv("message", "hello"), kv(traceField, TRACE), kv(spanField, SPAN))));
  }

  @ParameterizedTest(name = "JSON body {0} + {1}")
  @CsvSource({
    "trace_id, span_id",
    "traceId, spanId",
    "traceID, spanID",
    "TraceID, SpanID",
    "TraceId, SpanId",
    "trace.id, span.id",
    "dd.trace_id, dd.span_id",
    "otel.trace_id, otel.span_id",
    "openTelemetry.traceId, openTelemetry.spanId"
  })
  void everyDefaultFieldNameAsAFlatJsonKey(String traceField, String spanField) {
    String json =
        "{\"msg\":\"hello\",\""
            + traceField
            + "\":\""
            + TRACE
            + "\",\""
            + spanField
            + "\":\""
            + SPAN
            + "\"}";
    assertEquals(result(HI, LO, SP, "body field " + traceField), X.extract(body(json)));
  }

  @Test
  void nestedKvlistAttributeMatchesDottedName() {
    LogRecord r = attrs(nested("openTelemetry", kv("traceId", TRACE), kv("spanId", SPAN)));
    assertEquals(result(HI, LO, SP, "attribute openTelemetry.traceId"), X.extract(r));
  }

  @Test
  void ecsNestedTraceAndSpanObjects() {
    LogRecord r = attrs(nested("trace", kv("id", TRACE)), nested("span", kv("id", SPAN)));
    assertEquals(result(HI, LO, SP, "attribute trace.id"), X.extract(r));
  }

  @Test
  void datadogNestedObjectWithDecimalIds() {
    LogRecord r =
        kvBody(
            nested(
                "dd",
                kv("trace_id", "12345678901234567890"),
                kv("span_id", "42"),
                kv("service", "api")));
    assertEquals(result(0, 0xab54a98ceb1f0ad2L, 42, "body field dd.trace_id"), X.extract(r));
  }

  @Test
  void jsonBodyWithNestedOpenTelemetryObject() {
    String json =
        "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"level\":\"INFO\",\"fields\":{\"message\":\"served\"},"
            + "\"target\":\"api::handler\",\"openTelemetry\":{\"traceId\":\""
            + TRACE
            + "\",\"spanId\":\""
            + SPAN
            + "\"}}";
    assertEquals(result(HI, LO, SP, "body field openTelemetry.traceId"), X.extract(body(json)));
  }

  @Test
  void jsonBodyWithTopLevelTraceIdAmongOtherValues() {
    String json =
        "  {\"level\":\"info\",\"n\":12,\"ok\":true,\"none\":null,\"f\":1.5,\"tags\":[\"a\",{\"x\":1}],"
            + "\"http\":{\"status\":200},\"trace_id\":\""
            + TRACE
            + "\",\"span_id\":\""
            + SPAN
            + "\",\"msg\":\"done\"}\n";
    assertEquals(result(HI, LO, SP, "body field trace_id"), X.extract(body(json)));
  }

  @Test
  void jsonIdsInsideArraysOrUnrelatedObjectsAreNotTheRecords() {
    String json =
        "{\"spans\":[{\"trace_id\":\""
            + TRACE
            + "\"}],\"ctx\":{\"trace_id\":\""
            + TRACE
            + "\"},\"list\":[\""
            + TRACE
            + "\"]}";
    assertNull(X.extract(body(json)));
  }

  @Test
  void mixedFlatAndNestedSpellingsOfOneDottedName() {
    LogContextExtractor x = new LogContextExtractor(List.of("a.b.c"), List.of("a.b.d"), List.of());
    Result expected = result(HI, LO, SP, "attribute a.b.c");
    assertEquals(expected, x.extract(attrs(nested("a.b", kv("c", TRACE), kv("d", SPAN)))));
    assertEquals(expected, x.extract(attrs(nested("a", kv("b.c", TRACE), kv("b.d", SPAN)))));
    assertEquals(
        expected, x.extract(attrs(nested("a", nested("b", kv("c", TRACE), kv("d", SPAN))))));
    assertEquals(expected, x.extract(attrs(kv("a.b.c", TRACE), kv("a.b.d", SPAN))));
    String json = "{\"a\":{\"b.c\":\"" + TRACE + "\"},\"a.b\":{\"d\":\"" + SPAN + "\"}}";
    assertEquals(result(HI, LO, SP, "body field a.b.c"), x.extract(body(json)));
  }

  // ---- hex forms ----

  @Test
  void upperAndMixedCaseHex() {
    assertEquals(
        result(HI, LO, SP, "attribute trace_id"),
        X.extract(
            attrs(
                kv("trace_id", TRACE.toUpperCase(Locale.ROOT)),
                kv("span_id", SPAN.toUpperCase(Locale.ROOT)))));
    assertEquals(
        result(HI, LO, SP, "attribute traceId"),
        X.extract(
            attrs(
                kv("traceId", "0AF7651916cd43DD8448eb211C80319c"),
                kv("spanId", "B7ad6B7169203331"))));
  }

  @Test
  void sixteenDigitTraceIdIsLeftPadded() {
    assertEquals(
        result(0, LO, SP, "attribute trace_id"),
        X.extract(attrs(kv("trace_id", "8448eb211c80319c"), kv("span_id", SPAN))));
  }

  @Test
  void surroundingWhitespaceIsTolerated() {
    assertEquals(
        result(HI, LO, SP, "attribute trace_id"),
        X.extract(attrs(kv("trace_id", " " + TRACE + "\n"), kv("span_id", "\t" + SPAN))));
  }

  @Test
  void traceIdAloneGivesSpanZero() {
    assertEquals(result(HI, LO, 0, "attribute trace_id"), X.extract(attrs(kv("trace_id", TRACE))));
  }

  @Test
  void allZeroSpanIdIsAbsent() {
    assertEquals(
        result(HI, LO, 0, "attribute trace_id"),
        X.extract(attrs(kv("trace_id", TRACE), kv("span_id", "0000000000000000"))));
  }

  @Test
  void invalidSpanIdFallsToTheNextSpanField() {
    LogRecord r =
        attrs(kv("trace_id", TRACE), kv("span_id", "b7ad6b716920333"), kv("spanId", SPAN));
    assertEquals(result(HI, LO, SP, "attribute trace_id"), X.extract(r));
  }

  @ParameterizedTest(name = "trace_id \"{0}\" is not an id")
  @ValueSource(
      strings = {
        "",
        "   ",
        "0af7651916cd43dd8448eb211c80319", // 31 digits, odd
        "0af7651916cd43dd8448eb211c80319c0", // 33 digits
        "0af7651916cd43dd8448eb211c80319g", // non-hex
        "0af7651916cd43d", // 15 digits
        "8448eb211c80319c0a", // 18 digits
        "00000000000000000000000000000000",
        "0000000000000000",
        "0x8448eb211c80319c",
        "0af76519-16cd-43dd-8448-eb211c80319c",
        "１２３４５６７８９０１２３４５６", // full-width digits
        "12345", // decimal outside a dd. field
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" // a header is not a trace_id
        // value
      })
  void malformedTraceIdsAreAbsent(String value) {
    assertNull(X.extract(attrs(kv("trace_id", value), kv("span_id", SPAN))));
  }

  @Test
  void malformedFieldFallsToTheNextField() {
    LogRecord r =
        attrs(
            kv("trace_id", "0af7651916cd43dd8448eb211c80319"),
            kv("traceId", TRACE),
            kv("spanId", SPAN));
    assertEquals(result(HI, LO, SP, "attribute traceId"), X.extract(r));
  }

  @Test
  void malformedAttributeFallsToTheBody() {
    LogRecord r =
        LogRecord.newBuilder()
            .addAttributes(kv("trace_id", "00000000000000000000000000000000"))
            .setBody(str("{\"trace_id\":\"" + TRACE + "\",\"span_id\":\"" + SPAN + "\"}"))
            .build();
    assertEquals(result(HI, LO, SP, "body field trace_id"), X.extract(r));
  }

  @Test
  void nonStringNonIntValuesAreIgnored() {
    assertNull(X.extract(attrs(kv("trace_id", AnyValue.newBuilder().setBoolValue(true).build()))));
    assertNull(
        X.extract(attrs(kv("dd.trace_id", AnyValue.newBuilder().setDoubleValue(1.8e19).build()))));
    assertNull(
        X.extract(attrs(kv("trace_id", AnyValue.newBuilder().setBytesValue(id(TRACE)).build()))));
    assertNull(X.extract(attrs(kv("trace_id", kvlist(kv("x", TRACE))))));
  }

  // ---- Datadog decimal ----

  @Test
  void datadogDecimalMaxValue() {
    LogRecord r =
        attrs(kv("dd.trace_id", "18446744073709551615"), kv("dd.span_id", "18446744073709551615"));
    assertEquals(result(0, -1L, -1L, "attribute dd.trace_id"), X.extract(r));
  }

  @Test
  void datadogDecimalAsIntAnyValue() {
    assertEquals(
        result(0, 1234567890123456789L, 987654321L, "attribute dd.trace_id"),
        X.extract(attrs(kv("dd.trace_id", 1234567890123456789L), kv("dd.span_id", 987654321L))));
    // u64 max can only travel as the int64 -1.
    assertEquals(
        result(0, -1L, 0, "attribute dd.trace_id"), X.extract(attrs(kv("dd.trace_id", -1L))));
  }

  @Test
  void datadogDecimalAsJsonNumbers() {
    String json =
        "{\"message\":\"x\",\"dd\":{\"trace_id\":18446744073709551615,\"span_id\":42,\"env\":\"prod\"}}";
    assertEquals(result(0, -1L, 42, "body field dd.trace_id"), X.extract(body(json)));
  }

  @Test
  void datadogDecimalLeadingZerosAndSixteenDigits() {
    assertEquals(
        result(0, 123, 0, "attribute dd.trace_id"), X.extract(attrs(kv("dd.trace_id", "000123"))));
    // Sixteen decimal digits in a dd. field are Datadog's decimal, not hex.
    assertEquals(
        result(0, 1234567890123456L, 0, "attribute dd.trace_id"),
        X.extract(attrs(kv("dd.trace_id", "1234567890123456"))));
  }

  @Test
  void datadogHex128() {
    assertEquals(
        result(HI, LO, SP, "attribute dd.trace_id"),
        X.extract(attrs(kv("dd.trace_id", TRACE), kv("dd.span_id", SPAN))));
    // 32 digits without a letter are still hex: no u64 has 32 decimal digits.
    assertEquals(
        result(0x0000000000000000L, 0x1234567890123456L, 0, "attribute dd.trace_id"),
        X.extract(attrs(kv("dd.trace_id", "00000000000000001234567890123456"))));
  }

  @ParameterizedTest(name = "dd.trace_id \"{0}\" is not an id")
  @ValueSource(
      strings = {
        "18446744073709551616",
        "18446744073709551617",
        "18446744073709551625",
        "99999999999999999999",
        "123456789012345678901",
        "-1",
        "+5",
        "1e3",
        "0",
        "12 34"
      })
  void datadogDecimalOutOfRangeOrMalformed(String value) {
    assertNull(X.extract(attrs(kv("dd.trace_id", value))));
  }

  @Test
  void decimalOnlyInDatadogFields() {
    assertNull(X.extract(attrs(kv("trace_id", 12345L))));
    assertNull(X.extract(attrs(kv("dd.trace_id", 0L))));
    assertNull(X.extract(body("{\"trace_id\":12345}")));
    assertNull(X.extract(body("{\"dd.trace_id\":-5}")));
    assertNull(X.extract(body("{\"dd.trace_id\":1.5}")));
    // A decimal span id outside dd. is ignored; the hex trace id still counts.
    assertEquals(
        result(HI, LO, 0, "attribute trace_id"),
        X.extract(attrs(kv("trace_id", TRACE), kv("span_id", 42L))));
  }

  // ---- W3C ----

  @Test
  void w3cTraceparent() {
    assertEquals(
        result(HI, LO, SP, "attribute traceparent (W3C)"),
        header("traceparent", "00-" + TRACE + "-" + SPAN + "-01"));
    assertEquals(
        result(HI, LO, SP, "attribute traceparent (W3C)"),
        header("traceparent", "00-" + TRACE.toUpperCase(Locale.ROOT) + "-" + SPAN + "-00"));
  }

  @Test
  void w3cFutureVersionMayAppendFields() {
    assertEquals(
        result(HI, LO, SP, "attribute traceparent (W3C)"),
        header("traceparent", "01-" + TRACE + "-" + SPAN + "-01"));
    assertEquals(
        result(HI, LO, SP, "attribute traceparent (W3C)"),
        header("traceparent", "cc-" + TRACE + "-" + SPAN + "-09-what-ever"));
  }

  @ParameterizedTest(name = "traceparent \"{0}\" is invalid")
  @ValueSource(
      strings = {
        "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra",
        "cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01x",
        "00-00000000000000000000000000000000-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0g",
        "00-0af7651916cd43dd8448eb211c80319-cb7ad6b7169203331-01",
        "00_0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331_01",
        "0g-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "00-8448eb211c80319c-b7ad6b7169203331-01"
      })
  void w3cInvalid(String value) {
    assertNull(header("traceparent", value));
  }

  // ---- B3 ----

  @Test
  void b3SingleHeader() {
    assertEquals(
        result(HI, LO, SP, "attribute b3 (B3)"),
        header("b3", TRACE + "-" + SPAN + "-1-05e3ac9a4f6e3b90"));
    assertEquals(result(HI, LO, SP, "attribute b3 (B3)"), header("b3", TRACE + "-" + SPAN + "-d"));
    assertEquals(result(HI, LO, SP, "attribute b3 (B3)"), header("b3", TRACE + "-" + SPAN));
    assertEquals(
        result(0, LO, SP, "attribute b3 (B3)"), header("b3", "8448eb211c80319c-" + SPAN + "-0"));
  }

  @ParameterizedTest(name = "b3 \"{0}\" carries no ids")
  @ValueSource(
      strings = {
        "0",
        "1",
        "d",
        "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-x",
        "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-10",
        "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1-05e3ac9a",
        "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1-05e3ac9a4f6e3b90-x",
        "0af7651916cd43dd8448eb211c80319c-b7ad6b716920333",
        "0af7651916cd43dd8448eb211c8031-b7ad6b7169203331",
        "0af7651916cd43dd8448eb211c80319c",
        "00000000000000000000000000000000-b7ad6b7169203331",
        "0af7651916cd43dd8448eb211c80319c-0000000000000000-1"
      })
  void b3Invalid(String value) {
    assertNull(header("b3", value));
  }

  // ---- Jaeger ----

  @Test
  void uberTraceId() {
    assertEquals(
        result(HI, LO, SP, "attribute uber-trace-id (Jaeger)"),
        header("uber-trace-id", TRACE + ":" + SPAN + ":0:1"));
    assertEquals(
        result(0, LO, SP, "attribute uber-trace-id (Jaeger)"),
        header("uber-trace-id", "8448eb211c80319c:" + SPAN + ":05e3ac9a4f6e3b90:3"));
  }

  @Test
  void uberTraceIdWithoutLeadingZeros() {
    assertEquals(
        result(HI, LO, SP, "attribute uber-trace-id (Jaeger)"),
        header("uber-trace-id", "af7651916cd43dd8448eb211c80319c:" + SPAN + ":0:1"));
    assertEquals(
        result(0, 0x1a2bL, 0x3cL, "attribute uber-trace-id (Jaeger)"),
        header("uber-trace-id", "1a2b:3c:0:1"));
    assertEquals(
        result(0x5L, LO, SP, "attribute uber-trace-id (Jaeger)"),
        header("uber-trace-id", "5" + "8448eb211c80319c:" + SPAN + ":0:01"));
  }

  @Test
  void uberTraceIdUrlEncoded() {
    assertEquals(
        result(HI, LO, SP, "attribute uber-trace-id (Jaeger)"),
        header("uber-trace-id", TRACE + "%3A" + SPAN + "%3A0%3A1"));
    assertEquals(
        result(HI, LO, SP, "attribute uber-trace-id (Jaeger)"),
        header("uber-trace-id", TRACE + "%3a" + SPAN + ":0%3a1"));
  }

  @ParameterizedTest(name = "uber-trace-id \"{0}\" is invalid")
  @ValueSource(
      strings = {
        "0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0",
        "0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0:1:2",
        "00af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0:1",
        "0af7651916cd43dd8448eb211c80319c:0b7ad6b7169203331:0:1",
        "0af7651916cd43dd8448eb211c80319c::0:1",
        "0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0:",
        "0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331:0:123",
        "0:b7ad6b7169203331:0:1",
        "0af7651916cd43dd8448eb211c80319c:0:0:1",
        "0af7651916cd43dd8448eb211c80319c%3Bb7ad6b7169203331%3A0%3A1",
        "0af7651916cd43dd8448eb211c80319c%3",
        "0af7651916cd43dd8448eb211c80319z:b7ad6b7169203331:0:1"
      })
  void uberTraceIdInvalid(String value) {
    assertNull(header("uber-trace-id", value));
  }

  // ---- X-Ray ----

  private static final String XRAY_ROOT = "Root=1-5759e988-bd862e3fe1be46a994272793";
  private static final Result XRAY =
      result(
          0x5759e988bd862e3fL,
          0xe1be46a994272793L,
          0x53995c3f42cd8ad8L,
          "attribute X-Amzn-Trace-Id (X-Ray)");

  @Test
  void xRayInAnyPartOrder() {
    assertEquals(XRAY, header("X-Amzn-Trace-Id", XRAY_ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1"));
    assertEquals(
        XRAY, header("X-Amzn-Trace-Id", "Parent=53995c3f42cd8ad8;" + XRAY_ROOT + ";Sampled=1"));
    assertEquals(XRAY, header("X-Amzn-Trace-Id", "Sampled=1;Parent=53995c3f42cd8ad8;" + XRAY_ROOT));
    assertEquals(
        XRAY,
        header(
            "X-Amzn-Trace-Id",
            "Sampled=?; Parent=53995C3F42CD8AD8 ; "
                + XRAY_ROOT.toUpperCase(Locale.ROOT).replace("ROOT", "Root")
                + ";"));
  }

  @Test
  void xRayFieldNames() {
    String v = XRAY_ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:1|68fd508a:5";
    assertEquals(XRAY, header("X-Amzn-Trace-Id", v));
    assertEquals(
        result(
            XRAY.traceIdHigh(),
            XRAY.traceIdLow(),
            XRAY.spanId(),
            "attribute x-amzn-trace-id (X-Ray)"),
        header("x-amzn-trace-id", v));
    assertEquals(
        result(
            XRAY.traceIdHigh(),
            XRAY.traceIdLow(),
            XRAY.spanId(),
            "attribute _X_AMZN_TRACE_ID (X-Ray)"),
        header("_X_AMZN_TRACE_ID", v));
  }

  @Test
  void xRaySelfIsNotTheRootAndParentIsOptional() {
    // What an ALB adds: its own segment first, then the trace root, and no parent.
    Result r =
        header(
            "X-Amzn-Trace-Id",
            "Self=1-67891234-12456789abcdef012345678;Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
    assertEquals(
        result(XRAY.traceIdHigh(), XRAY.traceIdLow(), 0, "attribute X-Amzn-Trace-Id (X-Ray)"), r);
  }

  @ParameterizedTest(name = "X-Ray \"{0}\" is invalid")
  @ValueSource(
      strings = {
        "Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
        "Root=1-5759e988-bd862e3fe1be46a99427279;Parent=53995c3f42cd8ad8",
        "Root=1-5759e98-8bd862e3fe1be46a994272793",
        "Root=1-5759e988bd862e3fe1be46a994272793x",
        "Root=1-5759e988-bd862e3fe1be46a99427279g",
        "Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8",
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad",
        "Root=1-5759e988-bd862e3fe1be46a994272793;Root=1-5759e988-bd862e3fe1be46a994272794",
        "Parent=53995c3f42cd8ad8;Sampled=1",
        "Self=1-5759e988-bd862e3fe1be46a994272793"
      })
  void xRayInvalid(String value) {
    assertNull(header("X-Amzn-Trace-Id", value));
  }

  @Test
  void headerInAJsonBody() {
    String json = "{\"msg\":\"in\",\"traceparent\":\"00-" + TRACE + "-" + SPAN + "-01\"}";
    assertEquals(result(HI, LO, SP, "body field traceparent (W3C)"), X.extract(body(json)));
  }

  @Test
  void headerFormatIsReadFromTheValueNotTheName() {
    assertEquals(
        result(HI, LO, SP, "attribute traceparent (B3)"),
        header("traceparent", TRACE + "-" + SPAN + "-1"));
  }

  // ---- priorities ----

  @Test
  void earlierListedFieldWinsWhateverTheKeyOrder() {
    LogRecord r =
        attrs(
            kv("traceId", OTHER_TRACE),
            kv("spanId", "1111111111111111"),
            kv("trace_id", TRACE),
            kv("span_id", SPAN));
    assertEquals(result(HI, LO, SP, "attribute trace_id"), X.extract(r));
    LogRecord reversed =
        attrs(
            kv("trace_id", TRACE),
            kv("span_id", SPAN),
            kv("traceId", OTHER_TRACE),
            kv("spanId", "1111111111111111"));
    assertEquals(result(HI, LO, SP, "attribute trace_id"), X.extract(reversed));
  }

  @Test
  void traceIdFieldsBeatHeaders() {
    LogRecord r =
        attrs(
            kv("traceparent", "00-" + OTHER_TRACE + "-1111111111111111-01"),
            kv("trace_id", TRACE),
            kv("span_id", SPAN));
    assertEquals(result(HI, LO, SP, "attribute trace_id"), X.extract(r));
  }

  @Test
  void headerSpanIsNotMixedIntoATraceIdField() {
    LogRecord r =
        attrs(kv("trace_id", TRACE), kv("traceparent", "00-" + TRACE + "-1111111111111111-01"));
    assertEquals(result(HI, LO, 0, "attribute trace_id"), X.extract(r));
  }

  @Test
  void earlierHeaderFieldWins() {
    LogRecord r =
        attrs(
            kv("b3", OTHER_TRACE + "-1111111111111111"),
            kv("traceparent", "00-" + TRACE + "-" + SPAN + "-01"));
    assertEquals(result(HI, LO, SP, "attribute traceparent (W3C)"), X.extract(r));
    LogRecord reversed =
        attrs(
            kv("traceparent", "00-" + TRACE + "-" + SPAN + "-01"),
            kv("b3", OTHER_TRACE + "-1111111111111111"));
    assertEquals(result(HI, LO, SP, "attribute traceparent (W3C)"), X.extract(reversed));
  }

  @Test
  void invalidHeaderFallsToTheNextHeader() {
    LogRecord r =
        attrs(
            kv("traceparent", "ff-" + TRACE + "-" + SPAN + "-01"),
            kv("b3", "0"),
            kv("uber-trace-id", TRACE + ":" + SPAN + ":0:1"));
    assertEquals(result(HI, LO, SP, "attribute uber-trace-id (Jaeger)"), X.extract(r));
  }

  @Test
  void attributesBeatTheBody() {
    LogRecord r =
        LogRecord.newBuilder()
            .addAttributes(kv("traceparent", "00-" + TRACE + "-" + SPAN + "-01"))
            .setBody(str("{\"trace_id\":\"" + OTHER_TRACE + "\"}"))
            .build();
    assertEquals(result(HI, LO, SP, "attribute traceparent (W3C)"), X.extract(r));
  }

  @Test
  void spanIdAloneIsNotUsable() {
    assertNull(X.extract(attrs(kv("span_id", SPAN), kv("msg", "x"))));
  }

  @Test
  void idsAreNotCombinedAcrossSources() {
    LogRecord r =
        LogRecord.newBuilder()
            .addAttributes(kv("span_id", SPAN))
            .setBody(str("{\"trace_id\":\"" + TRACE + "\"}"))
            .build();
    assertEquals(result(HI, LO, 0, "body field trace_id"), X.extract(r));
  }

  // ---- JSON bounds and garbage ----

  @ParameterizedTest(name = "body {0}")
  @ValueSource(
      strings = {
        "{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\",",
        "{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\"",
        "{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\"} trailing text",
        "{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\"} {}",
        "{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\",\"x\":}",
        "{'trace_id':'0af7651916cd43dd8448eb211c80319c'}",
        "{trace_id=0af7651916cd43dd8448eb211c80319c}",
        "{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\",\"x\":[1,2}",
        "[{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\"}]",
        "trace_id=0af7651916cd43dd8448eb211c80319c span_id=b7ad6b7169203331",
        "\"0af7651916cd43dd8448eb211c80319c\"",
        "",
        "{",
        "}"
      })
  void brokenOrNonObjectJsonBodiesNameNothing(String s) {
    assertNull(X.extract(body(s)));
  }

  @Test
  void bodyOver64KiBIsNotParsed() {
    String pad = "x".repeat(100 * 1024);
    assertNull(X.extract(body("{\"trace_id\":\"" + TRACE + "\",\"pad\":\"" + pad + "\"}")));
  }

  @Test
  void bodyJustUnder64KiBIsParsed() {
    String head = "{\"trace_id\":\"" + TRACE + "\",\"pad\":\"";
    String json = head + "x".repeat(64 * 1024 - head.length() - 2) + "\"}";
    assertEquals(64 * 1024, json.length());
    assertEquals(result(HI, LO, 0, "body field trace_id"), X.extract(body(json)));
    String over = head + "x".repeat(64 * 1024 - head.length() - 1) + "\"}";
    assertNull(X.extract(body(over)));
  }

  private static String nestedJson(int depth) {
    // The top-level object is depth 1; each "a" adds one level.
    return "{\"trace_id\":\""
        + TRACE
        + "\",\"a\":"
        + "{\"a\":".repeat(depth - 2)
        + "{}"
        + "}".repeat(depth - 2)
        + "}";
  }

  @Test
  void jsonDepthSixteenIsRead() {
    assertEquals(result(HI, LO, 0, "body field trace_id"), X.extract(body(nestedJson(16))));
  }

  @Test
  void jsonDeeperThanSixteenIsNotUsed() {
    assertNull(X.extract(body(nestedJson(17))));
    assertNull(
        X.extract(
            body(
                "{\"trace_id\":\""
                    + TRACE
                    + "\",\"a\":"
                    + "[".repeat(5000)
                    + "]".repeat(5000)
                    + "}")));
  }

  @Test
  void deepJsonBodyFallsBackToNothingButAttributesStillCount() {
    LogRecord r =
        LogRecord.newBuilder()
            .addAttributes(kv("trace_id", TRACE))
            .setBody(str(nestedJson(40)))
            .build();
    assertEquals(result(HI, LO, 0, "attribute trace_id"), X.extract(r));
  }

  // ---- OTLP context ----

  @Test
  void otlpContextWins() {
    LogRecord r =
        LogRecord.newBuilder()
            .setTraceId(id(OTHER_TRACE))
            .setSpanId(id("1111111111111111"))
            .addAttributes(kv("trace_id", TRACE))
            .addAttributes(kv("span_id", SPAN))
            .build();
    assertNull(X.extract(r));
    assertNull(X.extract(r.toBuilder().clearSpanId().build()));
  }

  @Test
  void allZeroOtlpIdsAreNoContext() {
    LogRecord r =
        LogRecord.newBuilder()
            .setTraceId(ByteString.copyFrom(new byte[16]))
            .setSpanId(ByteString.copyFrom(new byte[8]))
            .addAttributes(kv("trace_id", TRACE))
            .addAttributes(kv("span_id", SPAN))
            .build();
    assertEquals(result(HI, LO, SP, "attribute trace_id"), X.extract(r));
  }

  @Test
  void malformedOtlpTraceIdIsLeftToValidation() {
    LogRecord r =
        LogRecord.newBuilder()
            .setTraceId(id("0000000000000000"))
            .addAttributes(kv("trace_id", TRACE))
            .build();
    assertNull(X.extract(r));
  }

  @Test
  void emptyRecordNamesNothing() {
    assertNull(X.extract(LogRecord.getDefaultInstance()));
    assertNull(
        X.extract(LogRecord.newBuilder().setBody(AnyValue.newBuilder().setIntValue(7)).build()));
  }

  // ---- configuration ----

  @Test
  void customFieldLists() {
    LogContextExtractor x =
        new LogContextExtractor(List.of("ctx.tid"), List.of("ctx.sid"), List.of("x-trace"));
    assertNull(
        x.extract(
            attrs(kv("trace_id", TRACE), kv("traceparent", "00-" + TRACE + "-" + SPAN + "-01"))));
    assertEquals(
        result(HI, LO, SP, "attribute ctx.tid"),
        x.extract(attrs(nested("ctx", kv("tid", TRACE), kv("sid", SPAN)))));
    assertEquals(
        result(HI, LO, SP, "body field ctx.tid"),
        x.extract(body("{\"ctx\":{\"tid\":\"" + TRACE + "\",\"sid\":\"" + SPAN + "\"}}")));
    assertEquals(
        result(HI, LO, SP, "attribute x-trace (W3C)"),
        x.extract(attrs(kv("x-trace", "00-" + TRACE + "-" + SPAN + "-01"))));
    assertEquals(
        result(HI, LO, SP, "attribute x-trace (Jaeger)"),
        x.extract(attrs(kv("x-trace", TRACE + ":" + SPAN + ":0:1"))));
  }

  @Test
  void customDatadogNamesAcceptDecimal() {
    LogContextExtractor x =
        new LogContextExtractor(List.of("dd.custom_trace"), List.of("dd.custom_span"), List.of());
    assertEquals(
        result(0, 99, 7, "attribute dd.custom_trace"),
        x.extract(attrs(kv("dd.custom_trace", "99"), kv("dd.custom_span", 7L))));
  }

  @Test
  void capturedHeaderArrayAttribute() {
    LogContextExtractor x =
        new LogContextExtractor(List.of(), List.of(), List.of("http.request.header.traceparent"));
    AnyValue headers =
        AnyValue.newBuilder()
            .setArrayValue(
                ArrayValue.newBuilder()
                    .addValues(str("00-" + TRACE + "-" + SPAN + "-01"))
                    .addValues(str("ignored")))
            .build();
    assertEquals(
        result(HI, LO, SP, "attribute http.request.header.traceparent (W3C)"),
        x.extract(attrs(kv("http.request.header.traceparent", headers))));
  }

  @Test
  void constructorRejectsAmbiguousOrEmptyNames() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new LogContextExtractor(List.of("x"), List.of(), List.of("x")));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LogContextExtractor(List.of("trace_id"), List.of("trace_id"), List.of()));
    for (String bad : List.of("", ".a", "a.", "a..b")) {
      assertThrows(
          IllegalArgumentException.class,
          () -> new LogContextExtractor(List.of(bad), List.of(), List.of()),
          bad);
    }
  }

  @Test
  void repeatedNameInOneListKeepsItsFirstPosition() {
    LogContextExtractor x = new LogContextExtractor(List.of("a", "b", "a"), List.of(), List.of());
    assertEquals(
        result(HI, LO, 0, "attribute a"), x.extract(attrs(kv("b", OTHER_TRACE), kv("a", TRACE))));
    assertEquals(
        result(HI, LO, 0, "attribute a"), x.extract(attrs(kv("a", TRACE), kv("b", OTHER_TRACE))));
  }

  @Test
  void defaultsAreShared() {
    assertSame(LogContextExtractor.defaults(), LogContextExtractor.defaults());
  }

  @Test
  void resultPrintsHexIds() {
    assertEquals(
        "trace " + TRACE + " span " + SPAN + " from attribute trace_id",
        result(HI, LO, SP, "attribute trace_id").toString());
  }

  // ---- round trips ----

  private static final int CASES = 1_000;

  /** A random non-zero long. */
  private static long nonZero(Random rnd) {
    long v;
    do {
      v = rnd.nextLong();
    } while (v == 0);
    return v;
  }

  /** {@code hex} with each letter's case picked at random. */
  private static String randomCase(Random rnd, String hex) {
    char[] c = hex.toCharArray();
    for (int i = 0; i < c.length; i++) {
      if (rnd.nextBoolean()) {
        c[i] = Character.toUpperCase(c[i]);
      }
    }
    return new String(c);
  }

  @Test
  void roundTripHexFields() {
    Random rnd = new Random(1);
    for (int i = 0; i < CASES; i++) {
      long hi = nonZero(rnd);
      long lo = nonZero(rnd);
      long span = nonZero(rnd);
      assertEquals(
          result(hi, lo, span, "attribute trace_id"),
          X.extract(
              attrs(
                  kv("trace_id", randomCase(rnd, Ids.hex(hi, lo))),
                  kv("span_id", randomCase(rnd, Ids.hex(span))))));
      assertEquals(
          result(0, lo, span, "attribute traceId"),
          X.extract(
              attrs(kv("traceId", randomCase(rnd, Ids.hex(lo))), kv("spanId", Ids.hex(span)))));
    }
  }

  @Test
  void roundTripJsonBodies() {
    Random rnd = new Random(2);
    for (int i = 0; i < CASES; i++) {
      long hi = nonZero(rnd);
      long lo = nonZero(rnd);
      long span = nonZero(rnd);
      String json =
          "{\"level\":\"info\",\"openTelemetry\":{\"traceId\":\""
              + Ids.hex(hi, lo)
              + "\",\"spanId\":\""
              + Ids.hex(span)
              + "\"}}";
      assertEquals(result(hi, lo, span, "body field openTelemetry.traceId"), X.extract(body(json)));
    }
  }

  @Test
  void roundTripDatadogDecimal() {
    Random rnd = new Random(3);
    for (int i = 0; i < CASES; i++) {
      long lo = nonZero(rnd);
      long span = nonZero(rnd);
      Result expected = result(0, lo, span, "attribute dd.trace_id");
      assertEquals(
          expected,
          X.extract(
              attrs(
                  kv("dd.trace_id", Long.toUnsignedString(lo)),
                  kv("dd.span_id", Long.toUnsignedString(span)))));
      assertEquals(expected, X.extract(attrs(kv("dd.trace_id", lo), kv("dd.span_id", span))));
      String json =
          "{\"dd\":{\"trace_id\":"
              + Long.toUnsignedString(lo)
              + ",\"span_id\":\""
              + Long.toUnsignedString(span)
              + "\"}}";
      assertEquals(result(0, lo, span, "body field dd.trace_id"), X.extract(body(json)));
    }
  }

  @Test
  void roundTripTraceparent() {
    Random rnd = new Random(4);
    for (int i = 0; i < CASES; i++) {
      long hi = nonZero(rnd);
      long lo = nonZero(rnd);
      long span = nonZero(rnd);
      String flags = rnd.nextBoolean() ? "01" : "00";
      assertEquals(
          result(hi, lo, span, "attribute traceparent (W3C)"),
          header("traceparent", "00-" + Ids.hex(hi, lo) + "-" + Ids.hex(span) + "-" + flags));
    }
  }

  @Test
  void roundTripB3() {
    Random rnd = new Random(5);
    String[] tails = {"", "-0", "-1", "-d"};
    for (int i = 0; i < CASES; i++) {
      long hi = nonZero(rnd);
      long lo = nonZero(rnd);
      long span = nonZero(rnd);
      String tail = tails[rnd.nextInt(tails.length)];
      if (!tail.isEmpty() && rnd.nextBoolean()) {
        tail += "-" + Ids.hex(nonZero(rnd));
      }
      assertEquals(
          result(hi, lo, span, "attribute b3 (B3)"),
          header("b3", Ids.hex(hi, lo) + "-" + Ids.hex(span) + tail));
      assertEquals(
          result(0, lo, span, "attribute b3 (B3)"),
          header("b3", Ids.hex(lo) + "-" + Ids.hex(span) + tail));
    }
  }

  /** A random non-zero long, often with leading zero digits. */
  private static long shortened(Random rnd) {
    long v;
    do {
      v = rnd.nextLong() >>> rnd.nextInt(60);
    } while (v == 0);
    return v;
  }

  @Test
  void roundTripUberTraceId() {
    Random rnd = new Random(6);
    for (int i = 0; i < CASES; i++) {
      // Shift some ids right so leading zeros (which Jaeger drops) are common.
      long hi = rnd.nextInt(4) == 0 ? 0 : shortened(rnd);
      long lo = shortened(rnd);
      long span = shortened(rnd);
      String trace = hi == 0 ? Long.toHexString(lo) : Long.toHexString(hi) + Ids.hex(lo);
      String sep = rnd.nextBoolean() ? ":" : rnd.nextBoolean() ? "%3A" : "%3a";
      String v =
          trace
              + sep
              + Long.toHexString(span)
              + sep
              + Long.toHexString(rnd.nextLong())
              + sep
              + Integer.toHexString(rnd.nextInt(256));
      assertEquals(
          result(hi, lo, span, "attribute uber-trace-id (Jaeger)"), header("uber-trace-id", v), v);
    }
  }

  @Test
  void roundTripXRay() {
    Random rnd = new Random(7);
    for (int i = 0; i < CASES; i++) {
      long hi = nonZero(rnd);
      long lo = nonZero(rnd);
      long span = nonZero(rnd);
      String t = Ids.hex(hi, lo);
      List<String> parts =
          new ArrayList<>(
              List.of(
                  "Root=1-" + t.substring(0, 8) + "-" + t.substring(8),
                  "Parent=" + Ids.hex(span),
                  "Sampled=" + rnd.nextInt(2)));
      if (rnd.nextBoolean()) {
        parts.add("Lineage=a87bd80c:" + rnd.nextInt(10));
      }
      Collections.shuffle(parts, rnd);
      String v = String.join(";", parts);
      assertEquals(
          result(hi, lo, span, "attribute _X_AMZN_TRACE_ID (X-Ray)"),
          header("_X_AMZN_TRACE_ID", v),
          v);
    }
  }
}
