package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

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
    assertSame(early, roots.match(caller("pricing", null)));
    assertSame(late, roots.match(caller("pricing:50051", null)), "a host name names the service");
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
}
