package dev.seam.collector.measure;

/**
 * The Micrometer names of every meter Seam exports apart from forwarding's, grouped as
 * docs/metrics.md groups them. Prometheus sees them with dots as underscores and Micrometer's
 * suffixes ({@code _total} for counters, {@code _seconds} for timers, the base unit for the rest).
 * The boundary histograms are the Prometheus Java client's own ({@code BoundaryHistogram}), not
 * Micrometer meters, and are named as exported. A test holds this class and the documentation to
 * the same set.
 */
public final class MeasureMetricNames {

  // Boundary metrics: the labels of one boundary, plus a few of their own.

  /** Paired calls ({@code seam_boundary_calls_total}). */
  public static final String BOUNDARY_CALLS = "seam.boundary.calls";

  /** Paired calls where a half failed ({@code seam_boundary_errors_total}). */
  public static final String BOUNDARY_ERRORS = "seam.boundary.errors";

  /** Duration of the caller's span ({@code seam_boundary_caller_duration_seconds}). */
  public static final String BOUNDARY_CALLER_DURATION = "seam_boundary_caller_duration_seconds";

  /** Duration of the callee's span ({@code seam_boundary_callee_duration_seconds}). */
  public static final String BOUNDARY_CALLEE_DURATION = "seam_boundary_callee_duration_seconds";

  /** Caller minus callee duration ({@code seam_boundary_overhead_seconds}). */
  public static final String BOUNDARY_OVERHEAD = "seam_boundary_overhead_seconds";

  /** Calls whose callee outlasted the caller ({@code seam_boundary_negative_overhead_total}). */
  public static final String BOUNDARY_NEGATIVE_OVERHEAD = "seam.boundary.negative.overhead";

  /**
   * Time a message spent between its producer's end and its consumer's start ({@code
   * seam_boundary_queue_seconds}).
   */
  public static final String BOUNDARY_QUEUE = "seam_boundary_queue_seconds";

  /** Request payload sizes ({@code seam_boundary_request_bytes}). */
  public static final String BOUNDARY_REQUEST_BYTES = "seam_boundary_request_bytes";

  /** Response payload sizes ({@code seam_boundary_response_bytes}). */
  public static final String BOUNDARY_RESPONSE_BYTES = "seam_boundary_response_bytes";

  /** Bytes the callee allocated ({@code seam_boundary_callee_allocated_bytes}). */
  public static final String BOUNDARY_CALLEE_ALLOCATED_BYTES =
      "seam_boundary_callee_allocated_bytes";

  /** Halves whose counterpart never came ({@code seam_boundary_unpaired_total}). */
  public static final String BOUNDARY_UNPAIRED = "seam.boundary.unpaired";

  /** Calls whose trace context was lost ({@code seam_boundary_context_broken_total}). */
  public static final String BOUNDARY_CONTEXT_BROKEN = "seam.boundary.context.broken";

  /** Estimated clock offset between the two hosts ({@code seam_boundary_clock_skew_seconds}). */
  public static final String BOUNDARY_CLOCK_SKEW = "seam.boundary.clock.skew";

  /** Error logs tied to a side of a paired call ({@code seam_boundary_error_logs_total}). */
  public static final String BOUNDARY_ERROR_LOGS = "seam.boundary.error.logs";

  // Tempo's service graph (compat.service-graph.enabled): Tempo's names, not Seam's.

  /** Requests between two services ({@code traces_service_graph_request_total}). */
  public static final String SERVICE_GRAPH_REQUEST = "traces.service.graph.request";

  /** Failed requests ({@code traces_service_graph_request_failed_total}). */
  public static final String SERVICE_GRAPH_REQUEST_FAILED = "traces.service.graph.request.failed";

  /** Server-side duration ({@code traces_service_graph_request_server_seconds}). */
  public static final String SERVICE_GRAPH_REQUEST_SERVER = "traces.service.graph.request.server";

  /** Client-side duration ({@code traces_service_graph_request_client_seconds}). */
  public static final String SERVICE_GRAPH_REQUEST_CLIENT = "traces.service.graph.request.client";

  // What the services report about themselves.

  /** Log records received ({@code seam_log_records_total}). */
  public static final String LOG_RECORDS = "seam.log.records";

  /** Log records whose trace context Seam recovered ({@code seam_log_context_recovered_total}). */
  public static final String LOG_CONTEXT_RECOVERED = "seam.log.context.recovered";

  /** The latest memory figure of a process ({@code seam_process_memory_bytes}). */
  public static final String PROCESS_MEMORY = "seam.process.memory";

  // Seam's own accounting.

  /** Items accepted for processing ({@code seam_received_items_total}). */
  public static final String RECEIVED_ITEMS = "seam.received.items";

  /** Accepted items fully processed ({@code seam_processed_items_total}). */
  public static final String PROCESSED_ITEMS = "seam.processed.items";

  /** Accepted items that could not be processed ({@code seam_dropped_items_total}). */
  public static final String DROPPED_ITEMS = "seam.dropped.items";

  /** Items turned away one by one ({@code seam_refused_items_total}). */
  public static final String REFUSED_ITEMS = "seam.refused.items";

  /** Requests turned away as a whole ({@code seam_refused_requests_total}). */
  public static final String REFUSED_REQUESTS = "seam.refused.requests";

  /** Request bytes queued for or in the pipeline ({@code seam_pipeline_inflight_bytes}). */
  public static final String PIPELINE_INFLIGHT = "seam.pipeline.inflight";

  /** Observations put under 'other' by a cap ({@code seam_cardinality_overflow_total}). */
  public static final String CARDINALITY_OVERFLOW = "seam.cardinality.overflow";

  /** Entries held in the pairing store ({@code seam_pairing_pending}). */
  public static final String PAIRING_PENDING = "seam.pairing.pending";

  /** The pairing store's bound ({@code seam_pairing_capacity}). */
  public static final String PAIRING_CAPACITY = "seam.pairing.capacity";

  /** Entries that left the pairing store, by how ({@code seam_pairing_entries_total}). */
  public static final String PAIRING_ENTRIES = "seam.pairing.entries";

  /** Spans ignored as copies of one seen before ({@code seam_pairing_duplicate_spans_total}). */
  public static final String PAIRING_DUPLICATE_SPANS = "seam.pairing.duplicate.spans";

  /** How error logs that name a span ended ({@code seam_pairing_error_logs_total}). */
  public static final String PAIRING_ERROR_LOGS = "seam.pairing.error.logs";

  /** Ended boundary spans remembered ({@code seam_pairing_ended_spans}). */
  public static final String PAIRING_ENDED_SPANS = "seam.pairing.ended.spans";

  /** Ended boundary spans forgotten, by why ({@code seam_pairing_ended_forgotten_total}). */
  public static final String PAIRING_ENDED_FORGOTTEN = "seam.pairing.ended.forgotten";

  private MeasureMetricNames() {}
}
