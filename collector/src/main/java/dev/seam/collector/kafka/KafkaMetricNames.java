package dev.seam.collector.kafka;

/**
 * The Micrometer names of the Kafka meters ({@code kafka.brokers} set), as docs/metrics.md lists
 * them under Kafka; a test holds this class and the documentation to the same set.
 */
public final class KafkaMetricNames {

  /**
   * Records between this instance's position and the end of each partition it owns ({@code
   * seam_kafka_consumer_lag_records}).
   */
  public static final String CONSUMER_LAG = "seam.kafka.consumer.lag.records";

  /** Partitions this instance owns, by topic ({@code seam_kafka_partitions_assigned}). */
  public static final String PARTITIONS_ASSIGNED = "seam.kafka.partitions.assigned";

  /** Records consumed, by topic and outcome ({@code seam_kafka_records_total}). */
  public static final String RECORDS = "seam.kafka.records";

  /** Partitions assigned, revoked or lost ({@code seam_kafka_rebalances_total}). */
  public static final String REBALANCES = "seam.kafka.rebalances";

  /**
   * Pending pairing entries of revoked partitions given up to their new owner ({@code
   * seam_kafka_handed_over_halves_total}).
   */
  public static final String HANDED_OVER_HALVES = "seam.kafka.handed.over.halves";

  /**
   * Calls not counted again because both halves came from records the previous owner had processed
   * ({@code seam_kafka_replayed_pairs_total}).
   */
  public static final String REPLAYED_PAIRS = "seam.kafka.replayed.pairs";

  /**
   * Records written by the receivers, by topic and outcome ({@code
   * seam_kafka_produced_records_total}).
   */
  public static final String PRODUCED_RECORDS = "seam.kafka.produced.records";

  /**
   * Wall clock minus the pairing clock's event time ({@code seam_kafka_event_time_lag_seconds}).
   */
  public static final String EVENT_TIME_LAG = "seam.kafka.event.time.lag";

  private KafkaMetricNames() {}
}
