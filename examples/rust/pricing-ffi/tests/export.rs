//! What the library sends, checked on the wire through a fake OTLP/HTTP collector: one
//! INTERNAL span "quote" per call, child of the remote caller span, with
//! seam.allocated_bytes; on "fail" an Error status and one ERROR log record inside the span.

mod common;

use common::{fake_collector, init, pricing_ffi_shutdown, quote, wait_for};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{KeyValue, any_value::Value};
use opentelemetry_proto::tonic::trace::v1::{Span, span::SpanKind, status::StatusCode};
use prost::Message as _;
use std::time::Duration;

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID: &str = "00f067aa0ba902b7";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn attr<'a>(attributes: &'a [KeyValue], key: &str) -> Option<&'a Value> {
    attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| kv.value.as_ref()?.value.as_ref())
}

#[test]
fn exports_quote_spans_and_error_logs() {
    let (base, received) = fake_collector();
    assert_eq!(init(Some(&base), Some("gateway")), 0);

    let traceparent = format!("00-{TRACE_ID}-{PARENT_ID}-01");
    assert_eq!(quote(Some(&traceparent), Some("apple")), (0, 12.5));
    assert_eq!(quote(Some(&traceparent), Some("fail")).0, 1);
    assert_eq!(quote(None, Some("pear")), (0, 12.5));
    pricing_ffi_shutdown(); // flushes

    assert!(wait_for(Duration::from_secs(5), || {
        let received = received.lock().unwrap();
        received.iter().any(|(path, _)| path == "/v1/traces")
            && received.iter().any(|(path, _)| path == "/v1/logs")
    }));
    let received = received.lock().unwrap();

    let mut spans: Vec<Span> = Vec::new();
    for (_, body) in received.iter().filter(|(path, _)| path == "/v1/traces") {
        let request = ExportTraceServiceRequest::decode(body.as_slice()).expect("traces");
        for resource_spans in request.resource_spans {
            let resource = resource_spans.resource.expect("resource");
            let service = attr(&resource.attributes, "service.name");
            assert_eq!(service, Some(&Value::StringValue("gateway".into())));
            let language = attr(&resource.attributes, "telemetry.sdk.language");
            assert_eq!(language, Some(&Value::StringValue("rust".into())));
            assert_eq!(
                attr(&resource.attributes, "process.pid"),
                Some(&Value::IntValue(i64::from(std::process::id())))
            );
            assert!(matches!(
                attr(&resource.attributes, "host.name"),
                Some(Value::StringValue(name)) if !name.is_empty()
            ));
            for scope_spans in resource_spans.scope_spans {
                spans.extend(scope_spans.spans);
            }
        }
    }
    assert_eq!(spans.len(), 3, "one span per quote: {spans:#?}");
    for span in &spans {
        assert_eq!(span.name, "quote");
        assert_eq!(span.kind, SpanKind::Internal as i32);
        let Some(Value::IntValue(allocated)) = attr(&span.attributes, "seam.allocated_bytes")
        else {
            panic!("seam.allocated_bytes missing: {span:#?}");
        };
        assert!(*allocated > 0, "allocated {allocated}");
    }

    let child = |item: &str| {
        spans
            .iter()
            .find(|span| {
                attr(&span.attributes, "item.id") == Some(&Value::StringValue(item.into()))
            })
            .unwrap_or_else(|| panic!("no span for {item}"))
    };
    let apple = child("apple");
    assert_eq!(hex(&apple.trace_id), TRACE_ID);
    assert_eq!(hex(&apple.parent_span_id), PARENT_ID);
    assert_eq!(apple.flags & 0x300, 0x300, "remote parent: flags {:#x}", apple.flags);
    let Some(Value::IntValue(apple_allocated)) = attr(&apple.attributes, "seam.allocated_bytes")
    else {
        unreachable!()
    };
    assert!(*apple_allocated >= 8192, "the 8 KiB history: {apple_allocated}");
    assert_ne!(apple.status.as_ref().map(|s| s.code), Some(StatusCode::Error as i32));

    let fail = child("fail");
    assert_eq!(hex(&fail.trace_id), TRACE_ID);
    let status = fail.status.as_ref().expect("status");
    assert_eq!(status.code, StatusCode::Error as i32);
    assert_eq!(status.message, "backend unavailable");

    let pear = child("pear");
    assert!(pear.parent_span_id.is_empty(), "root without traceparent");
    assert_eq!(pear.flags & 0x300, 0x100, "local root: flags {:#x}", pear.flags);

    let mut logs = Vec::new();
    for (_, body) in received.iter().filter(|(path, _)| path == "/v1/logs") {
        let request = ExportLogsServiceRequest::decode(body.as_slice()).expect("logs");
        for resource_logs in request.resource_logs {
            for scope_logs in resource_logs.scope_logs {
                logs.extend(scope_logs.log_records);
            }
        }
    }
    assert_eq!(logs.len(), 1, "exactly one log record: {logs:#?}");
    let log = &logs[0];
    assert_eq!(log.severity_number, 17, "ERROR");
    assert_eq!(hex(&log.trace_id), TRACE_ID);
    assert_eq!(log.span_id, fail.span_id, "the log points at the quote span");
}
