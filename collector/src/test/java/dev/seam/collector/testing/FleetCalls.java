package dev.seam.collector.testing;

import dev.seam.collector.kafka.KafkaConfig;
import dev.seam.collector.kafka.KeyedRecord;
import dev.seam.collector.kafka.PartitionHasher;
import dev.seam.collector.kafka.TraceIdSplitter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Boundary calls for the Kafka tests: a Go gateway calling a Rust service over HTTP, each call in a
 * trace of its own, its two halves in two exports as two SDKs send them; and a producer that writes
 * exports the way the OpenTelemetry Collector's kafka exporter does (cut by trace id, keyed by it,
 * its default hasher), with the record timestamps a test chooses.
 */
public final class FleetCalls {

  /** The caller's side. */
  public static final Resource GATEWAY = Otlp.resource("gateway", "go");

  /** The callee's side. */
  public static final Resource PRICING = Otlp.resource("pricing", "rust");

  private static final long MS = 1_000_000L;

  /** One call: its trace and the ids of its two spans. */
  public record Call(String trace, String caller, String callee) {

    /** The gateway's CLIENT span, starting at {@code startNanos}. */
    public ExportTraceServiceRequest callerExport(long startNanos) {
      return Otlp.traces(
          Otlp.resourceSpans(
              GATEWAY,
              Otlp.span(trace, caller, "", SpanKind.SPAN_KIND_CLIENT, startNanos, 10 * MS)
                  .addAttributes(Otlp.attr("http.request.method", "GET"))));
    }

    /** The Rust service's SERVER span, whose remote parent is the caller. */
    public ExportTraceServiceRequest calleeExport(long startNanos) {
      return Otlp.traces(
          Otlp.resourceSpans(
              PRICING,
              Otlp.span(
                      trace, callee, caller, SpanKind.SPAN_KIND_SERVER, startNanos + 2 * MS, 6 * MS)
                  .setFlags(Otlp.REMOTE_PARENT)
                  .addAttributes(Otlp.attr("http.route", "/price"))));
    }

    /** An ERROR log record the callee wrote during the call. */
    public ExportLogsServiceRequest calleeErrorLog(long nanos) {
      return Otlp.logs(
          PRICING,
          LogRecord.newBuilder()
              .setObservedTimeUnixNano(nanos)
              .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR)
              .setTraceId(Otlp.id(trace))
              .setSpanId(Otlp.id(callee)));
    }
  }

  private final Random random;

  public FleetCalls(long seed) {
    this.random = new Random(seed);
  }

  /** {@code n} new calls. */
  public List<Call> calls(int n) {
    List<Call> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Call(hex(16), hex(8), hex(8)));
    }
    return out;
  }

  private String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    b[0] |= 1; // never all zeros
    return HexFormat.of().formatHex(b);
  }

  /**
   * A producer configured as Seam's front tier configures its own (the Collector's default hasher).
   */
  public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    KafkaConfig config =
        new KafkaConfig(
                List.of(bootstrap),
                "seam",
                KafkaConfig.Topics.DEFAULT,
                true,
                PartitionHasher.SARAMA_COMPAT,
                "seam-test",
                KafkaConfig.Tls.NONE,
                KafkaConfig.Sasl.NONE)
            .checked();
    return new KafkaProducer<>(config.producerProperties());
  }

  /**
   * Writes an export's records to {@code topic} with this timestamp (null: the producer's clock)
   * and returns how many it wrote; wait on {@code sent} to know they are acknowledged.
   */
  public static int write(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      TraceIdSplitter splitter,
      byte[] export,
      Long timestampMillis,
      List<Future<RecordMetadata>> sent)
      throws Exception {
    List<KeyedRecord> records = splitter.split(export);
    for (KeyedRecord r : records) {
      sent.add(
          producer.send(new ProducerRecord<>(topic, null, timestampMillis, r.key(), r.value())));
    }
    return records.size();
  }
}
