package dev.seam.collector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RevokedTracesTest {

  @Test
  void aTraceIsRevokedWhenItsKeyHashesToARevokedPartitionOfEitherTopic() {
    String[] topics = {"otlp_spans", "otlp_logs"};
    Map<String, Integer> counts = Map.of("otlp_spans", 6, "otlp_logs", 4);
    for (PartitionHasher hasher : PartitionHasher.values()) {
      RevokedTraces revoked =
          new RevokedTraces(
              hasher,
              topics,
              counts,
              List.of(
                  new TopicPartition("otlp_spans", 1),
                  new TopicPartition("otlp_spans", 4),
                  new TopicPartition("otlp_logs", 3)));
      Random random = new Random(7);
      int hits = 0;
      for (int i = 0; i < 2000; i++) {
        long high = random.nextLong();
        long low = random.nextLong();
        byte[] key = String.format("%016x%016x", high, low).getBytes(StandardCharsets.US_ASCII);
        int spans = hasher.partition(key, 6);
        int logs = hasher.partition(key, 4);
        boolean expected = spans == 1 || spans == 4 || logs == 3;
        assertEquals(
            expected, revoked.test(high, low), hasher + " " + HexFormat.of().formatHex(key));
        hits += expected ? 1 : 0;
      }
      assertEquals(
          2000 * (1 - (4.0 / 6) * (3.0 / 4)), hits, 100, hasher + ": about half the traces");
    }
  }
}
