package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

const quoteMethod = "/pricing.v1.Pricing/Quote"

var errBadTimeout = errors.New("timeout_ms must be a positive integer")

type gateway struct {
	tracer          trace.Tracer
	pricingURL      string
	httpClient      *http.Client
	noContextClient *http.Client
	grpcConn        *grpc.ClientConn
}

type quote struct {
	ID    string  `json:"id"`
	Price float64 `json:"price"`
	Via   string  `json:"via"`
}

// quoteHTTP: GET /quote/http/{id} -> GET {PRICING_HTTP_URL}/price/{id}.
func (g *gateway) quoteHTTP(w http.ResponseWriter, r *http.Request) {
	g.proxyPrice(w, r, g.httpClient, "http")
}

// quoteNoContext is quoteHTTP through a client that propagates nothing.
func (g *gateway) quoteNoContext(w http.ResponseWriter, r *http.Request) {
	g.proxyPrice(w, r, g.noContextClient, "nocontext")
}

func (g *gateway) proxyPrice(w http.ResponseWriter, r *http.Request, client *http.Client, via string) {
	id := r.PathValue("id")
	ctx, cancel, err := withTimeoutParam(r.Context(), r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer cancel()

	target := g.pricingURL + "/price/" + url.PathEscape(id)
	fwd := url.Values{}
	for _, k := range []string{"fail", "delay_ms"} {
		if v, ok := r.URL.Query()[k]; ok {
			fwd[k] = v
		}
	}
	if len(fwd) > 0 {
		target += "?" + fwd.Encode()
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		g.upstreamError(ctx, w, r, via, id, err)
		return
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		g.upstreamError(ctx, w, r, via, id, err)
		return
	}
	if resp.StatusCode >= 400 {
		slog.ErrorContext(r.Context(), "pricing call failed",
			"via", via, "item.id", id, "http.response.status_code", resp.StatusCode)
		http.Error(w, fmt.Sprintf("pricing answered %s", resp.Status), http.StatusBadGateway)
		return
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// quoteGRPC: GET /quote/grpc/{id} -> /pricing.v1.Pricing/Quote, called
// without generated stubs (StringValue in, DoubleValue out).
func (g *gateway) quoteGRPC(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, cancel, err := withTimeoutParam(r.Context(), r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer cancel()

	var price wrapperspb.DoubleValue
	if err := g.grpcConn.Invoke(ctx, quoteMethod, wrapperspb.String(id), &price); err != nil {
		g.upstreamError(ctx, w, r, "grpc", id, err)
		return
	}
	writeJSON(w, quote{ID: id, Price: price.GetValue(), Via: "grpc"})
}

// quoteFFI: GET /quote/ffi/{id} -> pricing_ffi_quote in-process. The cgo
// call is wrapped in one span whose W3C context is handed to the library.
func (g *gateway) quoteFFI(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")

	ctx, span := g.tracer.Start(r.Context(), "pricing_ffi.quote", trace.WithSpanKind(trace.SpanKindInternal))
	carrier := propagation.MapCarrier{}
	otel.GetTextMapPropagator().Inject(ctx, carrier)
	price, err := ffiQuote(carrier.Get("traceparent"), id)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
		slog.ErrorContext(ctx, "pricing ffi call failed", "via", "ffi", "item.id", id, "error", err)
	}
	span.End()

	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeJSON(w, quote{ID: id, Price: price, Via: "ffi"})
}

// upstreamError logs one error record against the request's server span and
// answers 504 when the call ran out of time, 502 otherwise. callCtx is the
// context the call ran with: a call that failed after its deadline passed is
// a timeout whatever the error says (a gRPC server that enforces grpc-timeout
// itself, as tonic does, may answer CANCELLED as the client's own timer fires).
func (g *gateway) upstreamError(callCtx context.Context, w http.ResponseWriter, r *http.Request, via, id string, err error) {
	slog.ErrorContext(r.Context(), "pricing call failed", "via", via, "item.id", id, "error", err)
	if isTimeout(err) || deadlinePassed(callCtx) {
		http.Error(w, "pricing timed out", http.StatusGatewayTimeout)
		return
	}
	http.Error(w, "pricing unavailable", http.StatusBadGateway)
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	if s, ok := status.FromError(err); ok && s.Code() == grpccodes.DeadlineExceeded {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func deadlinePassed(ctx context.Context) bool {
	d, ok := ctx.Deadline()
	return ok && !time.Now().Before(d)
}

// withTimeoutParam applies ?timeout_ms=M as a deadline on ctx.
func withTimeoutParam(ctx context.Context, q url.Values) (context.Context, context.CancelFunc, error) {
	v := q.Get("timeout_ms")
	if v == "" {
		return ctx, func() {}, nil
	}
	ms, err := strconv.Atoi(v)
	if err != nil || ms <= 0 {
		return nil, nil, errBadTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(ms)*time.Millisecond)
	return ctx, cancel, nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
