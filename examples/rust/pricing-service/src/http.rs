//! The HTTP API (axum), traced by axum-tracing-opentelemetry's `OtelAxumLayer`: one SERVER
//! span per request, named "GET /price/{id}", parent extracted from `traceparent`.

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_tracing_opentelemetry::middleware::OtelAxumLayer;
use serde::{Deserialize, Serialize};
use std::time::Duration;

use crate::PRICE;

pub fn router() -> Router {
    Router::new()
        .route("/price/{id}", get(price))
        .route("/healthz", get(healthz))
        // Health checks are not traced.
        .layer(OtelAxumLayer::default().filter(|path| path != "/healthz"))
}

#[derive(Debug, Deserialize)]
struct PriceParams {
    fail: Option<String>,
    delay_ms: Option<u64>,
}

#[derive(Debug, Serialize)]
struct Price {
    id: String,
    price: f64,
}

#[derive(Debug, Serialize)]
struct ErrorBody {
    error: &'static str,
}

/// `GET /price/{id}`: 200 `{"id", "price"}`; `?fail=1`: 503; `?delay_ms=N`: answer after N ms.
/// Runs inside the request's server span (no extra span of its own).
async fn price(Path(id): Path<String>, Query(params): Query<PriceParams>) -> Response {
    if params.fail.as_deref() == Some("1") {
        tracing::error!(item.id = %id, "pricing backend unavailable");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(ErrorBody {
                error: "pricing backend unavailable",
            }),
        )
            .into_response();
    }
    if let Some(delay) = params.delay_ms {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    Json(Price { id, price: PRICE }).into_response()
}

async fn healthz() -> &'static str {
    "ok"
}
