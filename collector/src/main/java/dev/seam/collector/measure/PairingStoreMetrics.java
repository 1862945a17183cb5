package dev.seam.collector.measure;

import static dev.seam.collector.measure.MeasureMetricNames.PAIRING_DUPLICATE_SPANS;
import static dev.seam.collector.measure.MeasureMetricNames.PAIRING_ENDED_FORGOTTEN;
import static dev.seam.collector.measure.MeasureMetricNames.PAIRING_ENDED_SPANS;
import static dev.seam.collector.measure.MeasureMetricNames.PAIRING_ERROR_LOGS;

import dev.seam.collector.pair.PairingStore;
import dev.seam.collector.pair.PairingStore.ErrorLogOutcome;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * The pairing store's counts about itself, read from the store when scraped: repeated spans it
 * ignored, how error logs that named a span ended, and the ended boundary spans it remembers for
 * {@code pairing.log-window}.
 */
public final class PairingStoreMetrics {

  private PairingStoreMetrics() {}

  /** Registers the store's meters; every series exists at 0 from the start. */
  public static void register(MeterRegistry registry, PairingStore store) {
    for (boolean ended : new boolean[] {false, true}) {
      FunctionCounter.builder(PAIRING_DUPLICATE_SPANS, store, s -> s.duplicateSpans(ended))
          .description(
              "Spans ignored as copies of one seen before: still held, or a boundary span that"
                  + " ended within pairing.log-window")
          .tag("state", ended ? "ended" : "pending")
          .register(registry);
    }
    for (ErrorLogOutcome o : ErrorLogOutcome.values()) {
      FunctionCounter.builder(PAIRING_ERROR_LOGS, store, s -> s.errorLogs(o))
          .description("Error logs that named a span, by how they ended")
          .tag("outcome", o.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    Gauge.builder(PAIRING_ENDED_SPANS, store, PairingStore::endedSpans)
        .description("Ended boundary spans remembered for late error logs and repeated spans")
        .register(registry);
    for (boolean evicted : new boolean[] {false, true}) {
      FunctionCounter.builder(PAIRING_ENDED_FORGOTTEN, store, s -> s.endedSpansForgotten(evicted))
          .description(
              "Ended boundary spans forgotten: their pairing.log-window passed (expired), or room"
                  + " was needed (evicted, pairing.max-ended-spans)")
          .tag("outcome", evicted ? "evicted" : "expired")
          .register(registry);
    }
  }
}
