package dev.seam.collector.forward;

/**
 * The Micrometer names of the forwarding meters ({@code forward.enabled}), as docs/metrics.md lists
 * them under Forwarding; a test holds this class and the documentation to the same set.
 */
public final class ForwardMetricNames {

  /** Items forwarded, by how they ended ({@code seam_forwarded_items_total}). */
  public static final String FORWARDED_ITEMS = "seam.forwarded.items";

  /** Requests sent again ({@code seam_forward_retries_total}). */
  public static final String FORWARD_RETRIES = "seam.forward.retries";

  /** Items waiting to be forwarded or being retried ({@code seam_forward_queue_items}). */
  public static final String FORWARD_QUEUE_ITEMS = "seam.forward.queue.items";

  private ForwardMetricNames() {}
}
