package dev.seam.bench;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
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
 *   <li>HTTP ({@value #HTTP_PERCENT}%): Go INTERNAL {@code fetchPrice} -> Go CLIENT {@code HTTP GET}
 *       -> Rust SERVER {@code GET /price/{id}} (remote parent) -> Rust INTERNAL {@code compute_price};
 *   <li>gRPC ({@value #GRPC_PERCENT}%): Go SERVER {@code GET /quote/{id}} -> Go CLIENT (otelgrpc) ->
 *       Rust SERVER (tonic, remote parent) -> Rust INTERNAL;
 *   <li>FFI ({@value #FFI_PERCENT}%): Go SERVER -> Go INTERNAL {@code pricing.quote (ffi)} -> Rust
 *       INTERNAL {@code quote} in the same process (same {@code host.name} and {@code process.pid},
 *       SDK language rust, remote-parent flag set, {@code seam.allocated_bytes}) -> Rust INTERNAL.
 * </ul>
 *
 * About {@value #ERROR_PERCENT}% of the traces fail, in turn: HTTP 503 on both sides; gRPC
 * UNAVAILABLE (14) on both sides; an HTTP call the Go client gave up on (deadline) while the Rust
 * handler, slow, answered 200. Each failure writes one ERROR log record naming the failing span
 * ({@link #nextLogRequest()}).
 *
 * <p>The Go request holds {@code spansPerRequest} spans (two per trace); the Rust service's request
 * about 80% of that and the library's the rest. Eight variants of the group, differing in routes,
 * durations and which traces fail, are encoded once; each call copies the next variant's bytes and
 * writes fresh ids (128-bit trace ids, 64-bit span ids, never zero, distinct for distinct seeds) and
 * timestamps around now at recorded offsets, so making a request costs a copy and a few patches.
 *
 * <p>Not thread-safe: use one instance per sending thread, with distinct seeds.
 */
public final class Workload {

  /** The default size of the Go gateway's requests, in spans. */
  public static final int DEFAULT_SPANS_PER_REQUEST = 256;

  static final int HTTP_PERCENT = 45;
  static final int GRPC_PERCENT = 35;
  static final int FFI_PERCENT = 20;
  static final int ERROR_PERCENT = 5;

  private static final int VARIANTS = 8;
  /** Template timestamps are offsets from this, so that every one is a positive fixed64. */
  private static final long TIME_BASE = 1L << 60;
  private static final long US = 1_000L;
  private static final long MS = 1_000_000L;

  private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  // W3C flags as the SDKs write them: low byte = trace flags (0x01 sampled), 0x100 = the SDK
  // says whether the parent is remote, 0x200 = it is.
  private static final int LOCAL = 0x101;
  private static final int REMOTE_PARENT = 0x301;

  private static final String OTELHTTP = "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp";
  private static final String OTELGRPC = "go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc";
  private static final String CONTRIB_VERSION = "0.72.0";
  private static final String GATEWAY_SCOPE = "seam.example/examples/cmd/gateway";
  private static final String PRICING_SCOPE = "pricing-service";
  private static final String FFI_SCOPE = "pricing_ffi";
  private static final String APPENDER_SCOPE = "opentelemetry-appender-tracing";
  private static final String SCHEMA = "https://opentelemetry.io/schemas/1.37.0";

  private static final String[] HTTP_ROUTES = {"/price/{id}", "/price/{id}", "/price/{id}", "/price/{id}/history", "/rates/{currency}", "/stock/{sku}"};
  private static final String[] GRPC_METHODS = {"pricing.v1.Pricing/Quote", "pricing.v1.Pricing/Quote", "pricing.v1.Pricing/Quote", "pricing.v1.Pricing/BatchQuote", "pricing.v1.Rates/Get"};
  private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "JPY", "CHF"};

  private enum Kind { HTTP, GRPC, FFI }

  private enum Failure { NONE, HTTP_503, GRPC_UNAVAILABLE, HTTP_TIMEOUT }

  private final int spansPerRequest;
  private final int traces;
  private final int httpTraces;
  private final int grpcTraces;
  private final int ffiTraces;
  private final Failure[] failures; // the failing traces' kinds of failure; the same count in every variant
  private final Group[] variants;
  private final Clock clock;

  // Fresh ids of the last group: trace i, span slot 4 * i + k.
  private final long[] traceHi;
  private final long[] traceLo;
  private final long[] spanIds;
  private long state;
  private long groups;
  private Group last;
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
      throw new IllegalArgumentException("spansPerRequest must be at least 8, not " + spansPerRequest);
    }
    this.spansPerRequest = spansPerRequest;
    this.clock = clock;
    this.traces = spansPerRequest / 2;
    this.ffiTraces = Math.max(1, Math.round(traces * FFI_PERCENT / 100f));
    this.grpcTraces = Math.max(1, Math.round(traces * GRPC_PERCENT / 100f));
    this.httpTraces = traces - ffiTraces - grpcTraces;
    int errorCount = Math.max(1, Math.round(traces * ERROR_PERCENT / 100f));
    Failure[] cycle = {Failure.HTTP_503, Failure.GRPC_UNAVAILABLE, Failure.HTTP_TIMEOUT};
    this.failures = new Failure[errorCount];
    for (int i = 0; i < errorCount; i++) {
      failures[i] = cycle[i % cycle.length];
    }
    this.traceHi = new long[traces];
    this.traceLo = new long[traces];
    this.spanIds = new long[traces * 4];
    this.state = mix(seed ^ 0x5EA3_0000_0000_0001L);
    this.variants = new Group[VARIANTS];
    for (int v = 0; v < VARIANTS; v++) {
      variants[v] = buildVariant(new Random(seed * 1_000_003L + v));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Public API

  /**
   * The protobuf-encoded ExportTraceServiceRequest bodies of the next group: the Go gateway's, the
   * Rust service's and the Rust library's, each a fresh array. The order alternates between
   * groups (Go first, then Rust first), as batches flush in either order.
   */
  public List<byte[]> nextTraceRequests() {
    Group g = advance();
    long now = nowNanos();
    byte[] go = g.go.patch(traceHi, traceLo, spanIds, now);
    byte[] rust = g.rust.patch(traceHi, traceLo, spanIds, now);
    byte[] lib = g.lib.patch(traceHi, traceLo, spanIds, now);
    if ((groups & 1) == 1) {
      lastCounts = new int[] {g.go.items, g.rust.items, g.lib.items};
      return List.of(go, rust, lib);
    }
    lastCounts = new int[] {g.rust.items, g.lib.items, g.go.items};
    return List.of(rust, lib, go);
  }

  /**
   * Spans in each request the last {@link #nextTraceRequests()} (or {@link #nextCallerOnlyRequest()})
   * returned, in the same order; cheaper than {@link #spansIn} on each.
   */
  public int[] lastRequestSpans() {
    return lastCounts.clone();
  }

  /**
   * Only the Go gateway's request of the next group: its spans name callees that never come, so a
   * pairing collector holds every one of them (two per trace) until its window passes.
   */
  public byte[] nextCallerOnlyRequest() {
    Group g = advance();
    lastCounts = new int[] {g.go.items};
    return g.go.patch(traceHi, traceLo, spanIds, nowNanos());
  }

  /**
   * The ExportLogsServiceRequest body with the error log records of the group last returned by
   * {@link #nextTraceRequests()} (one per failed call, naming the failing span: the Rust handler's
   * for a 503 or UNAVAILABLE, the Go client's for a deadline), or {@code null} when that group has
   * none or no group was made yet. The Go and Rust records travel as two ResourceLogs of one
   * request.
   */
  public byte[] nextLogRequest() {
    if (last == null || last.logs == null) {
      return null;
    }
    return last.logs.patch(traceHi, traceLo, spanIds, nowNanos());
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
    return traces * 2;
  }

  /** Trace requests per group (Go gateway, Rust service, Rust library). */
  public int traceRequestsPerGroup() {
    return 3;
  }

  /** Traces per group. */
  public int tracesPerGroup() {
    return traces;
  }

  /** Spans per group, over all its requests (four per trace). */
  public int spansPerGroup() {
    return traces * 4;
  }

  /** Spans of the Go gateway per group (what {@link #nextCallerOnlyRequest()} sends). */
  public int callerOnlySpansPerGroup() {
    return traces * 2;
  }

  /** Paired boundary calls per group: one per trace (HTTP, gRPC or FFI). */
  public int boundaryCallsPerGroup() {
    return traces;
  }

  /** Of the boundary calls per group, those where at least one side failed. */
  public int errorCallsPerGroup() {
    return failures.length;
  }

  /** Error log records per group (one per failed call). */
  public int logRecordsPerGroup() {
    return failures.length;
  }

  /** HTTP, gRPC and FFI boundary calls per group. */
  public int[] callsPerTransport() {
    return new int[] {httpTraces, grpcTraces, ffiTraces};
  }

  /** A one-line description of the group, for reports. */
  public String describe() {
    int e503 = 0;
    int e14 = 0;
    int eTo = 0;
    for (Failure f : failures) {
      switch (f) {
        case HTTP_503: e503++; break;
        case GRPC_UNAVAILABLE: e14++; break;
        case HTTP_TIMEOUT: eTo++; break;
        default: break;
      }
    }
    return String.format("group of %d traces / %d spans in 3 requests (Go %d, Rust service %d, Rust library %d spans): "
        + "%d HTTP, %d gRPC, %d FFI boundary calls; %d failing (%d HTTP 503, %d gRPC UNAVAILABLE, %d caller deadline), "
        + "one ERROR log each",
        traces, traces * 4, traces * 2, 2 * (httpTraces + grpcTraces), 2 * ffiTraces, httpTraces, grpcTraces, ffiTraces,
        failures.length, e503, e14, eTo);
  }

  /**
   * Two requests (Go caller, then Rust callee) holding one HTTP call between services of the given
   * names, with fresh ids and timestamps: a boundary no collector has seen, for measuring how soon
   * it shows on a metrics endpoint.
   */
  public List<byte[]> probeTraceRequests(String callerService, String calleeService) {
    long now = nowNanos();
    ByteString trace = traceId(next(), next());
    ByteString[] ids = {spanId(nextSpanId()), spanId(nextSpanId()), spanId(nextSpanId()), spanId(nextSpanId())};
    Batches b = new Batches(now);
    httpTrace(b, new Random(now), trace, ids, now - 5 * MS, Failure.NONE);
    ExportTraceServiceRequest go = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(b.goSpans(resource(callerService, "go"))).build();
    ExportTraceServiceRequest rust = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(b.rustSpans(resource(calleeService, "rust"))).build();
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

  // ---------------------------------------------------------------------------------------------
  // Fresh ids and time

  private Group advance() {
    Group g = variants[(int) (groups % VARIANTS)];
    groups++;
    for (int i = 0; i < traces; i++) {
      long hi;
      long lo;
      do {
        hi = next();
        lo = next();
      } while ((hi | lo) == 0);
      traceHi[i] = hi;
      traceLo[i] = lo;
    }
    for (int i = 0; i < spanIds.length; i++) {
      spanIds[i] = nextSpanId();
    }
    last = g;
    return g;
  }

  private long nextSpanId() {
    long id;
    do {
      id = next();
    } while (id == 0);
    return id;
  }

  /** SplitMix64: a bijection of the counter, so a stream never repeats within 2^64 draws. */
  private long next() {
    state += 0x9E3779B97F4A7C15L;
    return mix(state);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private long nowNanos() {
    Instant t = clock.instant();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  // ---------------------------------------------------------------------------------------------
  // Building the variants

  private Group buildVariant(Random r) {
    Kind[] kinds = new Kind[traces];
    int k = 0;
    for (int i = 0; i < httpTraces; i++) {
      kinds[k++] = Kind.HTTP;
    }
    for (int i = 0; i < grpcTraces; i++) {
      kinds[k++] = Kind.GRPC;
    }
    for (int i = 0; i < ffiTraces; i++) {
      kinds[k++] = Kind.FFI;
    }
    shuffle(kinds, r);
    Failure[] fail = new Failure[traces];
    Arrays.fill(fail, Failure.NONE);
    for (Failure f : failures) {
      Kind want = f == Failure.GRPC_UNAVAILABLE ? Kind.GRPC : Kind.HTTP;
      int start = r.nextInt(traces);
      for (int j = 0; j < traces; j++) {
        int t = (start + j) % traces;
        if (kinds[t] == want && fail[t] == Failure.NONE) {
          fail[t] = f;
          break;
        }
      }
    }

    Batches b = new Batches(TIME_BASE);
    for (int t = 0; t < traces; t++) {
      ByteString trace = traceId(0, t + 1L);
      ByteString[] ids = new ByteString[4];
      for (int s = 0; s < 4; s++) {
        ids[s] = spanId(4L * t + s + 1);
      }
      // Traces start about a millisecond apart and end before "now" (a batch holds spans that ended).
      long start = TIME_BASE - 300 * MS - (traces - t) * MS + r.nextInt(1000) * US;
      switch (kinds[t]) {
        case HTTP: httpTrace(b, r, trace, ids, start, fail[t]); break;
        case GRPC: grpcTrace(b, r, trace, ids, start, fail[t]); break;
        default: ffiTrace(b, r, trace, ids, start); break;
      }
    }
    Resource gatewayGo = resource("gateway", "go");
    Resource pricing = resource("pricing", "rust");
    Resource gatewayRust = resource("gateway-ffi", "rust");
    Group g = new Group();
    g.go = Template.compile(ExportTraceServiceRequest.newBuilder().addResourceSpans(b.goSpans(gatewayGo)).build().toByteArray(), false);
    g.rust = Template.compile(ExportTraceServiceRequest.newBuilder().addResourceSpans(b.rustSpans(pricing)).build().toByteArray(), false);
    g.lib = Template.compile(ExportTraceServiceRequest.newBuilder().addResourceSpans(b.libSpans(gatewayRust)).build().toByteArray(), false);
    ExportLogsServiceRequest.Builder logs = ExportLogsServiceRequest.newBuilder();
    if (!b.goLogs.isEmpty()) {
      logs.addResourceLogs(ResourceLogs.newBuilder().setResource(gatewayGo).setSchemaUrl(SCHEMA)
          .addScopeLogs(ScopeLogs.newBuilder().setScope(scope(GATEWAY_SCOPE, "")).addAllLogRecords(b.goLogs)));
    }
    if (!b.rustLogs.isEmpty()) {
      logs.addResourceLogs(ResourceLogs.newBuilder().setResource(pricing)
          .addScopeLogs(ScopeLogs.newBuilder().setScope(scope(APPENDER_SCOPE, "0.33.0")).addAllLogRecords(b.rustLogs)));
    }
    g.logs = logs.getResourceLogsCount() == 0 ? null : Template.compile(logs.build().toByteArray(), true);
    return g;
  }

  /** Spans and log records of one group (or probe), per SDK and scope. */
  private static final class Batches {
    final long now;
    final List<Span> goHttp = new ArrayList<>();
    final List<Span> goGrpc = new ArrayList<>();
    final List<Span> goApp = new ArrayList<>();
    final List<Span> rust = new ArrayList<>();
    final List<Span> lib = new ArrayList<>();
    final List<LogRecord> goLogs = new ArrayList<>();
    final List<LogRecord> rustLogs = new ArrayList<>();

    Batches(long now) {
      this.now = now;
    }

    ResourceSpans goSpans(Resource r) {
      ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(r).setSchemaUrl(SCHEMA);
      if (!goHttp.isEmpty()) {
        rs.addScopeSpans(ScopeSpans.newBuilder().setScope(scope(OTELHTTP, CONTRIB_VERSION)).addAllSpans(goHttp));
      }
      if (!goGrpc.isEmpty()) {
        rs.addScopeSpans(ScopeSpans.newBuilder().setScope(scope(OTELGRPC, CONTRIB_VERSION)).addAllSpans(goGrpc));
      }
      if (!goApp.isEmpty()) {
        rs.addScopeSpans(ScopeSpans.newBuilder().setScope(scope(GATEWAY_SCOPE, "")).addAllSpans(goApp));
      }
      return rs.build();
    }

    ResourceSpans rustSpans(Resource r) {
      return ResourceSpans.newBuilder().setResource(r)
          .addScopeSpans(ScopeSpans.newBuilder().setScope(scope(PRICING_SCOPE, "")).addAllSpans(rust)).build();
    }

    ResourceSpans libSpans(Resource r) {
      return ResourceSpans.newBuilder().setResource(r)
          .addScopeSpans(ScopeSpans.newBuilder().setScope(scope(FFI_SCOPE, "")).addAllSpans(lib)).build();
    }
  }

  /** otelhttp client -> axum server; slots: 0 Go caller's parent, 1 Go CLIENT, 2 Rust SERVER, 3 Rust inner. */
  private static void httpTrace(Batches b, Random r, ByteString trace, ByteString[] id, long start, Failure failure) {
    String route = HTTP_ROUTES[r.nextInt(HTTP_ROUTES.length)];
    String path = concretePath(route, r);
    long serverDur = failure == Failure.HTTP_503 ? logNormal(r, 250 * US, 0.3) : logNormal(r, 800 * US, 0.5);
    long overhead = logNormal(r, 300 * US, 0.4);
    long clientDur = serverDur + overhead;
    if (failure == Failure.HTTP_TIMEOUT) {
      clientDur = 250 * MS; // the Go context's deadline
      serverDur = 380 * MS + r.nextInt(40) * MS; // the Rust handler was slow, and never knew
    }
    long clientStart = start + 20 * US;
    long serverStart = clientStart + overhead / 2;
    String itemId = Integer.toString(r.nextInt(100_000));

    Span.Builder parent = span(trace, id[0], null, "fetchPrice", SpanKind.SPAN_KIND_INTERNAL, LOCAL, start, clientDur + logNormal(r, 60 * US, 0.3))
        .addAttributes(kv("code.function.name", "main.(*gateway).fetchPrice")).addAttributes(kv("item.id", itemId));
    if (failure != Failure.NONE) {
      parent.setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "pricing call failed"));
    }
    b.goApp.add(parent.build());

    String url = "http://pricing:8080" + path;
    Span.Builder c = span(trace, id[1], id[0], "HTTP GET", SpanKind.SPAN_KIND_CLIENT, LOCAL, clientStart, clientDur)
        .addAttributes(kv("http.request.method", "GET")).addAttributes(kv("url.full", url))
        .addAttributes(kv("server.address", "pricing")).addAttributes(kv("server.port", 8080))
        .addAttributes(kv("network.protocol.version", "1.1")).addAttributes(kv("peer.service", "pricing"));
    Span.Builder s = span(trace, id[2], id[1], "GET " + route, SpanKind.SPAN_KIND_SERVER, REMOTE_PARENT, serverStart, serverDur)
        .addAttributes(kv("http.request.method", "GET")).addAttributes(kv("http.route", route))
        .addAttributes(kv("network.protocol.version", "1.1")).addAttributes(kv("server.address", "pricing:8080"))
        .addAttributes(kv("url.path", path)).addAttributes(kv("url.scheme", "")).addAttributes(kv("span.type", "web"))
        .addAttributes(kv("user_agent.original", "Go-http-client/1.1"));
    switch (failure) {
      case HTTP_503:
        c.addAttributes(kv("http.response.status_code", 503)).addAttributes(kv("error.type", "503"))
            .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, ""));
        s.addAttributes(kv("http.response.status_code", 503)).addAttributes(kv("error.type", "503"))
            .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, ""));
        b.rustLogs.add(rustErrorLog(trace, id[2], serverStart + serverDur - 20 * US, "pricing backend unavailable",
            "event pricing-service/src/http.rs:52", itemId));
        break;
      case HTTP_TIMEOUT:
        String message = "Get \"" + url + "\": context deadline exceeded";
        c.addAttributes(kv("error.type", "context.deadlineExceededError"))
            .setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, message))
            .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(clientStart + clientDur)
                .addAttributes(kv("exception.type", "*url.Error")).addAttributes(kv("exception.message", message)));
        s.addAttributes(kv("http.response.status_code", 200));
        b.goLogs.add(LogRecord.newBuilder().setTimeUnixNano(clientStart + clientDur + 15 * US).setObservedTimeUnixNano(clientStart + clientDur + 15 * US)
            .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR).setSeverityText("ERROR").setFlags(1)
            .setTraceId(trace).setSpanId(id[1]).setBody(AnyValue.newBuilder().setStringValue("price lookup failed"))
            .addAttributes(kv("error", message)).addAttributes(kv("item.id", itemId)).build());
        break;
      default:
        c.addAttributes(kv("http.response.status_code", 200));
        s.addAttributes(kv("http.response.status_code", 200));
        break;
    }
    b.goHttp.add(c.build());
    b.rust.add(rustExtras(s, r, "pricing_service::http", "pricing-service/src/http.rs", 43, serverDur).build());
    long innerDur = failure == Failure.HTTP_TIMEOUT ? serverDur - 100 * US : serverDur * 7 / 10;
    b.rust.add(rustExtras(span(trace, id[3], id[2], "compute_price", SpanKind.SPAN_KIND_INTERNAL, LOCAL, serverStart + 30 * US, innerDur),
        r, "pricing_service::engine", "pricing-service/src/engine.rs", 118, innerDur).build());
  }

  /** otelhttp server -> otelgrpc client -> tonic server -> inner span. */
  private static void grpcTrace(Batches b, Random r, ByteString trace, ByteString[] id, long start, Failure failure) {
    String method = GRPC_METHODS[r.nextInt(GRPC_METHODS.length)];
    String service = method.substring(0, method.indexOf('/'));
    String shortMethod = method.substring(method.indexOf('/') + 1);
    boolean failed = failure == Failure.GRPC_UNAVAILABLE;
    long serverDur = failed ? logNormal(r, 400 * US, 0.3) : logNormal(r, 1100 * US, 0.5);
    long overhead = logNormal(r, 250 * US, 0.4);
    long clientDur = serverDur + overhead;
    long clientStart = start + 40 * US;
    long serverStart = clientStart + overhead / 2;
    String quoteId = Integer.toString(r.nextInt(100_000));

    b.goHttp.add(goServerSpan(r, trace, id[0], "/quote/{id}", "/quote/" + quoteId, start, clientDur + logNormal(r, 90 * US, 0.3), failed ? 502 : 200));
    Span.Builder c = span(trace, id[1], id[0], method, SpanKind.SPAN_KIND_CLIENT, LOCAL, clientStart, clientDur)
        .addAttributes(kv("rpc.system.name", "grpc")).addAttributes(kv("rpc.method", method))
        .addAttributes(kv("peer.service", "pricing")).addAttributes(kv("server.address", "pricing"))
        .addAttributes(kv("server.port", 50051)).addAttributes(kv("rpc.response.status_code", failed ? "UNAVAILABLE" : "OK"));
    Span.Builder s = span(trace, id[2], id[1], method, SpanKind.SPAN_KIND_SERVER, REMOTE_PARENT, serverStart, serverDur)
        .addAttributes(kv("rpc.system", "grpc")).addAttributes(kv("rpc.service", service)).addAttributes(kv("rpc.method", shortMethod))
        .addAttributes(kv("http.user_agent", "grpc-go/1.85.0")).addAttributes(kv("server.address", "pricing:50051"))
        .addAttributes(kv("network.peer.address", "10.0.3." + (2 + r.nextInt(200))))
        .addAttributes(kv("rpc.grpc.status_code", failed ? "14" : "0"));
    if (failed) {
      c.setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "pricing backend unavailable"));
      s.setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, "pricing backend unavailable"));
      b.rustLogs.add(rustErrorLog(trace, id[2], serverStart + serverDur - 30 * US, "pricing backend unavailable",
          "event pricing-service/src/grpc.rs:61", quoteId));
    } else {
      s.setStatus(status(Status.StatusCode.STATUS_CODE_OK, ""));
    }
    b.goGrpc.add(c.build());
    b.rust.add(rustExtras(s, r, "pricing_service::grpc", "pricing-service/src/grpc.rs", 37, serverDur).build());
    long innerDur = serverDur * 7 / 10;
    b.rust.add(rustExtras(span(trace, id[3], id[2], "compute_price", SpanKind.SPAN_KIND_INTERNAL, LOCAL, serverStart + 25 * US, innerDur),
        r, "pricing_service::engine", "pricing-service/src/engine.rs", 118, innerDur).build());
  }

  /** otelhttp server -> Go wrapper around the cgo call -> the Rust library's span (remote parent) -> inner. */
  private static void ffiTrace(Batches b, Random r, ByteString trace, ByteString[] id, long start) {
    long libDur = logNormal(r, 12 * US, 0.4);
    long wrapperDur = libDur + logNormal(r, 25 * US, 0.3);
    long wrapperStart = start + 30 * US;
    long libStart = wrapperStart + (wrapperDur - libDur) / 2;
    String itemId = Integer.toString(r.nextInt(100_000));
    b.goHttp.add(goServerSpan(r, trace, id[0], "/quote/ffi/{id}", "/quote/ffi/" + itemId, start, wrapperDur + logNormal(r, 70 * US, 0.3), 200));
    b.goApp.add(span(trace, id[1], id[0], "pricing.quote (ffi)", SpanKind.SPAN_KIND_INTERNAL, LOCAL, wrapperStart, wrapperDur)
        .addAttributes(kv("code.function.name", "main.(*gateway).quoteFFI")).addAttributes(kv("item.id", itemId)).build());
    b.lib.add(span(trace, id[2], id[1], "quote", SpanKind.SPAN_KIND_INTERNAL, REMOTE_PARENT, libStart, libDur)
        .addAttributes(kv("item.id", itemId)).addAttributes(kv("seam.allocated_bytes", logNormal(r, 8192, 0.6)))
        .addAttributes(kv("code.file.path", "pricing-ffi/src/lib.rs")).addAttributes(kv("code.module.name", "pricing_ffi"))
        .addAttributes(kv("code.line.number", 88)).addAttributes(kv("thread.id", 1)).addAttributes(kv("thread.name", "main"))
        .addAttributes(kv("busy_ns", libDur * 3 / 4)).addAttributes(kv("idle_ns", libDur / 4)).build());
    long innerDur = libDur * 6 / 10;
    b.lib.add(span(trace, id[3], id[2], "evaluate", SpanKind.SPAN_KIND_INTERNAL, LOCAL, libStart + 2 * US, innerDur)
        .addAttributes(kv("code.file.path", "pricing-ffi/src/model.rs")).addAttributes(kv("code.module.name", "pricing_ffi::model"))
        .addAttributes(kv("code.line.number", 214)).addAttributes(kv("thread.id", 1)).addAttributes(kv("thread.name", "main"))
        .addAttributes(kv("busy_ns", innerDur)).addAttributes(kv("idle_ns", 0)).build());
  }

  private static Span goServerSpan(Random r, ByteString trace, ByteString id, String route, String path, long start, long dur, int status) {
    Span.Builder s = span(trace, id, null, "GET " + route, SpanKind.SPAN_KIND_SERVER, LOCAL, start, dur)
        .addAttributes(kv("http.request.method", "GET")).addAttributes(kv("url.scheme", "http")).addAttributes(kv("url.path", path))
        .addAttributes(kv("server.address", "gateway")).addAttributes(kv("server.port", 8080))
        .addAttributes(kv("network.peer.address", "10.0.1." + (2 + r.nextInt(200)))).addAttributes(kv("network.peer.port", 30000 + r.nextInt(30000)))
        .addAttributes(kv("user_agent.original", "k6/0.52.0 (https://k6.io/)")).addAttributes(kv("client.address", "10.0.0.7"))
        .addAttributes(kv("network.protocol.version", "1.1")).addAttributes(kv("http.route", route))
        .addAttributes(kv("http.response.status_code", status));
    if (status >= 500) {
      s.addAttributes(kv("error.type", Integer.toString(status))).setStatus(status(Status.StatusCode.STATUS_CODE_ERROR, ""));
    }
    return s.build();
  }

  /** What tracing-opentelemetry adds to every span. */
  private static Span.Builder rustExtras(Span.Builder b, Random r, String module, String file, int line, long dur) {
    long idle = dur / 5;
    return b.addAttributes(kv("code.file.path", file)).addAttributes(kv("code.module.name", module))
        .addAttributes(kv("code.line.number", line)).addAttributes(kv("thread.id", 2 + r.nextInt(8)))
        .addAttributes(kv("thread.name", "tokio-runtime-worker")).addAttributes(kv("target", module))
        .addAttributes(kv("busy_ns", dur - idle)).addAttributes(kv("idle_ns", idle));
  }

  /** opentelemetry-appender-tracing: no time, observed time set, the current span's ids. */
  private static LogRecord rustErrorLog(ByteString trace, ByteString span, long observed, String message, String event, String item) {
    return LogRecord.newBuilder().setTimeUnixNano(0).setObservedTimeUnixNano(observed)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR).setSeverityText("ERROR").setFlags(1).setEventName(event)
        .setTraceId(trace).setSpanId(span).setBody(AnyValue.newBuilder().setStringValue(message))
        .addAttributes(kv("item.id", item)).build();
  }

  private static String concretePath(String route, Random r) {
    return route.replace("{id}", Integer.toString(r.nextInt(100_000)))
        .replace("{currency}", CURRENCIES[r.nextInt(CURRENCIES.length)])
        .replace("{sku}", "SKU-" + (10_000 + r.nextInt(90_000)));
  }

  private static long logNormal(Random r, long median, double sigma) {
    return Math.max(1, Math.round(median * Math.exp(sigma * r.nextGaussian())));
  }

  private static <T> void shuffle(T[] a, Random r) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      T t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static Span.Builder span(ByteString trace, ByteString id, ByteString parent, String name, SpanKind kind, int flags, long start, long dur) {
    Span.Builder b = Span.newBuilder().setTraceId(trace).setSpanId(id).setName(name).setKind(kind).setFlags(flags)
        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + dur);
    if (parent != null) {
      b.setParentSpanId(parent);
    }
    return b;
  }

  private static Resource resource(String service, String language) {
    boolean go = language.equals("go");
    boolean lib = service.equals("gateway-ffi");
    // The cgo library runs in the gateway's process and reports under the gateway's name; its
    // SDK is a second one, so its resource differs (language, SDK version, instance id).
    String name = lib ? "gateway" : service;
    Resource.Builder r = Resource.newBuilder()
        .addAttributes(kv("service.name", name))
        .addAttributes(kv("service.version", go || lib ? "1.8.2" : "0.9.0"))
        .addAttributes(kv("service.instance.id", uuid(service + language)))
        .addAttributes(kv("deployment.environment.name", "bench"))
        .addAttributes(kv("telemetry.sdk.language", language))
        .addAttributes(kv("telemetry.sdk.name", "opentelemetry"))
        .addAttributes(kv("telemetry.sdk.version", go ? "1.47.0" : "0.33.1"));
    if (go || lib) {
      r.addAttributes(kv("host.name", "gateway-7d9f8b6c5-x2x4k")).addAttributes(kv("process.pid", 4242));
    } else {
      r.addAttributes(kv("host.name", "pricing-5c8d7b9f4-qq7mn")).addAttributes(kv("host.arch", "amd64"))
          .addAttributes(kv("process.pid", 1));
    }
    if (go) {
      r.addAttributes(kv("process.runtime.name", "go")).addAttributes(kv("process.runtime.version", "go1.26.8"))
          .addAttributes(kv("process.executable.name", "gateway"));
    } else {
      r.addAttributes(kv("process.runtime.name", "rustc"));
    }
    return r.build();
  }

  private static String uuid(String s) {
    UUID u = UUID.nameUUIDFromBytes(s.getBytes(StandardCharsets.UTF_8));
    return u.toString();
  }

  private static InstrumentationScope scope(String name, String version) {
    return InstrumentationScope.newBuilder().setName(name).setVersion(version).build();
  }

  private static Status status(Status.StatusCode code, String message) {
    return Status.newBuilder().setCode(code).setMessage(message).build();
  }

  private static ByteString traceId(long hi, long lo) {
    byte[] b = new byte[16];
    BE_LONG.set(b, 0, hi);
    BE_LONG.set(b, 8, lo);
    return ByteString.copyFrom(b);
  }

  private static ByteString spanId(long v) {
    byte[] b = new byte[8];
    BE_LONG.set(b, 0, v);
    return ByteString.copyFrom(b);
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static KeyValue kv(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  // ---------------------------------------------------------------------------------------------
  // Templates: encoded bytes plus where the ids and timestamps sit

  private static final class Group {
    Template go;
    Template rust;
    Template lib;
    Template logs;
  }

  /**
   * An encoded request and the offsets of its ids and timestamps. In a template a trace id is
   * {@code (0, i + 1)} for trace i and a span id is {@code slot + 1}, so the offsets map back to
   * the group's fresh ids; a timestamp is {@code TIME_BASE + offset from now}.
   */
  static final class Template {
    final byte[] bytes;
    final int items;
    final int[] tracePos;
    final int[] traceSlot;
    final int[] spanPos;
    final int[] spanSlot;
    final int[] timePos;
    final long[] timeOffset;

    private Template(byte[] bytes, int items, IntList tracePos, IntList traceSlot, IntList spanPos, IntList spanSlot, IntList timePos, List<Long> timeOffset) {
      this.bytes = bytes;
      this.items = items;
      this.tracePos = tracePos.toArray();
      this.traceSlot = traceSlot.toArray();
      this.spanPos = spanPos.toArray();
      this.spanSlot = spanSlot.toArray();
      this.timePos = timePos.toArray();
      this.timeOffset = timeOffset.stream().mapToLong(Long::longValue).toArray();
    }

    byte[] patch(long[] traceHi, long[] traceLo, long[] spanIds, long now) {
      byte[] out = bytes.clone();
      for (int i = 0; i < tracePos.length; i++) {
        int t = traceSlot[i];
        BE_LONG.set(out, tracePos[i], traceHi[t]);
        BE_LONG.set(out, tracePos[i] + 8, traceLo[t]);
      }
      for (int i = 0; i < spanPos.length; i++) {
        BE_LONG.set(out, spanPos[i], spanIds[spanSlot[i]]);
      }
      for (int i = 0; i < timePos.length; i++) {
        LE_LONG.set(out, timePos[i], now + timeOffset[i]);
      }
      return out;
    }

    /** Spans (log records) in an encoded trace (logs) export request. */
    static int countItems(byte[] b) {
      return forEachItem(b, item -> {});
    }

    /**
     * Hands a reader over each span (log record) of an encoded trace (logs) export request to
     * {@code visit}, and returns how many there were: request.1 -> resource container .2 -> scope
     * container .2 -> span or log record.
     */
    private static int forEachItem(byte[] b, Consumer<Reader> visit) {
      int items = 0;
      Reader top = new Reader(b, 0, b.length);
      while (top.more()) {
        int tag = top.tag();
        if (tag != ((1 << 3) | 2)) {
          top.skip(tag);
          continue;
        }
        Reader res = top.sub();
        while (res.more()) {
          int rt = res.tag();
          if (rt != ((2 << 3) | 2)) {
            res.skip(rt);
            continue;
          }
          Reader sc = res.sub();
          while (sc.more()) {
            int st = sc.tag();
            if (st != ((2 << 3) | 2)) {
              sc.skip(st);
              continue;
            }
            items++;
            visit.accept(sc.sub());
          }
        }
      }
      return items;
    }

    /**
     * Walks an encoded ExportTraceServiceRequest (or, with {@code logs}, ExportLogsServiceRequest)
     * and records where the ids and timestamps of its spans (log records) are.
     */
    static Template compile(byte[] b, boolean logs) {
      IntList tracePos = new IntList();
      IntList traceSlot = new IntList();
      IntList spanPos = new IntList();
      IntList spanSlot = new IntList();
      IntList timePos = new IntList();
      List<Long> timeOffset = new ArrayList<>();
      int items = forEachItem(b, item -> {
        while (item.more()) {
          int it = item.tag();
          int field = it >>> 3;
          int wire = it & 7;
          int traceField = logs ? 9 : 1;
          int spanField = logs ? 10 : 2;
          if (wire == 2 && (field == traceField || field == spanField || (!logs && field == 4))) {
            int len = item.varint();
            int pos = item.pos;
            if (len == 16 && field == traceField) {
              tracePos.add(pos);
              traceSlot.add((int) ((long) BE_LONG.get(b, pos + 8) - 1));
            } else if (len == 8 && field != traceField) {
              spanPos.add(pos);
              spanSlot.add((int) ((long) BE_LONG.get(b, pos) - 1));
            }
            item.pos += len;
          } else if (wire == 1 && (logs ? (field == 1 || field == 11) : (field == 7 || field == 8))) {
            long v = (long) LE_LONG.get(b, item.pos);
            if (v != 0) {
              timePos.add(item.pos);
              timeOffset.add(v - TIME_BASE);
            }
            item.pos += 8;
          } else if (!logs && wire == 2 && field == 11) {
            // Span.Event: its time (field 1) moves with the span.
            Reader ev = item.sub();
            while (ev.more()) {
              int et = ev.tag();
              if (et == ((1 << 3) | 1)) {
                timePos.add(ev.pos);
                timeOffset.add((long) LE_LONG.get(b, ev.pos) - TIME_BASE);
                ev.pos += 8;
              } else {
                ev.skip(et);
              }
            }
          } else {
            item.skip(it);
          }
        }
      });
      return new Template(b, items, tracePos, traceSlot, spanPos, spanSlot, timePos, timeOffset);
    }
  }

  /** A minimal protobuf wire reader over a slice of an array. */
  private static final class Reader {
    final byte[] b;
    int pos;
    final int end;

    Reader(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    int tag() {
      return varint();
    }

    int varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte x = b[pos++];
        v |= (long) (x & 0x7f) << shift;
        if (x >= 0) {
          return (int) v;
        }
      }
      throw new IllegalArgumentException("malformed varint");
    }

    /** The length-delimited field whose tag was just read, as a reader; this one moves past it. */
    Reader sub() {
      int len = varint();
      Reader r = new Reader(b, pos, pos + len);
      pos += len;
      return r;
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0: varint(); break;
        case 1: pos += 8; break;
        case 2: {
          int len = varint(); // read first: "pos += varint()" would add to the old pos
          pos += len;
          break;
        }
        case 5: pos += 4; break;
        default: throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
      }
    }
  }

  private static final class IntList {
    int[] a = new int[64];
    int n;

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // OTLP/JSON

  /** Writes a trace export request in the OTLP/JSON encoding. */
  private static final class OtlpJsonWriter {
    private static final HexFormat HEX = HexFormat.of();
    private final StringBuilder sb = new StringBuilder(4096);

    static String write(ExportTraceServiceRequest req) {
      OtlpJsonWriter w = new OtlpJsonWriter();
      w.sb.append("{\"resourceSpans\":[");
      for (int i = 0; i < req.getResourceSpansCount(); i++) {
        if (i > 0) {
          w.sb.append(',');
        }
        w.resourceSpans(req.getResourceSpans(i));
      }
      w.sb.append("]}");
      return w.sb.toString();
    }

    private void resourceSpans(ResourceSpans rs) {
      sb.append('{');
      if (rs.hasResource()) {
        sb.append("\"resource\":{\"attributes\":");
        attributes(rs.getResource().getAttributesList());
        if (rs.getResource().getDroppedAttributesCount() > 0) {
          sb.append(",\"droppedAttributesCount\":").append(rs.getResource().getDroppedAttributesCount());
        }
        sb.append("},");
      }
      sb.append("\"scopeSpans\":[");
      for (int i = 0; i < rs.getScopeSpansCount(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        scopeSpans(rs.getScopeSpans(i));
      }
      sb.append(']');
      if (!rs.getSchemaUrl().isEmpty()) {
        sb.append(",\"schemaUrl\":");
        string(rs.getSchemaUrl());
      }
      sb.append('}');
    }

    private void scopeSpans(ScopeSpans ss) {
      sb.append('{');
      if (ss.hasScope()) {
        sb.append("\"scope\":{\"name\":");
        string(ss.getScope().getName());
        if (!ss.getScope().getVersion().isEmpty()) {
          sb.append(",\"version\":");
          string(ss.getScope().getVersion());
        }
        if (ss.getScope().getAttributesCount() > 0) {
          sb.append(",\"attributes\":");
          attributes(ss.getScope().getAttributesList());
        }
        sb.append("},");
      }
      sb.append("\"spans\":[");
      for (int i = 0; i < ss.getSpansCount(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        span(ss.getSpans(i));
      }
      sb.append(']');
      if (!ss.getSchemaUrl().isEmpty()) {
        sb.append(",\"schemaUrl\":");
        string(ss.getSchemaUrl());
      }
      sb.append('}');
    }

    private void span(Span s) {
      sb.append("{\"traceId\":\"").append(HEX.formatHex(s.getTraceId().toByteArray()))
          .append("\",\"spanId\":\"").append(HEX.formatHex(s.getSpanId().toByteArray())).append('"');
      if (!s.getTraceState().isEmpty()) {
        sb.append(",\"traceState\":");
        string(s.getTraceState());
      }
      if (!s.getParentSpanId().isEmpty()) {
        sb.append(",\"parentSpanId\":\"").append(HEX.formatHex(s.getParentSpanId().toByteArray())).append('"');
      }
      if (s.getFlags() != 0) {
        sb.append(",\"flags\":").append(Integer.toUnsignedString(s.getFlags()));
      }
      sb.append(",\"name\":");
      string(s.getName());
      sb.append(",\"kind\":").append(s.getKindValue());
      sb.append(",\"startTimeUnixNano\":\"").append(Long.toUnsignedString(s.getStartTimeUnixNano()))
          .append("\",\"endTimeUnixNano\":\"").append(Long.toUnsignedString(s.getEndTimeUnixNano())).append('"');
      if (s.getAttributesCount() > 0) {
        sb.append(",\"attributes\":");
        attributes(s.getAttributesList());
      }
      if (s.getDroppedAttributesCount() > 0) {
        sb.append(",\"droppedAttributesCount\":").append(s.getDroppedAttributesCount());
      }
      if (s.getEventsCount() > 0) {
        sb.append(",\"events\":[");
        for (int i = 0; i < s.getEventsCount(); i++) {
          Span.Event e = s.getEvents(i);
          if (i > 0) {
            sb.append(',');
          }
          sb.append("{\"timeUnixNano\":\"").append(Long.toUnsignedString(e.getTimeUnixNano())).append("\",\"name\":");
          string(e.getName());
          if (e.getAttributesCount() > 0) {
            sb.append(",\"attributes\":");
            attributes(e.getAttributesList());
          }
          sb.append('}');
        }
        sb.append(']');
      }
      if (s.getLinksCount() > 0) {
        sb.append(",\"links\":[");
        for (int i = 0; i < s.getLinksCount(); i++) {
          Span.Link l = s.getLinks(i);
          if (i > 0) {
            sb.append(',');
          }
          sb.append("{\"traceId\":\"").append(HEX.formatHex(l.getTraceId().toByteArray()))
              .append("\",\"spanId\":\"").append(HEX.formatHex(l.getSpanId().toByteArray())).append('"');
          if (!l.getTraceState().isEmpty()) {
            sb.append(",\"traceState\":");
            string(l.getTraceState());
          }
          if (l.getAttributesCount() > 0) {
            sb.append(",\"attributes\":");
            attributes(l.getAttributesList());
          }
          if (l.getFlags() != 0) {
            sb.append(",\"flags\":").append(Integer.toUnsignedString(l.getFlags()));
          }
          sb.append('}');
        }
        sb.append(']');
      }
      if (s.hasStatus() && (s.getStatus().getCodeValue() != 0 || !s.getStatus().getMessage().isEmpty())) {
        sb.append(",\"status\":{");
        boolean comma = false;
        if (!s.getStatus().getMessage().isEmpty()) {
          sb.append("\"message\":");
          string(s.getStatus().getMessage());
          comma = true;
        }
        if (s.getStatus().getCodeValue() != 0) {
          if (comma) {
            sb.append(',');
          }
          sb.append("\"code\":").append(s.getStatus().getCodeValue());
        }
        sb.append('}');
      }
      sb.append('}');
    }

    private void attributes(List<KeyValue> kvs) {
      sb.append('[');
      for (int i = 0; i < kvs.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append("{\"key\":");
        string(kvs.get(i).getKey());
        sb.append(",\"value\":");
        value(kvs.get(i).getValue());
        sb.append('}');
      }
      sb.append(']');
    }

    private void value(AnyValue v) {
      switch (v.getValueCase()) {
        case STRING_VALUE:
          sb.append("{\"stringValue\":");
          string(v.getStringValue());
          sb.append('}');
          break;
        case BOOL_VALUE:
          sb.append("{\"boolValue\":").append(v.getBoolValue()).append('}');
          break;
        case INT_VALUE:
          sb.append("{\"intValue\":\"").append(v.getIntValue()).append("\"}");
          break;
        case DOUBLE_VALUE:
          double d = v.getDoubleValue();
          sb.append("{\"doubleValue\":");
          if (Double.isNaN(d) || Double.isInfinite(d)) {
            sb.append('"').append(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity").append('"');
          } else {
            sb.append(d);
          }
          sb.append('}');
          break;
        case BYTES_VALUE:
          sb.append("{\"bytesValue\":\"").append(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray())).append("\"}");
          break;
        case ARRAY_VALUE:
          sb.append("{\"arrayValue\":{\"values\":[");
          for (int i = 0; i < v.getArrayValue().getValuesCount(); i++) {
            if (i > 0) {
              sb.append(',');
            }
            value(v.getArrayValue().getValues(i));
          }
          sb.append("]}}");
          break;
        case KVLIST_VALUE:
          sb.append("{\"kvlistValue\":{\"values\":");
          attributes(v.getKvlistValue().getValuesList());
          sb.append("}}");
          break;
        default:
          sb.append("{}");
          break;
      }
    }

    private void string(String s) {
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"': sb.append("\\\""); break;
          case '\\': sb.append("\\\\"); break;
          case '\n': sb.append("\\n"); break;
          case '\r': sb.append("\\r"); break;
          case '\t': sb.append("\\t"); break;
          default:
            if (c < 0x20) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
        }
      }
      sb.append('"');
    }
  }
}
