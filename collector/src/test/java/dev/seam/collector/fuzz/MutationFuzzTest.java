package dev.seam.collector.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seam.collector.decode.BodyTooLargeException;
import dev.seam.collector.decode.Gunzip;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.decode.OtlpFormat;
import dev.seam.collector.decode.OtlpProtobuf;
import dev.seam.collector.measure.BoundaryMetrics;
import dev.seam.collector.measure.Buckets;
import dev.seam.collector.measure.ExemplarContext;
import dev.seam.collector.measure.MeasureSettings;
import dev.seam.collector.measure.PipelineMetrics;
import dev.seam.collector.measure.TelemetryMetrics;
import dev.seam.collector.model.Signal;
import dev.seam.collector.normalize.LogContextExtractor;
import dev.seam.collector.normalize.ServiceNames;
import dev.seam.collector.normalize.SpanNormalizer;
import dev.seam.collector.pair.ContextBreakDetector;
import dev.seam.collector.pair.PairingStore;
import dev.seam.collector.pipeline.Pipeline;
import dev.seam.collector.testing.Otlp;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Property-based mutation fuzzing of everything a request body goes through: gunzip, protobuf and
 * OTLP JSON decoding, validation, normalization, pairing and measuring. Valid payloads (the corpus:
 * crafted SDK-shaped requests) are mutated by bit flips, byte edits, splices, truncation and
 * duplication; each mutant must either decode and be processed, or be refused with the decoder's
 * own exception, never anything else, and within a time bound. The test run uses a short fixed-seed
 * run; {@code -Dseam.fuzz.iterations=5000000} runs millions.
 */
class MutationFuzzTest {

  private static final long ITERATIONS = Long.getLong("seam.fuzz.iterations", 30_000);
  private static final long SEED = Long.getLong("seam.fuzz.seed", 20261129L);

  private static List<byte[]> protobufCorpus() {
    List<byte[]> corpus = new ArrayList<>();
    ExportTraceServiceRequest traces =
        Otlp.traces(
            Otlp.resourceSpans(
                Otlp.resource(
                    "gateway", "go", Otlp.attr("host.name", "a"), Otlp.attr("process.pid", 1)),
                Otlp.span(
                        "5b8efff798038103d269b633813fc60c",
                        "eee19b7ec3c1b173",
                        "",
                        Span.SpanKind.SPAN_KIND_CLIENT,
                        Otlp.T0,
                        5_000_000)
                    .addAttributes(Otlp.attr("http.request.method", "GET"))
                    .addAttributes(Otlp.attr("peer.service", "pricing"))
                    .setTraceState("ot=th:8")),
            Otlp.resourceSpans(
                Otlp.resource("pricing", "rust"),
                Otlp.span(
                        "5b8efff798038103d269b633813fc60c",
                        "eee19b7ec3c1b174",
                        "eee19b7ec3c1b173",
                        Span.SpanKind.SPAN_KIND_SERVER,
                        Otlp.T0 + 1,
                        2_000_000)
                    .setFlags(Otlp.REMOTE_PARENT)
                    .addAttributes(Otlp.attr("http.route", "/p/{id}"))
                    .addAttributes(Otlp.attr("rpc.grpc.status_code", "14"))));
    corpus.add(traces.toByteArray());
    corpus.add(
        Otlp.logs(
                Otlp.resource("pricing", "rust"),
                LogRecord.newBuilder()
                    .setSeverityNumberValue(17)
                    .setBody(
                        AnyValue.newBuilder()
                            .setStringValue(
                                "{\"trace_id\":\"5B8EFFF798038103D269B633813FC60C\",\"span_id\":\"eee19b7ec3c1b174\"}"))
                    .addAttributes(
                        Otlp.attr(
                            "traceparent",
                            "00-5b8efff798038103d269b633813fc60c-eee19b7ec3c1b174-01")))
            .toByteArray());
    return corpus;
  }

  private static final String JSON_TRACES =
      "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"g\"}}]},"
          + "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5B8EFFF798038103D269B633813FC60C\",\"spanId\":\"eee19b7ec3c1b174\",\"parentSpanId\":\"eee19b7ec3c1b173\","
          + "\"kind\":2,\"flags\":768,\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":1700000000000001000,"
          + "\"attributes\":[{\"key\":\"http.route\",\"value\":{\"stringValue\":\"/a\"}},{\"key\":\"n\",\"value\":{\"intValue\":\"5\"}},"
          + "{\"key\":\"l\",\"value\":{\"arrayValue\":{\"values\":[{\"doubleValue\":1.5},{\"kvlistValue\":{\"values\":[]}}]}}}],\"status\":{\"code\":2,\"message\":\"status:"
          + " Unavailable\"}}]}]}]}";

  private static byte[] mutate(byte[] in, Random r, List<byte[]> corpus) {
    byte[] b = in.clone();
    int ops = 1 + r.nextInt(4);
    for (int op = 0; op < ops && b.length > 0; op++) {
      switch (r.nextInt(7)) {
        case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        case 1 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // truncate
        case 3 -> { // insert a few random bytes
          int at = r.nextInt(b.length + 1);
          byte[] extra = new byte[1 + r.nextInt(8)];
          r.nextBytes(extra);
          byte[] out = new byte[b.length + extra.length];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(extra, 0, out, at, extra.length);
          System.arraycopy(b, at, out, at + extra.length, b.length - at);
          b = out;
        }
        case 4 -> { // splice with another corpus entry
          byte[] other = corpus.get(r.nextInt(corpus.size()));
          int cut = r.nextInt(b.length);
          int from = r.nextInt(Math.max(1, other.length));
          byte[] out = new byte[cut + other.length - from];
          System.arraycopy(b, 0, out, 0, cut);
          System.arraycopy(other, from, out, cut, other.length - from);
          b = out;
        }
        case 5 -> { // duplicate a slice (repeated fields, nested lengths)
          int from = r.nextInt(b.length);
          int len = Math.min(b.length - from, 1 + r.nextInt(32));
          byte[] out = new byte[b.length + len];
          System.arraycopy(b, 0, out, 0, from + len);
          System.arraycopy(b, from, out, from + len, b.length - from);
          b = out;
        }
        default -> { // set a varint-looking byte to a huge length prefix
          int at = r.nextInt(b.length);
          b[at] = (byte) 0xff;
        }
      }
    }
    return b;
  }

  @Test
  void mutantsAreProcessedOrRefusedNeverAnythingElse() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BoundaryMetrics metrics =
        new BoundaryMetrics(
            registry,
            new ExemplarContext(),
            MeasureSettings.defaults(
                new Buckets(
                    List.of(Duration.ofMillis(1)),
                    List.of(Duration.ofNanos(1000)),
                    List.of(1024L))));
    AtomicLong clock = new AtomicLong();
    ContextBreakDetector detector =
        new ContextBreakDetector(metrics, 1_000_000_000L, 1_000_000_000L, 10_000, clock::get);
    PairingStore store = new PairingStore(1_000_000_000L, 50_000, 4, detector, clock::get);
    PipelineMetrics accounting = new PipelineMetrics(registry);
    Pipeline pipeline =
        new Pipeline(
            new SpanNormalizer(Set.of("seam.allocated_bytes")),
            ServiceNames.AS_REPORTED,
            LogContextExtractor.defaults(),
            store,
            detector,
            null,
            accounting,
            new TelemetryMetrics(registry));

    List<byte[]> corpus = protobufCorpus();
    List<byte[]> jsonCorpus = List.of(JSON_TRACES.getBytes(StandardCharsets.UTF_8));
    Random r = new Random(SEED);
    long processed = 0;
    long refused = 0;
    long slowest = 0;
    for (long i = 0; i < ITERATIONS; i++) {
      int kind = (int) (i % 4);
      byte[] input =
          kind == 2
              ? mutate(jsonCorpus.get(0), r, jsonCorpus)
              : mutate(corpus.get(r.nextInt(corpus.size())), r, corpus);
      long t0 = System.nanoTime();
      try {
        switch (kind) {
          case 0 ->
              pipeline
                  .traces()
                  .export(input, "http"); // straight from the bytes, as the receivers do
          case 1 -> pipeline.logs().export(OtlpProtobuf.logs(input), "grpc");
          case 2 -> pipeline.export(Signal.SPANS, input, OtlpFormat.JSON, "http");
          default -> {
            pipeline.metrics().export(OtlpProtobuf.metrics(input), "grpc");
            Gunzip.inflate(Otlp.gzip(input), 1 << 20);
            Gunzip.inflate(input, 1 << 20);
          }
        }
        processed++;
      } catch (OtlpDecodeException | BodyTooLargeException expected) {
        refused++;
      }
      slowest = Math.max(slowest, System.nanoTime() - t0);
      if (i % 1000 == 0) {
        clock.addAndGet(2_000_000_000L);
        store.expire();
      }
    }
    store.expireAll();
    assertEquals(ITERATIONS, processed + refused);
    assertTrue(
        processed > 0 && refused > 0,
        "the mutants exercised both paths: " + processed + " processed, " + refused + " refused");
    assertTrue(slowest < 2_000_000_000L, "no input took 2 s: slowest " + slowest / 1e6 + " ms");
    assertEquals(0, store.pending());
    assertEquals(
        0.0,
        registry.get("seam.dropped.items").tags("signal", "spans").counter().count(),
        "no mutant made the pipeline fail inside");
    System.out.printf(
        "fuzz: %d inputs (seed %d): %d processed, %d refused, slowest %.1f ms%n",
        ITERATIONS, SEED, processed, refused, slowest / 1e6);
  }
}
