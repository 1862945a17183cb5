package dev.seam.collector.contract;

import dev.seam.collector.model.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The boundaries seen in paired calls and their interface counters ({@code
 * seam_boundary_interface_calls_total}). Each boundary remembers, for the contracts in force, which
 * counter an operation's calls go to, so the interface is read and judged once per operation rather
 * than once per call; a reload or a new day starts that memory afresh. Idle boundaries leave with
 * their counters.
 *
 * <p>Pipeline threads record concurrently: the maps are concurrent, and a boundary's memory is
 * replaced whole when the contracts change (two threads replacing it at once only costs one of them
 * its work).
 */
final class ContractLedger {

  /** The interface label value of calls whose interface could not be read. */
  static final String UNKNOWN = "unknown";

  /** The interface label value past {@code contracts.max-interfaces-per-boundary}. */
  static final String OTHER = "other";

  private static final int MAX_ROUTES = 1024;

  private final MeterRegistry registry;
  private final LongSupplier clock;
  private final int maxBoundaries;
  private final ConcurrentHashMap<BoundaryId, Seen> seen = new ConcurrentHashMap<>();

  /** One boundary seen: when last, its counters, and the routes of the contracts in force. */
  private static final class Seen {
    volatile long lastUsedNanos;
    volatile Routes routes;
    final Set<String> interfaces = ConcurrentHashMap.newKeySet();
    final Set<Counter> counters = ConcurrentHashMap.newKeySet();

    Seen(long now) {
      this.lastUsedNanos = now;
    }
  }

  /** Operation (or callee version) -> counter, valid for one contract state. */
  private record Routes(ContractState state, ConcurrentHashMap<String, Counter> byKey) {}

  ContractLedger(MeterRegistry registry, LongSupplier nanoClock, int maxBoundaries) {
    this.registry = registry;
    this.clock = nanoClock;
    this.maxBoundaries = maxBoundaries;
  }

  /**
   * Counts one call.
   *
   * @param operation the callee's operation (for ffi its span name), or {@code null}
   * @param calleeVersion the interface the callee's {@code service.version} names, or {@code null}
   * @param weight how many calls it stands for
   */
  void record(
      ContractState state, BoundaryId id, String operation, String calleeVersion, double weight) {
    long now = clock.getAsLong();
    Seen s = seen.get(id);
    if (s == null) {
      if (seen.size() >= maxBoundaries) {
        return;
      }
      s = seen.computeIfAbsent(id, k -> new Seen(now));
    }
    s.lastUsedNanos = now;
    Routes r = s.routes;
    if (r == null || r.state() != state) {
      r = new Routes(state, new ConcurrentHashMap<>());
      s.routes = r;
    }
    boolean byVersion = id.transport() == Transport.FFI && state.reader.ffiFromVersion();
    String key = byVersion ? "\u0000" + calleeVersion : operation == null ? "\u0000" : operation;
    Counter c = r.byKey().get(key);
    if (c == null) {
      c = route(state, id, s, operation, calleeVersion);
      if (r.byKey().size() < MAX_ROUTES) {
        r.byKey().put(key, c);
      }
    }
    c.increment(weight);
  }

  private Counter route(
      ContractState state, BoundaryId id, Seen s, String operation, String calleeVersion) {
    String iface = state.reader.read(id.transport(), operation, calleeVersion);
    Declaration d = state.forCall(id.caller(), id.callee(), id.transport(), operation);
    InterfaceStatus status =
        d == null ? InterfaceStatus.UNKNOWN : d.interfaces().status(iface, state.today);
    String label = iface == null ? UNKNOWN : admit(s, iface, state.maxInterfaces);
    Counter c =
        Counter.builder(ContractMetricNames.INTERFACE_CALLS)
            .description(
                "Paired calls by the interface version they spoke and its status in the boundary's"
                    + " contract")
            .tag("caller_service", id.caller())
            .tag("callee_service", id.callee())
            .tag("transport", id.transport().label())
            .tag("interface", label)
            .tag("status", status.label())
            .register(registry);
    s.counters.add(c);
    return c;
  }

  private static String admit(Seen s, String iface, int max) {
    if (s.interfaces.contains(iface)) {
      return iface;
    }
    synchronized (s.interfaces) {
      if (s.interfaces.size() < max) {
        s.interfaces.add(iface);
        return iface;
      }
    }
    return OTHER;
  }

  /** The boundaries seen now. */
  Set<BoundaryId> boundaries() {
    return seen.keySet();
  }

  /**
   * Forgets every boundary that saw no call for {@code ttlNanos}, and removes its counters.
   *
   * @return how many boundaries were forgotten
   */
  int removeIdle(long ttlNanos) {
    long now = clock.getAsLong();
    int[] removed = {0};
    for (BoundaryId id : seen.keySet()) {
      seen.computeIfPresent(
          id,
          (k, s) -> {
            if (now - s.lastUsedNanos <= ttlNanos) {
              return s;
            }
            s.counters.forEach(registry::remove);
            removed[0]++;
            return null;
          });
    }
    return removed[0];
  }
}
