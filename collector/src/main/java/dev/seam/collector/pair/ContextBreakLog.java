package dev.seam.collector.pair;

import dev.seam.collector.model.Span;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Logs a broken trace context, one line per boundary and minute: which side most likely dropped the
 * context, and how it was seen. Thread-safe.
 */
final class ContextBreakLog {

  // The detector's logger: the lines are its findings.
  private static final Logger LOG = Logger.getLogger(ContextBreakDetector.class.getName());
  private static final long LOG_EVERY_NANOS = 60_000_000_000L;

  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Long> lastLog = new ConcurrentHashMap<>();

  ContextBreakLog(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Logs that the two spans are one call, unless their boundary was logged within the minute. */
  void describe(Span caller, Span callee) {
    String boundary =
        caller.origin().service()
            + " ("
            + caller.origin().language()
            + ") -> "
            + callee.origin().service()
            + " ("
            + callee.origin().language()
            + ")";
    long now = nanoClock.getAsLong();
    Long last = lastLog.get(boundary);
    if (last != null && now - last < LOG_EVERY_NANOS) {
      return;
    }
    lastLog.put(boundary, now);
    String who =
        callee.kind().isIncoming()
            ? caller.origin().service()
                + " did not send the trace context ("
                + callee.origin().service()
                + "'s server instrumentation began a new trace)"
            : callee.origin().service()
                + " did not continue the trace context it was sent (its span is a root without a"
                + " server kind)";
    LOG.warning(
        String.format(
            "context lost at %s: caller span %s/%s (%s) has no callee in its trace, and a root span"
                + " %s/%s (%s) started %+.3f ms after it on the callee side; %s",
            boundary,
            caller.traceIdHex(),
            caller.spanIdHex(),
            caller.name(),
            callee.traceIdHex(),
            callee.spanIdHex(),
            callee.name(),
            (callee.startNanos() - caller.startNanos()) / 1e6,
            who));
  }
}
