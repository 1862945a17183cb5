package dev.seam.collector.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Origin;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.model.SpanKind;
import dev.seam.collector.model.Transport;
import dev.seam.collector.pair.BoundaryListener;
import dev.seam.collector.pair.Edge;
import dev.seam.collector.pair.Outcome;
import dev.seam.collector.testing.Otlp;
import dev.seam.collector.testing.Scrape;
import dev.seam.collector.testing.Spans;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contracts read from a real file, shown paired calls through their listener, and scraped from a
 * real Prometheus registry: owners from every source, budgets, declared flags, interface counts,
 * reloads that fail and succeed, a new day, idle boundaries.
 *
 * <p>Longer than most test classes: one case per rule of the contract file and the series it
 * produces.
 */
class ContractsTest {

  private static final String CONTRACTS =
      String.join(
          "\n",
          "teams:",
          "  pricing: {escalation: 'pagerduty:pricing'}",
          "owners:",
          "  gateway: {team: edge, escalation: '#edge-oncall', runbook: https://wiki/edge}",
          "  pricing: {team: pricing}",
          "boundaries:",
          "  - caller: gateway",
          "    callee: pricing",
          "    transport: grpc",
          "    interface: {current: pricing.v2, deprecated: {pricing.v1: 2027-03-31}}",
          "    budgets: {caller_p99: 250ms, error_ratio: 0.001}",
          "  - {caller: gateway, callee: pricing, transport: http, interface: {current: v1},"
              + " budgets: {overhead_p99: 2ms}}",
          "  - caller: gateway",
          "    callee: pricing",
          "    transport: ffi",
          "    interface: {current: v2, deprecated: {v1: 2027-06-30}}",
          "    budgets: {allocated_bytes_per_call_p99: 64KiB, callee_memory: 512MiB}",
          "  - {caller: gateway, callee: pricing, transport: messaging}",
          "");

  private static final Origin GATEWAY = new Origin("gateway", "go", null, "g-1");
  private static final Origin PRICING = new Origin("pricing", "rust", null, "p-1");
  private static final Origin LEDGER = new Origin("ledger", "rust", null, "l-1");
  private static final Origin INVENTORY = new Origin("inventory", "go", null, "i-1");

  @TempDir Path dir;
  private Path file;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final MutableClock clock = new MutableClock(Instant.parse("2027-03-15T12:00:00Z"));
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger passedOn = new AtomicInteger();
  private Contracts contracts;
  private BoundaryListener listener;

  @BeforeEach
  void start() throws Exception {
    file = dir.resolve("contracts.yaml");
    Files.writeString(file, CONTRACTS);
    contracts = contracts(config(file.toString(), ""));
    listener = contracts.listener(new Counting());
  }

  private Contracts contracts(ContractsConfig config) {
    return new Contracts(
        registry, registry.getPrometheusRegistry(), config, 100, nanos::get, clock);
  }

  private static ContractsConfig config(String file, String catalog) {
    return new ContractsConfig(
        file, catalog, Duration.ofSeconds(10), 20, ContractsConfig.InterfaceConfig.DEFAULT);
  }

  @Test
  void exportsOwnersBudgetsDeclaredFlagsAndInterfaceStatuses() {
    resource(
        PRICING,
        Otlp.attr("service.version", "2.1.0"),
        Otlp.attr("service.owner.name", "someone-else"));
    resource(
        LEDGER,
        Otlp.attr("service.owner.name", "books"),
        Otlp.attr("service.owner.contact", "#books"));
    resource(INVENTORY, Otlp.attr("service.namespace", "stock"));
    call(GATEWAY, PRICING, Transport.GRPC, "pricing.v2.Pricing/Quote", 1);
    call(GATEWAY, PRICING, Transport.GRPC, "pricing.v2.Pricing/Quote", 10);
    call(GATEWAY, PRICING, Transport.GRPC, "pricing.v1.Pricing/Quote", 1);
    call(GATEWAY, PRICING, Transport.GRPC, "Pricing/Quote", 1);
    call(GATEWAY, PRICING, Transport.HTTP, "/v1/price/{id}", 1);
    call(GATEWAY, PRICING, Transport.HTTP, "/price/{id}", 1);
    call(GATEWAY, PRICING, Transport.FFI, "quote", 1);
    call(GATEWAY, LEDGER, Transport.HTTP, "/v3/entries", 1);
    call(GATEWAY, INVENTORY, Transport.GRPC, "inventory.v1.Stock/Get", 1);
    assertEquals(9, passedOn.get(), "every call reaches the boundary metrics too");

    Scrape s = scrape();
    String[] grpc = {"caller_service", "gateway", "callee_service", "pricing", "transport", "grpc"};
    assertEquals(
        1,
        s.value(
            "seam_boundary_owner_info",
            Scrape.with(
                grpc,
                "caller_owner",
                "edge",
                "callee_owner",
                "pricing",
                "caller_escalation",
                "#edge-oncall",
                "callee_escalation",
                "pagerduty:pricing")),
        "the file wins over the resource");
    assertEquals(
        1,
        s.value(
            "seam_boundary_owner_info",
            "callee_service",
            "ledger",
            "callee_owner",
            "books",
            "callee_escalation",
            "#books"));
    assertEquals(
        1,
        s.value(
            "seam_boundary_owner_info",
            "callee_service",
            "inventory",
            "callee_owner",
            "stock",
            "callee_escalation",
            "unknown"));
    assertEquals(
        6, s.find("seam_boundary_owner_info").size(), "four declared (one silent), two undeclared");
    assertEquals(1, s.value("seam_boundary_declared", grpc));
    assertEquals(
        1, s.value("seam_boundary_declared", "transport", "messaging"), "declared and silent");
    assertEquals(0, s.value("seam_boundary_declared", "callee_service", "ledger"));
    assertEquals(0, s.value("seam_boundary_declared", "callee_service", "inventory"));
    assertEquals(
        0.25, s.value("seam_boundary_budget", Scrape.with(grpc, "budget", "caller_p99_seconds")));
    assertEquals(
        0.001, s.value("seam_boundary_budget", Scrape.with(grpc, "budget", "error_ratio")));
    assertEquals(
        0.002,
        s.value("seam_boundary_budget", "transport", "http", "budget", "overhead_p99_seconds"));
    assertEquals(
        65536,
        s.value(
            "seam_boundary_budget", "transport", "ffi", "budget", "allocated_bytes_per_call_p99"));
    assertEquals(
        512 * 1024 * 1024,
        s.value("seam_boundary_budget", "transport", "ffi", "budget", "callee_memory_bytes"));
    assertEquals(5, s.find("seam_boundary_budget").size());
    assertEquals(
        LocalDate.of(2027, 4, 1).atStartOfDay().toEpochSecond(ZoneOffset.UTC),
        s.value(
            "seam_boundary_interface_sunset_timestamp_seconds",
            Scrape.with(grpc, "interface", "pricing.v1")));
    assertEquals(
        LocalDate.of(2027, 7, 1).atStartOfDay().toEpochSecond(ZoneOffset.UTC),
        s.value(
            "seam_boundary_interface_sunset_timestamp_seconds",
            "transport",
            "ffi",
            "interface",
            "v1"));

    String calls = "seam_boundary_interface_calls_total";
    assertEquals(
        11,
        s.value(calls, Scrape.with(grpc, "interface", "pricing.v2", "status", "current")),
        "weighted by the adjusted count");
    assertEquals(
        1, s.value(calls, Scrape.with(grpc, "interface", "pricing.v1", "status", "deprecated")));
    assertEquals(1, s.value(calls, Scrape.with(grpc, "interface", "unknown", "status", "unknown")));
    assertEquals(
        1,
        s.value(
            calls,
            "transport",
            "http",
            "callee_service",
            "pricing",
            "interface",
            "v1",
            "status",
            "current"));
    assertEquals(
        1,
        s.value(
            calls,
            "transport",
            "http",
            "callee_service",
            "pricing",
            "interface",
            "unknown",
            "status",
            "unknown"));
    assertEquals(
        1,
        s.value(calls, "transport", "ffi", "interface", "v2", "status", "current"),
        "from the callee's service.version");
    assertEquals(
        1,
        s.value(calls, "callee_service", "ledger", "interface", "v3", "status", "unknown"),
        "undeclared");
    assertEquals(
        1,
        s.value(
            calls,
            "callee_service",
            "inventory",
            "interface",
            "inventory.v1",
            "status",
            "unknown"));
    assertEquals(8, s.find(calls).size());
    assertEquals(1, s.value("seam_contracts_reload_total", "outcome", "loaded"));
    assertEquals(0, s.value("seam_contracts_reload_total", "outcome", "invalid"));
    assertEquals(1, s.value("seam_contracts_last_reload_successful"));
    assertEquals(clock.millis() / 1000.0, s.value("seam_contracts_loaded_timestamp_seconds"));
  }

  @Test
  void anInvalidFileKeepsTheContractsInForceAndAFixedOneIsPickedUpWhenItChanges() throws Exception {
    call(GATEWAY, LEDGER, Transport.HTTP, "/v3/entries", 1);
    Files.writeString(
        file,
        CONTRACTS
            + "  - {caller: gateway, callee: ledger, transport: http, budgets: {caller_p99:"
            + " soon}}\n");
    assertFalse(contracts.reload(config(file.toString(), "")));
    Scrape s = scrape();
    assertEquals(1, s.value("seam_contracts_reload_total", "outcome", "invalid"));
    assertEquals(0, s.value("seam_contracts_last_reload_successful"));
    assertEquals(0, s.value("seam_boundary_declared", "callee_service", "ledger"));
    assertEquals(
        1,
        s.value("seam_boundary_declared", "transport", "grpc"),
        "the contracts before stay in force");

    nanos.addAndGet(Duration.ofSeconds(11).toNanos());
    contracts.poll();
    assertEquals(
        1,
        scrape().value("seam_contracts_reload_total", "outcome", "invalid"),
        "the same problem is not counted again");

    Files.writeString(
        file,
        CONTRACTS
            + "  - {caller: gateway, callee: ledger, transport: http, budgets: {caller_p99:"
            + " 1s}}\n");
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    contracts.poll();
    assertEquals(
        0,
        scrape().value("seam_boundary_declared", "callee_service", "ledger"),
        "not checked before check-interval");
    nanos.addAndGet(Duration.ofSeconds(6).toNanos());
    contracts.poll();
    s = scrape();
    assertEquals(1, s.value("seam_boundary_declared", "callee_service", "ledger"));
    assertEquals(
        1,
        s.value(
            "seam_boundary_budget", "callee_service", "ledger", "budget", "caller_p99_seconds"));
    assertEquals(2, s.value("seam_contracts_reload_total", "outcome", "loaded"));
    assertEquals(1, s.value("seam_contracts_last_reload_successful"));

    nanos.addAndGet(Duration.ofSeconds(11).toNanos());
    contracts.poll();
    assertEquals(
        2,
        scrape().value("seam_contracts_reload_total", "outcome", "loaded"),
        "an unchanged file is not loaded again");
    assertTrue(
        contracts.reload(config(file.toString(), "")), "SIGHUP reads it whether or not it changed");
    assertEquals(3, scrape().value("seam_contracts_reload_total", "outcome", "loaded"));
  }

  @Test
  void callsToADeprecatedInterfaceAreSunsetFromTheDayAfterItsLastDay() {
    clock.set(Instant.parse("2027-03-31T23:59:00Z"));
    contracts.poll();
    call(GATEWAY, PRICING, Transport.GRPC, "pricing.v1.Pricing/Quote", 1);
    clock.set(Instant.parse("2027-04-01T00:00:01Z"));
    contracts.poll();
    call(GATEWAY, PRICING, Transport.GRPC, "pricing.v1.Pricing/Quote", 1);
    call(GATEWAY, PRICING, Transport.GRPC, "pricing.v1.Pricing/Quote", 1);
    Scrape s = scrape();
    assertEquals(
        1,
        s.value(
            "seam_boundary_interface_calls_total",
            "interface",
            "pricing.v1",
            "status",
            "deprecated"));
    assertEquals(
        2,
        s.value(
            "seam_boundary_interface_calls_total", "interface", "pricing.v1", "status", "sunset"));
  }

  @Test
  void idleBoundariesLeaveDeclaredOnesStay() {
    call(GATEWAY, LEDGER, Transport.HTTP, "/v3/entries", 1);
    call(GATEWAY, PRICING, Transport.GRPC, "pricing.v2.Pricing/Quote", 1);
    nanos.addAndGet(Duration.ofMinutes(30).toNanos());
    call(GATEWAY, PRICING, Transport.GRPC, "pricing.v2.Pricing/Quote", 1);
    nanos.addAndGet(Duration.ofMinutes(40).toNanos());
    assertEquals(1, contracts.expireIdle(Duration.ofHours(1).toNanos()));
    Scrape s = scrape();
    assertEquals(0, s.find("seam_boundary_owner_info", "callee_service", "ledger").size());
    assertEquals(
        0, s.find("seam_boundary_interface_calls_total", "callee_service", "ledger").size());
    assertEquals(
        2,
        s.value("seam_boundary_interface_calls_total", "transport", "grpc", "status", "current"));
    assertEquals(
        4, s.find("seam_boundary_declared").size(), "the declared boundaries, seen or not");
  }

  @Test
  void theCatalogNamesOwnersTheFileDoesNot() throws Exception {
    Path catalog = dir.resolve("catalog-info.yaml");
    Files.writeString(
        catalog,
        "kind: Component\nmetadata: {name: inventory}\nspec: {owner: 'group:default/stock-team'}\n"
            + "---\nkind: Component\nmetadata: {name: pricing}\nspec: {owner: someone-else}\n");
    Files.writeString(
        file,
        CONTRACTS.replace(
            "  pricing: {escalation: 'pagerduty:pricing'}",
            "  pricing: {escalation: 'pagerduty:pricing'}\n  stock-team: {escalation: '#stock'}"));
    assertTrue(contracts.reload(config(file.toString(), catalog.toString())));
    resource(INVENTORY, Otlp.attr("service.owner.name", "not-this"));
    call(GATEWAY, INVENTORY, Transport.GRPC, "inventory.v1.Stock/Get", 1);
    Scrape s = scrape();
    assertEquals(
        1,
        s.value(
            "seam_boundary_owner_info",
            "callee_service",
            "inventory",
            "callee_owner",
            "stock-team",
            "callee_escalation",
            "#stock"));
    assertEquals(
        1,
        s.value(
            "seam_boundary_owner_info",
            "transport",
            "grpc",
            "callee_service",
            "pricing",
            "callee_owner",
            "pricing"));
  }

  @Test
  void offExportsNothingAndCountsNothing() throws Exception {
    assertTrue(contracts.reload(config("", "")));
    call(GATEWAY, PRICING, Transport.GRPC, "pricing.v2.Pricing/Quote", 1);
    Scrape s = scrape();
    assertEquals(0, s.find("seam_boundary_owner_info").size());
    assertEquals(0, s.find("seam_boundary_declared").size());
    assertEquals(0, s.find("seam_boundary_interface_calls_total").size());
    assertEquals(1, s.value("seam_contracts_last_reload_successful"));
    assertEquals(1, passedOn.get());
  }

  @Test
  void aMissingFileAtStartLeavesNoContractsAndSaysSo() {
    PrometheusMeterRegistry other = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new Contracts(
        other,
        other.getPrometheusRegistry(),
        config(dir.resolve("absent.yaml").toString(), ""),
        100,
        nanos::get,
        clock);
    Scrape s = new Scrape(other.scrape());
    assertEquals(1, s.value("seam_contracts_reload_total", "outcome", "invalid"));
    assertEquals(0, s.value("seam_contracts_last_reload_successful"));
    assertEquals(0, s.value("seam_contracts_loaded_timestamp_seconds"));
    assertEquals(0, s.find("seam_boundary_declared").size());
  }

  private void resource(Origin origin, KeyValue... attributes) {
    Resource r = Otlp.resource(origin.service(), origin.language(), attributes);
    contracts.resources().observe(origin, r);
  }

  private void call(
      Origin caller, Origin callee, Transport transport, String operation, double weight) {
    Span out = Spans.builder().origin(caller).kind(SpanKind.CLIENT).adjustedCount(weight).build();
    Span in =
        Spans.builder()
            .origin(callee)
            .kind(transport == Transport.FFI ? SpanKind.INTERNAL : SpanKind.SERVER)
            .name(transport == Transport.FFI ? operation : "server")
            .operation(transport == Transport.FFI ? null : operation)
            .build();
    listener.onEdge(new Edge(out, in, transport));
  }

  private Scrape scrape() {
    return new Scrape(registry.scrape());
  }

  /** The next listener: counts what reaches it. */
  private final class Counting implements BoundaryListener {
    @Override
    public void onEdge(Edge edge) {
      passedOn.incrementAndGet();
    }

    @Override
    public void onUnpaired(Span span, Side side) {}

    @Override
    public void onErrorLogs(Edge edge, Side side, int count) {}

    @Override
    public void onOutcome(Outcome outcome, int count) {}
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
