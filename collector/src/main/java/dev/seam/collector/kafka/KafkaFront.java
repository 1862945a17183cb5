package dev.seam.collector.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.seam.collector.decode.BodyTooLargeException;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.decode.OtlpFormat;
import dev.seam.collector.decode.OtlpJson;
import dev.seam.collector.decode.OtlpProtobuf;
import dev.seam.collector.decode.StringTable;
import dev.seam.collector.decode.TraceReader;
import dev.seam.collector.model.Signal;
import dev.seam.collector.receive.AsyncExportHandler;
import dev.seam.collector.receive.ExportUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Seam as the front tier ({@code kafka.produce}): the OTLP receivers hand each accepted export here
 * instead of to the pipeline. Spans and logs are cut by trace id into the records the OpenTelemetry
 * Collector's kafka exporter writes ({@link TraceIdSplitter}), keyed the same way, and metrics go
 * whole without a key. The export is answered once Kafka has acknowledged every record (by all
 * in-sync replicas, without duplicates from the producer's own retries); if any record is not
 * acknowledged within {@code kafka.produce-timeout}, the client is told to retry ({@link
 * ExportUnavailableException}), and the records that did arrive are then written again by the
 * retry: at least once. The export is checked as the pipeline would check it first, so a malformed
 * one is refused at once rather than skipped by the consumers.
 */
public final class KafkaFront implements AsyncExportHandler, AutoCloseable {

  private static final Message TRACES_OK = ExportTraceServiceResponse.getDefaultInstance();
  private static final Message LOGS_OK = ExportLogsServiceResponse.getDefaultInstance();
  private static final Message METRICS_OK = ExportMetricsServiceResponse.getDefaultInstance();

  private final Producer<byte[], byte[]> producer;
  private final Map<Signal, String> topics = new EnumMap<>(Signal.class);
  private final Map<Signal, Counter> acked = new EnumMap<>(Signal.class);
  private final Map<Signal, Counter> failed = new EnumMap<>(Signal.class);
  private final long maxRecordBytes;
  private final ThreadLocal<TraceReader> readers =
      ThreadLocal.withInitial(() -> new TraceReader(new StringTable(4096)));

  public KafkaFront(KafkaConfig config, MeterRegistry registry) {
    KafkaClientLogging.quiet();
    Map<String, Object> properties = config.producerProperties();
    this.maxRecordBytes =
        ((Number) properties.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576))
            .longValue();
    this.producer = new KafkaProducer<>(properties);
    topics.put(Signal.SPANS, config.topics().spans());
    topics.put(Signal.LOGS, config.topics().logs());
    topics.put(Signal.METRICS, config.topics().metrics());
    for (Signal s : Signal.values()) {
      acked.put(s, counter(registry, topics.get(s), "acked"));
      failed.put(s, counter(registry, topics.get(s), "failed"));
    }
  }

  private static Counter counter(MeterRegistry registry, String topic, String outcome) {
    return Counter.builder(KafkaMetricNames.PRODUCED_RECORDS)
        .description("Records the receivers wrote to Kafka, by topic and outcome")
        .tag("topic", topic)
        .tag("outcome", outcome)
        .register(registry);
  }

  @Override
  public CompletionStage<Message> export(
      Signal signal, byte[] body, OtlpFormat format, String protocol) throws OtlpDecodeException {
    List<KeyedRecord> records;
    Message ok;
    try {
      switch (signal) {
        case SPANS -> {
          byte[] request = format == OtlpFormat.JSON ? OtlpJson.traces(body).toByteArray() : body;
          readers.get().read(request);
          records = TraceIdSplitter.SPANS.split(request);
          ok = TRACES_OK;
        }
        case LOGS -> {
          byte[] request = format == OtlpFormat.JSON ? OtlpJson.logs(body).toByteArray() : body;
          OtlpProtobuf.logs(request);
          records = TraceIdSplitter.LOGS.split(request);
          ok = LOGS_OK;
        }
        default -> {
          byte[] request = format == OtlpFormat.JSON ? OtlpJson.metrics(body).toByteArray() : body;
          OtlpProtobuf.metrics(request);
          records = request.length == 0 ? List.of() : List.of(new KeyedRecord(null, request));
          ok = METRICS_OK;
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new OtlpDecodeException("invalid protobuf: " + e.getMessage(), e);
    }
    if (records.isEmpty()) {
      return CompletableFuture.completedFuture(ok);
    }
    return send(signal, records, ok);
  }

  /** Writes the records and completes once every one was acknowledged or one failed. */
  private CompletionStage<Message> send(Signal signal, List<KeyedRecord> records, Message ok) {
    CompletableFuture<Message> done = new CompletableFuture<>();
    AtomicInteger remaining = new AtomicInteger(records.size());
    AtomicReference<Exception> failure = new AtomicReference<>();
    String topic = topics.get(signal);
    for (KeyedRecord r : records) {
      try {
        producer.send(
            new ProducerRecord<>(topic, r.key(), r.value()),
            (metadata, error) -> settle(signal, error, remaining, failure, done, ok));
      } catch (KafkaException | IllegalStateException e) {
        // No room in the producer's buffer or no metadata within a second, or closed.
        settle(signal, e, remaining, failure, done, ok);
      }
    }
    return done;
  }

  private void settle(
      Signal signal,
      Exception error,
      AtomicInteger remaining,
      AtomicReference<Exception> failure,
      CompletableFuture<Message> done,
      Message ok) {
    if (error == null) {
      acked.get(signal).increment();
    } else {
      failed.get(signal).increment();
      failure.compareAndSet(null, error);
    }
    if (remaining.decrementAndGet() > 0) {
      return;
    }
    Exception e = failure.get();
    if (e == null) {
      done.complete(ok);
    } else if (e instanceof RecordTooLargeException) {
      // Retrying would not help: the record (one trace's part of the export) exceeds Kafka's limit.
      done.completeExceptionally(new BodyTooLargeException(maxRecordBytes));
    } else {
      done.completeExceptionally(
          new ExportUnavailableException(
              "Kafka did not take the export (" + e.getMessage() + "); retry later", e));
    }
  }

  /** Sends what is buffered and closes, within {@code timeout}. */
  public void close(Duration timeout) {
    producer.close(timeout);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
