package dev.seam.collector.measure;

import static dev.seam.collector.measure.MeasureMetricNames.PAIRING_ENTRIES;

import dev.seam.collector.pair.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;

/**
 * Counts how pending pairing entries ended ({@code seam_pairing_entries_total}). Every outcome is
 * registered up front, so each series exists at 0; the map is only read afterwards, from any
 * thread.
 */
final class PairingMetrics {

  private final EnumMap<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

  PairingMetrics(MeterRegistry registry) {
    for (Outcome o : Outcome.values()) {
      outcomes.put(
          o,
          Counter.builder(PAIRING_ENTRIES)
              .description("Pending pairing entries that ended, by how they ended")
              .tag("outcome", o.label())
              .register(registry));
    }
  }

  /** Counts {@code count} entries that ended with {@code outcome}. */
  void record(Outcome outcome, int count) {
    outcomes.get(outcome).increment(count);
  }
}
