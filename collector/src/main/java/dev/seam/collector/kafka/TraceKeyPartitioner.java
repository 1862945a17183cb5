package dev.seam.collector.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.PartitionInfo;

/**
 * A Kafka producer {@link Partitioner} that puts a keyed record where the OpenTelemetry Collector's
 * kafka exporter puts the same key ({@link PartitionHasher#SARAMA_COMPAT}, its default) or where
 * Kafka's own client does ({@link PartitionHasher#MURMUR2}), over all of the topic's partitions, as
 * both do. Records without a key (log records without a trace id) take the topic's available
 * partitions in turn.
 *
 * <p>Set it with {@code partitioner.class} and choose the hasher with {@link #HASHER_CONFIG}
 * ({@code sarama_compat} when absent); {@link KafkaConfig#producerProperties()} does both.
 */
public final class TraceKeyPartitioner implements Partitioner {

  /** Producer property naming the hasher: {@code sarama_compat} or {@code murmur2}. */
  public static final String HASHER_CONFIG = "seam.partitioner.hasher";

  private volatile PartitionHasher hasher = PartitionHasher.SARAMA_COMPAT;
  private final ConcurrentMap<String, AtomicInteger> unkeyedTurns = new ConcurrentHashMap<>();

  @Override
  public void configure(Map<String, ?> configs) {
    Object name = configs.get(HASHER_CONFIG);
    if (name != null) {
      hasher = PartitionHasher.fromConfigName(name.toString());
    }
  }

  /** The hasher this partitioner uses. */
  public PartitionHasher hasher() {
    return hasher;
  }

  @Override
  public int partition(
      String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
    if (keyBytes != null) {
      return hasher.partition(keyBytes, cluster.partitionCountForTopic(topic));
    }
    int turn = unkeyedTurns.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement();
    List<PartitionInfo> available = cluster.availablePartitionsForTopic(topic);
    if (!available.isEmpty()) {
      return available.get(Math.floorMod(turn, available.size())).partition();
    }
    return Math.floorMod(turn, cluster.partitionCountForTopic(topic));
  }

  @Override
  public void close() {}

  /** The producer properties that select this partitioner with {@code hasher}. */
  public static Map<String, Object> producerProperties(PartitionHasher hasher) {
    return Map.of(
        ProducerConfig.PARTITIONER_CLASS_CONFIG,
        TraceKeyPartitioner.class.getName(),
        HASHER_CONFIG,
        hasher.configName());
  }
}
