package dev.seam.collector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seam.collector.testing.FleetCalls;
import dev.seam.collector.testing.KafkaBroker;
import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seam's Kafka clients log in with SASL/PLAIN from {@code kafka.sasl.*}: against a real broker that
 * requires it, the front tier writes and the group reads with the right password, and an instance
 * with a wrong one cannot write (its exports are answered 503, to be retried).
 */
class KafkaSaslIT {

  private static final long MS = 1_000_000L;

  @Test
  void theClientsLogInWithSaslPlain(@TempDir Path dir) throws Exception {
    try (KafkaBroker broker = KafkaBroker.startWithSaslPlain("seam", "seam-secret")) {
      for (String t : List.of("sasl_spans", "sasl_logs", "sasl_metrics")) {
        broker.createTopic(t, 3);
      }
      Path password = dir.resolve("password");
      Files.writeString(password, "seam-secret\n");
      String kafka =
          String.join(
              "\n",
              "kafka:",
              "  brokers: ['" + broker.bootstrap() + "']",
              "  group: sasl",
              "  topics: {spans: sasl_spans, logs: sasl_logs, metrics: sasl_metrics}",
              "  initial-offset: earliest",
              "  produce: true",
              "  produce-timeout: 2s",
              "");
      List<FleetCalls.Call> calls = new FleetCalls(20261208).calls(10);
      long t = System.currentTimeMillis() * MS;
      try (RunningSeam seam =
          RunningSeam.start(
              kafka,
              "kafka: {sasl: {mechanism: PLAIN, username: seam, password-file: '"
                  + password
                  + "'}}\n")) {
        for (FleetCalls.Call c : calls) {
          assertEquals(
              200,
              seam.post(
                      "/v1/traces", "application/x-protobuf", null, c.callerExport(t).toByteArray())
                  .statusCode());
          assertEquals(
              200,
              seam.post(
                      "/v1/traces", "application/x-protobuf", null, c.calleeExport(t).toByteArray())
                  .statusCode());
        }
        // Calls are counted while a record is processed, its items once it is done: wait for both.
        Scrape s =
            seam.awaitScrape(
                Duration.ofSeconds(30),
                x ->
                    x.sum("seam_boundary_calls_total") >= 10
                        && x.sum("seam_received_items_total", "protocol", "kafka") >= 20);
        assertEquals(10, s.sum("seam_boundary_calls_total"));
        assertEquals(
            20, s.value("seam_received_items_total", "signal", "spans", "protocol", "kafka"));
      }
      try (RunningSeam wrong =
          RunningSeam.start(
              kafka,
              "kafka: {group: sasl-wrong, sasl: {mechanism: PLAIN, username: seam, password:"
                  + " not-it}}\n")) {
        assertEquals(
            503,
            wrong
                .post(
                    "/v1/traces",
                    "application/x-protobuf",
                    null,
                    calls.get(0).callerExport(t).toByteArray())
                .statusCode());
        Scrape s = wrong.scrape();
        assertEquals(
            1,
            s.value(
                "seam_refused_requests_total",
                "signal",
                "spans",
                "protocol",
                "http",
                "reason",
                "unavailable"));
        assertEquals(0, s.sum("seam_kafka_produced_records_total", "outcome", "acked"));
      }
    }
  }
}
