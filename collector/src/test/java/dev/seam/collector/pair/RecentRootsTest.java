package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.ProtocolHint;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.testing.Spans;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentRootsTest {

  private static final long MS = 1_000_000L;
  private static final long T = 1_767_225_600_000_000_000L;
  private static final Origin GO = new Origin("gateway", "go", "a/1", "a/1");
  private static final Origin RUST = new Origin("pricing", "rust", "b/2", "b/2");

  private final AtomicLong clock = new AtomicLong();
  private final RecentRoots roots = new RecentRoots(10_000 * MS, 100 * MS, 3, clock::get);

  private static Span root(long trace, long start, String operation) {
    return Spans.builder()
        .traceIdLow(trace)
        .spanId(trace)
        .kind(SpanKind.SERVER)
        .origin(RUST)
        .startNanos(start)
        .endNanos(start + MS)
        .protocol(ProtocolHint.GRPC)
        .operation(operation)
        .build();
  }

  private static Span caller(String peer, String operation) {
    return Spans.builder()
        .kind(SpanKind.CLIENT)
        .origin(GO)
        .startNanos(T)
        .endNanos(T + 10 * MS)
        .protocol(ProtocolHint.GRPC)
        .operation(operation)
        .peer(peer)
        .build();
  }

  @Test
  void eachRootIsClaimedByTheClosestCallerOnce() {
    Span late = root(1, T + 8 * MS, null);
    Span early = root(2, T + MS, null);
    roots.offer(late);
    roots.offer(early);
    assertEquals(early, roots.match(caller("pricing", null)));
    assertEquals(late, roots.match(caller("pricing:50051", null)), "a host name names the service");
    assertNull(roots.match(caller("pricing", null)), "both are claimed");
    assertEquals(2, roots.held(), "claimed roots stay until they are forgotten");
  }

  @Test
  void withoutAServiceNamedOnlyTheSameOperationMatches() {
    roots.offer(root(1, T + MS, "pricing.v1.Pricing/Quote"));
    assertNull(roots.match(caller("10.0.0.7:50051", null)));
    assertNull(roots.match(caller("10.0.0.7:50051", "pricing.v1.Pricing/Other")));
    assertEquals(1, roots.match(caller("10.0.0.7:50051", "pricing.v1.Pricing/Quote")).spanId());
  }

  @Test
  void rootsAreForgottenAfterTheirTimeAndPastTheBound() {
    for (long t = 1; t <= 5; t++) {
      roots.offer(root(t, T + MS, null));
    }
    assertEquals(3, roots.held());
    assertEquals(3, roots.match(caller("pricing", null)).spanId(), "the oldest went first");
    clock.addAndGet(10_000 * MS);
    assertEquals(3, roots.held(), "kept for exactly their time");
    clock.addAndGet(1);
    assertNull(roots.match(caller("pricing", null)));
    assertEquals(0, roots.held());
  }

  @Test
  void aMatchedRootComesBackWithEveryFactItWasOfferedWith() {
    Span full =
        Spans.builder()
            .traceIdHigh(0x1234)
            .traceIdLow(0x5678)
            .spanId(0x9abc)
            .kind(SpanKind.CONSUMER)
            .origin(RUST)
            .name("quotes receive")
            .startNanos(T + MS)
            .endNanos(T + 3 * MS)
            .failed(true)
            .errorClass("deadline_exceeded")
            .protocol(ProtocolHint.MESSAGING)
            .operation("quotes")
            .peer("kafka:9092")
            .requestBytes(10)
            .responseBytes(20)
            .allocatedBytes(30)
            .adjustedCount(4.0)
            .answered(false)
            .build();
    roots.offer(full);
    Span got =
        roots.match(
            Spans.builder()
                .kind(SpanKind.PRODUCER)
                .origin(GO)
                .startNanos(T)
                .endNanos(T + 10 * MS)
                .protocol(ProtocolHint.MESSAGING)
                .operation("quotes")
                .peer("pricing")
                .build());
    assertEquals(full, got);
  }

  @Test
  void servicesKeepTheirOwnRootsWhileTheRingGrowsWrapsAndForgets() {
    // 1,000 roots of three services through a ring that starts at 256 and is bounded at 700: it
    // grows (unwrapping), wraps and forgets the oldest, and each service's chain follows.
    RecentRoots many = new RecentRoots(10_000 * MS, 100 * MS, 700, clock::get);
    String[] services = {"pricing", "stock", "tax"};
    for (int i = 0; i < 1_000; i++) {
      Origin o = new Origin(services[i % 3], "rust", "b/" + i % 3, "b/" + i % 3);
      many.offer(
          Spans.builder()
              .traceIdLow(i + 1)
              .spanId(i + 1)
              .kind(SpanKind.SERVER)
              .origin(o)
              .startNanos(T + i * 1_000L)
              .endNanos(T + i * 1_000L + MS)
              .protocol(ProtocolHint.GRPC)
              .build());
    }
    assertEquals(700, many.held());
    // The roots left are 301..1000 (ids); each service's, closest to the caller's start first.
    for (String service : services) {
      int matched = 0;
      long lastId = 0;
      for (Span r = many.match(caller(service, null));
          r != null;
          r = many.match(caller(service, null))) {
        assertEquals(service, r.origin().service());
        assertEquals(true, r.spanId() > 300, "forgotten root " + r.spanId() + " matched");
        assertEquals(true, r.spanId() > lastId, "closest to the caller's start first");
        lastId = r.spanId();
        matched++;
      }
      // 700 ids from 301 to 1000, split by (id - 1) % 3.
      assertEquals(service.equals("pricing") ? 234 : 233, matched);
    }
  }
}
