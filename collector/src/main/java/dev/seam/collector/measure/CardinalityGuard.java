package dev.seam.collector.measure;

import static dev.seam.collector.measure.MeasureMetricNames.CARDINALITY_OVERFLOW;

import dev.seam.collector.model.BoundaryKey;
import dev.seam.collector.model.Origin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cardinality caps on boundary labels: distinct service names ({@code limits.max-services}),
 * distinct operations per boundary ({@code boundary.operation.max-per-boundary}) and distinct
 * boundary series ({@code limits.max-boundaries}). Past a cap the value becomes {@code other}, so a
 * client inventing names (or a peer hint full of IP addresses) cannot grow the series without
 * bound; {@code seam_cardinality_overflow_total} counts what the service and boundary caps folded.
 *
 * <p>Pipeline threads call it concurrently. Lookups of known values read the concurrent sets
 * without a lock; a new value is admitted under its set's lock, so the caps are exact.
 */
final class CardinalityGuard {

  /** The label value of whatever passed a cap. */
  static final String OTHER = "other";

  private final boolean operationEnabled;
  private final int maxOperations;
  private final int maxBoundaries;
  private final int maxServices;
  private final Counter boundaryOverflow;
  private final Counter serviceOverflow;

  /** Service names admitted so far; additions hold the set's lock. */
  private final Set<String> services = ConcurrentHashMap.newKeySet();

  /** Per boundary (operation empty), the operations admitted; additions hold that set's lock. */
  private final ConcurrentHashMap<BoundaryKey, Set<String>> operations = new ConcurrentHashMap<>();

  CardinalityGuard(MeterRegistry registry, MeasureSettings settings) {
    this.operationEnabled = settings.operationEnabled();
    this.maxOperations = settings.maxOperations();
    this.maxBoundaries = settings.maxBoundaries();
    this.maxServices = settings.maxServices();
    this.boundaryOverflow = overflow(registry, "max_boundaries");
    this.serviceOverflow = overflow(registry, "max_services");
  }

  private static Counter overflow(MeterRegistry registry, String reason) {
    return Counter.builder(CARDINALITY_OVERFLOW)
        .description(
            "Boundary observations recorded under 'other' labels because a cardinality cap was"
                + " reached, by cap")
        .tag("reason", reason)
        .register(registry);
  }

  /** The service name as a label value: {@code other} once {@code maxServices} are in use. */
  String service(String name) {
    if (services.contains(name) || Origin.UNKNOWN.equals(name)) {
      return name;
    }
    if (admit(services, name, maxServices)) {
      return name;
    }
    serviceOverflow.increment();
    return OTHER;
  }

  /** The operation label value of a call on {@code base}: capped per boundary, empty when off. */
  String operation(BoundaryKey base, String op) {
    if (!operationEnabled) {
      return "";
    }
    if (op == null || op.isEmpty()) {
      op = Origin.UNKNOWN;
    }
    Set<String> seen = operations.computeIfAbsent(base, k -> ConcurrentHashMap.newKeySet());
    return seen.contains(op) || admit(seen, op, maxOperations) ? op : OTHER;
  }

  /**
   * The key a boundary not seen before is recorded under, given how many boundary series exist:
   * itself, or past the cap the one all-{@code other} series of its transport.
   */
  BoundaryKey newBoundary(BoundaryKey key, int existing) {
    if (existing < maxBoundaries) {
      return key;
    }
    boundaryOverflow.increment();
    String operation = operationEnabled ? OTHER : "";
    return new BoundaryKey(OTHER, OTHER, OTHER, OTHER, key.transport(), operation);
  }

  /**
   * Forgets the service names and the per-boundary operations no series uses any more, so they
   * count afresh against the caps when they come back.
   *
   * @param boundaries the boundaries (operation empty) that still have series
   * @param serviceNames the service names that still label a series
   */
  void retain(Set<BoundaryKey> boundaries, Set<String> serviceNames) {
    operations.keySet().removeIf(base -> !boundaries.contains(base));
    synchronized (services) {
      services.retainAll(serviceNames);
    }
  }

  /** Adds {@code value} to {@code set} unless that would pass {@code max}; true when it is in. */
  private static boolean admit(Set<String> set, String value, int max) {
    if (set.size() >= max) {
      return set.contains(value);
    }
    synchronized (set) {
      if (set.contains(value)) {
        return true;
      }
      if (set.size() < max) {
        set.add(value);
        return true;
      }
      return false;
    }
  }
}
