package dev.seam.collector.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.seam.collector.testing.KafkaBroker;
import dev.seam.collector.testing.OtelCollector;
import dev.seam.collector.testing.Otlp;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that Seam reads and writes records the way the OpenTelemetry Collector does: a real
 * Collector (the kafka exporter, v0.165.1) writes crafted OTLP exports into a real Kafka broker,
 * partitioned by trace id into six partitions, and every record must have the key, the value and
 * the partition that {@link TraceIdSplitter} and {@link PartitionHasher} compute for the same
 * export: with the Collector's default hasher and with {@code murmur2}. Seam's own producer ({@link
 * KafkaConfig#producerProperties()}) must put every trace where the Collector puts it.
 *
 * <p>Longer than most test classes: the cases share one broker and one OpenTelemetry Collector,
 * whose starts are the slow part.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectorKafkaExporterIT {

  private static final int PARTITIONS = 6;
  private static final String SPANS = "otlp_spans";
  private static final String SPANS_MURMUR2 = "otlp_spans_murmur2";
  private static final String LOGS = "otlp_logs";
  private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(60);

  /** The scope of the mixed-fleet test's spans, whose records the other trace test leaves out. */
  private static final String MIXED_FLEET = "mixed-fleet";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Random random = new Random(20261205);
  private KafkaBroker broker;
  private OtelCollector collector;
  private int otlpHttpPort;

  @BeforeAll
  void startBrokerAndCollector(@TempDir Path dir) throws Exception {
    // Built first: a machine that cannot build the Collector fails here, loudly.
    OtelCollector.binary();
    broker = KafkaBroker.start();
    broker.createTopic(SPANS, PARTITIONS);
    broker.createTopic(SPANS_MURMUR2, PARTITIONS);
    broker.createTopic(LOGS, PARTITIONS);
    otlpHttpPort = freePort();
    Path config = dir.resolve("otelcol.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "receivers:",
            "  otlp:",
            "    protocols:",
            "      http:",
            "        endpoint: 127.0.0.1:" + otlpHttpPort,
            "exporters:",
            "  kafka:",
            "    brokers: [" + broker.bootstrap() + "]",
            "    partition_traces_by_id: true",
            "    partition_logs_by_trace_id: true",
            "  kafka/murmur2:",
            "    brokers: [" + broker.bootstrap() + "]",
            "    traces: {topic: " + SPANS_MURMUR2 + "}",
            "    partition_traces_by_id: true",
            "    record_partitioner: {sticky_key: {hasher: murmur2}}",
            "service:",
            "  telemetry:",
            "    metrics: {level: none}",
            "  pipelines:",
            "    traces: {receivers: [otlp], exporters: [kafka, kafka/murmur2]}",
            "    logs: {receivers: [otlp], exporters: [kafka]}",
            ""));
    collector = OtelCollector.start(config);
  }

  @AfterAll
  void stop() throws Exception {
    if (collector != null) {
      collector.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void traceRecordsHaveTheSplittersKeysAndValuesAndThePartitionersPartitions() throws Exception {
    List<String> traces = IntStream.range(0, 30).mapToObj(i -> randomHex(16)).toList();
    // Interleaved traces, a trace in two scopes and in two resources, a span without a trace id.
    ExportTraceServiceRequest first =
        Otlp.traces(
            ResourceSpans.newBuilder()
                .setResource(Otlp.resource("gateway", "go"))
                .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
                .addScopeSpans(
                    scope(
                        "otelhttp",
                        span(traces.get(0)),
                        span(traces.get(1)),
                        span(traces.get(0)),
                        span(traces.get(2)),
                        span(traces.get(3)),
                        span(traces.get(1))))
                .addScopeSpans(scope("otelgrpc", span(traces.get(0)), span(traces.get(4))))
                .build(),
            ResourceSpans.newBuilder()
                .setResource(Otlp.resource("pricing", "rust"))
                .addScopeSpans(
                    scope(
                        "tracing",
                        span(traces.get(4)),
                        span(traces.get(5)),
                        span(""),
                        span(traces.get(4))))
                .build());
    ScopeSpans.Builder many =
        ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("batch"));
    for (int i = 0; i < 120; i++) {
      many.addSpans(span(traces.get(6 + i % 24)));
    }
    ExportTraceServiceRequest second =
        Otlp.traces(
            ResourceSpans.newBuilder()
                .setResource(Otlp.resource("ledger", "go"))
                .addScopeSpans(many)
                .build());
    List<ExportTraceServiceRequest> sent = List.of(first, second);
    for (ExportTraceServiceRequest r : sent) {
      assertEquals(200, post("/v1/traces", r.toByteArray()), "the Collector accepts the export");
    }

    List<KeyedRecord> expected = new ArrayList<>();
    for (ExportTraceServiceRequest r : sent) {
      expected.addAll(TraceIdSplitter.SPANS.split(r.toByteArray()));
    }
    assertEquals(9 + 24, expected.size(), "records the splitter makes of the two exports");
    for (String topic : List.of(SPANS, SPANS_MURMUR2)) {
      PartitionHasher hasher =
          topic.equals(SPANS) ? PartitionHasher.SARAMA_COMPAT : PartitionHasher.MURMUR2;
      List<ConsumerRecord<byte[], byte[]>> records = consume(topic, expected.size());
      Set<Integer> partitions = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> rec : records) {
        assertNotNull(rec.key(), topic + ": every trace record has a key");
        ExportTraceServiceRequest value = ExportTraceServiceRequest.parseFrom(rec.value());
        assertEquals(1, value.getResourceSpansCount(), topic + ": one resource per record");
        assertEquals(
            1, value.getResourceSpans(0).getScopeSpansCount(), topic + ": one scope per record");
        for (Span s : value.getResourceSpans(0).getScopeSpans(0).getSpansList()) {
          assertEquals(
              new String(rec.key(), StandardCharsets.US_ASCII),
              hex(s.getTraceId()),
              topic + ": the key is the record's only trace id");
        }
        assertEquals(
            hasher.partition(rec.key(), PARTITIONS),
            rec.partition(),
            topic
                + ": record with key '"
                + new String(rec.key(), StandardCharsets.US_ASCII)
                + "' is where "
                + hasher.configName()
                + " puts it");
        assertEquals(
            0, rec.headers().toArray().length, topic + ": the exporter adds no headers by default");
        partitions.add(rec.partition());
      }
      assertTrue(partitions.size() >= 4, topic + ": 30 trace ids spread over " + partitions);
      assertEquals(
          decoded(expected, ExportTraceServiceRequest::parseFrom),
          decoded(keyed(records), ExportTraceServiceRequest::parseFrom),
          topic + ": the records are exactly the splitter's, keys and requests");
    }
    long differ =
        traces.stream()
            .map(t -> t.getBytes(StandardCharsets.US_ASCII))
            .filter(
                k ->
                    PartitionHasher.SARAMA_COMPAT.partition(k, PARTITIONS)
                        != PartitionHasher.MURMUR2.partition(k, PARTITIONS))
            .count();
    assertTrue(
        differ >= 10,
        "the two hashers disagree on " + differ + " of 30 keys, so each topic tells them apart");
  }

  @Test
  void logRecordsWithATraceIdAreKeyedByItAndThoseWithoutHaveNoKey() throws Exception {
    String a = randomHex(16);
    String b = randomHex(16);
    ExportLogsServiceRequest request =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .setResource(Otlp.resource("pricing", "rust"))
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .setScope(InstrumentationScope.newBuilder().setName("tracing"))
                            .addLogRecords(log(a, "first"))
                            .addLogRecords(log("", "no context"))
                            .addLogRecords(log(b, "second"))
                            .addLogRecords(log(a, "third"))
                            .addLogRecords(log("", "no context again")))
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .setScope(InstrumentationScope.newBuilder().setName("otelslog"))
                            .addLogRecords(log(b, "fourth"))))
            .build();
    assertEquals(200, post("/v1/logs", request.toByteArray()));
    List<KeyedRecord> expected = TraceIdSplitter.LOGS.split(request.toByteArray());
    assertEquals(4, expected.size());

    List<ConsumerRecord<byte[], byte[]>> records = consume(LOGS, expected.size());
    int unkeyed = 0;
    for (ConsumerRecord<byte[], byte[]> rec : records) {
      List<LogRecord> logs =
          ExportLogsServiceRequest.parseFrom(rec.value())
              .getResourceLogs(0)
              .getScopeLogs(0)
              .getLogRecordsList();
      if (rec.key() == null) {
        unkeyed++;
        assertTrue(
            logs.stream().allMatch(l -> l.getTraceId().isEmpty()),
            "an unkeyed record holds only logs without a trace id");
      } else {
        assertEquals(
            PartitionHasher.SARAMA_COMPAT.partition(rec.key(), PARTITIONS), rec.partition());
        for (LogRecord l : logs) {
          assertArrayEquals(rec.key(), hex(l.getTraceId()).getBytes(StandardCharsets.US_ASCII));
        }
      }
    }
    assertEquals(
        1, unkeyed, "the two logs without a trace id in one scope make one record without a key");
    assertEquals(
        decoded(expected, ExportLogsServiceRequest::parseFrom),
        decoded(keyed(records), ExportLogsServiceRequest::parseFrom));
  }

  @Test
  void seamsProducerPutsEachTraceInThePartitionTheCollectorPutsIt() throws Exception {
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName(MIXED_FLEET));
    for (int i = 0; i < 40; i++) {
      scope.addSpans(span(randomHex(16)));
    }
    scope.addSpans(span(""));
    ExportTraceServiceRequest export =
        Otlp.traces(
            ResourceSpans.newBuilder()
                .setResource(Otlp.resource("gateway", "go"))
                .addScopeSpans(scope)
                .build());
    String seamTopic = "seam_spans";
    broker.createTopic(seamTopic, PARTITIONS);
    List<KeyedRecord> split = TraceIdSplitter.SPANS.split(export);
    assertEquals(41, split.size());

    // What the Collector writes with its default hasher (into otlp_spans, told apart by the scope)
    // ...
    assertEquals(200, post("/v1/traces", export.toByteArray()));
    Map<String, Integer> collectorPartitions = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> rec : consumeAll(SPANS)) {
      ExportTraceServiceRequest v = ExportTraceServiceRequest.parseFrom(rec.value());
      if (v.getResourceSpans(0).getScopeSpans(0).getScope().getName().equals(MIXED_FLEET)) {
        collectorPartitions.put(new String(rec.key(), StandardCharsets.US_ASCII), rec.partition());
      }
    }
    assertEquals(
        41, collectorPartitions.size(), "the Collector wrote one record per trace of the export");

    // ... and what Seam's producer writes with KafkaConfig's producer settings.
    KafkaConfig config =
        new KafkaConfig(
                List.of(broker.bootstrap()),
                "seam",
                KafkaConfig.Topics.DEFAULT,
                true,
                PartitionHasher.SARAMA_COMPAT,
                "seam-it",
                KafkaConfig.Tls.NONE,
                KafkaConfig.Sasl.NONE)
            .checked();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config.producerProperties())) {
      for (KeyedRecord r : split) {
        producer.send(new ProducerRecord<>(seamTopic, r.key(), r.value())).get();
      }
      producer.send(new ProducerRecord<>(seamTopic, null, split.get(0).value())).get();
    }
    Map<String, Integer> seamPartitions = new HashMap<>();
    int unkeyed = 0;
    for (ConsumerRecord<byte[], byte[]> rec : consumeAll(seamTopic)) {
      if (rec.key() == null) {
        unkeyed++;
      } else {
        seamPartitions.put(new String(rec.key(), StandardCharsets.US_ASCII), rec.partition());
      }
    }
    assertEquals(1, unkeyed, "a record without a key is written too");
    assertEquals(
        collectorPartitions, seamPartitions, "every trace in the same partition whoever wrote it");
  }

  /** Every record of the topic, read until two seconds pass without a new one. */
  private List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer()) {
      List<TopicPartition> parts =
          IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      long deadline = System.nanoTime() + CONSUME_TIMEOUT.toNanos();
      while (System.nanoTime() < quietUntil && System.nanoTime() < deadline) {
        int before = out.size();
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        if (out.size() > before) {
          quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        }
      }
    }
    return out;
  }

  private List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected)
      throws Exception {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer()) {
      List<TopicPartition> parts =
          IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + CONSUME_TIMEOUT.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        pollOwn(consumer, out);
      }
      // A little longer: a record too many must show.
      long grace = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < grace) {
        pollOwn(consumer, out);
      }
    }
    assertEquals(
        expected,
        out.size(),
        topic + ": records written by the Collector\n" + collector.logTail(30));
    return out;
  }

  /** Adds the polled records, except those of the mixed-fleet test, which shares otlp_spans. */
  private static void pollOwn(
      KafkaConsumer<byte[], byte[]> consumer, List<ConsumerRecord<byte[], byte[]>> out)
      throws Exception {
    for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(200))) {
      if (!rec.topic().equals(LOGS)) {
        ExportTraceServiceRequest v = ExportTraceServiceRequest.parseFrom(rec.value());
        if (v.getResourceSpansCount() == 1
            && v.getResourceSpans(0).getScopeSpansCount() == 1
            && v.getResourceSpans(0).getScopeSpans(0).getScope().getName().equals(MIXED_FLEET)) {
          continue;
        }
      }
      out.add(rec);
    }
  }

  private static List<KeyedRecord> keyed(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> new KeyedRecord(r.key(), r.value())).toList();
  }

  private interface Parser {
    Message parse(byte[] b) throws Exception;
  }

  /** Records as a multiset of (key, decoded request): encodings may differ, contents may not. */
  private static Map<List<Object>, Integer> decoded(List<KeyedRecord> records, Parser parser)
      throws Exception {
    Map<List<Object>, Integer> out = new HashMap<>();
    for (KeyedRecord r : records) {
      String key =
          r.key() == null ? "<no key>" : "'" + new String(r.key(), StandardCharsets.US_ASCII) + "'";
      out.merge(List.of(key, parser.parse(r.value())), 1, Integer::sum);
    }
    return out;
  }

  private int post(String path, byte[] body) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + otlpHttpPort + path))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return r.statusCode();
  }

  private ScopeSpans.Builder scope(String name, Span.Builder... spans) {
    ScopeSpans.Builder s =
        ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName(name).setVersion("0.68.0"));
    for (Span.Builder sp : spans) {
      s.addSpans(sp);
    }
    return s;
  }

  private Span.Builder span(String trace) {
    long start = Otlp.T0 + random.nextInt(1_000_000_000);
    return Otlp.span(
            trace,
            randomHex(8),
            randomHex(8),
            SpanKind.SPAN_KIND_SERVER,
            start,
            1 + random.nextInt(5_000_000))
        .addAttributes(Otlp.attr("http.route", "/price/" + random.nextInt(100)))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
  }

  private LogRecord log(String trace, String body) {
    LogRecord.Builder l =
        LogRecord.newBuilder()
            .setObservedTimeUnixNano(Otlp.T0 + random.nextInt(1_000_000))
            .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
            .setBody(AnyValue.newBuilder().setStringValue(body));
    if (!trace.isEmpty()) {
      l.setTraceId(Otlp.id(trace)).setSpanId(Otlp.id(randomHex(8)));
    }
    return l.build();
  }

  private String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String hex(ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
