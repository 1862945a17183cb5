package dev.seam.bench.jmh;

import dev.seam.collector.decode.OtlpDecodeException;
import dev.seam.collector.decode.StringTable;
import dev.seam.collector.decode.TraceReader;
import dev.seam.collector.measure.BoundaryMetrics;
import dev.seam.collector.measure.ExemplarContext;
import dev.seam.collector.measure.MeasureSettings;
import dev.seam.collector.model.Origin;
import dev.seam.collector.model.Side;
import dev.seam.collector.model.Span;
import dev.seam.collector.normalize.OriginResolver;
import dev.seam.collector.normalize.SpanNormalizer;
import dev.seam.collector.pair.BoundaryListener;
import dev.seam.collector.pair.Edge;
import dev.seam.collector.pair.Outcome;
import dev.seam.collector.pair.PairingStore;
import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.resource.v1.Resource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot path's stages one at a time, on spans of the load generator's workload: normalize (read
 * spans to Seam's model), pair (the pairing store alone, with a listener that does nothing) and
 * record (the boundary metrics of paired calls). Spans (or calls) per second are the {@code items}
 * counter.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class StagesBenchmark {

  /** Items handled, reported per second next to the invocations. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Items {
    public long items;

    @Setup(Level.Iteration)
    public void reset() {
      items = 0;
    }
  }

  private List<byte[]> requests;
  private final TraceReader reader = new TraceReader(new StringTable(4096));
  private final SpanNormalizer normalizer = new SpanNormalizer(Set.of("seam.allocated_bytes"));
  private List<Span[]> normalized;
  private List<Edge> edges;
  private PairingStore store;
  private BoundaryMetrics metrics;
  private long now;
  private int next;
  private int nextEdge;

  @Setup
  public void setUp() throws OtlpDecodeException {
    requests = Fixtures.traceRequests(256);
    normalized = new ArrayList<>();
    edges = new ArrayList<>();
    BoundaryListener collect =
        new Ignoring() {
          @Override
          public void onEdge(Edge edge) {
            edges.add(edge);
          }
        };
    PairingStore collecting =
        new PairingStore(TimeUnit.SECONDS.toNanos(10), 10_000_000, 16, collect, () -> 0L);
    for (byte[] body : requests) {
      reader.read(body);
      for (int r = 0; r < reader.resourceCount(); r++) {
        Origin origin = origin(body, r);
        Span[] spans = new Span[reader.endSpan(r) - reader.firstSpan(r)];
        for (int i = 0; i < spans.length; i++) {
          spans[i] = normalizer.normalize(reader.span(reader.firstSpan(r) + i), origin);
        }
        normalized.add(spans);
        for (Span s : spans) {
          collecting.offerSpan(s, false);
        }
      }
    }
    // Each pass over the spans moves the store's clock past the window, so the same ids pair again.
    store =
        new PairingStore(TimeUnit.SECONDS.toNanos(10), 1_000_000, 16, new Ignoring(), () -> now);
    PrometheusMeterRegistry registry =
        new PrometheusMeterRegistry(
            PrometheusConfig.DEFAULT, new PrometheusRegistry(), Clock.SYSTEM);
    metrics =
        new BoundaryMetrics(
            registry,
            new ExemplarContext(),
            MeasureSettings.defaults(Fixtures.config("").boundary().buckets().toBuckets())
                .withOperations(true, 100));
  }

  /** A listener that ignores what the store reports, so that only the store is measured. */
  private static class Ignoring implements BoundaryListener {
    @Override
    public void onEdge(Edge edge) {}

    @Override
    public void onUnpaired(Span span, Side side) {}

    @Override
    public void onErrorLogs(Edge edge, Side side, int count) {}

    @Override
    public void onOutcome(Outcome outcome, int count) {}
  }

  private Origin origin(byte[] body, int r) {
    try {
      Resource resource =
          Resource.parseFrom(
              Arrays.copyOfRange(
                  reader.resourceBytes(r),
                  reader.resourceOffset(r),
                  reader.resourceOffset(r) + reader.resourceLength(r)));
      return OriginResolver.resolve(resource, reader.firstScopeName(r));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Benchmark
  public Span normalize(Items counter) throws OtlpDecodeException {
    byte[] body = requests.get(next);
    next = (next + 1) % requests.size();
    reader.read(body);
    Span last = null;
    Origin origin = null;
    for (int r = 0; r < reader.resourceCount(); r++) {
      if (origin == null) {
        origin = origin(body, r);
      }
      for (int i = reader.firstSpan(r); i < reader.endSpan(r); i++) {
        last = normalizer.normalize(reader.span(i), origin);
      }
    }
    counter.items += reader.endSpan(reader.resourceCount() - 1);
    return last;
  }

  @Benchmark
  public boolean pair(Items counter) {
    Span[] spans = normalized.get(next);
    if (++next == normalized.size()) {
      next = 0;
      now += TimeUnit.SECONDS.toNanos(11);
      store.expire();
    }
    boolean fresh = false;
    for (Span s : spans) {
      fresh |= store.offerSpan(s, false);
    }
    counter.items += spans.length;
    return fresh;
  }

  @Benchmark
  public void record(Items counter) {
    metrics.onEdge(edges.get(nextEdge));
    nextEdge = (nextEdge + 1) % edges.size();
    counter.items++;
  }
}
