//! init / quote / fail / bad input / concurrency / shutdown with no collector listening:
//! exporter errors must neither crash nor hang the host.

mod common;

use common::{cstr, init, pricing_ffi_quote, pricing_ffi_shutdown, quote};
use std::time::{Duration, Instant};

const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

#[test]
fn works_without_a_collector() {
    // Before init: quotes work, traced nowhere.
    assert_eq!(quote(None, Some("apple")), (0, 12.5));

    // Bad input.
    assert_eq!(quote(None, None).0, 2, "NULL item");
    let item = cstr("apple");
    // SAFETY: a NULL out pointer is part of the contract (bad input).
    let rc = unsafe { pricing_ffi_quote(std::ptr::null(), item.as_ptr(), std::ptr::null_mut()) };
    assert_eq!(rc, 2, "NULL out_price");
    let invalid = [0xff_u8, 0xfe, 0];
    let mut price = 0.0;
    // SAFETY: NUL-terminated buffers.
    let rc = unsafe { pricing_ffi_quote(std::ptr::null(), invalid.as_ptr().cast(), &mut price) };
    assert_eq!(rc, 2, "invalid UTF-8 item");
    // SAFETY: NUL-terminated buffers.
    let rc = unsafe { pricing_ffi_quote(invalid.as_ptr().cast(), item.as_ptr(), &mut price) };
    assert_eq!(rc, 2, "invalid UTF-8 traceparent");

    // Port 9 (discard) on loopback: nothing listens, every export is refused.
    assert_eq!(init(Some("http://127.0.0.1:9"), Some("gateway")), 0);
    assert_eq!(init(Some("http://127.0.0.1:9"), Some("gateway")), 0, "second init");

    assert_eq!(quote(Some(TRACEPARENT), Some("apple")), (0, 12.5));
    assert_eq!(quote(Some(""), Some("apple")), (0, 12.5), "empty traceparent: root");
    assert_eq!(quote(Some("garbage"), Some("apple")), (0, 12.5), "bad traceparent: root");
    assert_eq!(quote(Some(TRACEPARENT), Some("fail")).0, 1);

    // Several threads at once, as goroutines would.
    let threads: Vec<_> = (0..8)
        .map(|t| {
            std::thread::spawn(move || {
                for i in 0..200 {
                    let item = if i % 10 == 0 { "fail".to_owned() } else { format!("item-{t}-{i}") };
                    let (rc, price) = quote(Some(TRACEPARENT), Some(&item));
                    if item == "fail" {
                        assert_eq!(rc, 1);
                    } else {
                        assert_eq!((rc, price), (0, 12.5));
                    }
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("quote thread");
    }

    let start = Instant::now();
    pricing_ffi_shutdown();
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "shutdown took {:?}",
        start.elapsed()
    );
    pricing_ffi_shutdown();

    // After shutdown: still answers, traced nowhere.
    assert_eq!(quote(Some(TRACEPARENT), Some("apple")), (0, 12.5));
    assert_eq!(quote(None, Some("fail")).0, 1);
}
