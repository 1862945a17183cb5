package dev.seam.collector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import dev.seam.collector.testing.DocumentedFamilies;
import dev.seam.collector.testing.FleetCalls;
import dev.seam.collector.testing.GrpcCall;
import dev.seam.collector.testing.KafkaBroker;
import dev.seam.collector.testing.MetricsDoc;
import dev.seam.collector.testing.OtelCollector;
import dev.seam.collector.testing.RunningSeam;
import dev.seam.collector.testing.Scrape;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.vertx.grpc.common.GrpcStatus;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seam as a Kafka consumer group and front tier, against a real broker (one for the class), a real
 * OpenTelemetry Collector writing with its kafka exporter, and real Kafka clients: exact counts for
 * what the Collector and Seam's receivers write, a record that does not decode, a backlog read
 * after a restart, a rebalance between two instances in the middle of calls, and a broker that
 * stops answering the front tier. Killing an instance is {@link KafkaFailoverIT}.
 *
 * <p>Each test has topics and a group of its own. Longer than most test classes: one broker start
 * is shared by every scenario.
 *
 * <p>Longer than most test classes: the fleet scenarios share one broker, whose start is the slow
 * part.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaFleetIT {

  private static final long MS = 1_000_000L;
  private static final int PARTITIONS = 6;
  private static final String TRACE_SERVICE =
      "opentelemetry.proto.collector.trace.v1.TraceService/Export";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final FleetCalls fleet = new FleetCalls(20261206);
  private KafkaBroker broker;

  @BeforeAll
  void startBroker() throws Exception {
    OtelCollector.binary();
    broker = KafkaBroker.start();
  }

  @AfterAll
  void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  /**
   * Topics {@code <name>_spans}, {@code _logs}, {@code _metrics}; returns the config layer for a
   * Seam in group {@code name}.
   */
  private String topics(String name, int partitions) throws Exception {
    for (String t : List.of("_spans", "_logs", "_metrics")) {
      broker.createTopic(name + t, partitions);
    }
    return String.join(
        "\n",
        "kafka:",
        "  brokers: ['" + broker.bootstrap() + "']",
        "  group: " + name,
        "  topics: {spans: "
            + name
            + "_spans, logs: "
            + name
            + "_logs, metrics: "
            + name
            + "_metrics}",
        "  initial-offset: earliest",
        "  session-timeout: 6s",
        "");
  }

  @Test
  void recordsTheCollectorsKafkaExporterWritesPairExactly(@TempDir Path dir) throws Exception {
    String kafka = topics("collector", PARTITIONS);
    int port = freePort();
    Path config = dir.resolve("otelcol.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "receivers:",
            "  otlp:",
            "    protocols:",
            "      http: {endpoint: 127.0.0.1:" + port + "}",
            "exporters:",
            "  kafka:",
            "    brokers: [" + broker.bootstrap() + "]",
            "    traces: {topic: collector_spans}",
            "    logs: {topic: collector_logs}",
            "    metrics: {topic: collector_metrics}",
            "    partition_traces_by_id: true",
            "    partition_logs_by_trace_id: true",
            "service:",
            "  telemetry:",
            "    metrics: {level: none}",
            "  pipelines:",
            "    traces: {receivers: [otlp], exporters: [kafka]}",
            "    logs: {receivers: [otlp], exporters: [kafka]}",
            "    metrics: {receivers: [otlp], exporters: [kafka]}",
            ""));
    try (OtelCollector collector = OtelCollector.start(config);
        RunningSeam seam = RunningSeam.start(kafka, "pairing: {window: 4s}\n")) {
      String base = "http://127.0.0.1:" + port;
      List<FleetCalls.Call> calls = fleet.calls(20);
      long t = System.currentTimeMillis() * MS;
      for (FleetCalls.Call c : calls) {
        assertEquals(
            200, post(base + "/v1/traces", c.callerExport(t).toByteArray()), collector.logTail(20));
      }
      for (int i = 0; i < 5; i++) {
        assertEquals(200, post(base + "/v1/logs", calls.get(i).calleeErrorLog(t).toByteArray()));
      }
      for (FleetCalls.Call c : calls) {
        assertEquals(200, post(base + "/v1/traces", c.calleeExport(t).toByteArray()));
      }
      assertEquals(200, post(base + "/v1/metrics", memory(42_000_000L).toByteArray()));

      Scrape s =
          seam.awaitScrape(
              Duration.ofSeconds(30),
              x ->
                  x.sum("seam_boundary_calls_total") >= 20
                      && x.sum("seam_boundary_error_logs_total") >= 5
                      && x.sum("seam_received_items_total", "signal", "metrics") >= 1);
      assertEquals(20, s.sum("seam_boundary_calls_total"), collector.logTail(20));
      assertEquals(
          20,
          s.value(
              "seam_boundary_calls_total",
              "caller_service",
              "gateway",
              "callee_service",
              "pricing",
              "transport",
              "http"));
      assertEquals(5, s.sum("seam_boundary_error_logs_total", "side", "callee"));
      assertEquals(
          42_000_000,
          s.value("seam_process_memory_bytes", "service", "pricing", "type", "resident"));
      assertEquals(
          40, s.value("seam_received_items_total", "signal", "spans", "protocol", "kafka"));
      assertEquals(5, s.value("seam_received_items_total", "signal", "logs", "protocol", "kafka"));
      assertEquals(
          1, s.value("seam_received_items_total", "signal", "metrics", "protocol", "kafka"));
      assertEquals(
          40,
          s.value("seam_kafka_records_total", "topic", "collector_spans", "outcome", "processed"),
          "one record per trace and export");
      assertEquals(
          PARTITIONS, s.value("seam_kafka_partitions_assigned", "topic", "collector_spans"));
      // The window passes: nothing is left unpaired.
      s = seam.awaitScrape(Duration.ofSeconds(20), x -> x.value("seam_pairing_pending") == 0);
      assertEquals(0, s.value("seam_pairing_pending"));
      assertEquals(0, s.sum("seam_boundary_unpaired_total"));
      assertEquals(20, s.sum("seam_boundary_calls_total"));
    }
  }

  @Test
  void theFrontTierAnswersOnceKafkaHasTheExportAndTheGroupCountsItOnce() throws Exception {
    String kafka = topics("front", PARTITIONS);
    try (RunningSeam seam =
        RunningSeam.start(kafka, "kafka: {produce: true}\npairing: {window: 4s}\n")) {
      List<FleetCalls.Call> calls = fleet.calls(30);
      long t = System.currentTimeMillis() * MS;
      // Callers over OTLP/HTTP, callees over OTLP/gRPC, and a log export with an error log.
      for (FleetCalls.Call c : calls) {
        HttpResponse<byte[]> r =
            seam.post(
                "/v1/traces", "application/x-protobuf", null, c.callerExport(t).toByteArray());
        assertEquals(200, r.statusCode());
      }
      for (FleetCalls.Call c : calls) {
        assertEquals(
            GrpcStatus.OK,
            GrpcCall.call(
                    seam.vertx(),
                    seam.grpcPort(),
                    TRACE_SERVICE,
                    "identity",
                    c.calleeExport(t).toByteArray())
                .status());
      }
      assertEquals(
          200,
          seam.post(
                  "/v1/logs",
                  "application/x-protobuf",
                  null,
                  calls.get(0).calleeErrorLog(t).toByteArray())
              .statusCode());
      Scrape s =
          seam.awaitScrape(
              Duration.ofSeconds(30),
              x ->
                  x.sum("seam_boundary_calls_total") >= 30
                      && x.sum("seam_boundary_error_logs_total") >= 1);
      assertEquals(30, s.sum("seam_boundary_calls_total"));
      assertEquals(1, s.sum("seam_boundary_error_logs_total"));
      assertEquals(
          60,
          s.value("seam_kafka_produced_records_total", "topic", "front_spans", "outcome", "acked"));
      assertEquals(
          1,
          s.value("seam_kafka_produced_records_total", "topic", "front_logs", "outcome", "acked"));
      assertEquals(0, s.sum("seam_kafka_produced_records_total", "outcome", "failed"));
      // Counted once: when consumed, not when received.
      assertEquals(60, s.sum("seam_received_items_total", "signal", "spans"));
      assertEquals(
          60, s.value("seam_received_items_total", "signal", "spans", "protocol", "kafka"));
      assertEquals(0, s.value("seam_received_items_total", "signal", "spans", "protocol", "http"));

      // Every Kafka family is exported, as docs/metrics.md documents it, under a constant's name.
      MetricsDoc doc =
          MetricsDoc.read(Path.of("").toAbsolutePath().getParent().resolve("docs/metrics.md"))
              .filtered(name -> name.startsWith("seam_kafka_"));
      assertEquals(8, doc.families().size());
      DocumentedFamilies.assertExported(s, doc, name -> name.startsWith("seam_kafka_"));
      DocumentedFamilies.assertConstantsNameTheFamilies(
          seam.seam().registry(),
          doc,
          name -> name.startsWith("seam.kafka."),
          KafkaMetricNames.class);
    }
  }

  @Test
  void aRecordThatDoesNotDecodeIsCountedAndSkippedAndItsPartitionGoesOn() throws Exception {
    String kafka = topics("garbage", 1);
    try (KafkaProducer<byte[], byte[]> producer = FleetCalls.producer(broker.bootstrap());
        RunningSeam seam = RunningSeam.start(kafka, "pairing: {window: 4s}\n")) {
      List<FleetCalls.Call> calls = fleet.calls(5);
      long t = System.currentTimeMillis() * MS;
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (FleetCalls.Call c : calls.subList(0, 2)) {
        FleetCalls.write(
            producer,
            "garbage_spans",
            TraceIdSplitter.SPANS,
            c.callerExport(t).toByteArray(),
            null,
            sent);
      }
      // Not an export request, and a record without a value, in the one partition.
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  "garbage_spans", new byte[] {1}, new byte[] {(byte) 0xff, 0x7f, 0x01})));
      sent.add(producer.send(new ProducerRecord<>("garbage_spans", new byte[] {2}, null)));
      for (FleetCalls.Call c : calls.subList(2, 5)) {
        FleetCalls.write(
            producer,
            "garbage_spans",
            TraceIdSplitter.SPANS,
            c.callerExport(t).toByteArray(),
            null,
            sent);
      }
      for (FleetCalls.Call c : calls) {
        FleetCalls.write(
            producer,
            "garbage_spans",
            TraceIdSplitter.SPANS,
            c.calleeExport(t).toByteArray(),
            null,
            sent);
      }
      for (Future<RecordMetadata> f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
      Scrape s =
          seam.awaitScrape(
              Duration.ofSeconds(30),
              // The record counter moves after its spans are handed on, so a scrape can see every
              // call before the last records are counted: wait for all twelve records.
              x ->
                  x.sum("seam_boundary_calls_total") >= 5
                      && x.sum("seam_kafka_records_total") >= 12);
      assertEquals(5, s.sum("seam_boundary_calls_total"));
      assertEquals(
          2,
          s.value("seam_kafka_records_total", "topic", "garbage_spans", "outcome", "undecodable"));
      assertEquals(
          10,
          s.value("seam_kafka_records_total", "topic", "garbage_spans", "outcome", "processed"));
      assertEquals(
          2,
          s.value(
              "seam_refused_requests_total",
              "signal",
              "spans",
              "protocol",
              "kafka",
              "reason",
              "undecodable"));
      assertEquals(
          10, s.value("seam_received_items_total", "signal", "spans", "protocol", "kafka"));
    }
  }

  @Test
  void aBacklogReadAfterARestartPairsAsItWouldHaveLive() throws Exception {
    String kafka = topics("backlog", 3);
    // Two minutes of traffic written while no Seam runs, stamped as it happened: 30 calls whose
    // callee answered within a second, and 5 whose callee reported 8 s after its caller (beyond
    // the 4 s window). Live, the 5 would be unpaired; read in a burst on the wall clock, they
    // would pair.
    List<FleetCalls.Call> quick = fleet.calls(30);
    List<FleetCalls.Call> late = fleet.calls(5);
    long base = System.currentTimeMillis() - 120_000;
    record Stamped(long millis, byte[] export) {}
    List<Stamped> writes = new ArrayList<>();
    for (int i = 0; i < quick.size(); i++) {
      long at = base + i * 3_000L;
      writes.add(new Stamped(at, quick.get(i).callerExport(at * MS).toByteArray()));
      writes.add(new Stamped(at + 700, quick.get(i).calleeExport(at * MS).toByteArray()));
    }
    for (int i = 0; i < late.size(); i++) {
      long at = base + 5_000L + i * 17_000L;
      writes.add(new Stamped(at, late.get(i).callerExport(at * MS).toByteArray()));
      writes.add(new Stamped(at + 8_000, late.get(i).calleeExport(at * MS).toByteArray()));
    }
    writes.sort((a, b) -> Long.compare(a.millis(), b.millis()));
    try (KafkaProducer<byte[], byte[]> producer = FleetCalls.producer(broker.bootstrap())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (Stamped w : writes) {
        FleetCalls.write(
            producer, "backlog_spans", TraceIdSplitter.SPANS, w.export(), w.millis(), sent);
      }
      for (Future<RecordMetadata> f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    }
    long started = System.nanoTime();
    try (RunningSeam seam = RunningSeam.start(kafka, "pairing: {window: 4s}\n")) {
      Scrape s =
          seam.awaitScrape(
              Duration.ofSeconds(30),
              x -> x.sum("seam_kafka_records_total") >= 70 && x.value("seam_pairing_pending") == 0);
      System.out.printf(
          "backlog of 70 records over 2 minutes of event time read and paired in %.1f s%n",
          (System.nanoTime() - started) / 1e9);
      assertEquals(70, s.sum("seam_kafka_records_total", "outcome", "processed"));
      assertEquals(
          30, s.sum("seam_boundary_calls_total"), "the calls that paired live pair, and only they");
      assertEquals(
          5, s.sum("seam_boundary_unpaired_total", "side", "caller", "reason", "callee_missing"));
      assertEquals(
          5, s.sum("seam_boundary_unpaired_total", "side", "callee", "reason", "caller_missing"));
      assertEquals(0, s.value("seam_pairing_pending"));
      assertTrue(
          s.value("seam_kafka_event_time_lag_seconds") < 5,
          "caught up: event time is the wall clock again");
    }
  }

  @Test
  void twoInstancesRebalancingInTheMiddleOfCallsCountEachCallOnce() throws Exception {
    String kafka = topics("rebalance", PARTITIONS);
    String layer = "pairing: {window: 10s}\n";
    List<FleetCalls.Call> whole = fleet.calls(40);
    List<FleetCalls.Call> split = fleet.calls(30);
    List<FleetCalls.Call> after = fleet.calls(20);
    try (KafkaProducer<byte[], byte[]> producer = FleetCalls.producer(broker.bootstrap());
        RunningSeam a = RunningSeam.start(kafka, layer)) {
      long t = System.currentTimeMillis() * MS;
      // Before: whole calls, and the callers of calls whose callees report after the rebalance.
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      int records = 0;
      for (FleetCalls.Call c : whole) {
        records +=
            FleetCalls.write(
                producer,
                "rebalance_spans",
                TraceIdSplitter.SPANS,
                c.callerExport(t).toByteArray(),
                null,
                sent);
        records +=
            FleetCalls.write(
                producer,
                "rebalance_spans",
                TraceIdSplitter.SPANS,
                c.calleeExport(t).toByteArray(),
                null,
                sent);
      }
      for (FleetCalls.Call c : split) {
        records +=
            FleetCalls.write(
                producer,
                "rebalance_spans",
                TraceIdSplitter.SPANS,
                c.callerExport(t).toByteArray(),
                null,
                sent);
      }
      await(sent);
      int before = records;
      a.awaitScrape(
          Duration.ofSeconds(30),
          x -> x.sum("seam_kafka_records_total", "outcome", "processed") >= before);

      try (RunningSeam b = RunningSeam.start(kafka, layer)) {
        Predicate<Scrape[]> settled =
            x ->
                x[0].value("seam_kafka_partitions_assigned", "topic", "rebalance_spans") > 0
                    && x[1].value("seam_kafka_partitions_assigned", "topic", "rebalance_spans") > 0
                    && x[0].value("seam_kafka_partitions_assigned", "topic", "rebalance_spans")
                            + x[1].value(
                                "seam_kafka_partitions_assigned", "topic", "rebalance_spans")
                        == PARTITIONS;
        awaitBoth(a, b, Duration.ofSeconds(30), settled);
        // After: the split calls' callees, and new whole calls.
        sent.clear();
        for (FleetCalls.Call c : split) {
          records +=
              FleetCalls.write(
                  producer,
                  "rebalance_spans",
                  TraceIdSplitter.SPANS,
                  c.calleeExport(t).toByteArray(),
                  null,
                  sent);
        }
        for (FleetCalls.Call c : after) {
          records +=
              FleetCalls.write(
                  producer,
                  "rebalance_spans",
                  TraceIdSplitter.SPANS,
                  c.callerExport(t).toByteArray(),
                  null,
                  sent);
          records +=
              FleetCalls.write(
                  producer,
                  "rebalance_spans",
                  TraceIdSplitter.SPANS,
                  c.calleeExport(t).toByteArray(),
                  null,
                  sent);
        }
        await(sent);
        int expected = whole.size() + split.size() + after.size();
        Scrape[] s =
            awaitBoth(
                a,
                b,
                Duration.ofSeconds(30),
                x ->
                    x[0].sum("seam_boundary_calls_total") + x[1].sum("seam_boundary_calls_total")
                        >= expected);
        // The window passes everywhere: nothing more is counted, and nothing is left unpaired.
        s =
            awaitBoth(
                a,
                b,
                Duration.ofSeconds(30),
                x ->
                    x[0].value("seam_pairing_pending") == 0
                        && x[1].value("seam_pairing_pending") == 0);
        assertEquals(
            expected,
            s[0].sum("seam_boundary_calls_total") + s[1].sum("seam_boundary_calls_total"),
            "each call counted once over both");
        assertEquals(
            0, s[0].sum("seam_boundary_unpaired_total") + s[1].sum("seam_boundary_unpaired_total"));
        assertTrue(
            s[0].sum("seam_kafka_handed_over_halves_total") > 0,
            "a handed its pending halves over");
        assertTrue(
            s[0].sum("seam_kafka_replayed_pairs_total")
                    + s[1].sum("seam_kafka_replayed_pairs_total")
                > 0,
            "calls a had counted came back with its partitions and were not counted again");
        assertEquals(
            records,
            s[0].sum("seam_kafka_records_total", "outcome", "processed")
                + s[1].sum("seam_kafka_records_total", "outcome", "processed"),
            "every record read once for the first time");
        assertTrue(s[0].value("seam_kafka_rebalances_total", "change", "revoked") >= 1);
      }
    }
  }

  @Test
  void whenKafkaStopsAnsweringTheFrontTierPushesBackAndLosesNothing() throws Exception {
    String kafka = topics("paused", PARTITIONS);
    try (RunningSeam seam =
        RunningSeam.start(
            kafka, "kafka: {produce: true, produce-timeout: 1500ms}\npairing: {window: 20s}\n")) {
      List<FleetCalls.Call> first = fleet.calls(5);
      long t = System.currentTimeMillis() * MS;
      for (FleetCalls.Call c : first) {
        assertEquals(
            200,
            seam.post("/v1/traces", "application/x-protobuf", null, c.callerExport(t).toByteArray())
                .statusCode());
      }
      broker.pause();
      List<FleetCalls.Call> during = fleet.calls(20);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        // Plain requests see the push-back: 503 with Retry-After, UNAVAILABLE with RetryInfo.
        HttpResponse<byte[]> r =
            seam.post(
                "/v1/traces",
                "application/x-protobuf",
                null,
                during.get(0).callerExport(t).toByteArray());
        assertEquals(503, r.statusCode());
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
        GrpcCall.Result g =
            GrpcCall.call(
                seam.vertx(),
                seam.grpcPort(),
                TRACE_SERVICE,
                "identity",
                during.get(0).calleeExport(t).toByteArray());
        assertEquals(GrpcStatus.UNAVAILABLE, g.status(), g.message());
        Status details = Status.parseFrom(Base64.getDecoder().decode(g.statusDetailsBin()));
        assertEquals(1, details.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds());

        // Exporters that retry while Kafka is away: every export ends accepted.
        List<Future<Integer>> exports = new ArrayList<>();
        for (FleetCalls.Call c : during) {
          exports.add(pool.submit(() -> retrying(seam, c.callerExport(t).toByteArray())));
          exports.add(pool.submit(() -> retrying(seam, c.calleeExport(t).toByteArray())));
        }
        for (FleetCalls.Call c : first) {
          exports.add(pool.submit(() -> retrying(seam, c.calleeExport(t).toByteArray())));
        }
        Thread.sleep(3_000);
        broker.resume();
        int refusals = 0;
        for (Future<Integer> f : exports) {
          refusals += f.get(60, TimeUnit.SECONDS);
        }
        assertTrue(refusals > 0, "the exporters were pushed back while Kafka was away");
      } finally {
        broker.resume();
        pool.shutdownNow();
      }
      int expected = first.size() + during.size();
      Scrape s =
          seam.awaitScrape(
              Duration.ofSeconds(30), x -> x.sum("seam_boundary_calls_total") >= expected);
      Thread.sleep(1_000);
      s = seam.scrape();
      assertEquals(
          expected,
          s.sum("seam_boundary_calls_total"),
          "every call once: nothing accepted was lost, a retried duplicate is not a call");
      assertTrue(
          s.value(
                  "seam_refused_requests_total",
                  "signal",
                  "spans",
                  "protocol",
                  "http",
                  "reason",
                  "unavailable")
              >= 1);
      assertTrue(s.sum("seam_kafka_produced_records_total", "outcome", "failed") >= 1);
    }
  }

  /**
   * POSTs an export until it is accepted, waiting Retry-After between tries; returns how often it
   * was refused.
   */
  private static int retrying(RunningSeam seam, byte[] export) throws Exception {
    for (int refused = 0; refused < 30; refused++) {
      HttpResponse<byte[]> r = seam.post("/v1/traces", "application/x-protobuf", null, export);
      if (r.statusCode() == 200) {
        return refused;
      }
      assertEquals(503, r.statusCode());
      Thread.sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()));
    }
    throw new AssertionError("an export was refused 30 times");
  }

  private static void await(List<Future<RecordMetadata>> sent) throws Exception {
    for (Future<RecordMetadata> f : sent) {
      f.get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Scrapes both until {@code condition} holds or {@code timeout} passes; returns the last scrapes.
   */
  private static Scrape[] awaitBoth(
      RunningSeam a, RunningSeam b, Duration timeout, Predicate<Scrape[]> condition)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Scrape[] s = {a.scrape(), b.scrape()};
    while (!condition.test(s) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      s = new Scrape[] {a.scrape(), b.scrape()};
    }
    return s;
  }

  private static ExportMetricsServiceRequest memory(long bytes) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(FleetCalls.PRICING)
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .addMetrics(
                            Metric.newBuilder()
                                .setName("process.memory.usage")
                                .setUnit("By")
                                .setGauge(
                                    Gauge.newBuilder()
                                        .addDataPoints(
                                            NumberDataPoint.newBuilder().setAsInt(bytes))))))
        .build();
  }

  private int post(String url, byte[] body) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
