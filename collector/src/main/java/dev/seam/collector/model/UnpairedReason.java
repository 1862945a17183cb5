package dev.seam.collector.model;

/** Why a boundary half was left without its counterpart. */
public enum UnpairedReason {
  /** A caller whose callee never reported (uninstrumented, not exporting, or sampled out). */
  CALLEE_MISSING("callee_missing"),
  /** A callee with a remote parent that never reported. */
  CALLER_MISSING("caller_missing"),
  /** A caller whose callee did report, but in a new trace: the context was lost on the way. */
  CONTEXT_BROKEN("context_broken");

  private final String label;

  UnpairedReason(String label) {
    this.label = label;
  }

  /** The value of the {@code reason} label. */
  public String label() {
    return label;
  }
}
