//! The library's own OpenTelemetry SDK, living inside the host (Go) process.
//!
//! - OTLP http/protobuf through opentelemetry-otlp's default blocking reqwest client; the
//!   batch span and log processors export on their own threads, so the library needs no
//!   async runtime of its own and never blocks the caller on export.
//! - A `tracing` subscriber scoped to this library (a `Dispatch` installed around each call,
//!   not the process-global default): `tracing-opentelemetry` turns the `quote` span into an
//!   OTel span, `opentelemetry-appender-tracing` turns events into OTel log records.
//! - Resource: service.name as given, telemetry.sdk.* (SDK defaults, language "rust"),
//!   host.name from gethostname(2) (what Go's os.Hostname reads too) and process.pid: the
//!   same process as the Go half, seen through a second resource.

use std::sync::{Arc, PoisonError, RwLock};

use opentelemetry::trace::TracerProvider as _;
use opentelemetry::{Context, KeyValue};
use opentelemetry_appender_tracing::layer::OpenTelemetryTracingBridge;
use opentelemetry_otlp::{LogExporter, Protocol, SpanExporter, WithExportConfig as _};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::logs::SdkLoggerProvider;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::Dispatch;
use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt as _;

/// Instrumentation scope of the spans and log records, and the tracing target kept.
const SCOPE: &str = "pricing_ffi";

pub struct Sdk {
    dispatch: Dispatch,
    propagator: TraceContextPropagator,
    tracer_provider: SdkTracerProvider,
    logger_provider: SdkLoggerProvider,
}

static SDK: RwLock<Option<Arc<Sdk>>> = RwLock::new(None);

#[derive(Debug)]
pub enum InitError {
    AlreadyInitialized,
    Exporter(opentelemetry_otlp::ExporterBuildError),
}

/// Builds the SDK. `endpoint`: OTLP/HTTP base URL (None: OTEL_EXPORTER_OTLP_ENDPOINT or
/// the SDK default); `service_name`: None keeps OTEL_SERVICE_NAME or the SDK default.
pub fn init(endpoint: Option<&str>, service_name: Option<&str>) -> Result<(), InitError> {
    let mut slot = SDK.write().unwrap_or_else(PoisonError::into_inner);
    if slot.is_some() {
        return Err(InitError::AlreadyInitialized);
    }

    let resource = resource(service_name);
    let endpoint = endpoint.map(|base| base.trim_end_matches('/'));

    // Always http/protobuf, whatever OTEL_EXPORTER_OTLP_PROTOCOL the host process sets for
    // its own SDK.
    let mut spans = SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary);
    let mut logs = LogExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary);
    if let Some(base) = endpoint {
        spans = spans.with_endpoint(format!("{base}/v1/traces"));
        logs = logs.with_endpoint(format!("{base}/v1/logs"));
    }

    let tracer_provider = SdkTracerProvider::builder()
        .with_resource(resource.clone())
        .with_batch_exporter(spans.build().map_err(InitError::Exporter)?)
        .build();
    let logger_provider = SdkLoggerProvider::builder()
        .with_resource(resource)
        .with_batch_exporter(logs.build().map_err(InitError::Exporter)?)
        .build();

    let subscriber = tracing_subscriber::registry()
        // Only this library's spans and events; the SDK's own diagnostics stay out.
        .with(Targets::new().with_target(SCOPE, LevelFilter::INFO))
        .with(tracing_opentelemetry::layer().with_tracer(tracer_provider.tracer(SCOPE)))
        .with(OpenTelemetryTracingBridge::new(&logger_provider));

    *slot = Some(Arc::new(Sdk {
        dispatch: Dispatch::new(subscriber),
        propagator: TraceContextPropagator::new(),
        tracer_provider,
        logger_provider,
    }));
    Ok(())
}

/// Runs `f` with the library's subscriber as the current one (a no-op subscriber when the
/// SDK is not initialised or was shut down), handing it the context extracted from
/// `traceparent`.
pub fn in_scope<R>(traceparent: Option<&str>, f: impl FnOnce(Option<Context>) -> R) -> R {
    let sdk = SDK
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    match sdk {
        Some(sdk) => {
            let parent = traceparent.map(|value| {
                use opentelemetry::propagation::TextMapPropagator as _;
                let carrier = std::collections::HashMap::from([(
                    "traceparent".to_owned(),
                    value.to_owned(),
                )]);
                sdk.propagator.extract(&carrier)
            });
            tracing::dispatcher::with_default(&sdk.dispatch, || f(parent))
        }
        None => f(None),
    }
}

/// Flushes and shuts down the providers; later calls are traced nowhere until `init`.
pub fn shutdown() {
    let sdk = SDK.write().unwrap_or_else(PoisonError::into_inner).take();
    if let Some(sdk) = sdk {
        // Errors (collector unreachable, already shut down) are not the host's problem.
        let _ = sdk.tracer_provider.shutdown();
        let _ = sdk.logger_provider.shutdown();
    }
}

fn resource(service_name: Option<&str>) -> Resource {
    let mut builder = Resource::builder().with_attribute(KeyValue::new(
        "process.pid",
        i64::from(std::process::id()),
    ));
    if let Some(host) = host_name() {
        builder = builder.with_attribute(KeyValue::new("host.name", host));
    }
    if let Some(name) = service_name {
        builder = builder.with_service_name(name.to_owned());
    }
    builder.build()
}

/// gethostname(2), as Go's os.Hostname sees it.
fn host_name() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for buf.len() bytes; gethostname writes at most that much.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return None;
    }
    let len = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    let name = String::from_utf8_lossy(&buf[..len]).into_owned();
    (!name.is_empty()).then_some(name)
}
