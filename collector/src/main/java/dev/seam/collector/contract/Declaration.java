package dev.seam.collector.contract;

import dev.seam.collector.model.Transport;
import java.util.List;

/**
 * One entry of the contract file's {@code boundaries}: which calls it covers, the interface both
 * sides agreed on and the budgets.
 *
 * @param index its place in the file ({@code boundaries[index]})
 * @param caller the caller's service name, or a pattern
 * @param callee the callee's service name, or a pattern
 * @param transport the transport it covers, or {@code null} for any
 * @param operations patterns of the operations it covers; empty covers every operation
 * @param interfaces the agreed interface versions
 * @param budgets what a call may cost
 */
public record Declaration(
    int index,
    Glob caller,
    Glob callee,
    Transport transport,
    List<Glob> operations,
    InterfaceSpec interfaces,
    Budgets budgets) {

  public Declaration {
    operations = List.copyOf(operations);
  }

  /** Whether it covers the boundary between these services over this transport. */
  public boolean covers(String callerService, String calleeService, Transport t) {
    return (transport == null || transport == t)
        && caller.matches(callerService)
        && callee.matches(calleeService);
  }

  /** Whether it covers calls to {@code operation} ({@code null}: not known). */
  public boolean coversOperation(String operation) {
    if (operations.isEmpty()) {
      return true;
    }
    if (operation == null) {
      return false;
    }
    for (Glob g : operations) {
      if (g.matches(operation)) {
        return true;
      }
    }
    return false;
  }

  /** Whether it names exactly one boundary (no patterns, a transport), so it is listed unseen. */
  public boolean exact() {
    return transport != null && caller.literal() && callee.literal();
  }
}
