package dev.seam.collector.measure;

import dev.seam.collector.model.BoundaryKey;
import dev.seam.collector.model.ErrorSide;
import dev.seam.collector.model.Origin;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.model.Transport;
import dev.seam.collector.model.UnpairedReason;
import dev.seam.collector.pair.BoundaryListener;
import dev.seam.collector.pair.Edge;
import dev.seam.collector.pair.Outcome;
import dev.seam.collector.pair.TransportClassifier;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Records the {@code seam_boundary_*} metrics, the pairing outcomes and (when switched on) Tempo's
 * service graph from what the pairing store reports: it names each boundary, within the cardinality
 * caps, and records on that boundary's meters.
 *
 * <p>Pipeline threads call it concurrently; every part it records on is thread-safe.
 */
public final class BoundaryMetrics implements BoundaryListener {

  private final ExemplarContext exemplars;
  private final CardinalityGuard guard;
  private final BoundarySeries series;
  private final PairingMetrics pairing;
  private final ServiceGraphMetrics serviceGraph;
  private final ClockOffsets clocks = new ClockOffsets();

  /**
   * @param registry where the meters live; the boundary histograms are registered in its {@link
   *     PrometheusMeterRegistry#getPrometheusRegistry() Prometheus registry}, once per registry
   * @param exemplars the exemplar hook the registry was built with
   * @param settings labels, caps, buckets, native histograms and clock
   */
  public BoundaryMetrics(
      PrometheusMeterRegistry registry, ExemplarContext exemplars, MeasureSettings settings) {
    this.exemplars = exemplars;
    this.guard = new CardinalityGuard(registry, settings);
    BoundaryHistograms histograms =
        new BoundaryHistograms(registry.getPrometheusRegistry(), settings, exemplars);
    this.series = new BoundarySeries(registry, histograms, guard, settings);
    this.pairing = new PairingMetrics(registry);
    this.serviceGraph =
        settings.serviceGraph()
            ? new ServiceGraphMetrics(registry, settings.buckets().durationArray())
            : null;
  }

  @Override
  public void onEdge(Edge edge) {
    onEdgeSeries(edge);
  }

  /** Records the edge; its series is named by its {@link BoundaryKey}, which is returned. */
  @Override
  public Object onEdgeSeries(Edge edge) {
    Span caller = edge.caller();
    Span callee = edge.callee();
    BoundaryKey key = key(edge);
    BoundaryMeters m = series.meters(key);
    // The caller's sampling decision is the trace's (the callee follows its parent's); the
    // counters stand for every call it represents, the histograms hold the sampled ones.
    double weight = caller.adjustedCount();
    m.calls.increment(weight);

    long callerNanos = caller.durationNanos();
    long calleeNanos = callee.durationNanos();
    try {
      exemplars.set(caller.traceIdHigh(), caller.traceIdLow(), caller.spanId());
      m.callerDuration.record(callerNanos);
      // A callee cut off when its caller gave up ended when it was dropped, not when its work
      // did: caller minus callee would be the wait, not the crossing, so no overhead is recorded.
      boolean cutOff = callee.cutOff() && caller.failed();
      if (!cutOff && (caller.kind().isOutgoing() || edge.transport() == Transport.FFI)) {
        long overhead = callerNanos - calleeNanos;
        if (overhead < 0) {
          m.negativeOverhead.increment();
          overhead = 0;
        } else if (edge.transport() != Transport.FFI) {
          // The NTP estimate assumes the callee ran inside the caller's span, half-way through
          // the crossing: (start(C) - start(P)) - (dur(P) - dur(C)) / 2.
          long skew = (callee.startNanos() - caller.startNanos()) - overhead / 2;
          m.clockSkew(skew);
          // A consumer runs after its producer, not inside it: no sample of the two clocks.
          if (edge.transport() != Transport.MESSAGING) {
            clocks.sample(caller.origin().service(), callee.origin().service(), skew);
          }
        }
        m.overhead.record(overhead);
      }
      exemplars.set(callee.traceIdHigh(), callee.traceIdLow(), callee.spanId());
      m.calleeDuration.record(calleeNanos);
      if (edge.transport() == Transport.MESSAGING && callee.kind() == SpanKind.CONSUMER) {
        m.queue.get().record(queueNanos(caller, callee));
      }
    } finally {
      exemplars.clear();
    }

    ErrorSide side = ErrorSide.of(caller.failed(), callee.failed());
    if (serviceGraph != null) {
      serviceGraph.record(
          caller.origin().service(),
          callee.origin().service(),
          edge.transport(),
          side != null,
          weight,
          callerNanos,
          calleeNanos);
    }
    if (side != null) {
      // The callee's class names the cause when it failed; a caller-only failure (timeout,
      // cancellation, lost response) is described by the caller.
      String errorClass =
          callee.failed() && !callee.errorClass().equals("unknown")
              ? callee.errorClass()
              : caller.failed() ? caller.errorClass() : callee.errorClass();
      m.errors(side, errorClass).increment(weight);
    }
    long request = caller.requestBytes() >= 0 ? caller.requestBytes() : callee.requestBytes();
    if (request >= 0) {
      m.requestBytes.get().record(request);
    }
    long response = caller.responseBytes() >= 0 ? caller.responseBytes() : callee.responseBytes();
    if (response >= 0) {
      m.responseBytes.get().record(response);
    }
    if (callee.allocatedBytes() >= 0) {
      m.allocatedBytes.get().record(callee.allocatedBytes());
    }
    // The pairing store keeps this token with each ended boundary span (up to millions of them):
    // the series' own key, not the one built for this call, so they share one instance.
    return m.key();
  }

  @Override
  public void onUnpaired(Span span, Side side) {
    Origin o = span.origin();
    Transport t = TransportClassifier.ofHint(span.protocol());
    BoundaryKey key;
    if (side == Side.CALLER) {
      String callerService = guard.service(o.service());
      String calleeService = span.peer() != null ? guard.service(span.peer()) : Origin.UNKNOWN;
      key =
          new BoundaryKey(
              callerService,
              o.language(),
              calleeService,
              Origin.UNKNOWN,
              t != null ? t : Transport.OTHER,
              "");
      key = key.withOperation(guard.operation(key, span.operation()));
    } else {
      if (t == null) {
        t = span.kind().isIncoming() ? Transport.OTHER : Transport.FFI;
      }
      key =
          new BoundaryKey(
              Origin.UNKNOWN, Origin.UNKNOWN, guard.service(o.service()), o.language(), t, "");
      key = key.withOperation(guard.operation(key, calleeOperation(span, t)));
    }
    UnpairedReason reason =
        side == Side.CALLER ? UnpairedReason.CALLEE_MISSING : UnpairedReason.CALLER_MISSING;
    series.unpaired(key, side, reason).increment(span.adjustedCount());
  }

  @Override
  public void onContextBroken(Span caller, Span callee) {
    Transport t = TransportClassifier.classify(caller, callee);
    BoundaryKey base = base(caller.origin(), callee.origin(), t);
    String op = calleeOperation(callee, t);
    BoundaryKey key =
        base.withOperation(guard.operation(base, op != null ? op : caller.operation()));
    double weight = caller.adjustedCount();
    series.meters(key).contextBroken.get().increment(weight);
    series.unpaired(key, Side.CALLER, UnpairedReason.CONTEXT_BROKEN).increment(weight);
  }

  @Override
  public void onErrorLogs(Edge edge, Side side, int count) {
    series.meters(key(edge)).errorLogs(side).increment(count);
  }

  /** {@code series} is the {@link BoundaryKey} {@link #onEdgeSeries} returned. */
  @Override
  public void onLateErrorLogs(Object series, Side side, int count) {
    this.series.meters((BoundaryKey) series).errorLogs(side).increment(count);
  }

  @Override
  public void onOutcome(Outcome outcome, int count) {
    pairing.record(outcome, count);
  }

  /**
   * How long a message waited between its producer and its consumer: the consumer's start minus the
   * producer's end, the consumer's start first moved onto the producer's clock by the estimated
   * offset between the two services ({@link ClockOffsets}; none within one process). A wait that
   * still comes out negative (the consumer started before the producer returned, as a fast consumer
   * does when the producer span ends on the broker's acknowledgement, or clocks no call corrects)
   * is recorded as 0.
   */
  private long queueNanos(Span producer, Span consumer) {
    long offset =
        producer.origin().sameProcess(consumer.origin())
            ? 0
            : clocks.offset(producer.origin().service(), consumer.origin().service());
    return Math.max(0L, (consumer.startNanos() - offset) - producer.endNanos());
  }

  /**
   * Removes the series of every boundary that recorded nothing for {@code ttlNanos}, and lets the
   * service names and operations no series uses any more count afresh against the caps.
   *
   * @return how many series were removed (the meters of one label set count as one)
   */
  public int expireIdle(long ttlNanos) {
    int removed = series.removeIdle(ttlNanos);
    if (removed > 0) {
      guard.retain(series.boundaries(), series.serviceNames());
    }
    return removed;
  }

  /** The boundary labels of a paired call. */
  BoundaryKey key(Edge edge) {
    BoundaryKey base = base(edge.caller().origin(), edge.callee().origin(), edge.transport());
    String op = calleeOperation(edge.callee(), edge.transport());
    if (op == null) {
      op = edge.caller().operation();
    }
    return base.withOperation(guard.operation(base, op));
  }

  /** The boundary between two origins, services capped, operation empty. */
  private BoundaryKey base(Origin caller, Origin callee, Transport transport) {
    String callerService = guard.service(caller.service());
    String calleeService = guard.service(callee.service());
    return new BoundaryKey(
        callerService, caller.language(), calleeService, callee.language(), transport, "");
  }

  private static String calleeOperation(Span callee, Transport transport) {
    if (transport == Transport.FFI) {
      return callee.name();
    }
    if (callee.operation() != null) {
      return callee.operation();
    }
    return transport == Transport.OTHER && callee.kind() != SpanKind.UNSPECIFIED
        ? callee.name()
        : null;
  }
}
