package dev.seam.collector.contract;

import dev.seam.collector.component.Checks;
import dev.seam.collector.component.ComponentConfig;
import dev.seam.collector.component.InvalidConfigException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code contracts} section: where the contract file is, how often it is checked for changes,
 * and how the interface version of a call is read from its operation. Everything here applies live
 * on reload.
 *
 * @param file the contract file (YAML, docs/contracts.md); empty switches contracts off
 * @param catalogFile a Backstage catalog file whose Components name their owners; empty for none
 * @param checkInterval how often both files are checked for changes
 * @param maxInterfacesPerBoundary distinct interface label values per boundary before the rest are
 *     {@code other}
 * @param interfaces how the interface is read from a call
 */
public record ContractsConfig(
    String file,
    String catalogFile,
    Duration checkInterval,
    int maxInterfacesPerBoundary,
    InterfaceConfig interfaces)
    implements ComponentConfig {

  /** Off; checked every 10 s once on; the usual interface patterns. */
  public static final ContractsConfig DEFAULT =
      new ContractsConfig("", "", Duration.ofSeconds(10), 20, InterfaceConfig.DEFAULT);

  /** Whether a contract file is configured. */
  public boolean enabled() {
    return !file.isBlank();
  }

  @Override
  public void validate() {
    Checks.positive("check-interval", checkInterval);
    Checks.between("max-interfaces-per-boundary", maxInterfacesPerBoundary, 1, 1000);
  }

  /**
   * The {@code contracts.interfaces} section: a regular expression per kind of operation whose
   * first group is the interface ({@code pricing.v2.Pricing/Quote} -> {@code pricing.v2}); empty
   * reads no interface from that kind.
   *
   * @param rpc applied to full RPC methods (gRPC, other RPC) and to operations of transport other
   * @param http applied to HTTP routes
   * @param messaging applied to messaging destinations
   * @param ffi {@code service-version}: the major of the callee's {@code service.version} ({@code
   *     2.3.1} -> {@code v2}); {@code operation}: the rpc pattern on the callee's span name; {@code
   *     none}
   */
  public record InterfaceConfig(String rpc, String http, String messaging, String ffi)
      implements ComponentConfig {

    /** The versioned package of an RPC method, an HTTP route's leading /vN/, and so on. */
    public static final InterfaceConfig DEFAULT =
        new InterfaceConfig(
            "^/?((?:[A-Za-z_][A-Za-z0-9_]*\\.)*v[0-9]+[a-z0-9]*)\\.[A-Za-z_][A-Za-z0-9_]*/",
            "^/(v[0-9]+[a-z0-9]*)\\b",
            "^((?:[A-Za-z0-9_-]+\\.)*v[0-9]+[a-z0-9]*)\\b",
            "service-version");

    /** The choices of {@link #ffi}. */
    public static final List<String> FFI_SOURCES = List.of("service-version", "operation", "none");

    @Override
    public void validate() {
      pattern("rpc", rpc);
      pattern("http", http);
      pattern("messaging", messaging);
      Checks.oneOf("ffi", ffi, FFI_SOURCES);
    }

    /** The compiled pattern, or {@code null} when {@code regex} is empty. */
    static Pattern compile(String regex) {
      return regex.isEmpty() ? null : Pattern.compile(regex);
    }

    private static void pattern(String key, String regex) {
      if (regex.isEmpty()) {
        return;
      }
      Pattern p;
      try {
        p = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new InvalidConfigException(
            key, "is not a regular expression: " + e.getDescription() + " at " + e.getIndex());
      }
      if (p.matcher("").groupCount() < 1) {
        throw new InvalidConfigException(key, "needs a group, (...), that captures the interface");
      }
    }
  }
}
