package dev.seam.collector.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.model.Transport;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContractFileTest {

  static final String EXAMPLE =
      String.join(
          "\n",
          "teams:",
          "  pricing: {escalation: 'pagerduty:pricing', runbook: https://wiki/pricing}",
          "owners:",
          "  gateway:  {team: edge,    escalation: '#edge-oncall', runbook: https://wiki/edge}",
          "  pricing:  {team: pricing}",
          "  'batch-*': {team: data}",
          "  '*': {team: platform, escalation: '#platform'}",
          "boundaries:",
          "  - caller: gateway",
          "    callee: pricing",
          "    transport: grpc",
          "    operations: ['pricing.v2.Pricing/*', 'pricing.v1.Pricing/*']",
          "    interface: {current: pricing.v2, deprecated: {pricing.v1: 2027-03-31}}",
          "    budgets:",
          "      caller_p99: 250ms",
          "      overhead_p99: 2ms",
          "      error_ratio: 0.001",
          "      allocated_bytes_per_call_p99: 64KiB",
          "      callee_memory: 512MiB",
          "  - caller: '*'",
          "    callee: pricing",
          "    budgets: {callee_p99: 100ms}",
          "");

  @Test
  void readsTheExampleOfTheIssue() throws Exception {
    ContractSet set = ContractFile.parse(EXAMPLE, "contracts.yaml");
    assertEquals(new Owner("edge", "#edge-oncall", "https://wiki/edge"), set.ownerOf("gateway"));
    assertEquals(
        new Owner("pricing", "pagerduty:pricing", "https://wiki/pricing"),
        set.ownerOf("pricing"),
        "escalation and runbook from teams");
    assertEquals(new Owner("data", "unknown", ""), set.ownerOf("batch-nightly"));
    assertNull(set.ownerOf("ledger"), "the default is not a match");
    assertEquals(new Owner("platform", "#platform", ""), set.defaultOwner());
    assertEquals(2, set.declarations().size());
    Declaration d = set.declarations().get(0);
    assertEquals(Transport.GRPC, d.transport());
    assertTrue(d.exact());
    assertTrue(d.coversOperation("pricing.v2.Pricing/Quote"));
    assertFalse(d.coversOperation("pricing.v3.Pricing/Quote"));
    assertEquals(Set.of("pricing.v2"), d.interfaces().current());
    assertEquals(Map.of("pricing.v1", LocalDate.of(2027, 3, 31)), d.interfaces().deprecated());
    assertEquals(
        new Budgets(0.25, Double.NaN, 0.002, 0.001, 65536, 512.0 * 1024 * 1024), d.budgets());
    Declaration any = set.declarations().get(1);
    assertFalse(any.exact());
    assertTrue(any.covers("anyone", "pricing", Transport.HTTP));
    assertFalse(any.covers("anyone", "ledger", Transport.HTTP));
  }

  @Test
  void interfaceStatusFollowsTheCalendar() {
    InterfaceSpec spec =
        new InterfaceSpec(Set.of("pricing.v2"), Map.of("pricing.v1", LocalDate.of(2027, 3, 31)));
    assertEquals(InterfaceStatus.CURRENT, spec.status("pricing.v2", LocalDate.of(2030, 1, 1)));
    assertEquals(
        InterfaceStatus.DEPRECATED,
        spec.status("pricing.v1", LocalDate.of(2027, 3, 31)),
        "its last day still");
    assertEquals(InterfaceStatus.SUNSET, spec.status("pricing.v1", LocalDate.of(2027, 4, 1)));
    assertEquals(InterfaceStatus.UNKNOWN, spec.status("pricing.v3", LocalDate.of(2027, 4, 1)));
    assertEquals(InterfaceStatus.UNKNOWN, spec.status(null, LocalDate.of(2027, 4, 1)));
  }

  @Test
  void anEmptyFileDeclaresNothing() throws Exception {
    ContractSet set = ContractFile.parse("", "empty.yaml");
    assertEquals(List.of(), set.declarations());
    assertNull(set.defaultOwner());
  }

  @Test
  void everyProblemNamesItsKey() {
    String head = "boundaries:\n  - {caller: a, callee: b}\n  - {caller: a, callee: c}\n";
    assertProblem(
        head + "  - {caller: a, callee: d, budgets: {caller_p99: fast}}\n",
        "key 'boundaries[2].budgets.caller_p99' must be a positive duration such as 250ms or 2.5ms,"
            + " got 'fast'");
    assertProblem(
        head + "  - {caller: a, callee: d, budgets: {caller_p99: 250}}\n",
        "key 'boundaries[2].budgets.caller_p99'");
    assertProblem(
        "boundaries:\n  - {caller: a, callee: b, budget: {}}\n",
        "key 'boundaries[0].budget' is not known here");
    assertProblem(
        "boundaries:\n  - {caller: a, callee: b, transport: tcp}\n",
        "key 'boundaries[0].transport' must be one of grpc, http, messaging, ffi, other, got"
            + " 'tcp'");
    assertProblem(
        "boundaries:\n  - {caller: a, callee: b, budgets: {error_ratio: 5}}\n",
        "key 'boundaries[0].budgets.error_ratio' must be a share");
    assertProblem(
        "boundaries:\n  - {caller: a, callee: b, budgets: {error_ratio: '0.1'}}\n",
        "key 'boundaries[0].budgets.error_ratio' must be a number");
    assertProblem(
        "boundaries:\n  - {caller: a, callee: b, budgets: {callee_memory: lots}}\n",
        "key 'boundaries[0].budgets.callee_memory' must be a positive size");
    assertProblem(
        "boundaries:\n  - {caller: a, callee: b, interface: {deprecated: {v1: next-year}}}\n",
        "key 'boundaries[0].interface.deprecated.v1' must be the last day as YYYY-MM-DD, got"
            + " 'next-year'");
    assertProblem(
        "boundaries:\n"
            + "  - {caller: a, callee: b, interface: {current: v1, deprecated: {v1:"
            + " 2027-01-01}}}\n",
        "key 'boundaries[0].interface.deprecated.v1' is both current and deprecated");
    assertProblem("boundaries:\n  - {callee: b}\n", "key 'boundaries[0]' needs a caller");
    assertProblem(
        "boundaries:\n  - {caller: a, callee: b}\n  - {caller: a, callee: b}\n",
        "key 'boundaries[1]' declares the same calls as boundaries[0]");
    assertProblem("boundaries: {caller: a}\n", "key 'boundaries' must be a list");
    assertProblem(
        "owners:\n  gateway: {escalation: '#edge'}\n", "key 'owners.gateway' needs a team");
    assertProblem("owner:\n  gateway: {team: edge}\n", "key 'owner' is not known here");
    assertProblem("- a\n", "the top level must be a mapping of keys");
    assertProblem("owners: [\n", "not valid YAML");
  }

  private static void assertProblem(String yaml, String expected) {
    InvalidContractException e =
        assertThrows(InvalidContractException.class, () -> ContractFile.parse(yaml, "c.yaml"));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains("c.yaml"), e.getMessage());
  }

  @Test
  void globsMatchAsShellsDo() {
    assertTrue(Glob.of("pricing.v2.Pricing/*").matches("pricing.v2.Pricing/Quote"));
    assertFalse(Glob.of("pricing.v2.Pricing/*").matches("pricing.v20.Pricing/Quote"));
    assertTrue(Glob.of("*-svc").matches("pricing-svc"));
    assertTrue(Glob.of("a*b*c").matches("aXXbYYbc"));
    assertFalse(Glob.of("a*b*c").matches("aXXbYY"));
    assertTrue(Glob.of("v?").matches("v2"));
    assertFalse(Glob.of("v?").matches("v22"));
    assertTrue(Glob.of("*").matches(""));
  }

  @Test
  void catalogComponentsNameTheirOwners() throws Exception {
    String yaml =
        String.join(
            "\n",
            "apiVersion: backstage.io/v1alpha1",
            "kind: Component",
            "metadata: {name: pricing}",
            "spec: {type: service, owner: 'group:default/pricing-team'}",
            "---",
            "apiVersion: backstage.io/v1alpha1",
            "kind: Group",
            "metadata: {name: pricing-team}",
            "spec: {type: team}",
            "---",
            "kind: Component",
            "metadata: {name: ledger}",
            "spec: {owner: books}",
            "");
    assertEquals(
        Map.of("pricing", "pricing-team", "ledger", "books"),
        CatalogFile.parse(yaml, "catalog-info.yaml"));
    InvalidContractException e =
        assertThrows(
            InvalidContractException.class,
            () -> CatalogFile.parse("kind: Component\nmetadata: {name: x}\n", "catalog-info.yaml"));
    assertTrue(
        e.getMessage().contains("document 0 is a Component without spec.owner"), e.getMessage());
  }
}
