package dev.seam.bench;

import static dev.seam.bench.SdkSpans.LOCAL;
import static dev.seam.bench.SdkSpans.REMOTE_PARENT;
import static dev.seam.bench.SdkSpans.US;
import static dev.seam.bench.SdkSpans.goServerSpan;
import static dev.seam.bench.SdkSpans.kv;
import static dev.seam.bench.SdkSpans.logNormal;
import static dev.seam.bench.SdkSpans.span;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.Random;

/**
 * FFI traces: a Go HTTP handler calls the Rust pricing library through cgo, in its own process; the
 * library's spans come from a second SDK (Rust), under the gateway's name.
 */
final class FfiTraces {

  private FfiTraces() {}

  /**
   * otelhttp server -> Go wrapper around the cgo call -> the Rust library's span (remote parent) ->
   * inner.
   */
  static void add(SdkBatches b, Random r, ByteString trace, ByteString[] id, long start) {
    long libDur = logNormal(r, 12 * US, 0.4);
    long wrapperDur = libDur + logNormal(r, 25 * US, 0.3);
    long wrapperStart = start + 30 * US;
    long libStart = wrapperStart + (wrapperDur - libDur) / 2;
    String itemId = Integer.toString(r.nextInt(100_000));
    b.goHttp.add(
        goServerSpan(
            r,
            trace,
            id[0],
            "/quote/ffi/{id}",
            "/quote/ffi/" + itemId,
            start,
            wrapperDur + logNormal(r, 70 * US, 0.3),
            200));
    b.goApp.add(
        span(
                trace,
                id[1],
                id[0],
                "pricing.quote (ffi)",
                SpanKind.SPAN_KIND_INTERNAL,
                LOCAL,
                wrapperStart,
                wrapperDur)
            .addAttributes(kv("code.function.name", "main.(*gateway).quoteFFI"))
            .addAttributes(kv("item.id", itemId))
            .build());
    b.lib.add(
        span(
                trace,
                id[2],
                id[1],
                "quote",
                SpanKind.SPAN_KIND_INTERNAL,
                REMOTE_PARENT,
                libStart,
                libDur)
            .addAttributes(kv("item.id", itemId))
            .addAttributes(kv("seam.allocated_bytes", logNormal(r, 8192, 0.6)))
            .addAttributes(kv("code.file.path", "pricing-ffi/src/lib.rs"))
            .addAttributes(kv("code.module.name", "pricing_ffi"))
            .addAttributes(kv("code.line.number", 88))
            .addAttributes(kv("thread.id", 1))
            .addAttributes(kv("thread.name", "main"))
            .addAttributes(kv("busy_ns", libDur * 3 / 4))
            .addAttributes(kv("idle_ns", libDur / 4))
            .build());
    long innerDur = libDur * 6 / 10;
    b.lib.add(
        span(
                trace,
                id[3],
                id[2],
                "evaluate",
                SpanKind.SPAN_KIND_INTERNAL,
                LOCAL,
                libStart + 2 * US,
                innerDur)
            .addAttributes(kv("code.file.path", "pricing-ffi/src/model.rs"))
            .addAttributes(kv("code.module.name", "pricing_ffi::model"))
            .addAttributes(kv("code.line.number", 214))
            .addAttributes(kv("thread.id", 1))
            .addAttributes(kv("thread.name", "main"))
            .addAttributes(kv("busy_ns", innerDur))
            .addAttributes(kv("idle_ns", 0))
            .build());
  }
}
