//! OpenTelemetry wiring, the way a production Rust service does it: `tracing` for spans and
//! events, `tracing-opentelemetry` turning spans into OTel spans, the
//! `opentelemetry-appender-tracing` bridge turning events into OTel log records, and
//! `opentelemetry-otlp` exporting traces, logs and metrics. Nothing here is tuned for Seam.
//!
//! Configuration comes from the standard environment: OTEL_EXPORTER_OTLP_ENDPOINT,
//! OTEL_EXPORTER_OTLP_PROTOCOL (`http/protobuf`, the default, or `grpc`), OTEL_SERVICE_NAME,
//! OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_SCHEDULE_DELAY, OTEL_BLRP_SCHEDULE_DELAY,
//! OTEL_METRIC_EXPORT_INTERVAL; RUST_LOG for the console and the tracing filter.

use opentelemetry::{Key, KeyValue, global};
use opentelemetry::metrics::ObservableGauge;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_appender_tracing::layer::OpenTelemetryTracingBridge;
use opentelemetry_otlp::{LogExporter, MetricExporter, SpanExporter};
use opentelemetry_resource_detectors::{HostResourceDetector, ProcessResourceDetector};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::logs::SdkLoggerProvider;
use opentelemetry_sdk::metrics::SdkMeterProvider;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer as _};

/// service.name used when neither OTEL_SERVICE_NAME nor OTEL_RESOURCE_ATTRIBUTES names one.
const DEFAULT_SERVICE_NAME: &str = "pricing";

/// The three SDK providers, kept to flush and shut them down on exit.
pub struct Telemetry {
    tracer_provider: SdkTracerProvider,
    logger_provider: SdkLoggerProvider,
    meter_provider: SdkMeterProvider,
    _memory_gauge: ObservableGauge<u64>,
}

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Sets up the providers and the global `tracing` subscriber. Must run inside the tokio
/// runtime: the gRPC (tonic) exporters need it when OTEL_EXPORTER_OTLP_PROTOCOL=grpc.
pub fn init() -> Result<Telemetry, BoxError> {
    global::set_text_map_propagator(TraceContextPropagator::new());

    let resource = resource();

    // The exporters pick http/protobuf or grpc from OTEL_EXPORTER_OTLP_PROTOCOL and the
    // endpoint from OTEL_EXPORTER_OTLP_ENDPOINT; the batch processors and the periodic
    // reader run on their own threads and read OTEL_BSP_* / OTEL_BLRP_* /
    // OTEL_METRIC_EXPORT_INTERVAL.
    let tracer_provider = SdkTracerProvider::builder()
        .with_resource(resource.clone())
        .with_batch_exporter(SpanExporter::builder().build()?)
        .build();
    let logger_provider = SdkLoggerProvider::builder()
        .with_resource(resource.clone())
        .with_batch_exporter(LogExporter::builder().build()?)
        .build();
    let meter_provider = SdkMeterProvider::builder()
        .with_resource(resource)
        .with_periodic_exporter(MetricExporter::builder().build()?)
        .build();
    global::set_tracer_provider(tracer_provider.clone());
    global::set_meter_provider(meter_provider.clone());

    let memory_gauge = global::meter("pricing-service")
        .u64_observable_gauge("process.memory.usage")
        .with_unit("By")
        .with_description("Resident set size of the process")
        .with_callback(|observer| {
            if let Some(rss) = resident_set_bytes() {
                observer.observe(rss, &[]);
            }
        })
        .build();

    // The middlewares create their server spans at TRACE level on the target
    // `otel::tracing`: the filter must let them through or no span is made.
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,otel::tracing=trace"));

    // Keep the SDK's and the HTTP stacks' own events out of the OTLP log pipeline
    // (an exporter logging about its own exports would feed itself).
    let otel_log_filter = EnvFilter::new("info")
        .add_directive("hyper=off".parse()?)
        .add_directive("h2=off".parse()?)
        .add_directive("tonic=off".parse()?)
        .add_directive("tower=off".parse()?)
        .add_directive("reqwest=off".parse()?)
        .add_directive("opentelemetry=off".parse()?)
        .add_directive("opentelemetry_sdk=off".parse()?)
        .add_directive("opentelemetry_otlp=off".parse()?);

    let tracer = tracer_provider.tracer("pricing-service");
    tracing_subscriber::registry()
        .with(filter)
        .with(tracing_opentelemetry::layer().with_tracer(tracer))
        .with(OpenTelemetryTracingBridge::new(&logger_provider).with_filter(otel_log_filter))
        .with(tracing_subscriber::fmt::layer().with_ansi(false))
        .try_init()?;

    Ok(Telemetry {
        tracer_provider,
        logger_provider,
        meter_provider,
        _memory_gauge: memory_gauge,
    })
}

impl Telemetry {
    /// Flushes and shuts down the tracer, logger and meter providers. Blocking: call it
    /// from a blocking thread, not from an async task.
    pub fn shutdown(self) {
        for (what, result) in [
            ("tracer", self.tracer_provider.shutdown()),
            ("logger", self.logger_provider.shutdown()),
            ("meter", self.meter_provider.shutdown()),
        ] {
            if let Err(err) = result {
                eprintln!("pricing: {what} provider shutdown: {err}");
            }
        }
    }
}

/// service.name, telemetry.sdk.*, OTEL_RESOURCE_ATTRIBUTES, host.* and process.*.
fn resource() -> Resource {
    let detectors: [Box<dyn opentelemetry_sdk::resource::ResourceDetector>; 2] = [
        Box::new(HostResourceDetector::default()),
        Box::new(ProcessResourceDetector),
    ];
    let detected = Resource::builder().with_detectors(&detectors).build();
    let mut builder = Resource::builder_empty().with_attributes(
        detected
            .iter()
            .map(|(key, value)| KeyValue::new(key.clone(), value.clone())),
    );
    let named = detected
        .get(&Key::from_static_str("service.name"))
        .is_some_and(|name| !name.as_str().starts_with("unknown_service"));
    if !named {
        builder = builder.with_service_name(DEFAULT_SERVICE_NAME);
    }
    // The host detector runs the `hostname` program; without it, ask gethostname(2)
    // directly (what Go's os.Hostname reads too).
    if detected.get(&Key::from_static_str("host.name")).is_none()
        && let Some(host) = gethostname()
    {
        builder = builder.with_attribute(KeyValue::new("host.name", host));
    }
    builder.build()
}

fn gethostname() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for buf.len() bytes; gethostname writes at most that much.
    if unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } != 0 {
        return None;
    }
    let len = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    let name = String::from_utf8_lossy(&buf[..len]).into_owned();
    (!name.is_empty()).then_some(name)
}

/// Resident set size in bytes, from /proc/self/statm (second field, in pages).
fn resident_set_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    u64::try_from(page_size).ok().map(|size| pages * size)
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_resident_set_size() {
        let rss = super::resident_set_bytes().expect("/proc/self/statm");
        assert!(rss > 1024 * 1024, "a running test binary holds more than 1 MiB: {rss}");
    }
}
