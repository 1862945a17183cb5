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
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Records the {@code seam_boundary_*} metrics and the pairing outcomes from what the pairing
 * store reports.
 */
public final class BoundaryMetrics implements BoundaryListener {

  /** Weight of each new clock-offset sample: about the last 10 calls dominate the estimate. */
  private static final double SKEW_SMOOTHING = 0.1;

  /** The operation label of a boundary whose distinct operations passed the cap. */
  public static final String OTHER_OPERATION = "other";

  private final MeterRegistry registry;
  private final int maxBoundaries;
  private final int maxServices;
  private final Set<String> services = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Counter> overflows = new ConcurrentHashMap<>();
  private final ServiceGraphMetrics serviceGraph;
  private final ExemplarContext exemplars;
  private final boolean operationEnabled;
  private final int maxOperations;
  private final Duration[] durationBuckets;
  private final Duration[] overheadBuckets;
  private final double[] byteBuckets;

  private final ConcurrentHashMap<BoundaryKey, BoundaryMeters> meters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<BoundaryKey, Set<String>> operations = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<UnpairedKey, Counter> unpaired = new ConcurrentHashMap<>();
  private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

  /**
   * @param registry where the meters live
   * @param exemplars the exemplar hook the registry was built with
   * @param operationEnabled whether the {@code operation} label is filled (else it is empty)
   * @param maxOperations distinct operations kept per boundary before the rest become {@code other}
   * @param buckets histogram bounds
   */
  public BoundaryMetrics(MeterRegistry registry, ExemplarContext exemplars, boolean operationEnabled, int maxOperations, Buckets buckets) {
    this(registry, exemplars, operationEnabled, maxOperations, buckets, false);
  }

  /**
   * @param serviceGraph whether Tempo-compatible {@code traces_service_graph_request_*} metrics
   *     are recorded too
   */
  public BoundaryMetrics(MeterRegistry registry, ExemplarContext exemplars, boolean operationEnabled, int maxOperations, Buckets buckets,
      boolean serviceGraph) {
    this(registry, exemplars, operationEnabled, maxOperations, buckets, serviceGraph, 10_000, 1_000);
  }

  /**
   * @param maxBoundaries distinct boundary series (with their operation) before new ones share an {@code other} series
   * @param maxServices distinct service names in the service labels before new ones are {@code other}
   */
  public BoundaryMetrics(MeterRegistry registry, ExemplarContext exemplars, boolean operationEnabled, int maxOperations, Buckets buckets,
      boolean serviceGraph, int maxBoundaries, int maxServices) {
    this.registry = registry;
    this.maxBoundaries = maxBoundaries;
    this.maxServices = maxServices;
    for (String reason : new String[] {"max_boundaries", "max_services"}) {
      overflow(reason);
    }
    this.serviceGraph = serviceGraph ? new ServiceGraphMetrics(registry, buckets.durationArray()) : null;
    this.exemplars = exemplars;
    this.operationEnabled = operationEnabled;
    this.maxOperations = maxOperations;
    this.durationBuckets = buckets.durationArray();
    this.overheadBuckets = buckets.overheadArray();
    this.byteBuckets = buckets.bytesArray();
    for (Outcome o : Outcome.values()) {
      outcomes.put(
          o,
          Counter.builder("seam.pairing.entries")
              .description("Pending pairing entries that ended, by how they ended")
              .tag("outcome", o.label())
              .register(registry));
    }
  }

  @Override
  public void onEdge(Edge edge) {
    Span caller = edge.caller();
    Span callee = edge.callee();
    BoundaryMeters m = meters(key(edge));
    // The caller's sampling decision is the trace's (the callee follows its parent's); the
    // counters stand for every call it represents, the histograms hold the sampled ones.
    double weight = caller.adjustedCount();
    m.calls.increment(weight);

    long callerNanos = caller.durationNanos();
    long calleeNanos = callee.durationNanos();
    try {
      exemplars.set(caller.traceIdHigh(), caller.traceIdLow(), caller.spanId());
      m.callerDuration.record(callerNanos, TimeUnit.NANOSECONDS);
      // A callee cut off when its caller gave up ended when it was dropped, not when its work
      // did: caller minus callee would be the wait, not the crossing, so no overhead is recorded.
      boolean cutOff = callee.cutOff() && caller.failed();
      if (!cutOff && (caller.kind().isOutgoing() || edge.transport() == Transport.FFI)) {
        long overhead = callerNanos - calleeNanos;
        if (overhead < 0) {
          m.negativeOverhead.increment();
          overhead = 0;
        } else if (edge.transport() != Transport.FFI) {
          // The NTP estimate assumes the callee ran inside the caller's span, half-way through the
          // crossing: (start(C) - start(P)) - (dur(P) - dur(C)) / 2.
          m.clockSkew((callee.startNanos() - caller.startNanos()) - overhead / 2);
        }
        m.overhead.record(overhead, TimeUnit.NANOSECONDS);
      }
      exemplars.set(callee.traceIdHigh(), callee.traceIdLow(), callee.spanId());
      m.calleeDuration.record(calleeNanos, TimeUnit.NANOSECONDS);
    } finally {
      exemplars.clear();
    }

    ErrorSide side = ErrorSide.of(caller.failed(), callee.failed());
    if (serviceGraph != null) {
      serviceGraph.record(caller.origin().service(), callee.origin().service(), edge.transport(), side != null, weight, callerNanos, calleeNanos);
    }
    if (side != null) {
      // The callee's class names the cause when it failed; a caller-only failure (timeout,
      // cancellation, lost response) is described by the caller.
      String errorClass = callee.failed() && !callee.errorClass().equals("unknown") ? callee.errorClass() : caller.failed() ? caller.errorClass() : callee.errorClass();
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
  }

  @Override
  public void onUnpaired(Span span, Side side) {
    Origin o = span.origin();
    Transport t = TransportClassifier.ofHint(span.protocol());
    BoundaryKey key;
    if (side == Side.CALLER) {
      key = new BoundaryKey(service(o.service()), o.language(), span.peer() != null ? service(span.peer()) : Origin.UNKNOWN, Origin.UNKNOWN,
          t != null ? t : Transport.OTHER, "");
      key = key.withOperation(operation(key, span.operation()));
    } else {
      if (t == null) {
        t = span.kind().isIncoming() ? Transport.OTHER : Transport.FFI;
      }
      key = new BoundaryKey(Origin.UNKNOWN, Origin.UNKNOWN, service(o.service()), o.language(), t, "");
      key = key.withOperation(operation(key, calleeOperation(span, t)));
    }
    unpaired(key, side, side == Side.CALLER ? UnpairedReason.CALLEE_MISSING : UnpairedReason.CALLER_MISSING).increment(span.adjustedCount());
  }

  @Override
  public void onContextBroken(Span caller, Span callee) {
    Origin from = caller.origin();
    Origin to = callee.origin();
    Transport t = TransportClassifier.classify(caller, callee);
    BoundaryKey base = new BoundaryKey(service(from.service()), from.language(), service(to.service()), to.language(), t, "");
    String op = calleeOperation(callee, t);
    BoundaryKey key = base.withOperation(operation(base, op != null ? op : caller.operation()));
    meters(key).contextBroken.get().increment(caller.adjustedCount());
    unpaired(key, Side.CALLER, UnpairedReason.CONTEXT_BROKEN).increment(caller.adjustedCount());
  }

  private Counter unpaired(BoundaryKey key, Side side, UnpairedReason reason) {
    UnpairedKey k = new UnpairedKey(key, side, reason);
    Counter c = unpaired.get(k);
    if (c == null) {
      c = unpaired.computeIfAbsent(k, x -> Counter.builder("seam.boundary.unpaired")
          .description("Boundary halves whose counterpart did not arrive within the pairing window, by side and reason")
          .tags(tags(x.key()))
          .tag("side", x.side().label())
          .tag("reason", x.reason().label())
          .register(registry));
    }
    return c;
  }

  @Override
  public void onErrorLogs(Edge edge, Side side, int count) {
    meters(key(edge)).errorLogs(side).increment(count);
  }

  @Override
  public void onOutcome(Outcome outcome, int count) {
    outcomes.get(outcome).increment(count);
  }

  private record UnpairedKey(BoundaryKey key, Side side, UnpairedReason reason) {}

  /** The boundary labels of a paired call. */
  BoundaryKey key(Edge edge) {
    Origin caller = edge.caller().origin();
    Origin callee = edge.callee().origin();
    BoundaryKey base = new BoundaryKey(service(caller.service()), caller.language(), service(callee.service()), callee.language(), edge.transport(), "");
    String op = calleeOperation(edge.callee(), edge.transport());
    if (op == null) {
      op = edge.caller().operation();
    }
    return base.withOperation(operation(base, op));
  }

  private static String calleeOperation(Span callee, Transport transport) {
    if (transport == Transport.FFI) {
      return callee.name();
    }
    if (callee.operation() != null) {
      return callee.operation();
    }
    return transport == Transport.OTHER && callee.kind() != SpanKind.UNSPECIFIED ? callee.name() : null;
  }

  /** The operation label value: capped per boundary, empty when switched off. */
  private String operation(BoundaryKey base, String op) {
    if (!operationEnabled) {
      return "";
    }
    if (op == null || op.isEmpty()) {
      op = Origin.UNKNOWN;
    }
    Set<String> seen = operations.computeIfAbsent(base, k -> ConcurrentHashMap.newKeySet());
    if (seen.contains(op)) {
      return op;
    }
    synchronized (seen) {
      if (seen.contains(op)) {
        return op;
      }
      if (seen.size() < maxOperations) {
        seen.add(op);
        return op;
      }
    }
    return OTHER_OPERATION;
  }

  /**
   * The service name as a label value: names beyond {@code limits.max-services} distinct ones
   * become {@code other}, so a client inventing names (or a peer hint full of IP addresses)
   * cannot grow the series without bound.
   */
  private String service(String name) {
    if (services.contains(name) || Origin.UNKNOWN.equals(name)) {
      return name;
    }
    if (services.size() < maxServices) {
      services.add(name);
      return name;
    }
    overflow("max_services").increment();
    return OTHER_OPERATION;
  }

  private Counter overflow(String reason) {
    return overflows.computeIfAbsent(reason, r -> Counter.builder("seam.cardinality.overflow")
        .description("Boundary observations recorded under 'other' labels because a cardinality cap was reached, by cap")
        .tag("reason", r)
        .register(registry));
  }

  private BoundaryMeters meters(BoundaryKey key) {
    BoundaryMeters m = meters.get(key);
    if (m == null) {
      if (meters.size() >= maxBoundaries) {
        // Past the cap every new boundary shares one series per transport.
        overflow("max_boundaries").increment();
        key = new BoundaryKey(OTHER_OPERATION, OTHER_OPERATION, OTHER_OPERATION, OTHER_OPERATION, key.transport(), operationEnabled ? OTHER_OPERATION : "");
      }
      m = meters.computeIfAbsent(key, BoundaryMeters::new);
    }
    m.lastUsedNanos = System.nanoTime();
    return m;
  }

  /**
   * Removes the series of every boundary that recorded nothing for {@code ttlNanos}, so that
   * boundaries that are gone (a renamed service, a retired route) stop being exported. A boundary
   * that comes back starts from zero, which {@code rate()} reads as a counter reset.
   *
   * @return how many boundaries were removed
   */
  public int expireIdle(long ttlNanos) {
    long now = System.nanoTime();
    java.util.List<Tags> gone = new java.util.ArrayList<>();
    for (Map.Entry<BoundaryKey, BoundaryMeters> e : meters.entrySet()) {
      if (now - e.getValue().lastUsedNanos > ttlNanos && meters.remove(e.getKey(), e.getValue())) {
        gone.add(e.getValue().tags);
      }
    }
    for (Map.Entry<UnpairedKey, Counter> e : unpaired.entrySet()) {
      if (idleSince(e.getValue(), now, ttlNanos)) {
        unpaired.remove(e.getKey(), e.getValue());
        gone.add(tags(e.getKey().key()));
      }
    }
    if (gone.isEmpty()) {
      return 0;
    }
    for (io.micrometer.core.instrument.Meter meter : registry.getMeters()) {
      if (meter.getId().getName().startsWith("seam.boundary.")) {
        java.util.List<io.micrometer.core.instrument.Tag> tags = meter.getId().getTags();
        for (Tags t : gone) {
          if (tags.containsAll(t.stream().toList())) {
            registry.remove(meter);
            break;
          }
        }
      }
    }
    // Operations of a boundary with no series left may be counted afresh against the cap.
    java.util.Set<BoundaryKey> live = new java.util.HashSet<>();
    for (BoundaryKey k : meters.keySet()) {
      live.add(k.withOperation(""));
    }
    operations.keySet().removeIf(base -> !live.contains(base));
    java.util.Set<String> liveServices = new java.util.HashSet<>();
    for (BoundaryKey k : live) {
      liveServices.add(k.callerService());
      liveServices.add(k.calleeService());
    }
    for (UnpairedKey k : unpaired.keySet()) {
      liveServices.add(k.key().callerService());
      liveServices.add(k.key().calleeService());
    }
    services.retainAll(liveServices);
    return gone.size();
  }

  /** Each unpaired counter's count and when it last changed, as seen by the sweeps. */
  private final ConcurrentHashMap<Counter, double[]> unpairedSeen = new ConcurrentHashMap<>();

  /** Whether an unpaired counter has not moved for the ttl. */
  private boolean idleSince(Counter c, long now, long ttlNanos) {
    double[] seen = unpairedSeen.computeIfAbsent(c, x -> new double[] {c.count(), now});
    if (c.count() != seen[0]) {
      seen[0] = c.count();
      seen[1] = now;
      return false;
    }
    if (now - (long) seen[1] > ttlNanos) {
      unpairedSeen.remove(c);
      return true;
    }
    return false;
  }

  private static Tags tags(BoundaryKey k) {
    return Tags.of(
        "caller_service", k.callerService(),
        "caller_language", k.callerLanguage(),
        "callee_service", k.calleeService(),
        "callee_language", k.calleeLanguage(),
        "transport", k.transport().label(),
        "operation", k.operation());
  }

  /** The meters of one boundary, created when the boundary is first seen. */
  private final class BoundaryMeters {
    final Tags tags;
    volatile long lastUsedNanos = System.nanoTime();
    final Counter calls;
    final Timer callerDuration;
    final Timer calleeDuration;
    final Timer overhead;
    final Counter negativeOverhead;
    final ConcurrentHashMap<String, Counter> errors = new ConcurrentHashMap<>();
    final EnumMap<Side, Counter> errorLogs = new EnumMap<>(Side.class);
    private volatile double skewSeconds;
    private boolean skewSeen;
    final Lazy<Counter> contextBroken = new Lazy<>(() -> counter("seam.boundary.context.broken",
        "Calls whose caller and callee reported in two different traces: the trace context was lost at the boundary"));
    // Created on first use, so a boundary whose spans never carry sizes has no empty histograms.
    final Lazy<DistributionSummary> requestBytes = new Lazy<>(() -> bytes("seam.boundary.request", "Request payload bytes of paired calls, when known"));
    final Lazy<DistributionSummary> responseBytes = new Lazy<>(() -> bytes("seam.boundary.response", "Response payload bytes of paired calls, when known"));
    final Lazy<DistributionSummary> allocatedBytes =
        new Lazy<>(() -> bytes("seam.boundary.callee.allocated", "Bytes the callee allocated during a paired call, when its span says"));

    BoundaryMeters(BoundaryKey key) {
      tags = tags(key);
      calls = Counter.builder("seam.boundary.calls").description("Paired boundary calls").tags(tags).register(registry);
      callerDuration = timer("seam.boundary.caller.duration", "Duration of the caller's span of each paired call", durationBuckets);
      calleeDuration = timer("seam.boundary.callee.duration", "Duration of the callee's span of each paired call", durationBuckets);
      overhead = timer("seam.boundary.overhead", "Caller duration minus callee duration: the crossing itself", overheadBuckets);
      negativeOverhead = Counter.builder("seam.boundary.negative.overhead")
          .description("Paired calls whose callee outlasted the caller; their overhead was recorded as 0")
          .tags(tags)
          .register(registry);
    }

    private Timer timer(String name, String description, Duration[] slos) {
      return Timer.builder(name)
          .description(description)
          .tags(tags)
          .serviceLevelObjectives(slos)
          .register(registry);
    }

    Counter errors(ErrorSide side, String errorClass) {
      String k = side.label() + '\0' + errorClass;
      Counter c = errors.get(k);
      if (c == null) {
        c = errors.computeIfAbsent(k, x -> Counter.builder("seam.boundary.errors")
            .description("Paired boundary calls that failed, by the side that failed and the error class")
            .tags(tags)
            .tag("error_side", side.label())
            .tag("error_class", errorClass)
            .register(registry));
      }
      return c;
    }

    Counter errorLogs(Side side) {
      synchronized (errorLogs) {
        return errorLogs.computeIfAbsent(side, s -> Counter.builder("seam.boundary.error.logs")
            .description("Error log records that name a span of a paired boundary call, by side")
            .tags(tags)
            .tag("side", s.label())
            .register(registry));
      }
    }

    /** Folds one clock offset sample (nanoseconds) into the smoothed estimate, registering the gauge on the first. */
    void clockSkew(long offsetNanos) {
      double seconds = offsetNanos / 1e9;
      synchronized (this) {
        if (!skewSeen) {
          skewSeconds = seconds;
          skewSeen = true;
          Gauge.builder("seam.boundary.clock.skew", this, x -> x.skewSeconds)
              .description("Smoothed estimate of how far the callee host's clock runs ahead of the caller host's (negative: behind)")
              .baseUnit("seconds")
              .tags(tags)
              .register(registry);
        } else {
          skewSeconds += SKEW_SMOOTHING * (seconds - skewSeconds);
        }
      }
    }

    private Counter counter(String name, String description) {
      return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    private DistributionSummary bytes(String name, String description) {
      return DistributionSummary.builder(name)
          .description(description)
          .baseUnit("bytes")
          .tags(tags)
          .serviceLevelObjectives(byteBuckets)
          .register(registry);
    }
  }

  /** A value made once, on first use, by whichever thread gets there first. */
  private static final class Lazy<T> {
    private final Supplier<T> make;
    private volatile T value;

    Lazy(Supplier<T> make) {
      this.make = make;
    }

    T get() {
      T v = value;
      if (v == null) {
        synchronized (this) {
          v = value;
          if (v == null) {
            v = make.get();
            value = v;
          }
        }
      }
      return v;
    }
  }
}
