package dev.seam.collector.contract;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds the per-boundary contract series at each scrape from the contracts in force and the
 * boundaries seen, so a reload, a new owner in a resource or an idle boundary shows at the next
 * scrape without meters to register or remove: {@code seam_boundary_owner_info}, {@code
 * seam_boundary_budget}, {@code seam_boundary_declared} and {@code
 * seam_boundary_interface_sunset_timestamp_seconds}. The boundaries listed are those seen in paired
 * calls and those the file names exactly (no pattern, a transport), seen or not.
 */
final class ContractCollector implements MultiCollector {

  private final Supplier<ContractState> state;
  private final ContractLedger ledger;
  private final ServiceFacts facts;

  ContractCollector(Supplier<ContractState> state, ContractLedger ledger, ServiceFacts facts) {
    this.state = state;
    this.ledger = ledger;
    this.facts = facts;
  }

  @Override
  public MetricSnapshots collect() {
    ContractState s = state.get();
    if (!s.enabled) {
      return new MetricSnapshots();
    }
    Set<BoundaryId> boundaries = new LinkedHashSet<>(ledger.boundaries());
    for (Declaration d : s.set.declarations()) {
      if (d.exact()) {
        boundaries.add(new BoundaryId(d.caller().pattern(), d.callee().pattern(), d.transport()));
      }
    }
    InfoSnapshot.Builder owners =
        InfoSnapshot.builder()
            .name("seam_boundary_owner")
            .help("Owners of both sides of a boundary and how to reach them; always 1");
    GaugeSnapshot.Builder declared =
        GaugeSnapshot.builder()
            .name(ContractMetricNames.DECLARED)
            .help(
                "1: the contract file declares the boundary; 0: seen in paired calls but not"
                    + " declared");
    GaugeSnapshot.Builder budgets =
        GaugeSnapshot.builder()
            .name(ContractMetricNames.BUDGET)
            .help("The budgets the contract file declares for a boundary, by kind");
    GaugeSnapshot.Builder sunsets =
        GaugeSnapshot.builder()
            .name(ContractMetricNames.INTERFACE_SUNSET)
            .help(
                "When calls to a deprecated interface of a boundary become sunset (the day after"
                    + " its last day, UTC)");
    int[] counts = new int[4];
    for (BoundaryId id : boundaries) {
      String transport = id.transport().label();
      Owner caller = s.owner(id.caller(), facts);
      Owner callee = s.owner(id.callee(), facts);
      owners.dataPoint(
          InfoDataPointSnapshot.builder()
              .labels(
                  Labels.of(
                      "caller_service",
                      id.caller(),
                      "callee_service",
                      id.callee(),
                      "transport",
                      transport,
                      "caller_owner",
                      caller.team(),
                      "callee_owner",
                      callee.team(),
                      "caller_escalation",
                      caller.escalation(),
                      "callee_escalation",
                      callee.escalation()))
              .build());
      counts[0]++;
      ContractState.Terms terms = s.terms(id.caller(), id.callee(), id.transport());
      declared.dataPoint(point(boundary(id), terms != null ? 1 : 0));
      counts[1]++;
      if (terms == null) {
        continue;
      }
      for (Map.Entry<String, Double> b : terms.budgets().declared().entrySet()) {
        budgets.dataPoint(point(boundary(id).add("budget", b.getKey()), b.getValue()));
        counts[2]++;
      }
      for (Map.Entry<String, LocalDate> d : terms.deprecated().entrySet()) {
        double at = d.getValue().plusDays(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        sunsets.dataPoint(point(boundary(id).add("interface", d.getKey()), at));
        counts[3]++;
      }
    }
    List<MetricSnapshot> out = new ArrayList<>();
    if (counts[0] > 0) {
      out.add(owners.build());
      out.add(declared.build());
    }
    if (counts[2] > 0) {
      out.add(budgets.build());
    }
    if (counts[3] > 0) {
      out.add(sunsets.build());
    }
    return new MetricSnapshots(out);
  }

  private static Labels boundary(BoundaryId id) {
    return Labels.of(
        "caller_service",
        id.caller(),
        "callee_service",
        id.callee(),
        "transport",
        id.transport().label());
  }

  private static GaugeDataPointSnapshot point(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }
}
