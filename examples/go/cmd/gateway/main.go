// Command gateway is the Go half of the Seam example system: an HTTP gateway
// that prices items by calling the Rust pricing service over HTTP and gRPC,
// and the Rust pricing library in-process through cgo.
//
// It is instrumented the ordinary way with the OpenTelemetry Go SDK and the
// contrib instrumentations (otelhttp, otelgrpc, runtime, otelslog) and
// exports traces, logs and metrics over OTLP/gRPC as configured by the
// standard OTEL_* environment variables.
//
// Environment:
//
//	GATEWAY_ADDR            listen address (default 127.0.0.1:18090)
//	PRICING_HTTP_URL        Rust pricing HTTP base URL (default http://127.0.0.1:18080)
//	PRICING_GRPC_ADDR       Rust pricing gRPC address (default 127.0.0.1:18081)
//	SEAM_FFI_OTLP_ENDPOINT  OTLP/HTTP base URL for the in-process Rust library
//	                        (default: OTEL_EXPORTER_OTLP_ENDPOINT, port 4317 -> 4318)
//	OTEL_*                  the usual OpenTelemetry SDK settings
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.opentelemetry.io/contrib/bridges/otelslog"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

const (
	serviceName = "gateway"
	// scopeName is the instrumentation scope of the spans and logs this
	// package creates itself.
	scopeName = "seam.example/examples/cmd/gateway"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	addr := envOr("GATEWAY_ADDR", "127.0.0.1:18090")
	pricingURL := envOr("PRICING_HTTP_URL", "http://127.0.0.1:18080")
	pricingGRPC := envOr("PRICING_GRPC_ADDR", "127.0.0.1:18081")

	// Take the port first: a second instance fails before it touches anything.
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	defer ln.Close()

	// The SDK's own errors (a collector that is down, ...) go to stderr only:
	// its default handler writes through the log package, which the slog
	// default below would feed back into the OTLP log pipeline.
	stderr := slog.NewTextHandler(os.Stderr, nil)
	sdkLog := slog.New(stderr)
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		sdkLog.Warn("opentelemetry", "error", err)
	}))

	tel, err := setupTelemetry(context.Background())
	if err != nil {
		return fmt.Errorf("telemetry: %w", err)
	}
	slog.SetDefault(slog.New(slog.NewMultiHandler(stderr, otelslog.NewHandler(scopeName))))

	if err := ffiInit(ffiOTLPEndpoint(), serviceName); err != nil {
		slog.Warn("pricing_ffi telemetry not initialised", "error", err)
	}

	// The pricing service is a named dependency: client spans say so.
	peer := attribute.String("peer.service", "pricing")

	grpcConn, err := grpc.NewClient(pricingGRPC,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithStatsHandler(otelgrpc.NewClientHandler(otelgrpc.WithSpanAttributes(peer))),
	)
	if err != nil {
		return fmt.Errorf("grpc client: %w", err)
	}

	g := &gateway{
		tracer:     otel.Tracer(scopeName),
		pricingURL: pricingURL,
		httpClient: &http.Client{
			Timeout:   30 * time.Second,
			Transport: otelhttp.NewTransport(http.DefaultTransport, otelhttp.WithSpanOptions(trace.WithAttributes(peer))),
		},
		// A client that is traced but does not propagate: the callee starts
		// a trace of its own.
		noContextClient: &http.Client{
			Timeout: 30 * time.Second,
			Transport: otelhttp.NewTransport(http.DefaultTransport,
				otelhttp.WithSpanOptions(trace.WithAttributes(peer)),
				otelhttp.WithPropagators(propagation.NewCompositeTextMapPropagator()),
			),
		},
		grpcConn: grpcConn,
	}

	srv := &http.Server{
		Handler:           g.routes(),
		ReadHeaderTimeout: 5 * time.Second,
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	fmt.Fprintf(os.Stderr, "gateway ready addr=%s\n", ln.Addr())

	var runErr error
	select {
	case <-ctx.Done():
		slog.Info("shutting down")
	case err := <-serveErr:
		runErr = err
	}
	stop() // a second signal kills the process

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		slog.Error("http server shutdown", "error", err)
	}
	if err := grpcConn.Close(); err != nil {
		slog.Error("grpc client close", "error", err)
	}
	ffiShutdown()
	if err := tel.shutdown(context.Background()); err != nil {
		// Nothing is left to export it to: report on stderr only.
		fmt.Fprintln(os.Stderr, "gateway: telemetry shutdown:", err)
	}
	return runErr
}

// routes registers every route with its own otelhttp handler so that server
// spans and metrics carry the route pattern. /healthz is not traced.
func (g *gateway) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h http.HandlerFunc) {
		mux.Handle(pattern, otelhttp.NewHandler(h, pattern))
	}
	handle("GET /quote/http/{id}", g.quoteHTTP)
	handle("GET /quote/grpc/{id}", g.quoteGRPC)
	handle("GET /quote/ffi/{id}", g.quoteFFI)
	handle("GET /quote/nocontext/{id}", g.quoteNoContext)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	return mux
}

// ffiOTLPEndpoint is the OTLP/HTTP base URL handed to the Rust library, which
// exports with its own SDK over HTTP: SEAM_FFI_OTLP_ENDPOINT, else the
// gateway's OTLP endpoint with the gRPC port 4317 swapped for 4318.
func ffiOTLPEndpoint() string {
	if v := os.Getenv("SEAM_FFI_OTLP_ENDPOINT"); v != "" {
		return v
	}
	v := os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
	if v == "" {
		return "http://localhost:4318"
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return v
	}
	if u.Port() == "4317" {
		u.Host = net.JoinHostPort(u.Hostname(), "4318")
	}
	return u.String()
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
