package dev.seam.collector.kafka;

import java.util.Locale;
import org.apache.kafka.common.utils.Utils;

/**
 * How a record key picks its partition: the OpenTelemetry Collector's kafka exporter default
 * ({@link #SARAMA_COMPAT}) or the Apache Kafka Java client's default ({@link #MURMUR2}). Records of
 * one trace written by Seam and by a Collector land in one partition only when both use the same
 * one.
 */
public enum PartitionHasher {

  /**
   * 32-bit FNV-1a of the key, read as a signed int, remainder by the partition count, sign dropped:
   * what the Collector's exporter (franz-go's sarama-compatible hasher) does unless its {@code
   * record_partitioner.sticky_key.hasher} is set to {@code murmur2}.
   */
  SARAMA_COMPAT("sarama_compat") {
    @Override
    public int partition(byte[] key, int partitions) {
      int p = fnv1a(key) % partitions;
      return p < 0 ? -p : p;
    }
  },

  /**
   * Kafka's murmur2 of the key with the sign bit cleared, remainder by the partition count: the
   * Java client's default for keyed records, and the Collector's with {@code hasher: murmur2}.
   */
  MURMUR2("murmur2") {
    @Override
    public int partition(byte[] key, int partitions) {
      return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }
  };

  private static final int FNV_OFFSET_BASIS = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private final String configName;

  PartitionHasher(String configName) {
    this.configName = configName;
  }

  /**
   * The partition, in {@code [0, partitions)}, of a record with this key (an empty key is hashed
   * too; only a missing key is not).
   */
  public abstract int partition(byte[] key, int partitions);

  /**
   * The name in configuration, as the Collector spells it: {@code sarama_compat} or {@code
   * murmur2}.
   */
  public String configName() {
    return configName;
  }

  /** The hasher named {@code name} (case-insensitive), or {@code IllegalArgumentException}. */
  public static PartitionHasher fromConfigName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (PartitionHasher h : values()) {
      if (h.configName.equals(n)) {
        return h;
      }
    }
    throw new IllegalArgumentException(
        "partitioner must be sarama_compat or murmur2, got '" + name + "'");
  }

  /** 32-bit FNV-1a. */
  static int fnv1a(byte[] key) {
    int h = FNV_OFFSET_BASIS;
    for (byte b : key) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return h;
  }
}
