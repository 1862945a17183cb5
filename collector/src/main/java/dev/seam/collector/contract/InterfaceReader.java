package dev.seam.collector.contract;

import dev.seam.collector.model.Transport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the interface version a call speaks from its operation, by transport: the first group of
 * the configured pattern ({@code contracts.interfaces.*}), or for ffi the callee's version.
 * Immutable and thread-safe.
 */
final class InterfaceReader {

  private final Pattern rpc;
  private final Pattern http;
  private final Pattern messaging;
  private final String ffi;

  InterfaceReader(ContractsConfig.InterfaceConfig config) {
    this.rpc = ContractsConfig.InterfaceConfig.compile(config.rpc());
    this.http = ContractsConfig.InterfaceConfig.compile(config.http());
    this.messaging = ContractsConfig.InterfaceConfig.compile(config.messaging());
    this.ffi = config.ffi();
  }

  /**
   * Whether the interface of an ffi call comes from the callee's version rather than its operation.
   */
  boolean ffiFromVersion() {
    return ffi.equals("service-version");
  }

  /**
   * The interface of a call, or {@code null} when none can be read.
   *
   * @param operation the callee's operation (for ffi its span name), or {@code null}
   * @param calleeVersion the interface the callee's {@code service.version} names, or {@code null}
   */
  String read(Transport transport, String operation, String calleeVersion) {
    return switch (transport) {
      case GRPC, OTHER -> group(rpc, operation);
      case HTTP -> group(http, operation);
      case MESSAGING -> group(messaging, operation);
      case FFI ->
          switch (ffi) {
            case "service-version" -> calleeVersion;
            case "operation" -> group(rpc, operation);
            default -> null;
          };
    };
  }

  private static String group(Pattern p, String operation) {
    if (p == null || operation == null) {
      return null;
    }
    Matcher m = p.matcher(operation);
    if (!m.find()) {
      return null;
    }
    String g = m.group(1);
    return g == null || g.isEmpty() ? null : g;
  }
}
