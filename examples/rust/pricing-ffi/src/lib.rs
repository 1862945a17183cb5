//! pricing_ffi: the Rust pricing library of the Seam example system, linked into a Go
//! program as `libpricing_ffi.a` and called through cgo (see `include/pricing_ffi.h`).
//!
//! Each quote is one INTERNAL span `quote`, child of the Go caller's span (extracted from
//! the W3C `traceparent` the caller passes, hence a remote parent), carrying
//! `seam.allocated_bytes`: the bytes this library allocated during the call, measured by a
//! counting global allocator.

use std::ffi::{CStr, c_char, c_int};

mod alloc;
mod telemetry;

#[global_allocator]
static ALLOCATOR: alloc::CountingAllocator = alloc::CountingAllocator;

/// The price of every item.
pub const PRICE: f64 = 12.5;

/// Samples in the price history a quote builds (8 KiB of f64).
const HISTORY_LEN: usize = 1024;

const OK: c_int = 0;
const UNAVAILABLE: c_int = 1;
const BAD_INPUT: c_int = 2;
const INTERNAL: c_int = 3;

/// Initialise the library's own OpenTelemetry SDK; see the header. Returns 0 on success
/// (also when already initialised: the first configuration stays), 2 on invalid UTF-8, 3
/// when the exporters cannot be built (for instance an invalid endpoint URL). NULL or empty
/// `endpoint`: OTEL_EXPORTER_OTLP_ENDPOINT (else http://localhost:4318); NULL or empty
/// `service_name`: OTEL_SERVICE_NAME (else the SDK's `unknown_service:<exe>`).
///
/// # Safety
/// `endpoint` and `service_name` are NULL or valid NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pricing_ffi_init(
    endpoint: *const c_char,
    service_name: *const c_char,
) -> c_int {
    // SAFETY: forwarded from the caller's contract.
    let (Ok(endpoint), Ok(service_name)) =
        (unsafe { optional_str(endpoint) }, unsafe { optional_str(service_name) })
    else {
        return BAD_INPUT;
    };
    // Empty strings mean "not given", like NULL.
    let endpoint = endpoint.filter(|value| !value.is_empty());
    let service_name = service_name.filter(|value| !value.is_empty());
    let result = std::panic::catch_unwind(|| telemetry::init(endpoint, service_name));
    match result {
        Ok(Ok(())) | Ok(Err(telemetry::InitError::AlreadyInitialized)) => OK,
        Ok(Err(telemetry::InitError::Exporter(err))) => {
            eprintln!("pricing_ffi: OpenTelemetry exporter setup failed: {err}");
            INTERNAL
        }
        Err(_) => INTERNAL,
    }
}

/// Quote an item; see the header. Returns 0 with `*out_price` set, 1 when the backend is
/// unavailable (item "fail"), 2 on bad input, 3 on an internal error.
///
/// # Safety
/// `traceparent` is NULL or a valid NUL-terminated string; `item_id` is NULL or a valid
/// NUL-terminated string; `out_price` is NULL or valid for writing one double.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pricing_ffi_quote(
    traceparent: *const c_char,
    item_id: *const c_char,
    out_price: *mut f64,
) -> c_int {
    if out_price.is_null() {
        return BAD_INPUT;
    }
    // SAFETY: forwarded from the caller's contract.
    let (Ok(traceparent), Ok(Some(item_id))) =
        (unsafe { optional_str(traceparent) }, unsafe { optional_str(item_id) })
    else {
        return BAD_INPUT;
    };
    let traceparent = traceparent.filter(|value| !value.is_empty());

    let result = std::panic::catch_unwind(|| {
        telemetry::in_scope(traceparent, |parent| quote(parent, item_id))
    });
    match result {
        Ok(Ok(price)) => {
            // SAFETY: checked non-null above; valid for writes per the caller's contract.
            unsafe { out_price.write(price) };
            OK
        }
        Ok(Err(BackendUnavailable)) => UNAVAILABLE,
        Err(_) => INTERNAL,
    }
}

/// Flush and shut down the library's SDK; see the header.
#[unsafe(no_mangle)]
pub extern "C" fn pricing_ffi_shutdown() {
    let _ = std::panic::catch_unwind(telemetry::shutdown);
}

/// NULL -> Ok(None); invalid UTF-8 -> Err.
unsafe fn optional_str<'a>(ptr: *const c_char) -> Result<Option<&'a str>, std::str::Utf8Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-null and NUL-terminated per the caller's contract.
    unsafe { CStr::from_ptr(ptr) }.to_str().map(Some)
}

#[derive(Debug)]
struct BackendUnavailable;

/// The instrumented call: one span, the allocation figure, one error log on failure.
fn quote(parent: Option<opentelemetry::Context>, item_id: &str) -> Result<f64, BackendUnavailable> {
    use tracing_opentelemetry::OpenTelemetrySpanExt as _;

    let span = tracing::info_span!(
        "quote",
        item.id = %item_id,
        seam.allocated_bytes = tracing::field::Empty,
        otel.status_description = tracing::field::Empty,
    );
    if let Some(parent) = parent {
        // Fails only when the span is disabled (SDK not initialised): nothing to parent then.
        let _ = span.set_parent(parent);
    }
    let _entered = span.enter();

    let before = alloc::allocated_by_this_thread();
    let result = price_of(item_id);
    let allocated = alloc::allocated_by_this_thread().wrapping_sub(before);
    span.record("seam.allocated_bytes", i64::try_from(allocated).unwrap_or(i64::MAX));

    if result.is_err() {
        tracing::error!(item.id = %item_id, "backend unavailable");
        span.record("otel.status_description", "backend unavailable");
    }
    result
}

/// The "backend": builds the request key and a price history on the heap, the way a real
/// pricing routine would, and averages it.
fn price_of(item_id: &str) -> Result<f64, BackendUnavailable> {
    let key = std::hint::black_box(format!("pricing/v1/items/{item_id}"));
    if item_id == "fail" {
        return Err(BackendUnavailable);
    }
    let history: Vec<f64> = (0..HISTORY_LEN)
        .map(|i| if i % 2 == 0 { PRICE - 0.25 } else { PRICE + 0.25 })
        .collect();
    let history = std::hint::black_box(history);
    drop(key);
    Ok(history.iter().sum::<f64>() / history.len() as f64)
}
