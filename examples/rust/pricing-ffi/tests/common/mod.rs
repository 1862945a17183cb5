//! Helpers shared by the integration tests: C strings and a fake OTLP/HTTP collector.

#![allow(dead_code)]

use std::ffi::{CString, c_char};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use pricing_ffi::{pricing_ffi_init, pricing_ffi_quote, pricing_ffi_shutdown};

pub fn cstr(value: &str) -> CString {
    CString::new(value).expect("no NUL inside")
}

/// Calls `pricing_ffi_quote` with Rust strings (None: NULL).
pub fn quote(traceparent: Option<&str>, item: Option<&str>) -> (i32, f64) {
    let traceparent = traceparent.map(cstr);
    let item = item.map(cstr);
    let mut price = f64::NAN;
    let ptr = |value: &Option<CString>| value.as_ref().map_or(std::ptr::null(), |v| v.as_ptr());
    // SAFETY: NULL or valid C strings; price is a valid f64.
    let rc = unsafe { pricing_ffi_quote(ptr(&traceparent), ptr(&item), &mut price) };
    (rc, price)
}

pub fn init(endpoint: Option<&str>, service_name: Option<&str>) -> i32 {
    let endpoint = endpoint.map(cstr);
    let service_name = service_name.map(cstr);
    let ptr = |value: &Option<CString>| -> *const c_char {
        value.as_ref().map_or(std::ptr::null(), |v| v.as_ptr())
    };
    // SAFETY: NULL or valid C strings.
    unsafe { pricing_ffi_init(ptr(&endpoint), ptr(&service_name)) }
}

/// One OTLP/HTTP request as received: path and protobuf body.
pub type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// A fake OTLP/HTTP collector on 127.0.0.1:<ephemeral>: answers 200 to every POST and keeps
/// the bodies. Returns its base URL and the store.
pub fn fake_collector() -> (String, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let received: Received = Arc::default();
    let store = received.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let store = store.clone();
            std::thread::spawn(move || {
                let mut writer = stream.try_clone().expect("clone");
                let mut reader = BufReader::new(stream);
                loop {
                    let mut request_line = String::new();
                    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
                        return;
                    }
                    let path = request_line.split_whitespace().nth(1).unwrap_or("").to_owned();
                    let mut length = 0usize;
                    loop {
                        let mut header = String::new();
                        if reader.read_line(&mut header).unwrap_or(0) == 0 {
                            return;
                        }
                        let header = header.trim_end();
                        if header.is_empty() {
                            break;
                        }
                        if let Some((name, value)) = header.split_once(':')
                            && name.eq_ignore_ascii_case("content-length")
                        {
                            length = value.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    store.lock().expect("store").push((path, body));
                    let response = "HTTP/1.1 200 OK\r\ncontent-type: application/x-protobuf\r\ncontent-length: 0\r\n\r\n";
                    if writer.write_all(response.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (base, received)
}

/// Waits until `check` holds or the deadline passes.
pub fn wait_for(deadline: Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    check()
}
