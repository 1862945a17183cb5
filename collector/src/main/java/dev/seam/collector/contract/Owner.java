package dev.seam.collector.contract;

import java.util.Objects;

/**
 * Who owns a service and how to reach them.
 *
 * @param team the owning team: the {@code team} label of the alerts this side must act on
 * @param escalation where to escalate (a channel, a pager service), or {@code unknown}
 * @param runbook a link for the team's runbook, or empty
 */
public record Owner(String team, String escalation, String runbook) {

  /** The value of an owner label no source supplies. */
  public static final String UNKNOWN = "unknown";

  /** The owner of a service no source names. */
  public static final Owner NONE = new Owner(UNKNOWN, UNKNOWN, "");

  public Owner {
    Objects.requireNonNull(team, "team");
    Objects.requireNonNull(escalation, "escalation");
    Objects.requireNonNull(runbook, "runbook");
  }
}
