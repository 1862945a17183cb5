package dev.seam.collector.pipeline;

import dev.seam.collector.measure.PipelineMetrics;
import dev.seam.collector.model.Signal;

/** Counts of one request's items, added to Seam's accounting once the request is done. */
final class Tally {

  /** The {@code reason} of items refused one by one ({@code seam_refused_items_total}). */
  static final String INVALID = "invalid";

  /**
   * The {@code reason} of accepted items the pipeline failed on ({@code seam_dropped_items_total}).
   */
  static final String INTERNAL_ERROR = "internal_error";

  long accepted;
  long processed;
  long dropped;
  long rejected;
  long recovered;
  private String firstProblem;
  private int problems;

  void reject(String reason) {
    reject(reason, 1);
  }

  void reject(String reason, int n) {
    rejected += n;
    problems++;
    if (firstProblem == null) {
      firstProblem = reason;
    }
  }

  void account(PipelineMetrics accounting, Signal signal, String protocol) {
    if (rejected > 0) {
      accounting.refusedItems(signal, INVALID, rejected);
    }
    if (accepted > 0) {
      accounting.received(signal, protocol, accepted);
    }
    if (processed > 0) {
      accounting.processed(signal, processed);
    }
    if (dropped > 0) {
      accounting.dropped(signal, INTERNAL_ERROR, dropped);
    }
  }

  /**
   * What {@code partial_success.error_message} says: how many were refused, and the first reason.
   */
  String message(String items) {
    String m =
        "rejected " + rejected + " of " + (rejected + accepted) + " " + items + ": " + firstProblem;
    return problems > 1 ? m + " (and " + (problems - 1) + " more)" : m;
  }
}
