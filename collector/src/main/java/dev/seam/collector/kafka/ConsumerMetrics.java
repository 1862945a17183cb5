package dev.seam.collector.kafka;

import dev.seam.collector.pair.PairingStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;

/**
 * The meters of {@link KafkaSource}: records by outcome, partitions owned and their lag,
 * rebalances, halves handed over, pairs not counted again, and how far the pairing clock is behind.
 * Recorded by the consumer thread; the registry reads them.
 */
final class ConsumerMetrics {

  /** The {@code outcome} of a record read for the first time and processed. */
  static final int PROCESSED = 0;

  /** The {@code outcome} of a record whose value is not an export request of its topic's signal. */
  static final int UNDECODABLE = 1;

  /** The {@code outcome} of a record read again after its partition changed owner. */
  static final int REPLAYED = 2;

  private static final List<String> OUTCOMES = List.of("processed", "undecodable", "replayed");

  /** The {@code change} of a rebalance that gave this instance partitions. */
  static final String ASSIGNED = "assigned";

  /** The {@code change} of a rebalance that took partitions away in order. */
  static final String REVOKED = "revoked";

  /** The {@code change} of partitions taken away without a revocation (the session ended). */
  static final String LOST = "lost";

  /** The lag of one owned partition, as the last poll saw it. */
  private static final class Lag {
    volatile double records = Double.NaN;
  }

  private final MeterRegistry registry;
  private final Map<String, Counter[]> records = new HashMap<>();
  private final Map<String, Counter> rebalances = new HashMap<>();
  private final Map<String, AtomicInteger> assigned = new HashMap<>();
  private final Map<TopicPartition, Lag> lags = new HashMap<>();
  private final Map<TopicPartition, Gauge> lagGauges = new HashMap<>();
  private final Counter handedOver;

  ConsumerMetrics(
      MeterRegistry registry, List<String> topics, PairingStore store, EventClock clock) {
    this.registry = registry;
    for (String topic : topics) {
      Counter[] byOutcome = new Counter[OUTCOMES.size()];
      for (int i = 0; i < byOutcome.length; i++) {
        byOutcome[i] =
            Counter.builder(KafkaMetricNames.RECORDS)
                .description("Kafka records consumed, by topic and outcome")
                .tag("topic", topic)
                .tag("outcome", OUTCOMES.get(i))
                .register(registry);
      }
      records.put(topic, byOutcome);
      AtomicInteger n = new AtomicInteger();
      assigned.put(topic, n);
      Gauge.builder(KafkaMetricNames.PARTITIONS_ASSIGNED, n, AtomicInteger::get)
          .description("Partitions of the topic this instance owns in the consumer group")
          .tag("topic", topic)
          .register(registry);
    }
    for (String change : List.of(ASSIGNED, REVOKED, LOST)) {
      rebalances.put(
          change,
          Counter.builder(KafkaMetricNames.REBALANCES)
              .description("Times the partitions this instance owns changed, by how")
              .tag("change", change)
              .register(registry));
    }
    handedOver =
        Counter.builder(KafkaMetricNames.HANDED_OVER_HALVES)
            .description(
                "Pending pairing entries of revoked partitions given up to their new owner")
            .register(registry);
    FunctionCounter.builder(KafkaMetricNames.REPLAYED_PAIRS, store, PairingStore::replayedPairs)
        .description(
            "Calls not counted again: both halves came from records the previous owner had"
                + " processed")
        .register(registry);
    Gauge.builder(KafkaMetricNames.EVENT_TIME_LAG, clock, c -> c.lagNanos() / 1e9)
        .description("Wall clock minus the pairing clock's event time")
        .baseUnit("seconds")
        .register(registry);
  }

  /** One record of {@code topic} ended with {@code outcome} ({@link #PROCESSED} ...). */
  void record(String topic, int outcome) {
    records.get(topic)[outcome].increment();
  }

  void rebalance(String change) {
    rebalances.get(change).increment();
  }

  void handedOver(long entries) {
    handedOver.increment(entries);
  }

  /** {@code tp} is owned now: its lag is exported until {@link #revoked}. */
  void assigned(TopicPartition tp) {
    assigned.get(tp.topic()).incrementAndGet();
    Lag lag = new Lag();
    lags.put(tp, lag);
    lagGauges.put(
        tp,
        Gauge.builder(KafkaMetricNames.CONSUMER_LAG, lag, l -> l.records)
            .description("Records between this instance's position and the end of the partition")
            .tag("topic", tp.topic())
            .tag("partition", Integer.toString(tp.partition()))
            .strongReference(true)
            .register(registry));
  }

  void revoked(TopicPartition tp) {
    assigned.get(tp.topic()).decrementAndGet();
    lags.remove(tp);
    Gauge g = lagGauges.remove(tp);
    if (g != null) {
      registry.remove(g);
    }
  }

  /** The lag of {@code tp} as the last poll saw it, negative when not known. */
  void lag(TopicPartition tp, long records) {
    Lag lag = lags.get(tp);
    if (lag != null) {
      lag.records = records < 0 ? Double.NaN : records;
    }
  }
}
