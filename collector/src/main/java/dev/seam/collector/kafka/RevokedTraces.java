package dev.seam.collector.kafka;

import dev.seam.collector.pair.TraceIdPredicate;
import java.util.BitSet;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The traces whose records are in partitions this instance gives up: a trace's key (its id as 32
 * hex digits, as producers key it) goes to the partition the configured hasher picks among the
 * topic's partitions. Not thread-safe (one key buffer); {@link
 * dev.seam.collector.pair.PairingStore#forget} calls it from one thread.
 */
final class RevokedTraces implements TraceIdPredicate {

  private final PartitionHasher hasher;
  private final byte[] key = new byte[32];
  private final int[] counts;
  private final BitSet[] revoked;

  /**
   * @param topics the topics whose traces are held (spans and logs)
   * @param partitionCounts partitions of each of those topics
   * @param partitions the partitions given up
   */
  RevokedTraces(
      PartitionHasher hasher,
      String[] topics,
      Map<String, Integer> partitionCounts,
      Collection<TopicPartition> partitions) {
    this.hasher = hasher;
    this.counts = new int[topics.length];
    this.revoked = new BitSet[topics.length];
    for (int t = 0; t < topics.length; t++) {
      counts[t] = partitionCounts.getOrDefault(topics[t], 0);
      revoked[t] = new BitSet();
      for (TopicPartition tp : partitions) {
        if (tp.topic().equals(topics[t])) {
          revoked[t].set(tp.partition());
        }
      }
    }
  }

  @Override
  public boolean test(long traceIdHigh, long traceIdLow) {
    TraceIdSplitter.hexKey(traceIdHigh, traceIdLow, key);
    for (int t = 0; t < counts.length; t++) {
      if (counts[t] > 0
          && !revoked[t].isEmpty()
          && revoked[t].get(hasher.partition(key, counts[t]))) {
        return true;
      }
    }
    return false;
  }
}
