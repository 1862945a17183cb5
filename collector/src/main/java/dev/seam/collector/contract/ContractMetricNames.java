package dev.seam.collector.contract;

/**
 * The Prometheus names of every family the contracts export, grouped as docs/metrics.md groups
 * them. The per-boundary families are built at scrape time from the contracts in force and the
 * boundaries seen ({@link ContractCollector}), so they carry their exported names; the interface
 * counter and the reload accounting are Micrometer meters and carry Micrometer names (dots become
 * underscores, counters gain {@code _total}).
 */
public final class ContractMetricNames {

  /** Owners of both sides of a boundary ({@code seam_boundary_owner_info}). */
  public static final String OWNER_INFO = "seam_boundary_owner_info";

  /** A declared budget of a boundary ({@code seam_boundary_budget}). */
  public static final String BUDGET = "seam_boundary_budget";

  /** 1 declared, 0 seen but not declared ({@code seam_boundary_declared}). */
  public static final String DECLARED = "seam_boundary_declared";

  /**
   * When a deprecated interface of a boundary reaches its sunset ({@code
   * seam_boundary_interface_sunset_timestamp_seconds}).
   */
  public static final String INTERFACE_SUNSET = "seam_boundary_interface_sunset_timestamp_seconds";

  /** Calls by interface and its status ({@code seam_boundary_interface_calls_total}). */
  public static final String INTERFACE_CALLS = "seam.boundary.interface.calls";

  /** Attempts to load the contract file, by outcome ({@code seam_contracts_reload_total}). */
  public static final String RELOADS = "seam.contracts.reload";

  /** Whether the last attempt succeeded ({@code seam_contracts_last_reload_successful}). */
  public static final String LAST_RELOAD_SUCCESSFUL = "seam.contracts.last.reload.successful";

  /** When the contracts in force were read ({@code seam_contracts_loaded_timestamp_seconds}). */
  public static final String LOADED_TIMESTAMP = "seam.contracts.loaded.timestamp";

  private ContractMetricNames() {}
}
