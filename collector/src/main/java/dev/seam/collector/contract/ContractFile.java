package dev.seam.collector.contract;

import dev.seam.collector.component.Durations;
import dev.seam.collector.component.Size;
import dev.seam.collector.model.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a contract file (docs/contracts.md): {@code teams}, {@code owners} and {@code boundaries}.
 * Every value is checked; the first problem is reported with its key.
 */
public final class ContractFile {

  private static final Set<String> TOP = Set.of("teams", "owners", "boundaries");
  private static final Set<String> TEAM = Set.of("escalation", "runbook");
  private static final Set<String> OWNER = Set.of("team", "escalation", "runbook");
  private static final Set<String> BOUNDARY =
      Set.of("caller", "callee", "transport", "operations", "interface", "budgets");
  private static final Set<String> INTERFACE = Set.of("current", "deprecated");
  private static final Set<String> BUDGETS =
      Set.of(
          "caller_p99",
          "callee_p99",
          "overhead_p99",
          "error_ratio",
          "allocated_bytes_per_call_p99",
          "callee_memory");
  private static final List<String> TRANSPORTS =
      List.of("grpc", "http", "messaging", "ffi", "other");

  private ContractFile() {}

  /** Reads and checks the file at {@code file}. */
  public static ContractSet read(Path file) throws InvalidContractException {
    return parse(readText(file), file.toString());
  }

  /** Checks {@code yaml}; {@code source} names it in messages. */
  public static ContractSet parse(String yaml, String source) throws InvalidContractException {
    Object tree = load(yaml, source);
    try {
      return contracts(new YamlNode("", tree));
    } catch (YamlNode.Problem p) {
      throw new InvalidContractException("contract file " + source + ": " + p.getMessage(), p);
    }
  }

  static String readText(Path file) throws InvalidContractException {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new InvalidContractException("cannot read " + file + ": " + e, e);
    }
  }

  static Object load(String yaml, String source) throws InvalidContractException {
    try {
      return new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
    } catch (YamlEngineException e) {
      throw new InvalidContractException(source + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  private static ContractSet contracts(YamlNode root) {
    Map<String, YamlNode> top = root.mapping(TOP);
    Map<String, Owner> teams = new HashMap<>();
    YamlNode teamsNode = top.getOrDefault("teams", new YamlNode("teams", null));
    for (Map.Entry<String, YamlNode> e : teamsNode.mapping(null).entrySet()) {
      Map<String, YamlNode> t = e.getValue().mapping(TEAM);
      teams.put(
          e.getKey(),
          new Owner(e.getKey(), text(t, "escalation", Owner.UNKNOWN), text(t, "runbook", "")));
    }
    Map<String, Owner> owners = new HashMap<>();
    Map<Glob, Owner> patterns = new LinkedHashMap<>();
    Owner fallback = null;
    YamlNode ownersNode = top.getOrDefault("owners", new YamlNode("owners", null));
    for (Map.Entry<String, YamlNode> e : ownersNode.mapping(null).entrySet()) {
      Owner owner = owner(e.getValue(), teams);
      Glob g = Glob.of(e.getKey());
      if (e.getKey().equals("*")) {
        fallback = owner;
      } else if (g.literal()) {
        owners.put(e.getKey(), owner);
      } else {
        patterns.put(g, owner);
      }
    }
    List<Declaration> declarations = new ArrayList<>();
    YamlNode boundaries = top.getOrDefault("boundaries", new YamlNode("boundaries", null));
    Map<String, Integer> seen = new HashMap<>();
    for (YamlNode b : boundaries.list()) {
      Declaration d = declaration(declarations.size(), b);
      String identity =
          d.caller() + " -> " + d.callee() + " " + d.transport() + " " + d.operations();
      Integer earlier = seen.putIfAbsent(identity, d.index());
      if (earlier != null) {
        throw b.problem("declares the same calls as boundaries[" + earlier + "]");
      }
      declarations.add(d);
    }
    return new ContractSet(teams, owners, patterns, fallback, declarations);
  }

  private static Owner owner(YamlNode node, Map<String, Owner> teams) {
    Map<String, YamlNode> o = node.mapping(OWNER);
    YamlNode teamNode = o.get("team");
    if (teamNode == null || teamNode.absent()) {
      throw node.problem("needs a team");
    }
    String team = teamNode.text();
    Owner known = teams.get(team);
    String escalation = text(o, "escalation", known != null ? known.escalation() : Owner.UNKNOWN);
    String runbook = text(o, "runbook", known != null ? known.runbook() : "");
    return new Owner(team, escalation, runbook);
  }

  private static Declaration declaration(int index, YamlNode node) {
    Map<String, YamlNode> b = node.mapping(BOUNDARY);
    String caller = required(node, b, "caller");
    String callee = required(node, b, "callee");
    Transport transport = null;
    YamlNode t = b.get("transport");
    if (t != null && !t.absent()) {
      String name = t.text();
      if (!TRANSPORTS.contains(name)) {
        throw t.problem("must be one of " + String.join(", ", TRANSPORTS) + ", got '" + name + "'");
      }
      transport = Transport.valueOf(name.toUpperCase(Locale.ROOT));
    }
    List<Glob> operations = new ArrayList<>();
    YamlNode ops = b.get("operations");
    if (ops != null) {
      for (YamlNode op : ops.list()) {
        operations.add(Glob.of(op.text()));
      }
    }
    InterfaceSpec spec =
        b.containsKey("interface") ? interfaceSpec(b.get("interface")) : InterfaceSpec.NONE;
    Budgets budgets = b.containsKey("budgets") ? budgets(b.get("budgets")) : Budgets.NONE;
    return new Declaration(
        index, Glob.of(caller), Glob.of(callee), transport, operations, spec, budgets);
  }

  private static InterfaceSpec interfaceSpec(YamlNode node) {
    Map<String, YamlNode> i = node.mapping(INTERFACE);
    Set<String> current = new LinkedHashSet<>();
    YamlNode c = i.get("current");
    if (c != null && !c.absent()) {
      current.addAll(c.texts());
    }
    Map<String, LocalDate> deprecated = new LinkedHashMap<>();
    YamlNode d = i.get("deprecated");
    if (d != null) {
      for (Map.Entry<String, YamlNode> e : d.mapping(null).entrySet()) {
        if (current.contains(e.getKey())) {
          throw e.getValue().problem("is both current and deprecated");
        }
        String date = e.getValue().text();
        try {
          deprecated.put(e.getKey(), LocalDate.parse(date));
        } catch (DateTimeParseException ex) {
          throw e.getValue().problem("must be the last day as YYYY-MM-DD, got '" + date + "'");
        }
      }
    }
    return new InterfaceSpec(current, deprecated);
  }

  private static Budgets budgets(YamlNode node) {
    Map<String, YamlNode> b = node.mapping(BUDGETS);
    return new Budgets(
        seconds(b.get("caller_p99")),
        seconds(b.get("callee_p99")),
        seconds(b.get("overhead_p99")),
        ratio(b.get("error_ratio")),
        bytes(b.get("allocated_bytes_per_call_p99")),
        bytes(b.get("callee_memory")));
  }

  private static double seconds(YamlNode node) {
    if (node == null) {
      return Double.NaN;
    }
    String text = node.text();
    Duration d = Durations.parse(text);
    if (d == null || d.isZero()) {
      throw node.problem("must be a positive duration such as 250ms or 2.5ms, got '" + text + "'");
    }
    return d.toNanos() / 1e9;
  }

  private static double ratio(YamlNode node) {
    if (node == null) {
      return Double.NaN;
    }
    double r = node.number();
    if (!(r > 0 && r < 1)) {
      throw node.problem("must be a share of calls between 0 and 1 (0.001 = 0.1 %), got " + r);
    }
    return r;
  }

  private static double bytes(YamlNode node) {
    if (node == null) {
      return Double.NaN;
    }
    String text = node.text();
    Size s = Size.parse(text);
    if (s == null || s.bytes() == 0) {
      throw node.problem("must be a positive size such as 64KiB or 512MiB, got '" + text + "'");
    }
    return s.bytes();
  }

  private static String required(YamlNode parent, Map<String, YamlNode> map, String key) {
    YamlNode n = map.get(key);
    if (n == null || n.absent()) {
      throw parent.problem("needs a " + key + " (a service name, or * for any)");
    }
    return n.text();
  }

  private static String text(Map<String, YamlNode> map, String key, String fallback) {
    YamlNode n = map.get(key);
    return n == null ? fallback : n.text(fallback);
  }
}
