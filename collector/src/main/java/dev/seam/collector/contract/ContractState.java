package dev.seam.collector.contract;

import dev.seam.collector.model.Transport;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contracts in force at one moment: the file's content, the catalog's owners, how interfaces
 * are read, and the day sunsets are judged on. Immutable; a reload or a new day replaces it whole,
 * so a call is always judged against one consistent set.
 */
final class ContractState {

  /** Nothing in force: contracts are off. */
  static final ContractState OFF =
      new ContractState(false, ContractSet.EMPTY, Map.of(), null, LocalDate.EPOCH, 1);

  final boolean enabled;
  final ContractSet set;
  final Map<String, String> catalog;
  final InterfaceReader reader;
  final LocalDate today;
  final int maxInterfaces;

  ContractState(
      boolean enabled,
      ContractSet set,
      Map<String, String> catalog,
      InterfaceReader reader,
      LocalDate today,
      int maxInterfaces) {
    this.enabled = enabled;
    this.set = set;
    this.catalog = Map.copyOf(catalog);
    this.reader = reader;
    this.today = today;
    this.maxInterfaces = maxInterfaces;
  }

  ContractState on(LocalDate day) {
    return new ContractState(enabled, set, catalog, reader, day, maxInterfaces);
  }

  /**
   * The owner of {@code service}: the file's entry for it (name, then patterns), the catalog, the
   * service's own {@code service.owner.name}, its {@code service.namespace}, the file's default
   * ({@code *}), in that order. Escalation and runbook the source leaves open come from the file's
   * {@code teams}.
   */
  Owner owner(String service, ServiceFacts facts) {
    Owner o = set.ownerOf(service);
    if (o != null) {
      return o;
    }
    String team = catalog.get(service);
    if (team != null) {
      return team(team, null);
    }
    ServiceFacts.Facts f = facts.of(service);
    if (f != null && f.ownerName() != null) {
      return team(f.ownerName(), f.ownerContact());
    }
    if (f != null && f.namespace() != null) {
      return team(f.namespace(), null);
    }
    return set.defaultOwner() != null ? set.defaultOwner() : Owner.NONE;
  }

  private Owner team(String team, String contact) {
    Owner known = set.teams().get(team);
    String escalation =
        contact != null ? contact : known != null ? known.escalation() : Owner.UNKNOWN;
    return new Owner(team, escalation, known != null ? known.runbook() : "");
  }

  /** The declaration a call is judged by: the first covering its boundary and operation. */
  Declaration forCall(String caller, String callee, Transport transport, String operation) {
    for (Declaration d : set.declarations()) {
      if (d.covers(caller, callee, transport) && d.coversOperation(operation)) {
        return d;
      }
    }
    return null;
  }

  /**
   * What the file declares for one boundary, merged over every declaration covering it in file
   * order: the first to state a budget sets it, and every deprecated interface counts.
   *
   * @return the terms, or {@code null} when no declaration covers the boundary
   */
  Terms terms(String caller, String callee, Transport transport) {
    List<Declaration> covering = set.covering(caller, callee, transport);
    if (covering.isEmpty()) {
      return null;
    }
    Budgets budgets = Budgets.NONE;
    Map<String, LocalDate> deprecated = new LinkedHashMap<>();
    for (Declaration d : covering) {
      budgets = budgets.orElse(d.budgets());
      d.interfaces().deprecated().forEach(deprecated::putIfAbsent);
    }
    return new Terms(budgets, deprecated);
  }

  /**
   * The terms of one boundary.
   *
   * @param budgets its budgets
   * @param deprecated its deprecated interfaces and their last days
   */
  record Terms(Budgets budgets, Map<String, LocalDate> deprecated) {}
}
