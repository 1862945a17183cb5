package dev.seam.collector.contract;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

/**
 * The interface versions both sides of a boundary agreed on: the current ones, and the deprecated
 * ones with the last day (UTC) they may be called.
 *
 * @param current the versions in good standing
 * @param deprecated each deprecated version and its last day; from the next day on it is sunset
 */
public record InterfaceSpec(Set<String> current, Map<String, LocalDate> deprecated) {

  /** No interface declared: every call's interface is {@code unknown} to the contract. */
  public static final InterfaceSpec NONE = new InterfaceSpec(Set.of(), Map.of());

  public InterfaceSpec {
    current = Set.copyOf(current);
    deprecated = Map.copyOf(deprecated);
  }

  /** The status of calls to {@code version} on {@code today}. */
  public InterfaceStatus status(String version, LocalDate today) {
    if (version == null) {
      return InterfaceStatus.UNKNOWN;
    }
    if (current.contains(version)) {
      return InterfaceStatus.CURRENT;
    }
    LocalDate last = deprecated.get(version);
    if (last == null) {
      return InterfaceStatus.UNKNOWN;
    }
    return today.isAfter(last) ? InterfaceStatus.SUNSET : InterfaceStatus.DEPRECATED;
  }
}
