package dev.seam.bench.jmh;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.seam.collector.Assembly;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.kafka.KeyedRecord;
import dev.seam.collector.kafka.TraceIdSplitter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole in-process pipeline on one thread: protobuf bytes of a trace export in, through the
 * reader, normalization, the pairing store and the boundary metrics, to the reply; Seam's embedded
 * default configuration. Each pass over the pre-built requests moves the store's clock past the
 * pairing window and expires it, as Seam's sweeper does, so the same ids pair afresh. Spans per
 * second are the {@code spans} counter.
 *
 * <p>{@code kafkaRecords} is the same work as a consuming instance of a fleet gets it: each request
 * cut by trace id into the records a front ({@code kafka.produce}) or the Collector's kafka
 * exporter writes (one resource, scope and trace each, about two spans here), each record an export
 * of its own. The Kafka client's own work is not in it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Threads(1)
@State(Scope.Thread)
public class PipelineBenchmark {

  private List<byte[]> requests;
  private int[] spans;
  private List<byte[]> records;
  private int[] recordSpans;
  private Assembly seam;
  private long now;
  private int next;

  @Setup
  public void setUp() throws OtlpDecodeException {
    requests = Fixtures.traceRequests(512);
    seam = Assembly.build(Fixtures.config(""), registry -> null, () -> now);
    spans = Fixtures.spanCounts(requests);
    records = new ArrayList<>();
    try {
      for (byte[] request : requests) {
        for (KeyedRecord r : TraceIdSplitter.SPANS.split(request)) {
          records.add(r.value());
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    recordSpans = Fixtures.spanCounts(records);
  }

  @Benchmark
  public ExportTraceServiceResponse traces(SpanCount counter) throws OtlpDecodeException {
    int i = nextOf(requests.size());
    counter.spans += spans[i];
    return seam.pipeline().traces().export(requests.get(i), "grpc");
  }

  @Benchmark
  public ExportTraceServiceResponse kafkaRecords(SpanCount counter) throws OtlpDecodeException {
    int i = nextOf(records.size());
    counter.spans += recordSpans[i];
    return seam.pipeline().traces().export(records.get(i), "kafka");
  }

  /**
   * The index of the next of {@code count} bodies; after the last, the clock moves past the window
   * and the store is expired, so that the same ids pair afresh on the next pass.
   */
  private int nextOf(int count) {
    int i = next;
    if (++next == count) {
      next = 0;
      now += TimeUnit.SECONDS.toNanos(30);
      seam.store().expire();
    }
    return i;
  }

  @TearDown
  public void check() {
    // A benchmark that paired nothing would measure the wrong thing.
    double calls =
        seam.registry().find("seam.boundary.calls").counters().stream()
            .mapToDouble(c -> c.count())
            .sum();
    if (calls == 0) {
      throw new IllegalStateException(
          "no boundary call was paired: the workload or the clock is wrong");
    }
  }
}
