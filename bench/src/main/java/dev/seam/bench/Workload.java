package dev.seam.bench;

import static dev.seam.bench.SdkSpans.MS;
import static dev.seam.bench.SdkSpans.spanId;
import static dev.seam.bench.SdkSpans.traceId;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * OTLP export requests shaped like the batches of a Go gateway (opentelemetry-go 1.47, otelhttp and
 * otelgrpc 0.72, otelslog) and a Rust pricing service (opentelemetry 0.33, tracing-opentelemetry
 * 0.34, axum and tonic tracing layers, opentelemetry-appender-tracing) that call each other, and of
 * a Rust library the gateway calls through cgo. The dialect (names, attributes, flags, resources,
 * scopes) is the one captured on the wire from {@code examples/} (see the collector's
 * RealSdkDialectsTest).
 *
 * <p><b>A group</b> is what {@link #nextTraceRequests()} returns: the traces of one round of
 * batches, split by SDK into three requests, as three SDKs would send them: the Go gateway's, the
 * Rust service's and the Rust library's (in the gateway process). Every trace in a group has one
 * paired boundary call and four spans:
 *
 * <ul>
 *   <li>HTTP ({@value GroupMix#HTTP_PERCENT}%): Go INTERNAL {@code fetchPrice} -> Go CLIENT {@code
 *       HTTP GET} -> Rust SERVER {@code GET /price/{id}} (remote parent) -> Rust INTERNAL {@code
 *       compute_price};
 *   <li>gRPC ({@value GroupMix#GRPC_PERCENT}%): Go SERVER {@code GET /quote/{id}} -> Go CLIENT
 *       (otelgrpc) -> Rust SERVER (tonic, remote parent) -> Rust INTERNAL;
 *   <li>FFI ({@value GroupMix#FFI_PERCENT}%): Go SERVER -> Go INTERNAL {@code pricing.quote (ffi)}
 *       -> Rust INTERNAL {@code quote} in the same process (same {@code host.name} and {@code
 *       process.pid}, SDK language rust, remote-parent flag set, {@code seam.allocated_bytes}) ->
 *       Rust INTERNAL.
 * </ul>
 *
 * About {@value GroupMix#ERROR_PERCENT}% of the traces fail, in turn: HTTP 503 on both sides; gRPC
 * UNAVAILABLE (14) on both sides; an HTTP call the Go client gave up on (deadline) while the Rust
 * handler, slow, answered 200. Each failure writes one ERROR log record naming the failing span
 * ({@link #nextLogRequest()}).
 *
 * <p>The Go request holds {@code spansPerRequest} spans (two per trace); the Rust service's request
 * about 80% of that and the library's the rest. Eight variants of the group, differing in routes,
 * durations and which traces fail, are encoded once; each call copies the next variant's bytes and
 * writes fresh ids (128-bit trace ids, 64-bit span ids, never zero, distinct for distinct seeds)
 * and timestamps around now at recorded offsets, so making a request costs a copy and a few
 * patches.
 *
 * <p>Not thread-safe: use one instance per sending thread, with distinct seeds.
 */
public final class Workload {

  /** The default size of the Go gateway's requests, in spans. */
  public static final int DEFAULT_SPANS_PER_REQUEST = 256;

  private static final int VARIANTS = 8;

  private final GroupMix mix;
  private final GroupTemplates[] variants;
  private final IdStream ids;
  private final Clock clock;
  private long groups;
  private GroupTemplates last;
  private int[] lastCounts = new int[0];

  /**
   * @param seed determines the variants and the id sequence; two workloads with different seeds
   *     produce different ids (64-bit random streams), so run one per sender with distinct seeds
   * @param spansPerRequest spans in the Go gateway's request of each group (at least 8; the SDKs'
   *     default batch is 512)
   */
  public Workload(long seed, int spansPerRequest) {
    this(seed, spansPerRequest, Clock.systemUTC());
  }

  /** As {@link #Workload(long, int)}, with "now" read from {@code clock} (tests fix it). */
  Workload(long seed, int spansPerRequest, Clock clock) {
    if (spansPerRequest < 8) {
      throw new IllegalArgumentException(
          "spansPerRequest must be at least 8, not " + spansPerRequest);
    }
    this.clock = clock;
    this.mix = new GroupMix(spansPerRequest);
    this.ids = new IdStream(seed, mix.traces);
    this.variants = new GroupTemplates[VARIANTS];
    for (int v = 0; v < VARIANTS; v++) {
      variants[v] = VariantBuilder.build(mix, new Random(seed * 1_000_003L + v));
    }
  }

  /**
   * The protobuf-encoded ExportTraceServiceRequest bodies of the next group: the Go gateway's, the
   * Rust service's and the Rust library's, each a fresh array. The order alternates between groups
   * (Go first, then Rust first), as batches flush in either order.
   */
  public List<byte[]> nextTraceRequests() {
    GroupTemplates g = advance();
    long now = nowNanos();
    byte[] go = g.go().patch(ids, now);
    byte[] rust = g.rust().patch(ids, now);
    byte[] lib = g.lib().patch(ids, now);
    if ((groups & 1) == 1) {
      lastCounts = new int[] {g.go().items, g.rust().items, g.lib().items};
      return List.of(go, rust, lib);
    }
    lastCounts = new int[] {g.rust().items, g.lib().items, g.go().items};
    return List.of(rust, lib, go);
  }

  /**
   * Spans in each request the last {@link #nextTraceRequests()} (or {@link
   * #nextCallerOnlyRequest()}) returned, in the same order; cheaper than {@link #spansIn} on each.
   */
  public int[] lastRequestSpans() {
    return lastCounts.clone();
  }

  /**
   * Only the Go gateway's request of the next group: its spans name callees that never come, so a
   * pairing collector holds every one of them (two per trace) until its window passes.
   */
  public byte[] nextCallerOnlyRequest() {
    GroupTemplates g = advance();
    lastCounts = new int[] {g.go().items};
    return g.go().patch(ids, nowNanos());
  }

  /**
   * The ExportLogsServiceRequest body with the error log records of the group last returned by
   * {@link #nextTraceRequests()} (one per failed call, naming the failing span: the Rust handler's
   * for a 503 or UNAVAILABLE, the Go client's for a deadline), or {@code null} when that group has
   * none or no group was made yet. The Go and Rust records travel as two ResourceLogs of one
   * request.
   */
  public byte[] nextLogRequest() {
    if (last == null || last.logs() == null) {
      return null;
    }
    return last.logs().patch(ids, nowNanos());
  }

  /** Spans in an ExportTraceServiceRequest body (any, not only this workload's). */
  public int spansIn(byte[] traceRequest) {
    return Template.countItems(traceRequest);
  }

  /** Log records in an ExportLogsServiceRequest body. */
  public int logRecordsIn(byte[] logRequest) {
    return Template.countItems(logRequest);
  }

  /** Spans the Go gateway's request holds (two per trace). */
  public int spansPerRequest() {
    return mix.traces * 2;
  }

  /** Trace requests per group (Go gateway, Rust service, Rust library). */
  public int traceRequestsPerGroup() {
    return 3;
  }

  /** Traces per group. */
  public int tracesPerGroup() {
    return mix.traces;
  }

  /** Spans per group, over all its requests (four per trace). */
  public int spansPerGroup() {
    return mix.traces * 4;
  }

  /** Spans of the Go gateway per group (what {@link #nextCallerOnlyRequest()} sends). */
  public int callerOnlySpansPerGroup() {
    return mix.traces * 2;
  }

  /** Paired boundary calls per group: one per trace (HTTP, gRPC or FFI). */
  public int boundaryCallsPerGroup() {
    return mix.traces;
  }

  /** Of the boundary calls per group, those where at least one side failed. */
  public int errorCallsPerGroup() {
    return mix.failures.length;
  }

  /** Error log records per group (one per failed call). */
  public int logRecordsPerGroup() {
    return mix.failures.length;
  }

  /** HTTP, gRPC and FFI boundary calls per group. */
  public int[] callsPerTransport() {
    return new int[] {mix.httpTraces, mix.grpcTraces, mix.ffiTraces};
  }

  /** A one-line description of the group, for reports. */
  public String describe() {
    return mix.describe();
  }

  /**
   * Two requests (Go caller, then Rust callee) holding one HTTP call between services of the given
   * names, with fresh ids and timestamps: a boundary no collector has seen, for measuring how soon
   * it shows on a metrics endpoint.
   */
  public List<byte[]> probeTraceRequests(String callerService, String calleeService) {
    long now = nowNanos();
    ByteString trace = traceId(ids.next(), ids.next());
    ByteString[] spans = {
      spanId(ids.nextSpanId()),
      spanId(ids.nextSpanId()),
      spanId(ids.nextSpanId()),
      spanId(ids.nextSpanId())
    };
    SdkBatches b = new SdkBatches();
    HttpTraces.add(b, new Random(now), trace, spans, now - 5 * MS, Failure.NONE);
    ExportTraceServiceRequest go =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(b.goSpans(SdkResources.resource(callerService, "go")))
            .build();
    ExportTraceServiceRequest rust =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(b.rustSpans(SdkResources.resource(calleeService, "rust")))
            .build();
    return List.of(go.toByteArray(), rust.toByteArray());
  }

  /**
   * The same ExportTraceServiceRequest in OTLP/JSON (OTLP/HTTP {@code application/json}): field
   * names in lowerCamelCase, trace and span ids as hex strings, enums as integers, 64-bit integers
   * as decimal strings, bytes values as base64.
   */
  public static byte[] toJson(byte[] traceRequest) {
    ExportTraceServiceRequest req;
    try {
      req = ExportTraceServiceRequest.parseFrom(traceRequest);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ExportTraceServiceRequest", e);
    }
    return OtlpJsonWriter.write(req).getBytes(StandardCharsets.UTF_8);
  }

  private GroupTemplates advance() {
    GroupTemplates g = variants[(int) (groups % VARIANTS)];
    groups++;
    ids.nextGroup();
    last = g;
    return g;
  }

  private long nowNanos() {
    Instant t = clock.instant();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
