//! The gRPC API (tonic), traced by tonic-tracing-opentelemetry's `OtelGrpcLayer`: one SERVER
//! span per call, named "pricing.v1.Pricing/Quote", parent extracted from `traceparent`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tonic::{Request, Response, Status};
use tower::{Layer, Service};

use crate::PRICE;

pub mod pb {
    include!(concat!(env!("OUT_DIR"), "/pricing.v1.Pricing.rs"));
}

pub use pb::pricing_server::PricingServer;

#[derive(Debug, Default)]
pub struct PricingService;

#[tonic::async_trait]
impl pb::pricing_server::Pricing for PricingService {
    /// `/pricing.v1.Pricing/Quote`: StringValue item id in, DoubleValue price out.
    /// "fail": UNAVAILABLE; "slow:N": answer after N ms.
    async fn quote(&self, request: Request<String>) -> Result<Response<f64>, Status> {
        let id = request.into_inner();
        if id == "fail" {
            tracing::error!(item.id = %id, "pricing backend unavailable");
            return Err(Status::unavailable("pricing backend unavailable"));
        }
        if let Some(delay) = id.strip_prefix("slow:") {
            let delay: u64 = delay
                .parse()
                .map_err(|_| Status::invalid_argument("slow:N wants N in milliseconds"))?;
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        Ok(Response::new(PRICE))
    }
}

/// Runs every call to completion in its own task, even when the caller goes away: the
/// connection dropping the request future (client cancel, RST_STREAM, or tonic's
/// `grpc-timeout` handling) no longer cancels the work, so the handler and its server span
/// finish as they would have.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunToCompletionLayer;

impl<S> Layer<S> for RunToCompletionLayer {
    type Service = RunToCompletion<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RunToCompletion { inner }
    }
}

#[derive(Debug, Clone)]
pub struct RunToCompletion<S> {
    inner: S,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl<S, Req> Service<Req> for RunToCompletion<S>
where
    S: Service<Req> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Response: Send + 'static,
    S::Error: Into<BoxError> + Send + 'static,
    Req: Send + 'static,
{
    type Response = S::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, request: Req) -> Self::Future {
        // The clone that was driven to readiness serves this call (tower's usual dance).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let task = tokio::spawn(inner.call(request));
        Box::pin(async move {
            match task.await {
                Ok(result) => result.map_err(Into::into),
                Err(join_error) if join_error.is_panic() => {
                    std::panic::resume_unwind(join_error.into_panic())
                }
                Err(join_error) => Err(join_error.into()),
            }
        })
    }
}
