package dev.seam.collector.pipeline;

import static dev.seam.collector.testing.Otlp.LOCAL_PARENT;
import static dev.seam.collector.testing.Otlp.REMOTE_PARENT;
import static dev.seam.collector.testing.Otlp.T0;
import static dev.seam.collector.testing.Otlp.attr;
import static dev.seam.collector.testing.Otlp.id;
import static dev.seam.collector.testing.Otlp.resource;
import static dev.seam.collector.testing.Otlp.resourceSpans;
import static dev.seam.collector.testing.Otlp.span;
import static dev.seam.collector.testing.Otlp.traces;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.seam.collector.model.Ids;
import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.Transport;
import dev.seam.collector.normalize.ServiceNames;
import dev.seam.collector.normalize.SpanNormalizer;
import dev.seam.collector.pair.Edge;
import dev.seam.collector.pair.PairingStore;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Messaging calls whose consumer links to its producers, through the trace handler and a pairing
 * store of 64 shards (so a linked trace and the consumer's own trace are, as a rule, in different
 * shards). Spans are shaped as franz-go's kotel sends a producer and a Rust rdkafka consumer sends
 * a process span that starts a new trace and links to each message's context.
 */
class MessagingLinksTest {

  private static final long MS = 1_000_000L;
  private static final long WINDOW = 1_000_000_000L;
  private static final String PRODUCER_TRACE_1 = "3e560000000000000000000000000001";
  private static final String PRODUCER_TRACE_2 = "3e560000000000000000000000000002";
  private static final String CONSUMER_TRACE = "3e570000000000000000000000000001";

  private final AtomicLong clock = new AtomicLong();
  private final Parts.Recorder listener = new Parts.Recorder();
  private final PairingStore store = new PairingStore(WINDOW, 10_000, 64, listener, clock::get);
  private TraceHandler handler;

  @BeforeEach
  void setUp() {
    Parts parts = new Parts();
    Origins origins = new Origins(ServiceNames.AS_REPORTED);
    handler =
        new TraceHandler(
            new SpanNormalizer(Set.of(), ServiceNames.AS_REPORTED),
            origins,
            store,
            null,
            null,
            new ForwardRewriter(origins, null),
            parts.accounting);
  }

  /** kotel's producer span: "orders send", PRODUCER, ended when the broker acknowledged. */
  private static Span.Builder producer(String trace, String spanId, long start) {
    return span(trace, spanId, "", SpanKind.SPAN_KIND_PRODUCER, start, 2 * MS)
        .setName("orders send")
        .setFlags(LOCAL_PARENT | 1)
        .addAttributes(attr("messaging.system", "kafka"))
        .addAttributes(attr("messaging.destination", "orders"))
        .addAttributes(attr("messaging.operation", "send"));
  }

  /** A Rust process span that starts a new trace and links to the messages' producers. */
  private static Span.Builder consumer(String spanId, long start, String... linkedTraceAndSpan) {
    Span.Builder s =
        span(CONSUMER_TRACE, spanId, "", SpanKind.SPAN_KIND_CONSUMER, start, 6 * MS)
            .setName("process orders")
            .setFlags(LOCAL_PARENT | 1)
            .addAttributes(attr("messaging.system", "kafka"))
            .addAttributes(attr("messaging.operation.type", "process"))
            .addAttributes(attr("messaging.destination.name", "orders"));
    for (int i = 0; i < linkedTraceAndSpan.length; i += 2) {
      s.addLinks(
          Span.Link.newBuilder()
              .setTraceId(id(linkedTraceAndSpan[i]))
              .setSpanId(id(linkedTraceAndSpan[i + 1]))
              .setFlags(REMOTE_PARENT | 1));
    }
    return s;
  }

  private static ResourceSpans go(Span.Builder... spans) {
    return resourceSpans(resource("checkout", "go"), spans);
  }

  private static ResourceSpans rust(Span.Builder... spans) {
    return resourceSpans(resource("ledger", "rust"), spans);
  }

  private void send(ResourceSpans... batches) throws Exception {
    handler.export(traces(batches).toByteArray(), "grpc");
  }

  private void expireAll() {
    clock.addAndGet(2 * WINDOW);
    store.expire();
  }

  private List<Edge> edgesByProducer() {
    return listener.edges().stream()
        .sorted(Comparator.comparingLong(e -> e.caller().spanId()))
        .toList();
  }

  @Test
  void producerFirstThenALinkedConsumerPairAsOneMessagingCall() throws Exception {
    send(go(producer(PRODUCER_TRACE_1, "3e56a00000000001", T0)));
    send(rust(consumer("3e57b00000000001", T0 + 7 * MS, PRODUCER_TRACE_1, "3e56a00000000001")));

    List<Edge> edges = listener.edges();
    assertEquals(1, edges.size());
    Edge e = edges.get(0);
    assertEquals(Transport.MESSAGING, e.transport());
    assertEquals("checkout", e.caller().origin().service());
    assertEquals(0x3e56a00000000001L, e.caller().spanId());
    // The callee is the consumer as a remote child of the linked producer, with its own times.
    assertEquals("ledger", e.callee().origin().service());
    assertEquals(PRODUCER_TRACE_1, e.callee().traceIdHex());
    assertEquals(0x3e56a00000000001L, e.callee().parentSpanId());
    assertEquals(ParentLink.REMOTE, e.callee().parentLink());
    assertEquals(T0 + 7 * MS, e.callee().startNanos());
    assertEquals(T0 + 13 * MS, e.callee().endNanos());
    assertEquals("orders", e.callee().operation());
    expireAll();
    assertEquals(List.of(), listener.unpaired());
  }

  @Test
  void aLinkedConsumerBeforeItsProducerWaitsInTheProducersTrace() throws Exception {
    send(rust(consumer("3e57b00000000001", T0 + 7 * MS, PRODUCER_TRACE_1, "3e56a00000000001")));
    assertEquals(List.of(), listener.edges());
    // The consumer held as itself, its linked callee held and waiting for the producer.
    assertEquals(3, store.pending());

    send(go(producer(PRODUCER_TRACE_1, "3e56a00000000001", T0)));

    assertEquals(1, listener.edges().size());
    assertEquals(0x3e56a00000000001L, listener.edges().get(0).caller().spanId());
    expireAll();
    assertEquals(List.of(), listener.unpaired());
  }

  @Test
  void aBatchConsumerIsOneCallPerLinkedMessageEvenTwoInOneTrace() throws Exception {
    send(
        rust(
            consumer(
                "3e57b00000000002",
                T0 + 30 * MS,
                PRODUCER_TRACE_1,
                "3e56a00000000002",
                PRODUCER_TRACE_2,
                "3e56a00000000003",
                PRODUCER_TRACE_2,
                "3e56a00000000004")));
    send(
        go(
            producer(PRODUCER_TRACE_1, "3e56a00000000002", T0),
            producer(PRODUCER_TRACE_2, "3e56a00000000003", T0 + 10 * MS),
            producer(PRODUCER_TRACE_2, "3e56a00000000004", T0 + 12 * MS)));

    List<Edge> edges = edgesByProducer();
    assertEquals(3, edges.size());
    assertEquals(0x3e56a00000000002L, edges.get(0).caller().spanId());
    assertEquals(0x3e56a00000000003L, edges.get(1).caller().spanId());
    assertEquals(0x3e56a00000000004L, edges.get(2).caller().spanId());
    assertEquals(PRODUCER_TRACE_2, edges.get(2).callee().traceIdHex());
    // Two callees in one trace are two spans of their own.
    assertNotEquals(edges.get(1).callee().spanId(), edges.get(2).callee().spanId());
    for (Edge e : edges) {
      assertEquals(T0 + 30 * MS, e.callee().startNanos());
    }
    expireAll();
    assertEquals(List.of(), listener.unpaired());
  }

  @Test
  void aLinkToASpanNeverSeenIsAnUnpairedCallee() throws Exception {
    send(rust(consumer("3e57b00000000003", T0, PRODUCER_TRACE_1, "3e56a00000000009")));
    expireAll();

    assertEquals(List.of(), listener.edges());
    assertEquals(1, listener.unpaired().size());
    assertEquals("ledger", listener.unpaired().get(0).origin().service());
    assertEquals(Ids.hex(0x3e56a00000000009L), Ids.hex(listener.unpaired().get(0).parentSpanId()));
    assertEquals(0, store.pending());
  }

  @Test
  void aResentConsumerCountsItsCallsOnce() throws Exception {
    send(go(producer(PRODUCER_TRACE_1, "3e56a00000000001", T0)));
    Span.Builder c =
        consumer("3e57b00000000001", T0 + 7 * MS, PRODUCER_TRACE_1, "3e56a00000000001");
    send(rust(c));
    send(rust(c));

    assertEquals(1, listener.edges().size());
  }

  @Test
  void aConsumerChildOfItsProducerThatAlsoLinksToItIsOneCall() throws Exception {
    send(go(producer(PRODUCER_TRACE_1, "3e56a00000000001", T0)));
    Span.Builder child =
        consumer("3e57b00000000005", T0 + 7 * MS, PRODUCER_TRACE_1, "3e56a00000000001")
            .setTraceId(id(PRODUCER_TRACE_1))
            .setParentSpanId(id("3e56a00000000001"))
            .setFlags(REMOTE_PARENT | 1);
    send(rust(child));

    assertEquals(1, listener.edges().size());
    assertEquals(0x3e57b00000000005L, listener.edges().get(0).callee().spanId());
  }

  @Test
  void onlyConsumerSpansPairThroughLinks() throws Exception {
    send(go(producer(PRODUCER_TRACE_1, "3e56a00000000001", T0)));
    // A Rust server span linking to the message that caused it is not a messaging call.
    send(
        rust(
            consumer("3e57b00000000006", T0 + 7 * MS, PRODUCER_TRACE_1, "3e56a00000000001")
                .setKind(SpanKind.SPAN_KIND_SERVER)));
    expireAll();

    assertEquals(List.of(), listener.edges());
    // Only the producer, whose consumer never came, is reported.
    assertEquals(1, listener.unpaired().size());
    assertEquals("checkout", listener.unpaired().get(0).origin().service());
  }
}
