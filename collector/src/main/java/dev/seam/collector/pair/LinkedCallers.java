package dev.seam.collector.pair;

import dev.seam.collector.model.ParentLink;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;

/**
 * Messaging calls whose consumer names its producer by a span link rather than as its parent: a
 * batch receive or process span links to the producer span of each message it handled, and a
 * process span that starts a new trace links to the one producer span. The consumer is then the
 * callee of each span it links to, one call per link.
 *
 * <p>The store pairs by (trace, parent span id), and a linked consumer is usually in another trace
 * than its producer. So for each link the consumer is offered once more as a <em>linked
 * callee</em>: the same span moved into the linked trace, as a child whose parent (the linked span)
 * was extracted from a carrier. It lands in the shard of the linked trace, waits there for the
 * producer or finds it, and ends as a child with a remote parent does (paired, or unpaired as
 * caller_missing).
 *
 * <p>Only CONSUMER spans pair through their links: the instrumentations that link (the messaging
 * semantic conventions' batch receive and process spans, tracing-opentelemetry's {@code add_link}
 * on a Rust consumer span) link from the consumer to the producer. Links on other kinds (a publish
 * span linking to the create spans of its messages, a job linking to the request that queued it)
 * are not calls Seam measures.
 */
public final class LinkedCallers {

  private LinkedCallers() {}

  /** Whether a span's links name the callers it handled: it is a CONSUMER span. */
  public static boolean pairsThroughLinks(Span span) {
    return span.kind() == SpanKind.CONSUMER;
  }

  /**
   * The linked callee of {@code consumer} for the link to span {@code linkedSpanId} of trace {@code
   * traceHigh}:{@code traceLow}: the consumer in the linked trace, a crossing child of the linked
   * span. Its span id is made from the consumer's and the linked span's, so that two links of one
   * batch into the same trace are two callees, and a resent copy of the consumer makes the same ids
   * and is recognised as a duplicate.
   */
  public static Span calleeOf(Span consumer, long traceHigh, long traceLow, long linkedSpanId) {
    long id = derivedId(consumer.spanId(), linkedSpanId);
    return new Span(
        traceHigh,
        traceLow,
        id,
        linkedSpanId,
        ParentLink.REMOTE,
        consumer.kind(),
        consumer.origin(),
        consumer.name(),
        consumer.startNanos(),
        consumer.endNanos(),
        consumer.failed(),
        consumer.errorClass(),
        consumer.protocol(),
        consumer.operation(),
        consumer.peer(),
        consumer.requestBytes(),
        consumer.responseBytes(),
        consumer.allocatedBytes(),
        consumer.adjustedCount(),
        consumer.answered());
  }

  /** A span id made from two, never 0 and never the consumer's own. */
  static long derivedId(long spanId, long linkedSpanId) {
    long h =
        (spanId ^ Long.rotateLeft(linkedSpanId * 0x9E3779B97F4A7C15L, 29)) * 0xBF58476D1CE4E5B9L;
    h ^= h >>> 31;
    return h == 0 || h == spanId ? ~spanId | 1 : h;
  }
}
