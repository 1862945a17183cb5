package dev.seam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The workload makes, byte for byte, the requests it made before its classes were split: the
 * digests below were computed from the single-class Workload, with the wall clock fixed at {@link
 * #NOW} (and checked against the untouched original run under a frozen system clock).
 */
class WorkloadDigestTest {

  static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");

  @Test
  void requestsAreTheOnesTheOriginalWorkloadMade() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("traces", "015a485721d46e2077637a8a0f73d9cea166cbcd3a375e540689d11024ed8ca8");
    expected.put("logs", "4eb96627f80895880cbf4968cf45d9be4d535590d525c71ca06f4fe9fbb397dc");
    expected.put("callerOnly", "181694c7dd2cf3edf6943d97023e7aeaf371ff39ec3dbbc3587d6bb8e7be5e63");
    expected.put("probe", "336fdcb00f899e8fb12b4f4fe008505a122ec22aad8f47265d182be6796b4800");
    expected.put("json", "773b5a80cff23885318787854fba95d441788c4455afa5a18fdc9fcd9045e585");
    expected.put("shape", "0b2552d420ad0e676d99b4cd0f589db9ad25e4cffd51f39d16f6ed5b4fd90b26");

    assertEquals(
        expected, WorkloadDigests.compute((seed, spans) -> new Workload(seed, spans, clock)));
  }
}
