package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.model.Transport;
import dev.seam.collector.testing.Spans;
import org.junit.jupiter.api.Test;

class TransportClassifierTest {

  private static final Origin GO_P1 = new Origin("checkout", "go", "node-1/42", "i-go");
  private static final Origin RUST_P1 = new Origin("pricing-core", "rust", "node-1/42", "i-rust");
  private static final Origin RUST_P2 = new Origin("pricing-core", "rust", "node-2/7", "node-2/7");
  private static final Origin GO_NO_PROCESS = new Origin("checkout", "go", null, "unknown");
  private static final Origin RUST_NO_PROCESS = new Origin("pricing-core", "rust", null, "unknown");

  private static Span span(Origin origin, SpanKind kind, ProtocolHint hint) {
    return Spans.builder()
        .traceIdHigh(1L)
        .traceIdLow(2L)
        .spanId(3L)
        .kind(kind)
        .origin(origin)
        .name("op")
        .startNanos(0L)
        .endNanos(10L)
        .protocol(hint)
        .build();
  }

  @Test
  void sameProcessDifferentLanguageIsFfiEvenWithHttpHints() {
    Span caller = span(GO_P1, SpanKind.CLIENT, ProtocolHint.HTTP);
    Span callee = span(RUST_P1, SpanKind.SERVER, ProtocolHint.HTTP);
    assertEquals(Transport.FFI, TransportClassifier.classify(caller, callee));
  }

  @Test
  void sameProcessDifferentLanguageInternalToInternalIsFfi() {
    Span caller = span(GO_P1, SpanKind.INTERNAL, ProtocolHint.NONE);
    Span callee = span(RUST_P1, SpanKind.INTERNAL, ProtocolHint.NONE);
    assertEquals(Transport.FFI, TransportClassifier.classify(caller, callee));
  }

  @Test
  void calleeHintIsPreferredOverCallerHint() {
    Span caller = span(GO_P1, SpanKind.CLIENT, ProtocolHint.GRPC);
    Span callee = span(RUST_P2, SpanKind.SERVER, ProtocolHint.HTTP);
    assertEquals(Transport.HTTP, TransportClassifier.classify(caller, callee));
  }

  @Test
  void callerHintIsUsedWhenTheCalleeHasNone() {
    Span caller = span(GO_P1, SpanKind.CLIENT, ProtocolHint.GRPC);
    Span callee = span(RUST_P2, SpanKind.INTERNAL, ProtocolHint.NONE);
    assertEquals(Transport.GRPC, TransportClassifier.classify(caller, callee));
  }

  @Test
  void eachHintNamesItsTransport() {
    Span caller = span(GO_P1, SpanKind.CLIENT, ProtocolHint.NONE);
    assertEquals(
        Transport.GRPC,
        TransportClassifier.classify(caller, span(RUST_P2, SpanKind.SERVER, ProtocolHint.GRPC)));
    assertEquals(
        Transport.HTTP,
        TransportClassifier.classify(caller, span(RUST_P2, SpanKind.SERVER, ProtocolHint.HTTP)));
    assertEquals(
        Transport.MESSAGING,
        TransportClassifier.classify(
            caller, span(RUST_P2, SpanKind.CONSUMER, ProtocolHint.MESSAGING)));
    assertEquals(
        Transport.OTHER,
        TransportClassifier.classify(
            caller, span(RUST_P2, SpanKind.SERVER, ProtocolHint.OTHER_RPC)));
  }

  @Test
  void otherRpcOnTheCalleeWinsOverGrpcOnTheCaller() {
    Span caller = span(GO_P1, SpanKind.CLIENT, ProtocolHint.GRPC);
    Span callee = span(RUST_P2, SpanKind.SERVER, ProtocolHint.OTHER_RPC);
    assertEquals(Transport.OTHER, TransportClassifier.classify(caller, callee));
  }

  @Test
  void ofHintMapsEveryHint() {
    assertEquals(Transport.GRPC, TransportClassifier.ofHint(ProtocolHint.GRPC));
    assertEquals(Transport.HTTP, TransportClassifier.ofHint(ProtocolHint.HTTP));
    assertEquals(Transport.MESSAGING, TransportClassifier.ofHint(ProtocolHint.MESSAGING));
    assertEquals(Transport.OTHER, TransportClassifier.ofHint(ProtocolHint.OTHER_RPC));
    assertNull(TransportClassifier.ofHint(ProtocolHint.NONE));
    assertNull(TransportClassifier.ofHint(ProtocolHint.DATABASE));
  }

  @Test
  void differentProcessesWithoutHintsAreOther() {
    Span caller = span(GO_P1, SpanKind.INTERNAL, ProtocolHint.NONE);
    Span callee = span(RUST_P2, SpanKind.INTERNAL, ProtocolHint.NONE);
    assertEquals(Transport.OTHER, TransportClassifier.classify(caller, callee));
  }

  @Test
  void clientToServerWithoutHintsOrProcessesIsOther() {
    assertEquals(
        Transport.OTHER,
        TransportClassifier.classify(
            span(GO_NO_PROCESS, SpanKind.CLIENT, ProtocolHint.NONE),
            span(RUST_NO_PROCESS, SpanKind.INTERNAL, ProtocolHint.NONE)));
    assertEquals(
        Transport.OTHER,
        TransportClassifier.classify(
            span(GO_NO_PROCESS, SpanKind.INTERNAL, ProtocolHint.NONE),
            span(RUST_NO_PROCESS, SpanKind.SERVER, ProtocolHint.NONE)));
  }

  @Test
  void internalToInternalAcrossLanguagesWithoutProcessesOrHintsIsFfi() {
    Span caller = span(GO_NO_PROCESS, SpanKind.INTERNAL, ProtocolHint.NONE);
    Span callee = span(RUST_NO_PROCESS, SpanKind.INTERNAL, ProtocolHint.NONE);
    assertEquals(Transport.FFI, TransportClassifier.classify(caller, callee));
  }

  @Test
  void sameLanguageSameProcessDifferentServiceIsOther() {
    Origin a = new Origin("checkout", "go", "node-1/42", "a");
    Origin b = new Origin("cart", "go", "node-1/42", "b");
    assertEquals(
        Transport.OTHER,
        TransportClassifier.classify(
            span(a, SpanKind.INTERNAL, ProtocolHint.NONE),
            span(b, SpanKind.INTERNAL, ProtocolHint.NONE)));
  }

  @Test
  void sameLanguageWithoutProcessesOrHintsIsOther() {
    Origin a = new Origin("checkout", "go", null, "a");
    Origin b = new Origin("cart", "go", null, "b");
    assertEquals(
        Transport.OTHER,
        TransportClassifier.classify(
            span(a, SpanKind.INTERNAL, ProtocolHint.NONE),
            span(b, SpanKind.INTERNAL, ProtocolHint.NONE)));
  }

  @Test
  void databaseHintIsNoTransport() {
    Span caller = span(GO_P1, SpanKind.CLIENT, ProtocolHint.DATABASE);
    Span callee = span(RUST_P2, SpanKind.SERVER, ProtocolHint.NONE);
    assertEquals(Transport.OTHER, TransportClassifier.classify(caller, callee));
  }
}
