package dev.seam.collector.pair;

/** A test on a trace id given as its two halves, such as "its Kafka partition was revoked". */
@FunctionalInterface
public interface TraceIdPredicate {

  /** Whether the trace with this id is meant. */
  boolean test(long traceIdHigh, long traceIdLow);
}
