package dev.seam.collector.contract;

import dev.seam.collector.model.Transport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of one contract file, as read: teams, owners of services and boundary declarations.
 * Immutable.
 *
 * @param teams each team's escalation and runbook, used where an owner names only the team
 * @param owners owners of services by exact name
 * @param ownerPatterns owners of services matching a pattern, in file order
 * @param defaultOwner the owner of every other service ({@code *}), or {@code null}
 * @param declarations the boundary declarations, in file order
 */
public record ContractSet(
    Map<String, Owner> teams,
    Map<String, Owner> owners,
    Map<Glob, Owner> ownerPatterns,
    Owner defaultOwner,
    List<Declaration> declarations) {

  /** A file that declares nothing. */
  public static final ContractSet EMPTY =
      new ContractSet(Map.of(), Map.of(), Map.of(), null, List.of());

  public ContractSet {
    teams = Map.copyOf(teams);
    owners = Map.copyOf(owners);
    ownerPatterns = Collections.unmodifiableMap(new LinkedHashMap<>(ownerPatterns));
    declarations = List.copyOf(declarations);
  }

  /** The owner the file names for {@code service} (exact name, then patterns), or {@code null}. */
  public Owner ownerOf(String service) {
    Owner o = owners.get(service);
    if (o != null) {
      return o;
    }
    for (Map.Entry<Glob, Owner> e : ownerPatterns.entrySet()) {
      if (e.getKey().matches(service)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The declarations covering a boundary, in file order. */
  public List<Declaration> covering(String caller, String callee, Transport transport) {
    List<Declaration> out = new ArrayList<>(2);
    for (Declaration d : declarations) {
      if (d.covers(caller, callee, transport)) {
        out.add(d);
      }
    }
    return out;
  }
}
