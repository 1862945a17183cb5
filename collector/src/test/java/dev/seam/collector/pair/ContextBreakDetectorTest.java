package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.testing.Spans;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContextBreakDetectorTest {

  private static final long MS = 1_000_000L;
  private static final long T = 1_767_225_600_000_000_000L;
  private static final Origin GO = new Origin("gateway", "go", "a/1", "a/1");
  private static final Origin RUST = new Origin("pricing", "rust", "b/2", "b/2");
  private static final Origin OTHER = new Origin("billing", "rust", "c/3", "c/3");

  private final AtomicLong clock = new AtomicLong();
  private final List<Span[]> broken = new ArrayList<>();
  private final List<Span> unpaired = new ArrayList<>();
  private ContextBreakDetector detector;

  @BeforeEach
  void setUp() {
    BoundaryListener sink =
        new BoundaryListener() {
          @Override
          public void onEdge(Edge edge) {}

          @Override
          public void onUnpaired(Span span, Side side) {
            unpaired.add(span);
          }

          @Override
          public void onContextBroken(Span caller, Span callee) {
            broken.add(new Span[] {caller, callee});
          }

          @Override
          public void onErrorLogs(Edge edge, Side side, int count) {}

          @Override
          public void onOutcome(Outcome outcome, int count) {}
        };
    detector = new ContextBreakDetector(sink, 20_000 * MS, 1_000 * MS, 1_000, clock::get);
  }

  private static Span client(
      long id, String peer, ProtocolHint hint, String operation, long start, long dur) {
    return Spans.builder()
        .traceIdHigh(1)
        .traceIdLow(id)
        .spanId(id)
        .kind(SpanKind.CLIENT)
        .origin(GO)
        .name("GET")
        .startNanos(start)
        .endNanos(start + dur)
        .protocol(hint)
        .operation(operation)
        .peer(peer)
        .build();
  }

  private static Span server(
      long trace, Origin origin, ProtocolHint hint, String operation, long start, long dur) {
    return Spans.builder()
        .traceIdHigh(2)
        .traceIdLow(trace)
        .spanId(trace)
        .kind(SpanKind.SERVER)
        .origin(origin)
        .name("GET /price")
        .startNanos(start)
        .endNanos(start + dur)
        .protocol(hint)
        .operation(operation)
        .build();
  }

  /** A span of trace 1/1 with id 1 on the Rust side, from T for a millisecond, named "h". */
  private static Spans.Builder rustSpan(SpanKind kind) {
    return Spans.builder()
        .traceIdHigh(1)
        .traceIdLow(1)
        .spanId(1)
        .kind(kind)
        .origin(RUST)
        .name("h")
        .startNanos(T)
        .endNanos(T + MS);
  }

  @Test
  void aRootOnThePeerSideAtTheSameTimeIsTheLostCallee() {
    Span root = server(10, RUST, ProtocolHint.HTTP, "/price/{id}", T + 2 * MS, 5 * MS);
    detector.offerRoot(root);
    Span caller = client(1, "pricing", ProtocolHint.HTTP, null, T, 10 * MS);
    detector.onUnpaired(caller, Side.CALLER);
    assertEquals(1, broken.size());
    assertSame(caller, broken.get(0)[0]);
    assertEquals(root, broken.get(0)[1]);
    assertTrue(unpaired.isEmpty());
  }

  @Test
  void eachRootExplainsOneCallerOnly() {
    detector.offerRoot(server(10, RUST, ProtocolHint.HTTP, null, T + MS, MS));
    detector.onUnpaired(client(1, "pricing", ProtocolHint.HTTP, null, T, 10 * MS), Side.CALLER);
    detector.onUnpaired(client(2, "pricing", ProtocolHint.HTTP, null, T, 10 * MS), Side.CALLER);
    assertEquals(1, broken.size());
    assertEquals(1, unpaired.size());
  }

  @Test
  void theClosestRootInTimeIsChosen() {
    Span far = server(10, RUST, ProtocolHint.HTTP, null, T + 8 * MS, MS);
    Span near = server(11, RUST, ProtocolHint.HTTP, null, T + MS, MS);
    detector.offerRoot(far);
    detector.offerRoot(near);
    detector.onUnpaired(client(1, "pricing", ProtocolHint.HTTP, null, T, 10 * MS), Side.CALLER);
    assertEquals(near, broken.get(0)[1]);
  }

  @Test
  void rootsOutsideTheCallersTimePlusToleranceDoNotMatch() {
    detector.offerRoot(server(10, RUST, ProtocolHint.HTTP, null, T + 10 * MS + 1_001 * MS, MS));
    detector.offerRoot(server(11, RUST, ProtocolHint.HTTP, null, T - 1_001 * MS, MS));
    detector.onUnpaired(client(1, "pricing", ProtocolHint.HTTP, null, T, 10 * MS), Side.CALLER);
    assertTrue(broken.isEmpty());
    assertEquals(1, unpaired.size());
    // Within the tolerance (clocks a second apart) it does.
    detector.offerRoot(server(12, RUST, ProtocolHint.HTTP, null, T - 900 * MS, MS));
    detector.onUnpaired(client(2, "pricing", ProtocolHint.HTTP, null, T, 10 * MS), Side.CALLER);
    assertEquals(1, broken.size());
  }

  @Test
  void protocolAndOperationMustAgree() {
    detector.offerRoot(server(10, RUST, ProtocolHint.GRPC, "pricing.v1.Pricing/Quote", T + MS, MS));
    detector.onUnpaired(client(1, "pricing", ProtocolHint.HTTP, null, T, 10 * MS), Side.CALLER);
    detector.onUnpaired(
        client(2, "pricing", ProtocolHint.GRPC, "pricing.v1.Pricing/Other", T, 10 * MS),
        Side.CALLER);
    assertTrue(broken.isEmpty());
    detector.onUnpaired(
        client(3, "pricing", ProtocolHint.GRPC, "pricing.v1.Pricing/Quote", T, 10 * MS),
        Side.CALLER);
    assertEquals(1, broken.size());
  }

  @Test
  void aPeerHintNamingAnotherServiceDoesNotMatch() {
    detector.offerRoot(server(10, OTHER, ProtocolHint.HTTP, null, T + MS, MS));
    detector.onUnpaired(client(1, "pricing", ProtocolHint.HTTP, null, T, 10 * MS), Side.CALLER);
    assertTrue(broken.isEmpty());
  }

  @Test
  void aHostNamePeerHintFindsItsService() {
    detector.offerRoot(server(10, RUST, ProtocolHint.HTTP, null, T + MS, MS));
    detector.onUnpaired(
        client(1, "pricing.prod.svc.cluster.local", ProtocolHint.HTTP, null, T, 10 * MS),
        Side.CALLER);
    assertEquals(1, broken.size());
  }

  @Test
  void anAddressPeerHintNeedsAnOperationBothSidesName() {
    detector.offerRoot(server(10, RUST, ProtocolHint.HTTP, null, T + MS, MS));
    detector.onUnpaired(client(1, "10.0.0.7", ProtocolHint.HTTP, null, T, 10 * MS), Side.CALLER);
    assertTrue(
        broken.isEmpty(), "an HTTP client names no route: a root at the same time is no evidence");
    detector.offerRoot(server(11, RUST, ProtocolHint.GRPC, "pricing.v1.Pricing/Quote", T + MS, MS));
    detector.onUnpaired(
        client(2, "10.0.0.7:50051", ProtocolHint.GRPC, "pricing.v1.Pricing/Quote", T, 10 * MS),
        Side.CALLER);
    assertEquals(1, broken.size());
  }

  @Test
  void aRootOnTheCallersOwnSideIsNotItsCallee() {
    detector.offerRoot(server(10, GO, ProtocolHint.HTTP, null, T + MS, MS));
    detector.onUnpaired(client(1, "gateway", ProtocolHint.HTTP, null, T, 10 * MS), Side.CALLER);
    assertTrue(broken.isEmpty());
  }

  @Test
  void rootsAreForgottenAfterTheirTimeAndBeyondTheBound() {
    detector.offerRoot(server(10, RUST, ProtocolHint.HTTP, null, T + MS, MS));
    clock.addAndGet(20_001 * MS);
    detector.onUnpaired(client(1, "pricing", ProtocolHint.HTTP, null, T, 10 * MS), Side.CALLER);
    assertTrue(broken.isEmpty());
    assertEquals(0, detector.held());
    for (int i = 0; i < 1_500; i++) {
      detector.offerRoot(server(100 + i, RUST, ProtocolHint.HTTP, null, T + MS, MS));
    }
    assertEquals(1_000, detector.held());
  }

  @Test
  void calleesMissingTheirCallerPassThrough() {
    Span orphan =
        Spans.builder()
            .traceIdHigh(3)
            .traceIdLow(9)
            .spanId(9)
            .parentSpanId(8)
            .parentLink(ParentLink.REMOTE)
            .kind(SpanKind.SERVER)
            .origin(RUST)
            .name("x")
            .startNanos(T)
            .endNanos(T + MS)
            .protocol(ProtocolHint.HTTP)
            .build();
    detector.onUnpaired(orphan, Side.CALLEE);
    assertEquals(List.of(orphan), unpaired);
  }

  @Test
  void onlyRootsThatServeACallAreCandidates() {
    assertTrue(ContextBreakDetector.isCandidate(server(1, RUST, ProtocolHint.NONE, null, T, MS)));
    Span internalWithRoute =
        rustSpan(SpanKind.INTERNAL).protocol(ProtocolHint.HTTP).operation("/a").build();
    assertTrue(ContextBreakDetector.isCandidate(internalWithRoute));
    Span internalPlain = rustSpan(SpanKind.INTERNAL).protocol(ProtocolHint.NONE).build();
    assertEquals(false, ContextBreakDetector.isCandidate(internalPlain));
    Span child =
        rustSpan(SpanKind.SERVER)
            .parentSpanId(7)
            .parentLink(ParentLink.REMOTE)
            .protocol(ProtocolHint.HTTP)
            .build();
    assertEquals(false, ContextBreakDetector.isCandidate(child));
    assertEquals(
        false, ContextBreakDetector.isCandidate(client(1, "p", ProtocolHint.HTTP, null, T, MS)));
  }
}
