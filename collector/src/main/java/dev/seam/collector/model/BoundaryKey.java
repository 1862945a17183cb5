package dev.seam.collector.model;

import java.util.Objects;

/**
 * The labels every {@code seam_boundary_*} series carries: who called whom, in which language, over
 * which transport, and (optionally) which callee operation.
 */
public record BoundaryKey(
    String callerService,
    String callerLanguage,
    String calleeService,
    String calleeLanguage,
    Transport transport,
    String operation) {

  public BoundaryKey {
    Objects.requireNonNull(callerService, "callerService");
    Objects.requireNonNull(callerLanguage, "callerLanguage");
    Objects.requireNonNull(calleeService, "calleeService");
    Objects.requireNonNull(calleeLanguage, "calleeLanguage");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(operation, "operation");
  }

  /** The same boundary with another operation label. */
  public BoundaryKey withOperation(String op) {
    return op.equals(operation)
        ? this
        : new BoundaryKey(
            callerService, callerLanguage, calleeService, calleeLanguage, transport, op);
  }
}
