/* pricing_ffi: the Rust pricing library of the Seam example system, called in-process from
   Go through cgo. It runs its own OpenTelemetry SDK (OTLP http/protobuf, blocking client on
   the SDK's batch threads) and exports one INTERNAL span "quote" per call, child of the
   caller's span given as a W3C traceparent.

   Build: CARGO_TARGET_DIR=/root/.cache/seam/cargo-target cargo build --release --locked
          (in examples/rust) -> $CARGO_TARGET_DIR/release/libpricing_ffi.a
   Link:  -L$CARGO_TARGET_DIR/release -lpricing_ffi -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
          (rustc --print native-static-libs; with glibc >= 2.34 and gcc as the linker,
          -lpricing_ffi -ldl -lm -lpthread is enough)

   All functions are thread-safe (several goroutines may quote at once). Besides the codes
   below, pricing_ffi_init returns 2 for invalid UTF-8 and 3 when its exporters cannot be
   built (invalid endpoint URL); a repeated init returns 0 and keeps the first settings; NULL
   or "" endpoint / service_name fall back to OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_SERVICE_NAME.
   pricing_ffi_quote returns 3 if the library failed internally (a Rust panic, caught), and
   works (untraced) before init and after shutdown. */
#ifndef PRICING_FFI_H
#define PRICING_FFI_H

#ifdef __cplusplus
extern "C" {
#endif

/* Initialise the library's own OpenTelemetry SDK. endpoint: OTLP/HTTP base URL such as
   "http://127.0.0.1:4318" (NULL: use OTEL_EXPORTER_OTLP_ENDPOINT). service_name: the
   service.name for the library's resource. Returns 0 on success. Safe to call once. */
int pricing_ffi_init(const char *endpoint, const char *service_name);

/* Quote an item. traceparent: W3C traceparent of the caller's span (may be NULL or empty:
   then the span is a root). Returns 0 on success with *out_price set; 1 when the backend is
   unavailable (item_id "fail"); 2 on bad input (NULL pointers, invalid UTF-8). */
int pricing_ffi_quote(const char *traceparent, const char *item_id, double *out_price);

/* Flush and shut down the library's SDK. */
void pricing_ffi_shutdown(void);

#ifdef __cplusplus
}
#endif

#endif /* PRICING_FFI_H */
