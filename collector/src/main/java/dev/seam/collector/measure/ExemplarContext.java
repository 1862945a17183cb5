package dev.seam.collector.measure;

import dev.seam.collector.model.Ids;
import io.prometheus.metrics.tracer.common.SpanContext;

/**
 * Tells the Prometheus exemplar samplers which span is being recorded. A sampler asks on the
 * recording thread, and the span in question is the one Seam is processing, not one of Seam's own,
 * so the ids sit in a thread-local set around each {@code record} call. The thread-local is shared
 * by every instance: the span being recorded is a fact about the thread, so the instance the Java
 * client's global supplier holds (see {@link BoundaryHistogram}) answers for all.
 */
public final class ExemplarContext implements SpanContext {

  private static final class Current {
    long traceIdHigh;
    long traceIdLow;
    long spanId;
    boolean set;
  }

  private static final ThreadLocal<Current> current = ThreadLocal.withInitial(Current::new);

  /** Names the span whose value is recorded next on this thread. */
  void set(long traceIdHigh, long traceIdLow, long spanId) {
    Current c = current.get();
    c.traceIdHigh = traceIdHigh;
    c.traceIdLow = traceIdLow;
    c.spanId = spanId;
    c.set = true;
  }

  /** Forgets the span, so values recorded without one carry no exemplar. */
  void clear() {
    current.get().set = false;
  }

  @Override
  public String getCurrentTraceId() {
    Current c = current.get();
    return c.set ? Ids.hex(c.traceIdHigh, c.traceIdLow) : null;
  }

  @Override
  public String getCurrentSpanId() {
    Current c = current.get();
    return c.set ? Ids.hex(c.spanId) : null;
  }

  @Override
  public boolean isCurrentSpanSampled() {
    return current.get().set;
  }

  @Override
  public void markCurrentSpanAsExemplar() {
    // Seam does not own the span; there is nothing to mark.
  }
}
