package dev.seam.bench;

import static dev.seam.bench.SdkSpans.MS;
import static dev.seam.bench.SdkSpans.US;
import static dev.seam.bench.SdkSpans.spanId;
import static dev.seam.bench.SdkSpans.traceId;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Arrays;
import java.util.Random;

/**
 * Builds one variant of a group: which trace crosses which boundary and which of them fail, the
 * SDK-shaped spans and logs of each, encoded once as templates whose ids and times are
 * placeholders.
 */
final class VariantBuilder {

  private enum Kind {
    HTTP,
    GRPC,
    FFI
  }

  private VariantBuilder() {}

  /** A variant of {@code mix}: routes, durations and failing traces drawn from {@code r}. */
  static GroupTemplates build(GroupMix mix, Random r) {
    int traces = mix.traces;
    Kind[] kinds = new Kind[traces];
    int k = 0;
    for (int i = 0; i < mix.httpTraces; i++) {
      kinds[k++] = Kind.HTTP;
    }
    for (int i = 0; i < mix.grpcTraces; i++) {
      kinds[k++] = Kind.GRPC;
    }
    for (int i = 0; i < mix.ffiTraces; i++) {
      kinds[k++] = Kind.FFI;
    }
    shuffle(kinds, r);
    Failure[] fail = new Failure[traces];
    Arrays.fill(fail, Failure.NONE);
    for (Failure f : mix.failures) {
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

    SdkBatches b = new SdkBatches();
    for (int t = 0; t < traces; t++) {
      ByteString trace = traceId(0, t + 1L);
      ByteString[] ids = new ByteString[4];
      for (int s = 0; s < 4; s++) {
        ids[s] = spanId(4L * t + s + 1);
      }
      // Traces start about a millisecond apart and end before "now": a batch holds ended spans.
      long start = Template.TIME_BASE - 300 * MS - (traces - t) * MS + r.nextInt(1000) * US;
      switch (kinds[t]) {
        case HTTP:
          HttpTraces.add(b, r, trace, ids, start, fail[t]);
          break;
        case GRPC:
          GrpcTraces.add(b, r, trace, ids, start, fail[t]);
          break;
        default:
          FfiTraces.add(b, r, trace, ids, start);
          break;
      }
    }
    Resource gatewayGo = SdkResources.resource("gateway", "go");
    Resource pricing = SdkResources.resource("pricing", "rust");
    Resource gatewayRust = SdkResources.resource("gateway-ffi", "rust");
    Template go =
        Template.compile(
            ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(b.goSpans(gatewayGo))
                .build()
                .toByteArray(),
            false);
    Template rust =
        Template.compile(
            ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(b.rustSpans(pricing))
                .build()
                .toByteArray(),
            false);
    Template lib =
        Template.compile(
            ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(b.libSpans(gatewayRust))
                .build()
                .toByteArray(),
            false);
    ExportLogsServiceRequest logs = b.logRequest(gatewayGo, pricing);
    return new GroupTemplates(
        go, rust, lib, logs == null ? null : Template.compile(logs.toByteArray(), true));
  }

  private static <T> void shuffle(T[] a, Random r) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      T t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
