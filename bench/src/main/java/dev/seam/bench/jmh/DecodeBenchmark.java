package dev.seam.bench.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.seam.bench.Workload;
import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.decode.OtlpJson;
import dev.seam.collector.decode.StringTable;
import dev.seam.collector.decode.TraceReader;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding a trace export: Seam's reader against protobuf's generated parser (which Seam used
 * before), and OTLP/JSON: into the generated classes, into raw spans the general way (the generated
 * classes, serialized, read), and into raw spans with the streaming reader. Spans per second are
 * the {@code spans} counter.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class DecodeBenchmark {

  private List<byte[]> requests;
  private List<byte[]> json;
  private int[] spans;
  private int next;
  private static final JsonFactory JSON = new JsonFactory();
  private final TraceReader reader = new TraceReader(new StringTable(4096));

  @Setup
  public void setUp() {
    requests = Fixtures.traceRequests(64);
    json = requests.stream().map(Workload::toJson).toList();
    spans = Fixtures.spanCounts(requests);
  }

  private int advance() {
    int i = next;
    next = (i + 1) % requests.size();
    return i;
  }

  @Benchmark
  public TraceReader seamReader(SpanCount counter) throws OtlpDecodeException {
    int i = advance();
    counter.spans += spans[i];
    return reader.read(requests.get(i));
  }

  @Benchmark
  public ExportTraceServiceRequest generatedParser(SpanCount counter) throws Exception {
    int i = advance();
    counter.spans += spans[i];
    ExportTraceServiceRequest r = ExportTraceServiceRequest.parseFrom(requests.get(i));
    // Touch what Seam reads, since the generated parser decodes strings lazily.
    r.getResourceSpansList()
        .forEach(
            rs ->
                rs.getScopeSpansList()
                    .forEach(
                        ss ->
                            ss.getSpansList()
                                .forEach(
                                    s -> {
                                      s.getName();
                                      s.getAttributesList().forEach(kv -> kv.getKey());
                                    })));
    return r;
  }

  @Benchmark
  public ExportTraceServiceRequest json(SpanCount counter) throws OtlpDecodeException {
    int i = advance();
    counter.spans += spans[i];
    return OtlpJson.traces(json.get(i));
  }

  /**
   * OTLP/JSON into raw spans the general way, as Seam read it before {@link TraceReader#readJson}:
   * JsonFormat into the generated classes, serialized, and read by the protobuf reader.
   */
  @Benchmark
  public TraceReader jsonGeneralPath(SpanCount counter) throws OtlpDecodeException {
    int i = advance();
    counter.spans += spans[i];
    return reader.read(OtlpJson.traces(json.get(i)).toByteArray());
  }

  /**
   * The floor under any Jackson-based JSON reader: every token of the body read and every string
   * and number decoded, nothing kept.
   */
  @Benchmark
  public long jsonTokensOnly(SpanCount counter) throws IOException {
    int i = advance();
    counter.spans += spans[i];
    long sum = 0;
    try (JsonParser p = JSON.createParser(json.get(i))) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
          sum += p.getTextLength();
        }
      }
    }
    return sum;
  }

  /** OTLP/JSON into raw spans with the streaming reader. */
  @Benchmark
  public TraceReader jsonReader(SpanCount counter) throws OtlpDecodeException {
    int i = advance();
    counter.spans += spans[i];
    return reader.readJson(json.get(i));
  }
}
