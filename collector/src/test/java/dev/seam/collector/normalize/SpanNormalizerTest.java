package dev.seam.collector.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Longer than most test classes: one case per attribute dialect of both semantic-convention
 * generations.
 */
class SpanNormalizerTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String SPAN = "b7ad6b7169203331";
  private static final String PARENT = "00f067aa0ba902b7";
  private static final long T0 = 1_767_225_600_000_000_000L;
  private static final Origin ORIGIN = new Origin("checkout", "go", "node-1/42", "node-1/42");

  private static final SpanNormalizer NORMALIZER = new SpanNormalizer(Set.of());

  private static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  private static ByteString zeros(int n) {
    return ByteString.copyFrom(new byte[n]);
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue attr(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  /** A well-formed span with a parent, 10 ms long. */
  private static io.opentelemetry.proto.trace.v1.Span.Builder span(
      io.opentelemetry.proto.trace.v1.Span.SpanKind kind) {
    return io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(id(TRACE))
        .setSpanId(id(SPAN))
        .setParentSpanId(id(PARENT))
        .setName("op")
        .setKind(kind)
        .setStartTimeUnixNano(T0)
        .setEndTimeUnixNano(T0 + 10_000_000L);
  }

  private static io.opentelemetry.proto.trace.v1.Span.Builder client() {
    return span(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT);
  }

  private static io.opentelemetry.proto.trace.v1.Span.Builder server() {
    return span(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER);
  }

  private static Span norm(io.opentelemetry.proto.trace.v1.Span.Builder b) {
    io.opentelemetry.proto.trace.v1.Span s = b.build();
    assertNull(SpanNormalizer.invalidReason(s));
    return NORMALIZER.normalize(s, ORIGIN);
  }

  private static Status status(Status.StatusCode code, String message) {
    return Status.newBuilder().setCode(code).setMessage(message).build();
  }

  // --- invalidReason ---

  @Test
  void wellFormedIdsHaveNoReason() {
    assertNull(SpanNormalizer.invalidReason(client().build()));
    assertNull(SpanNormalizer.invalidReason(client().setParentSpanId(ByteString.EMPTY).build()));
  }

  @Test
  void fifteenByteTraceIdIsRefused() {
    String reason =
        SpanNormalizer.invalidReason(client().setTraceId(id(TRACE).substring(0, 15)).build());
    assertNotNull(reason);
    assertTrue(reason.contains("15-byte trace_id"), reason);
  }

  @Test
  void emptySpanIdIsRefused() {
    String reason = SpanNormalizer.invalidReason(client().setSpanId(ByteString.EMPTY).build());
    assertNotNull(reason);
    assertTrue(reason.contains("0-byte span_id"), reason);
  }

  @Test
  void fourByteParentIdIsRefused() {
    String reason = SpanNormalizer.invalidReason(client().setParentSpanId(id("00f067aa")).build());
    assertNotNull(reason);
    assertTrue(reason.contains("4-byte parent_span_id"), reason);
  }

  @Test
  void allZeroTraceIdIsRefused() {
    String reason = SpanNormalizer.invalidReason(client().setTraceId(zeros(16)).build());
    assertNotNull(reason);
    assertTrue(reason.contains("all-zero trace_id"), reason);
  }

  @Test
  void allZeroSpanIdIsRefused() {
    String reason = SpanNormalizer.invalidReason(client().setSpanId(zeros(8)).build());
    assertNotNull(reason);
    assertTrue(reason.contains("all-zero span_id"), reason);
  }

  @Test
  void traceIdWithOnlyTheLowHalfSetIsFine() {
    assertNull(
        SpanNormalizer.invalidReason(
            client().setTraceId(id("00000000000000000000000000000001")).build()));
  }

  // --- ids, kind, times, flags ---

  @Test
  void idsTimesAndOriginAreCarriedOver() {
    Span s = norm(client().setName("GET /quote"));
    assertEquals(0x0af7651916cd43ddL, s.traceIdHigh());
    assertEquals(0x8448eb211c80319cL, s.traceIdLow());
    assertEquals(0xb7ad6b7169203331L, s.spanId());
    assertEquals(0x00f067aa0ba902b7L, s.parentSpanId());
    assertEquals(TRACE, s.traceIdHex());
    assertEquals(SPAN, s.spanIdHex());
    assertEquals("GET /quote", s.name());
    assertEquals(T0, s.startNanos());
    assertEquals(T0 + 10_000_000L, s.endNanos());
    assertEquals(10_000_000L, s.durationNanos());
    assertSame(ORIGIN, s.origin());
  }

  @Test
  void negativeDurationReadsAsZero() {
    Span s = norm(client().setStartTimeUnixNano(T0 + 5).setEndTimeUnixNano(T0));
    assertEquals(0L, s.durationNanos());
  }

  @ParameterizedTest(name = "wire kind {0} -> {1}")
  @CsvSource({
    "0, UNSPECIFIED",
    "1, INTERNAL",
    "2, SERVER",
    "3, CLIENT",
    "4, PRODUCER",
    "5, CONSUMER",
    "9, UNSPECIFIED"
  })
  void kindIsMappedFromTheWireValue(int wire, SpanKind expected) {
    Span s = norm(client().setKindValue(wire));
    assertEquals(expected, s.kind());
  }

  @Test
  void parentLinkComesFromTheFlags() {
    assertEquals(ParentLink.UNKNOWN, norm(server().setFlags(0)).parentLink());
    assertEquals(ParentLink.LOCAL, norm(server().setFlags(0x100)).parentLink());
    assertEquals(ParentLink.REMOTE, norm(server().setFlags(0x301)).parentLink());
    assertEquals(ParentLink.UNKNOWN, norm(server().setFlags(0x200)).parentLink());
    Span root = norm(server().setParentSpanId(ByteString.EMPTY).setFlags(0x300));
    assertEquals(ParentLink.NONE, root.parentLink());
    assertEquals(0L, root.parentSpanId());
  }

  @Test
  void allZeroParentIdMeansNoParent() {
    Span s = norm(server().setParentSpanId(zeros(8)).setFlags(0x300));
    assertEquals(0L, s.parentSpanId());
    assertEquals(ParentLink.NONE, s.parentLink());
  }

  // --- HTTP ---

  @Test
  void stableHttpNames() {
    Span s =
        norm(
            server()
                .addAttributes(attr("http.request.method", "GET"))
                .addAttributes(attr("http.route", "/quote/{sku}"))
                .addAttributes(attr("http.response.status_code", 200)));
    assertEquals(ProtocolHint.HTTP, s.protocol());
    assertEquals("/quote/{sku}", s.operation());
    assertFalse(s.failed());
    assertEquals("unknown", s.errorClass());
  }

  @Test
  void oldHttpNames() {
    Span s =
        norm(
            server()
                .addAttributes(attr("http.method", "POST"))
                .addAttributes(attr("http.route", "/orders"))
                .addAttributes(attr("http.status_code", 201)));
    assertEquals(ProtocolHint.HTTP, s.protocol());
    assertEquals("/orders", s.operation());
    assertFalse(s.failed());
  }

  @Test
  void httpStatusWrittenAsStringIsRead() {
    Span s =
        norm(
            server()
                .addAttributes(attr("http.method", "GET"))
                .addAttributes(attr("http.status_code", "503")));
    assertTrue(s.failed());
    assertEquals("unavailable", s.errorClass());
  }

  @Test
  void httpRouteAloneMakesItHttp() {
    Span s = norm(server().addAttributes(attr("http.route", "/quote/{sku}")));
    assertEquals(ProtocolHint.HTTP, s.protocol());
    assertEquals("/quote/{sku}", s.operation());
  }

  @Test
  void httpStatusAloneMakesItHttp() {
    Span s = norm(client().addAttributes(attr("http.response.status_code", 204)));
    assertEquals(ProtocolHint.HTTP, s.protocol());
    assertNull(s.operation());
  }

  @Test
  void httpClient404Failed() {
    Span s =
        norm(
            client()
                .addAttributes(attr("http.request.method", "GET"))
                .addAttributes(attr("http.response.status_code", 404)));
    assertTrue(s.failed());
    assertEquals("not_found", s.errorClass());
  }

  @Test
  void httpServer404DidNotFail() {
    Span s =
        norm(
            server()
                .addAttributes(attr("http.request.method", "GET"))
                .addAttributes(attr("http.response.status_code", 404)));
    assertFalse(s.failed());
    assertEquals("unknown", s.errorClass());
  }

  @Test
  void httpServer503Failed() {
    Span s =
        norm(
            server()
                .addAttributes(attr("http.request.method", "GET"))
                .addAttributes(attr("http.response.status_code", 503)));
    assertTrue(s.failed());
    assertEquals("unavailable", s.errorClass());
  }

  @Test
  void httpClient429IsResourceExhausted() {
    Span s =
        norm(
            client()
                .addAttributes(attr("http.request.method", "GET"))
                .addAttributes(attr("http.response.status_code", 429)));
    assertTrue(s.failed());
    assertEquals("resource_exhausted", s.errorClass());
  }

  @Test
  void statusOkOverridesA500() {
    Span s =
        norm(
            server()
                .addAttributes(attr("http.request.method", "GET"))
                .addAttributes(attr("http.response.status_code", 500))
                .setStatus(status(Status.StatusCode.STATUS_CODE_OK, "")));
    assertFalse(s.failed());
    assertEquals("unknown", s.errorClass());
  }

  // --- RPC ---

  @Test
  void oldRpcNamesGiveServiceSlashMethod() {
    Span s =
        norm(
            client()
                .addAttributes(attr("rpc.system", "grpc"))
                .addAttributes(attr("rpc.service", "pricing.v1.Pricing"))
                .addAttributes(attr("rpc.method", "Quote")));
    assertEquals(ProtocolHint.GRPC, s.protocol());
    assertEquals("pricing.v1.Pricing/Quote", s.operation());
    assertFalse(s.failed());
  }

  @Test
  void newRpcNamesWithFullMethod() {
    Span s =
        norm(
            server()
                .addAttributes(attr("rpc.system.name", "grpc"))
                .addAttributes(attr("rpc.method", "pricing.v1.Pricing/Quote")));
    assertEquals(ProtocolHint.GRPC, s.protocol());
    assertEquals("pricing.v1.Pricing/Quote", s.operation());
  }

  @Test
  void fullMethodWithLeadingSlashIsStripped() {
    // The gRPC wire path is "/pkg.Svc/Method"; the operation label is "pkg.Svc/Method" whichever
    // form the SDK wrote.
    Span s =
        norm(
            server()
                .addAttributes(attr("rpc.system.name", "grpc"))
                .addAttributes(attr("rpc.method", "/pricing.v1.Pricing/Quote")));
    assertEquals("pricing.v1.Pricing/Quote", s.operation());
  }

  @Test
  void rpcOperationFallsBackToASpanNameOfTheMethodForm() {
    Span s =
        norm(
            client().setName("pricing.v1.Pricing/Quote").addAttributes(attr("rpc.system", "grpc")));
    assertEquals("pricing.v1.Pricing/Quote", s.operation());
    Span prose =
        norm(client().setName("call pricing/quote").addAttributes(attr("rpc.system", "grpc")));
    assertNull(prose.operation());
  }

  @Test
  void rpcSystemOtherThanGrpcIsOtherRpc() {
    Span s =
        norm(
            client()
                .addAttributes(attr("rpc.system", "connect_rpc"))
                .addAttributes(attr("rpc.method", "a.B/C")));
    assertEquals(ProtocolHint.OTHER_RPC, s.protocol());
    assertEquals("a.B/C", s.operation());
  }

  @Test
  void grpcStatusCodeAloneMakesItGrpc() {
    Span s = norm(client().setName("a.B/C").addAttributes(attr("rpc.grpc.status_code", 0)));
    assertEquals(ProtocolHint.GRPC, s.protocol());
    assertEquals("a.B/C", s.operation());
    assertFalse(s.failed());
  }

  @Test
  void grpcClientUnavailableFailed() {
    Span s =
        norm(
            client()
                .addAttributes(attr("rpc.system", "grpc"))
                .addAttributes(attr("rpc.grpc.status_code", 14)));
    assertTrue(s.failed());
    assertEquals("unavailable", s.errorClass());
  }

  @Test
  void grpcClientNotFoundFailed() {
    Span s =
        norm(
            client()
                .addAttributes(attr("rpc.system", "grpc"))
                .addAttributes(attr("rpc.grpc.status_code", 5)));
    assertTrue(s.failed());
    assertEquals("not_found", s.errorClass());
  }

  @Test
  void grpcServerNotFoundDidNotFail() {
    Span s =
        norm(
            server()
                .addAttributes(attr("rpc.system", "grpc"))
                .addAttributes(attr("rpc.grpc.status_code", 5)));
    assertFalse(s.failed());
    assertEquals("unknown", s.errorClass());
  }

  @ParameterizedTest(name = "server code {0} -> failed={1}")
  @CsvSource({
    "1, false", "2, true", "3, false", "4, true", "5, false", "6, false", "7, false", "8, false",
    "9, false", "10, false", "11, false", "12, true", "13, true", "14, true", "15, true",
        "16, false",
  })
  void grpcServerRuleFollowsTheSdks(int code, boolean failed) {
    Span s =
        norm(
            server()
                .addAttributes(attr("rpc.system", "grpc"))
                .addAttributes(attr("rpc.grpc.status_code", code)));
    assertEquals(failed, s.failed());
  }

  @Test
  void grpcServerInternalFailed() {
    Span s =
        norm(
            server()
                .addAttributes(attr("rpc.system", "grpc"))
                .addAttributes(attr("rpc.grpc.status_code", 13)));
    assertTrue(s.failed());
    assertEquals("internal", s.errorClass());
  }

  @Test
  void grpcStatusCodeWrittenAsNameIsRead() {
    Span s =
        norm(
            client()
                .addAttributes(attr("rpc.system", "grpc"))
                .addAttributes(attr("rpc.grpc.status_code", "UNAVAILABLE")));
    assertTrue(s.failed());
    assertEquals("unavailable", s.errorClass());
  }

  @Test
  void newRpcResponseStatusCodeName() {
    Span s =
        norm(
            client()
                .addAttributes(attr("rpc.system.name", "grpc"))
                .addAttributes(attr("rpc.method", "pricing.v1.Pricing/Quote"))
                .addAttributes(attr("rpc.response.status_code", "DEADLINE_EXCEEDED")));
    assertTrue(s.failed());
    assertEquals("deadline_exceeded", s.errorClass());
  }

  // --- status and exceptions ---

  @Test
  void errorStatusMessageNamesTheClass() {
    Span s =
        norm(
            client()
                .setStatus(
                    status(Status.StatusCode.STATUS_CODE_ERROR, "context deadline exceeded")));
    assertTrue(s.failed());
    assertEquals("deadline_exceeded", s.errorClass());
  }

  @Test
  void errorStatusWithoutAnyHintIsUnknown() {
    Span s = norm(client().setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "boom")));
    assertTrue(s.failed());
    assertEquals("unknown", s.errorClass());
  }

  @Test
  void errorTypeNamesTheClass() {
    Span s =
        norm(
            client()
                .addAttributes(attr("error.type", "context.DeadlineExceeded"))
                .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "")));
    assertTrue(s.failed());
    assertEquals("deadline_exceeded", s.errorClass());
  }

  @Test
  void exceptionEventTypeNamesTheClass() {
    Span s =
        norm(
            span(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL)
                .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, ""))
                .addEvents(
                    io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
                        .setName("exception")
                        .setTimeUnixNano(T0 + 1)
                        .addAttributes(attr("exception.type", "tokio::time::error::Elapsed"))
                        .addAttributes(attr("exception.message", "deadline has elapsed"))));
    assertTrue(s.failed());
    assertEquals("deadline_exceeded", s.errorClass());
  }

  @Test
  void exceptionEventMessageIsUsedWhenTheTypeSaysNothing() {
    Span s =
        norm(
            client()
                .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, ""))
                .addEvents(
                    io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
                        .setName("exception")
                        .addAttributes(attr("exception.type", "*net.OpError"))
                        .addAttributes(
                            attr(
                                "exception.message",
                                "dial tcp 10.0.0.1:50051: connect: connection refused"))));
    assertEquals("unavailable", s.errorClass());
  }

  @Test
  void unsetStatusWithoutCodesDidNotFail() {
    Span s = norm(client().addAttributes(attr("error.type", "context.DeadlineExceeded")));
    assertFalse(s.failed());
    assertEquals("unknown", s.errorClass());
  }

  // --- messaging and databases ---

  @Test
  void messagingWithDestinationOperation() {
    Span s =
        norm(
            span(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_PRODUCER)
                .addAttributes(attr("messaging.system", "kafka"))
                .addAttributes(attr("messaging.destination.name", "orders"))
                .addAttributes(attr("messaging.message.body.size", 512)));
    assertEquals(ProtocolHint.MESSAGING, s.protocol());
    assertEquals("orders", s.operation());
    assertEquals(512L, s.requestBytes());
  }

  @Test
  void oldMessagingDestinationName() {
    Span s =
        norm(
            span(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CONSUMER)
                .addAttributes(attr("messaging.system", "rabbitmq"))
                .addAttributes(attr("messaging.destination", "payments")));
    assertEquals(ProtocolHint.MESSAGING, s.protocol());
    assertEquals("payments", s.operation());
  }

  @Test
  void messagingWithoutDestinationNamesTheBroker() {
    // A NATS request or an anonymous destination: the broker is all the span names.
    Span s =
        norm(
            span(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CONSUMER)
                .addAttributes(attr("messaging.system", "nats"))
                .addAttributes(attr("messaging.destination.name", "")));
    assertEquals(ProtocolHint.MESSAGING, s.protocol());
    assertEquals("nats", s.operation());
  }

  @Test
  void dbSystemIsDatabase() {
    Span s =
        norm(
            client()
                .addAttributes(attr("db.system", "postgresql"))
                .addAttributes(attr("server.address", "db-1")));
    assertEquals(ProtocolHint.DATABASE, s.protocol());
    assertEquals("db-1", s.peer());
    assertEquals(
        ProtocolHint.DATABASE,
        norm(client().addAttributes(attr("db.system.name", "redis"))).protocol());
  }

  @Test
  void noProtocolAttributesIsNone() {
    Span s = norm(client());
    assertEquals(ProtocolHint.NONE, s.protocol());
    assertNull(s.operation());
    assertNull(s.peer());
  }

  // --- peer hints ---

  @Test
  void peerServiceWinsOverServerAddressAndPeerAddress() {
    Span s =
        norm(
            client()
                .addAttributes(attr("network.peer.address", "10.0.0.9"))
                .addAttributes(attr("server.address", "pricing.internal"))
                .addAttributes(attr("peer.service", "pricing-core")));
    assertEquals("pricing-core", s.peer());
  }

  @Test
  void serverAddressWinsOverPeerAddress() {
    Span s =
        norm(
            client()
                .addAttributes(attr("network.peer.address", "10.0.0.9"))
                .addAttributes(attr("server.address", "pricing.internal")));
    assertEquals("pricing.internal", s.peer());
  }

  @Test
  void peerAddressIsTheLastResort() {
    assertEquals(
        "10.0.0.9", norm(client().addAttributes(attr("network.peer.address", "10.0.0.9"))).peer());
  }

  @Test
  void emptyPeerIsNull() {
    assertNull(norm(client().addAttributes(attr("peer.service", ""))).peer());
  }

  // --- sizes and allocation ---

  @Test
  void httpBodySizes() {
    Span s =
        norm(
            client()
                .addAttributes(attr("http.request.method", "POST"))
                .addAttributes(attr("http.request.body.size", 1234))
                .addAttributes(attr("http.response.body.size", "5678")));
    assertEquals(1234L, s.requestBytes());
    assertEquals(5678L, s.responseBytes());
  }

  @Test
  void sizesAreMinusOneWhenUnknownOrNegative() {
    Span s = norm(client().addAttributes(attr("http.request.body.size", -5)));
    assertEquals(-1L, s.requestBytes());
    assertEquals(-1L, s.responseBytes());
    assertEquals(-1L, s.allocatedBytes());
  }

  @Test
  void allocatedBytesFromAConfiguredAttribute() {
    SpanNormalizer n = new SpanNormalizer(Set.of("seam.allocated_bytes", "alloc"));
    Span s = n.normalize(client().addAttributes(attr("alloc", 4096)).build(), ORIGIN);
    assertEquals(4096L, s.allocatedBytes());
    Span t =
        n.normalize(client().addAttributes(attr("seam.allocated_bytes", "65536")).build(), ORIGIN);
    assertEquals(65536L, t.allocatedBytes());
  }

  @Test
  void allocatedBytesAttributeIsIgnoredWhenNotConfigured() {
    Span s =
        NORMALIZER.normalize(
            client().addAttributes(attr("seam.allocated_bytes", 4096)).build(), ORIGIN);
    assertEquals(-1L, s.allocatedBytes());
  }

  @Test
  void tracingOpentelemetrySpecialFieldsLeftAsAttributesMeanTheSame() {
    Span s =
        norm(
            span(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL)
                .addAttributes(attr("otel.kind", "server"))
                .addAttributes(attr("otel.status_code", "ERROR"))
                .addAttributes(
                    attr("otel.status_description", "status: Unavailable, message: \"backend\"")));
    assertEquals(SpanKind.SERVER, s.kind());
    assertTrue(s.failed());
    assertEquals("unavailable", s.errorClass());
    Span ok =
        norm(
            span(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(attr("otel.kind", "server")));
    assertEquals(SpanKind.CLIENT, ok.kind(), "a real kind is not overridden");
    assertFalse(ok.failed());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ot=th:8 | 2.0",
        "ot=th:c | 4.0",
        "ot=th:0 | 1.0",
        "ot=th:e668 | 10.0016",
        "vendor=x,ot=rv:abcdef01234567;th:c | 4.0",
        "ot=th:zz | 1.0",
        "ot=th: | 1.0",
        "xot=th:8 | 1.0",
        "dd=s:1 | 1.0",
      })
  void samplingThresholdInTracestateGivesTheAdjustedCount(String traceState, double adjusted) {
    Span s = norm(client().setTraceState(traceState));
    assertEquals(adjusted, s.adjustedCount(), 1e-3);
    assertEquals(1.0, norm(client()).adjustedCount());
  }

  @Test
  void aCancellationForAnExpiredTimeoutIsADeadline() {
    Span s =
        norm(
            client()
                .addAttributes(attr("rpc.system.name", "grpc"))
                .addAttributes(attr("rpc.response.status_code", "CANCELLED"))
                .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "Timeout expired")));
    assertEquals("deadline_exceeded", s.errorClass());
    Span plain =
        norm(
            client()
                .addAttributes(attr("rpc.system.name", "grpc"))
                .addAttributes(attr("rpc.response.status_code", "CANCELLED"))
                .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "user went away")));
    assertEquals("cancelled", plain.errorClass());
  }

  @Test
  void theNewPeerServiceNameIsAPeerHintToo() {
    assertEquals(
        "pricing",
        norm(client()
                .addAttributes(attr("service.peer.name", "pricing"))
                .addAttributes(attr("server.address", "10.0.0.1")))
            .peer());
  }

  @Test
  void aServingSpanWithoutAResponseWasCutOff() {
    Span cut =
        norm(
            server()
                .addAttributes(attr("http.request.method", "GET"))
                .addAttributes(attr("http.route", "/slow")));
    assertTrue(cut.cutOff());
    Span answered =
        norm(
            server()
                .addAttributes(attr("http.route", "/slow"))
                .addAttributes(attr("http.response.status_code", 200)));
    assertFalse(answered.cutOff());
    Span grpc =
        norm(
            server()
                .addAttributes(attr("rpc.system", "grpc"))
                .addAttributes(attr("rpc.grpc.status_code", "0")));
    assertFalse(grpc.cutOff(), "tonic writes the code as a string");
    assertFalse(
        norm(span(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL)).cutOff(),
        "no protocol, nothing to answer");
  }
}
