package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.ErrorClass;
import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
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
    BoundaryListener sink = new BoundaryListener() {
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

  private static Span client(long id, String peer, ProtocolHint hint, String operation, long start, long dur) {
    return new Span(1, id, id, 0, ParentLink.NONE, SpanKind.CLIENT, GO, "GET", start, start + dur, false, ErrorClass.UNKNOWN, hint, operation, peer, -1, -1, -1);
  }

  private static Span server(long trace, Origin origin, ProtocolHint hint, String operation, long start, long dur) {
    return new Span(2, trace, trace, 0, ParentLink.NONE, SpanKind.SERVER, origin, "GET /price", start, start + dur, false, ErrorClass.UNKNOWN, hint, operation, null, -1, -1, -1);
  }

  @Test
  void aRootOnThePeerSideAtTheSameTimeIsTheLostCallee() {
    Span root = server(10, RUST, ProtocolHint.HTTP, "/price/{id}", T + 2 * MS, 5 * MS);
    detector.offerRoot(root);
    Span caller = client(1, "pricing", ProtocolHint.HTTP, null, T, 10 * MS);
    detector.onUnpaired(caller, Side.CALLER);
    assertEquals(1, broken.size());
    assertSame(caller, broken.get(0)[0]);
    assertSame(root, broken.get(0)[1]);
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
    assertSame(near, broken.get(0)[1]);
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
    detector.onUnpaired(client(2, "pricing", ProtocolHint.GRPC, "pricing.v1.Pricing/Other", T, 10 * MS), Side.CALLER);
    assertTrue(broken.isEmpty());
    detector.onUnpaired(client(3, "pricing", ProtocolHint.GRPC, "pricing.v1.Pricing/Quote", T, 10 * MS), Side.CALLER);
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
    detector.onUnpaired(client(1, "pricing.prod.svc.cluster.local", ProtocolHint.HTTP, null, T, 10 * MS), Side.CALLER);
    assertEquals(1, broken.size());
  }

  @Test
  void anAddressPeerHintNeedsAnOperationBothSidesName() {
    detector.offerRoot(server(10, RUST, ProtocolHint.HTTP, null, T + MS, MS));
    detector.onUnpaired(client(1, "10.0.0.7", ProtocolHint.HTTP, null, T, 10 * MS), Side.CALLER);
    assertTrue(broken.isEmpty(), "an HTTP client names no route: a root at the same time is no evidence");
    detector.offerRoot(server(11, RUST, ProtocolHint.GRPC, "pricing.v1.Pricing/Quote", T + MS, MS));
    detector.onUnpaired(client(2, "10.0.0.7:50051", ProtocolHint.GRPC, "pricing.v1.Pricing/Quote", T, 10 * MS), Side.CALLER);
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
    Span orphan = new Span(3, 9, 9, 8, ParentLink.REMOTE, SpanKind.SERVER, RUST, "x", T, T + MS, false, ErrorClass.UNKNOWN, ProtocolHint.HTTP, null, null, -1, -1, -1);
    detector.onUnpaired(orphan, Side.CALLEE);
    assertEquals(List.of(orphan), unpaired);
  }

  @Test
  void onlyRootsThatServeACallAreCandidates() {
    assertTrue(ContextBreakDetector.isCandidate(server(1, RUST, ProtocolHint.NONE, null, T, MS)));
    Span internalWithRoute = new Span(1, 1, 1, 0, ParentLink.NONE, SpanKind.INTERNAL, RUST, "h", T, T + MS, false, ErrorClass.UNKNOWN, ProtocolHint.HTTP, "/a", null, -1, -1, -1);
    assertTrue(ContextBreakDetector.isCandidate(internalWithRoute));
    Span internalPlain = new Span(1, 1, 1, 0, ParentLink.NONE, SpanKind.INTERNAL, RUST, "h", T, T + MS, false, ErrorClass.UNKNOWN, ProtocolHint.NONE, null, null, -1, -1, -1);
    assertEquals(false, ContextBreakDetector.isCandidate(internalPlain));
    Span child = new Span(1, 1, 1, 7, ParentLink.REMOTE, SpanKind.SERVER, RUST, "h", T, T + MS, false, ErrorClass.UNKNOWN, ProtocolHint.HTTP, null, null, -1, -1, -1);
    assertEquals(false, ContextBreakDetector.isCandidate(child));
    assertEquals(false, ContextBreakDetector.isCandidate(client(1, "p", ProtocolHint.HTTP, null, T, MS)));
  }
}
