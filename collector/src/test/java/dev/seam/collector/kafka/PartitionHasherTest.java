package dev.seam.collector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PartitionHasherTest {

  /**
   * Expected partitions computed with franz-go v1.22.2 itself (the client inside the Collector's
   * kafka exporter v0.165.1): {@code kgo.SaramaCompatHasher(fnv32a)} for sarama_compat and {@code
   * kgo.StickyKeyPartitioner(nil)} (Kafka's murmur2) for murmur2, for 6, 7, 12 and 100 partitions.
   * Columns: key, FNV-1a, then sarama/murmur2 per partition count.
   */
  @ParameterizedTest
  @CsvSource(
      nullValues = "NULL",
      value = {
        "'',                                811c9dc5, 3, 3, 2, 2, 3,  9, 35, 81",
        "a,                                 e40c292c, 0, 4, 6, 5, 0,  4, 76, 24",
        "foobar,                            bf9cf968, 0, 0, 4, 0, 0,  6, 76, 66",
        "0af7651916cd43dd8448eb211c80319c,  c3efcb05, 1, 1, 5, 1, 7,  7, 99, 79",
        "4bf92f3577b34da6a3ce929d0e0e4736,  8b14acd2, 0, 2, 5, 4, 6,  2, 10, 38",
        "00000000000000000000000000000001,  efc862b2, 0, 4, 6, 2, 6, 10,  6, 18",
        "ffffffffffffffffffffffffffffffff,  ed928645, 3, 5, 4, 2, 3, 11, 75, 63",
        "5b8efff798038103d269b633813fc60c,  8f8991e7, 5, 4, 1, 2, 5,  4, 25, 20",
        "d4cda95b652f4a1592b449d5929fda1b,  e8abe37e, 4, 1, 6, 5, 10, 7, 90, 11",
        "80f198ee56343ba864fe8b2a57d3eff7,  d6056212, 2, 1, 0, 3, 2,  1, 86, 49",
      })
  void placesKeysWhereFranzGoPlacesThem(
      String key,
      String fnv,
      int s6,
      int m6,
      int s7,
      int m7,
      int s12,
      int m12,
      int s100,
      int m100) {
    byte[] k = key.getBytes(StandardCharsets.US_ASCII);
    assertEquals(Integer.parseUnsignedInt(fnv, 16), PartitionHasher.fnv1a(k));
    int[] counts = {6, 7, 12, 100};
    int[] sarama = {s6, s7, s12, s100};
    int[] murmur = {m6, m7, m12, m100};
    for (int i = 0; i < counts.length; i++) {
      assertEquals(
          sarama[i],
          PartitionHasher.SARAMA_COMPAT.partition(k, counts[i]),
          "sarama_compat, " + counts[i] + " partitions");
      assertEquals(
          murmur[i],
          PartitionHasher.MURMUR2.partition(k, counts[i]),
          "murmur2, " + counts[i] + " partitions");
      // murmur2 is exactly what the Java client does with a key and no partitioner set.
      assertEquals(
          BuiltInPartitioner.partitionForKey(k, counts[i]),
          PartitionHasher.MURMUR2.partition(k, counts[i]));
    }
    assertEquals(0, PartitionHasher.SARAMA_COMPAT.partition(k, 1));
    assertEquals(0, PartitionHasher.MURMUR2.partition(k, 1));
  }

  @Test
  void saramaNegatesANegativeRemainderWhereKafkaMasksTheSignBit() {
    // FNV-1a of the empty key is 0x811c9dc5, negative as an int: -2128831035 % 6 = -3 -> 3;
    // masking the sign bit instead, as Kafka does, would give 0x011c9dc5 % 6 = 5.
    assertEquals(3, PartitionHasher.SARAMA_COMPAT.partition(new byte[0], 6));
    assertEquals(5, (0x811c9dc5 & 0x7fffffff) % 6);
  }

  @Test
  void staysInRangeForEveryPartitionCount() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      byte[] k =
          String.format("%032x", i * 0x9e3779b97f4a7c15L).getBytes(StandardCharsets.US_ASCII);
      for (int n = 1; n <= 64; n++) {
        int s = PartitionHasher.SARAMA_COMPAT.partition(k, n);
        int m = PartitionHasher.MURMUR2.partition(k, n);
        assertTrue(
            s >= 0 && s < n && m >= 0 && m < n,
            "key " + i + ", " + n + " partitions: " + s + ", " + m);
      }
      seen.add(PartitionHasher.SARAMA_COMPAT.partition(k, 6));
    }
    assertEquals(6, seen.size(), "2000 keys reach all 6 partitions");
  }

  @Test
  void namesAreTheCollectorsAndUnknownOnesAreRefused() {
    assertEquals(PartitionHasher.SARAMA_COMPAT, PartitionHasher.fromConfigName("sarama_compat"));
    assertEquals(PartitionHasher.MURMUR2, PartitionHasher.fromConfigName(" Murmur2 "));
    assertEquals("sarama_compat", PartitionHasher.SARAMA_COMPAT.configName());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PartitionHasher.fromConfigName("fnv"));
    assertTrue(e.getMessage().contains("'fnv'"), e.getMessage());
  }

  @Test
  void partitionerHashesKeysOverAllPartitionsAndTakesAvailableOnesInTurnForUnkeyedRecords() {
    Node node = new Node(1, "127.0.0.1", 9092);
    // Six partitions, of which 1 and 4 have no leader right now.
    List<PartitionInfo> parts =
        List.of(
            new PartitionInfo("t", 0, node, new Node[] {node}, new Node[] {node}),
            new PartitionInfo("t", 1, null, new Node[] {node}, new Node[0]),
            new PartitionInfo("t", 2, node, new Node[] {node}, new Node[] {node}),
            new PartitionInfo("t", 3, node, new Node[] {node}, new Node[] {node}),
            new PartitionInfo("t", 4, null, new Node[] {node}, new Node[0]),
            new PartitionInfo("t", 5, node, new Node[] {node}, new Node[] {node}));
    Cluster cluster = new Cluster("c", List.of(node), parts, Set.of(), Set.of());
    byte[] key = "0af7651916cd43dd8448eb211c80319c".getBytes(StandardCharsets.US_ASCII);

    try (TraceKeyPartitioner p = new TraceKeyPartitioner()) {
      p.configure(Map.of());
      assertEquals(PartitionHasher.SARAMA_COMPAT, p.hasher());
      assertEquals(
          1,
          p.partition("t", null, key, null, null, cluster),
          "a keyed record goes to its partition even when it has no leader");
      assertEquals(
          3, p.partition("t", null, new byte[0], null, null, cluster), "the empty key is a key");
      List<Integer> unkeyed =
          List.of(
              p.partition("t", null, null, null, null, cluster),
              p.partition("t", null, null, null, null, cluster),
              p.partition("t", null, null, null, null, cluster),
              p.partition("t", null, null, null, null, cluster),
              p.partition("t", null, null, null, null, cluster));
      assertEquals(List.of(0, 2, 3, 5, 0), unkeyed);
    }
    try (TraceKeyPartitioner p = new TraceKeyPartitioner()) {
      p.configure(Map.of(TraceKeyPartitioner.HASHER_CONFIG, "murmur2"));
      assertEquals(PartitionHasher.MURMUR2, p.hasher());
      assertEquals(1, p.partition("t", null, key, null, null, cluster));
      assertEquals(3, p.partition("t", null, new byte[0], null, null, cluster));
    }
  }
}
