package dev.seam.collector.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.seam.collector.model.Severity;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class LogNormalizerTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN = "b7ad6b7169203331";

  private static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  @Test
  void timeIsTheRecordsOwnWhenSet() {
    LogRecord r = LogRecord.newBuilder().setTimeUnixNano(100).setObservedTimeUnixNano(200).build();
    assertEquals(100L, LogNormalizer.timeNanos(r));
  }

  @Test
  void timeFallsBackToObservedWhenZero() {
    LogRecord r = LogRecord.newBuilder().setTimeUnixNano(0).setObservedTimeUnixNano(200).build();
    assertEquals(200L, LogNormalizer.timeNanos(r));
  }

  @Test
  void spanRefIsNullWithoutIds() {
    assertNull(LogNormalizer.spanRef(LogRecord.newBuilder().build()));
    assertNull(LogNormalizer.spanRef(LogRecord.newBuilder().setTraceId(id(TRACE)).build()));
    assertNull(LogNormalizer.spanRef(LogRecord.newBuilder().setSpanId(id(SPAN)).build()));
  }

  @Test
  void spanRefIsNullForAllZeroIds() {
    ByteString zeroTrace = ByteString.copyFrom(new byte[16]);
    ByteString zeroSpan = ByteString.copyFrom(new byte[8]);
    assertNull(
        LogNormalizer.spanRef(
            LogRecord.newBuilder().setTraceId(zeroTrace).setSpanId(zeroSpan).build()));
    assertNull(
        LogNormalizer.spanRef(
            LogRecord.newBuilder().setTraceId(zeroTrace).setSpanId(id(SPAN)).build()));
    assertNull(
        LogNormalizer.spanRef(
            LogRecord.newBuilder().setTraceId(id(TRACE)).setSpanId(zeroSpan).build()));
  }

  @Test
  void spanRefReadsSixteenAndEightByteIds() {
    LogNormalizer.SpanRef ref =
        LogNormalizer.spanRef(
            LogRecord.newBuilder().setTraceId(id(TRACE)).setSpanId(id(SPAN)).build());
    assertEquals(
        new LogNormalizer.SpanRef(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0xb7ad6b7169203331L),
        ref);
  }

  @Test
  void wellFormedAndEmptyIdsAreValid() {
    assertNull(LogNormalizer.invalidReason(LogRecord.newBuilder().build()));
    assertNull(
        LogNormalizer.invalidReason(
            LogRecord.newBuilder().setTraceId(id(TRACE)).setSpanId(id(SPAN)).build()));
  }

  @Test
  void threeByteSpanIdIsInvalid() {
    String reason =
        LogNormalizer.invalidReason(
            LogRecord.newBuilder().setTraceId(id(TRACE)).setSpanId(id("b7ad6b")).build());
    assertNotNull(reason);
    assertTrue(reason.contains("3-byte span_id"), reason);
  }

  @Test
  void wrongLengthTraceIdIsInvalid() {
    String reason =
        LogNormalizer.invalidReason(
            LogRecord.newBuilder().setTraceId(id("0af7651916cd43dd")).setSpanId(id(SPAN)).build());
    assertNotNull(reason);
    assertTrue(reason.contains("8-byte trace_id"), reason);
  }

  @Test
  void severityFromNumberThenText() {
    assertEquals(
        Severity.ERROR,
        LogNormalizer.severity(
            LogRecord.newBuilder()
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
                .build()));
    assertEquals(
        Severity.FATAL,
        LogNormalizer.severity(
            LogRecord.newBuilder()
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_FATAL4)
                .build()));
    assertEquals(
        Severity.WARN,
        LogNormalizer.severity(LogRecord.newBuilder().setSeverityText("WARN").build()));
    assertEquals(Severity.INFO, LogNormalizer.severity(LogRecord.newBuilder().build()));
  }
}
