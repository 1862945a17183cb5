package dev.seam.collector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.testing.FleetCalls;
import dev.seam.collector.testing.KafkaBroker;
import dev.seam.collector.testing.Scrape;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Seam instances run from the shaded jar as separate processes in one consumer group; one is
 * killed with SIGKILL while it holds halves of calls whose other halves have not been written yet.
 * Once the group has given its partitions to the other, every call is counted exactly once over
 * both instances' /metrics (the killed one's last scrape, taken with no record in flight), none
 * twice and none left unpaired.
 */
class KafkaFailoverIT {

  private static final String JAR = System.getProperty("seam.jar", "target/seam-collector.jar");
  private static final long MS = 1_000_000L;
  private static final int PARTITIONS = 6;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One Seam process and its metrics port. */
  private record Instance(Process process, int metrics, Path log) {}

  @Test
  void aKilledInstancesPartitionsAreTakenOverAndNoCallIsCountedTwice(@TempDir Path dir)
      throws Exception {
    FleetCalls fleet = new FleetCalls(20261207);
    try (KafkaBroker broker = KafkaBroker.start()) {
      for (String t : List.of("failover_spans", "failover_logs", "failover_metrics")) {
        broker.createTopic(t, PARTITIONS);
      }
      Instance a = start(dir, "a", broker);
      Instance b = start(dir, "b", broker);
      try (KafkaProducer<byte[], byte[]> producer = FleetCalls.producer(broker.bootstrap())) {
        awaitAll(
            Duration.ofSeconds(60),
            s ->
                s[0].value("seam_kafka_partitions_assigned", "topic", "failover_spans")
                        == PARTITIONS / 2
                    && s[1].value("seam_kafka_partitions_assigned", "topic", "failover_spans")
                        == PARTITIONS / 2,
            a,
            b);

        // Whole calls, and callers whose callees report only after b is gone.
        List<FleetCalls.Call> whole = fleet.calls(40);
        List<FleetCalls.Call> split = fleet.calls(30);
        List<FleetCalls.Call> after = fleet.calls(20);
        long t = System.currentTimeMillis() * MS;
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        int records = 0;
        for (FleetCalls.Call c : whole) {
          records +=
              FleetCalls.write(
                  producer,
                  "failover_spans",
                  TraceIdSplitter.SPANS,
                  c.callerExport(t).toByteArray(),
                  null,
                  sent);
          records +=
              FleetCalls.write(
                  producer,
                  "failover_spans",
                  TraceIdSplitter.SPANS,
                  c.calleeExport(t).toByteArray(),
                  null,
                  sent);
        }
        for (FleetCalls.Call c : split) {
          records +=
              FleetCalls.write(
                  producer,
                  "failover_spans",
                  TraceIdSplitter.SPANS,
                  c.callerExport(t).toByteArray(),
                  null,
                  sent);
        }
        await(sent);
        int before = records;
        Scrape[] s =
            awaitAll(
                Duration.ofSeconds(30),
                x ->
                    x[0].sum("seam_kafka_records_total") + x[1].sum("seam_kafka_records_total")
                            >= before
                        && x[0].sum("seam_boundary_calls_total")
                                + x[1].sum("seam_boundary_calls_total")
                            >= whole.size(),
                a,
                b);
        assertEquals(
            whole.size(),
            s[0].sum("seam_boundary_calls_total") + s[1].sum("seam_boundary_calls_total"));
        // A few polls, so that b's latest offsets are committed; then its last scrape, and SIGKILL.
        Thread.sleep(1_000);
        Scrape last = scrape(b);
        double bCalls = last.sum("seam_boundary_calls_total");
        assertTrue(last.value("seam_pairing_pending") > 0, "b holds halves when it is killed");
        b.process().destroyForcibly();
        assertTrue(b.process().waitFor(10, TimeUnit.SECONDS));
        long killed = System.nanoTime();

        // The group notices (session timeout 6 s) and gives a everything.
        awaitAll(
            Duration.ofSeconds(30),
            x ->
                x[0].value("seam_kafka_partitions_assigned", "topic", "failover_spans")
                    == PARTITIONS,
            a);
        System.out.printf(
            "the group gave the killed instance's partitions to the other %.1f s after SIGKILL%n",
            (System.nanoTime() - killed) / 1e9);
        sent.clear();
        for (FleetCalls.Call c : split) {
          records +=
              FleetCalls.write(
                  producer,
                  "failover_spans",
                  TraceIdSplitter.SPANS,
                  c.calleeExport(t).toByteArray(),
                  null,
                  sent);
        }
        for (FleetCalls.Call c : after) {
          records +=
              FleetCalls.write(
                  producer,
                  "failover_spans",
                  TraceIdSplitter.SPANS,
                  c.callerExport(t).toByteArray(),
                  null,
                  sent);
          records +=
              FleetCalls.write(
                  producer,
                  "failover_spans",
                  TraceIdSplitter.SPANS,
                  c.calleeExport(t).toByteArray(),
                  null,
                  sent);
        }
        await(sent);
        int expected = whole.size() + split.size() + after.size();
        awaitAll(
            Duration.ofSeconds(30),
            x -> x[0].sum("seam_boundary_calls_total") + bCalls >= expected,
            a);
        // Every window passes: nothing more is counted and nothing is left unpaired.
        Scrape end =
            awaitAll(Duration.ofSeconds(40), x -> x[0].value("seam_pairing_pending") == 0, a)[0];
        assertEquals(0, end.value("seam_pairing_pending"), Files.readString(a.log()));
        assertEquals(
            expected,
            end.sum("seam_boundary_calls_total") + bCalls,
            "each call counted exactly once over both instances");
        assertEquals(
            0, end.sum("seam_boundary_unpaired_total") + last.sum("seam_boundary_unpaired_total"));
        assertTrue(
            end.sum("seam_kafka_replayed_pairs_total") > 0,
            "calls b had counted came back with its partitions and were not counted again");
        assertTrue(end.sum("seam_kafka_records_total", "outcome", "replayed") > 0);
      } finally {
        a.process().destroy();
        b.process().destroyForcibly();
        assertTrue(a.process().waitFor(30, TimeUnit.SECONDS), "a stops on SIGTERM");
        String out = Files.readString(a.log(), StandardCharsets.UTF_8);
        assertTrue(out.contains("seam: stopped"), out);
      }
    }
  }

  private Instance start(Path dir, String name, KafkaBroker broker) throws IOException {
    int metrics = freePort();
    Path config = dir.resolve(name + ".yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "receivers:",
            "  otlp:",
            "    grpc: {enabled: false}",
            "    http: {enabled: false}",
            "metrics: {host: 127.0.0.1, port: " + metrics + "}",
            "pairing: {window: 20s}",
            "kafka:",
            "  brokers: ['" + broker.bootstrap() + "']",
            "  group: failover",
            "  client-id: seam-" + name,
            "  topics: {spans: failover_spans, logs: failover_logs, metrics: failover_metrics}",
            "  initial-offset: earliest",
            "  session-timeout: 6s",
            ""));
    Path log = dir.resolve(name + ".log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                JAR,
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new Instance(p, metrics, log);
  }

  private Scrape scrape(Instance i) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + i.metrics() + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return new Scrape(r.body());
  }

  /**
   * Scrapes the instances until {@code condition} holds; fails with their logs after {@code
   * timeout}.
   */
  private Scrape[] awaitAll(Duration timeout, Predicate<Scrape[]> condition, Instance... instances)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Scrape[] s = new Scrape[instances.length];
      try {
        for (int i = 0; i < instances.length; i++) {
          s[i] = scrape(instances[i]);
        }
        if (condition.test(s)) {
          return s;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        StringBuilder logs = new StringBuilder();
        for (Instance i : instances) {
          logs.append(Files.readString(i.log(), StandardCharsets.UTF_8));
        }
        throw new AssertionError("not within " + timeout + "\n" + logs);
      }
      Thread.sleep(100);
    }
  }

  private static void await(List<Future<RecordMetadata>> sent) throws Exception {
    for (Future<RecordMetadata> f : sent) {
      f.get(30, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
