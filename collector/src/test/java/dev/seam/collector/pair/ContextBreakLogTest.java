package dev.seam.collector.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.testing.Spans;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContextBreakLogTest {

  private static final long MINUTE = 60_000_000_000L;
  private static final Origin GO = new Origin("gateway", "go", "a/1", "a/1");
  private static final Origin RUST = new Origin("pricing", "rust", "b/2", "b/2");
  private static final Origin BILLING = new Origin("billing", "rust", "c/3", "c/3");

  private final Logger logger = Logger.getLogger(ContextBreakDetector.class.getName());
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final AtomicLong clock = new AtomicLong();
  private final ContextBreakLog log = new ContextBreakLog(clock::get);

  @BeforeEach
  void listen() {
    logger.addHandler(handler);
  }

  @AfterEach
  void stopListening() {
    logger.removeHandler(handler);
  }

  private static Span caller() {
    return Spans.builder().kind(SpanKind.CLIENT).origin(GO).startNanos(0).endNanos(10).build();
  }

  private static Span callee(Origin origin, SpanKind kind) {
    return Spans.builder().spanId(9).kind(kind).origin(origin).startNanos(2_500_000).build();
  }

  @Test
  void oneLinePerBoundaryAndMinuteNamingTheSideThatDroppedTheContext() {
    log.describe(caller(), callee(RUST, SpanKind.SERVER));
    log.describe(caller(), callee(RUST, SpanKind.SERVER));
    log.describe(caller(), callee(BILLING, SpanKind.INTERNAL));
    assertEquals(2, records.size());
    assertEquals(Level.WARNING, records.get(0).getLevel());
    String first = records.get(0).getMessage();
    assertTrue(first.startsWith("context lost at gateway (go) -> pricing (rust): "), first);
    assertTrue(first.contains("started +2.500 ms after it"), first);
    assertTrue(
        first.endsWith(
            "gateway did not send the trace context (pricing's server instrumentation began a new"
                + " trace)"),
        first);
    String second = records.get(1).getMessage();
    assertTrue(
        second.endsWith(
            "billing did not continue the trace context it was sent (its span is a root without a"
                + " server kind)"),
        second);

    clock.addAndGet(MINUTE - 1);
    log.describe(caller(), callee(RUST, SpanKind.SERVER));
    assertEquals(2, records.size());
    clock.addAndGet(1);
    log.describe(caller(), callee(RUST, SpanKind.SERVER));
    assertEquals(3, records.size());
  }
}
