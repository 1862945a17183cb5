//! pricing-service: the Rust half of the Seam example system.
//!
//! - HTTP (axum) on PRICING_HTTP_ADDR (default 127.0.0.1:18080): `GET /price/{id}`,
//!   `GET /healthz`.
//! - gRPC (tonic) on PRICING_GRPC_ADDR (default 127.0.0.1:18081):
//!   `/pricing.v1.Pricing/Quote`.
//! - OTLP traces, logs and metrics through the standard OTEL_* environment.
//!
//! Prints `pricing ready http=<addr> grpc=<addr>` on stderr once both listen; on SIGTERM or
//! SIGINT stops both servers gracefully, flushes the telemetry and exits 0.

mod grpc;
mod http;
mod telemetry;

use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;

use telemetry::BoxError;

/// The price of every item, on every API.
pub const PRICE: f64 = 12.5;

fn addr_from_env(var: &str, default: &str) -> Result<SocketAddr, BoxError> {
    let value = std::env::var(var).unwrap_or_else(|_| default.to_owned());
    value
        .parse()
        .map_err(|err| format!("{var}={value}: {err}").into())
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let telemetry = telemetry::init()?;

    let http_addr = addr_from_env("PRICING_HTTP_ADDR", "127.0.0.1:18080")?;
    let grpc_addr = addr_from_env("PRICING_GRPC_ADDR", "127.0.0.1:18081")?;
    let http_listener = TcpListener::bind(http_addr).await?;
    let grpc_listener = TcpListener::bind(grpc_addr).await?;

    let (stop_tx, stop_rx) = watch::channel(false);
    let stopped = |mut rx: watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };

    let http_server = axum::serve(http_listener, http::router())
        .with_graceful_shutdown(stopped(stop_rx.clone()));
    let grpc_local = grpc_listener.local_addr()?;
    let grpc_server = tonic::transport::Server::builder()
        .layer(grpc::RunToCompletionLayer)
        .layer(tonic_tracing_opentelemetry::middleware::server::OtelGrpcLayer::default())
        .add_service(grpc::PricingServer::new(grpc::PricingService))
        .serve_with_incoming_shutdown(
            tonic::transport::server::TcpIncoming::from(grpc_listener),
            stopped(stop_rx),
        );

    // Handlers in place before "ready": a SIGTERM right after it must not kill us.
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    eprintln!(
        "pricing ready http={} grpc={grpc_local}",
        http_server.local_addr()?
    );

    let mut http_task = tokio::spawn(async move { http_server.await.map_err(BoxError::from) });
    let mut grpc_task = tokio::spawn(async move { grpc_server.await.map_err(BoxError::from) });

    // Run until a signal, or until a server stops on its own (an error): then stop both.
    let mut http_result = None;
    let mut grpc_result = None;
    tokio::select! {
        _ = sigterm.recv() => tracing::info!("SIGTERM: shutting down"),
        _ = sigint.recv() => tracing::info!("SIGINT: shutting down"),
        result = &mut http_task => http_result = Some(result),
        result = &mut grpc_task => grpc_result = Some(result),
    }
    let _ = stop_tx.send(true);
    let http_result = match http_result {
        Some(result) => result,
        None => http_task.await,
    };
    let grpc_result = match grpc_result {
        Some(result) => result,
        None => grpc_task.await,
    };

    // The providers' shutdown blocks until their threads have exported: keep it off the
    // async workers.
    tokio::task::spawn_blocking(move || telemetry.shutdown()).await?;
    http_result??;
    grpc_result??;
    Ok(())
}
