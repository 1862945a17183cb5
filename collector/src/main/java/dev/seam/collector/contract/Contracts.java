package dev.seam.collector.contract;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.Transport;
import dev.seam.collector.normalize.ResourceObserver;
import dev.seam.collector.pair.BoundaryListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The boundary contracts of one Seam: reads the contract file (and catalog), keeps the last valid
 * ones in force when a reload fails, shows them every call, and exports what they say. Reloads come
 * from {@link #reload} (SIGHUP) and from {@link #poll} (a file changed, a new day began).
 *
 * <p>Pipeline threads call {@link #record} concurrently; they read the contracts in force through
 * one volatile field. Reloads hold {@code lock}.
 */
public final class Contracts {

  private static final Logger LOG = Logger.getLogger(Contracts.class.getName());

  private final ServiceFacts facts = new ServiceFacts();
  private final ContractLedger ledger;
  private final Counter loaded;
  private final Counter invalid;
  private final LongSupplier nanoClock;
  private final Clock clock;
  private final Object lock = new Object();

  @GuardedBy("lock")
  private ContractsConfig config;

  @GuardedBy("lock")
  private String lastText;

  @GuardedBy("lock")
  private String lastCatalogText;

  @GuardedBy("lock")
  private String lastProblem;

  @GuardedBy("lock")
  private long lastCheckNanos;

  private volatile ContractState state = ContractState.OFF;
  private volatile boolean lastSuccessful = true;
  private volatile double loadedAtSeconds;

  /** Contracts judged on the system's clock. */
  public Contracts(
      MeterRegistry registry,
      PrometheusRegistry prometheus,
      ContractsConfig config,
      int maxBoundaries,
      LongSupplier nanoClock) {
    this(registry, prometheus, config, maxBoundaries, nanoClock, Clock.systemUTC());
  }

  /**
   * Reads the contracts {@code config} names (an invalid file leaves none in force, and says why)
   * and registers the contract metrics.
   *
   * @param registry where the interface counters and the reload accounting live
   * @param prometheus where the per-boundary series are collected at each scrape
   * @param maxBoundaries boundaries tracked at once ({@code limits.max-boundaries})
   * @param nanoClock monotonic time, for idle boundaries and file checks
   * @param clock wall time, for sunsets and the load timestamp
   */
  public Contracts(
      MeterRegistry registry,
      PrometheusRegistry prometheus,
      ContractsConfig config,
      int maxBoundaries,
      LongSupplier nanoClock,
      Clock clock) {
    this.ledger = new ContractLedger(registry, nanoClock, maxBoundaries);
    this.nanoClock = nanoClock;
    this.clock = clock;
    this.loaded = reloads(registry, "loaded");
    this.invalid = reloads(registry, "invalid");
    Gauge.builder(ContractMetricNames.LAST_RELOAD_SUCCESSFUL, this, c -> c.lastSuccessful ? 1 : 0)
        .description(
            "1 when the last load of the contract file succeeded; 0 when it failed and the"
                + " contracts before it stay in force")
        .register(registry);
    Gauge.builder(ContractMetricNames.LOADED_TIMESTAMP, this, c -> c.loadedAtSeconds)
        .description("When the contracts in force were read (Unix seconds); 0 before any was")
        .baseUnit("seconds")
        .register(registry);
    prometheus.register(new ContractCollector(() -> state, ledger, facts));
    reload(config);
  }

  private static Counter reloads(MeterRegistry registry, String outcome) {
    return Counter.builder(ContractMetricNames.RELOADS)
        .description(
            "Loads of the contract file (at start, on SIGHUP, on change): loaded, or invalid (the"
                + " contracts before it stay in force)")
        .tag("outcome", outcome)
        .register(registry);
  }

  /**
   * Validates a contract file without applying it ({@code --check-contracts}).
   *
   * @return what it declares
   */
  public static ContractSet check(Path file) throws InvalidContractException {
    return ContractFile.read(file);
  }

  /** Where the pipeline reports resources, so owners and versions stated there are known. */
  public ResourceObserver resources() {
    return facts;
  }

  /** A listener that passes everything to {@code next} and shows the contracts every call. */
  public BoundaryListener listener(BoundaryListener next) {
    return new ContractListener(next, this);
  }

  /**
   * Applies {@code next} and reads its files again, whether or not they changed (SIGHUP).
   *
   * @return whether the contracts it names are in force (false: they are invalid, and the ones
   *     before stay; the log and {@code seam_contracts_reload_total} say why)
   */
  public boolean reload(ContractsConfig next) {
    synchronized (lock) {
      config = next;
      lastCheckNanos = nanoClock.getAsLong();
      return load(true);
    }
  }

  /**
   * Checks the files for changes once {@code contracts.check-interval} has passed since the last
   * check, and judges sunsets on the new day once it begins. Cheap when neither is due.
   */
  public void poll() {
    ContractState s = state;
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    synchronized (lock) {
      if (s.enabled && !today.equals(s.today) && state == s) {
        state = s.on(today);
      }
      long now = nanoClock.getAsLong();
      if (!config.enabled() || now - lastCheckNanos < config.checkInterval().toNanos()) {
        return;
      }
      lastCheckNanos = now;
      load(false);
    }
  }

  /**
   * Forgets the boundaries that saw no call for {@code ttlNanos} ({@code limits.series-ttl}).
   *
   * @return how many
   */
  public int expireIdle(long ttlNanos) {
    return ledger.removeIdle(ttlNanos);
  }

  /** Shows the contracts one call between {@code caller} and {@code callee}. */
  void record(Span caller, Span callee, Transport transport) {
    ContractState s = state;
    if (!s.enabled) {
      return;
    }
    String calleeService = callee.origin().service();
    String operation;
    if (transport == Transport.FFI) {
      operation = callee.name();
    } else if (callee.operation() != null) {
      operation = callee.operation();
    } else if (transport == Transport.OTHER) {
      operation = callee.name();
    } else {
      operation = caller.operation();
    }
    String version = null;
    if (transport == Transport.FFI) {
      ServiceFacts.Facts f = facts.of(calleeService);
      version = f != null ? f.versionInterface() : null;
    }
    BoundaryId id = new BoundaryId(caller.origin().service(), calleeService, transport);
    ledger.record(s, id, operation, version, caller.adjustedCount());
  }

  @GuardedBy("lock")
  private boolean load(boolean force) {
    ContractsConfig c = config;
    if (!c.enabled()) {
      if (state.enabled) {
        LOG.info("contracts: off (contracts.file is empty)");
      }
      state = ContractState.OFF;
      lastText = null;
      lastCatalogText = null;
      lastProblem = null;
      lastSuccessful = true;
      return true;
    }
    String file = c.file();
    try {
      String text = ContractFile.readText(Path.of(file));
      String catalogText =
          c.catalogFile().isBlank() ? null : ContractFile.readText(Path.of(c.catalogFile()));
      if (!force
          && text.equals(lastText)
          && Objects.equals(catalogText, lastCatalogText)
          && lastProblem == null) {
        return true;
      }
      lastText = text;
      lastCatalogText = catalogText;
      ContractSet set = ContractFile.parse(text, file);
      Map<String, String> catalog =
          catalogText == null ? Map.of() : CatalogFile.parse(catalogText, c.catalogFile());
      LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
      state =
          new ContractState(
              true,
              set,
              catalog,
              new InterfaceReader(c.interfaces()),
              today,
              c.maxInterfacesPerBoundary());
      lastProblem = null;
      lastSuccessful = true;
      loadedAtSeconds = clock.millis() / 1000.0;
      loaded.increment();
      LOG.info(
          String.format(
              "contracts: loaded %s: %d owners, %d boundaries%s",
              file,
              set.owners().size()
                  + set.ownerPatterns().size()
                  + (set.defaultOwner() != null ? 1 : 0),
              set.declarations().size(),
              catalogText == null ? "" : ", " + catalog.size() + " catalog components"));
      return true;
    } catch (InvalidContractException e) {
      // An unchanged problem found again by a poll is neither counted nor logged again.
      if (force || !e.getMessage().equals(lastProblem)) {
        invalid.increment();
        LOG.warning(
            "contracts: "
                + e.getMessage()
                + (state.enabled
                    ? "; the contracts loaded before stay in force"
                    : "; no contracts are in force"));
      }
      lastProblem = e.getMessage();
      lastSuccessful = false;
      return false;
    }
  }
}
