package dev.seam.collector.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seam.collector.model.Signal;
import dev.seam.collector.testing.Scrape;
import org.junit.jupiter.api.Test;

/** One request's counts: what the client is told and what Seam's accounting adds. */
class TallyTest {

  @Test
  void theMessageNamesTheFirstProblemAndHowManyMoreThereWere() {
    Tally t = new Tally();
    t.accepted = 7;
    t.reject("span has an all-zero trace_id");
    assertEquals("rejected 1 of 8 spans: span has an all-zero trace_id", t.message("spans"));
    t.reject("span has a 4-byte span_id (want 8)");
    t.reject("metric has no name", 3);
    assertEquals(
        "rejected 5 of 12 spans: span has an all-zero trace_id (and 2 more)", t.message("spans"));
  }

  @Test
  void accountsEachCountUnderItsSignalAndProtocol() {
    Parts parts = new Parts();
    Tally t = new Tally();
    t.accepted = 5;
    t.processed = 4;
    t.dropped = 1;
    t.reject("log record has a 3-byte span_id (want 0 or 8)", 2);
    t.account(parts.accounting, Signal.LOGS, "http");

    Scrape s = parts.scrape();
    assertEquals(5, s.value("seam_received_items_total", "signal", "logs", "protocol", "http"));
    assertEquals(0, s.value("seam_received_items_total", "signal", "logs", "protocol", "grpc"));
    assertEquals(4, s.value("seam_processed_items_total", "signal", "logs"));
    assertEquals(
        1, s.value("seam_dropped_items_total", "signal", "logs", "reason", "internal_error"));
    assertEquals(2, s.value("seam_refused_items_total", "signal", "logs", "reason", "invalid"));
    assertEquals(0, s.sum("seam_received_items_total", "signal", "spans"));
  }
}
