//go:build e2e

// Package e2e runs the example Go gateway and Rust pricing service against a real Seam
// collector and a real Prometheus, drives a deterministic mix of calls, writes a ledger of
// what happened, and checks Seam's numbers against it through Prometheus's HTTP API.
//
// Run it with examples/run-e2e.sh, which builds everything and sets the environment:
// SEAM_JAR, PRICING_BIN, GATEWAY_BIN and optionally PROMETHEUS_BIN and E2E_OUT; the fleet test
// (fleet_test.go) also needs OTELCOL_BIN and KAFKA_BROKER.
package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// Call is one line of the ledger: what the driver asked for and what it saw.
type Call struct {
	Route      string `json:"route"`
	Transport  string `json:"transport"` // http, grpc, ffi, or "" for the route without context
	Item       string `json:"item"`
	Query      string `json:"query,omitempty"`
	WantStatus int    `json:"want_status"`
	GotStatus  int    `json:"got_status"`
	ErrorSide  string `json:"error_side,omitempty"`
	ErrorClass string `json:"error_class,omitempty"`
	// CalleeErrorLog: the callee writes one ERROR log inside its span; CallerErrorLog: the
	// caller writes one inside the span that made the call.
	CalleeErrorLog bool `json:"callee_error_log,omitempty"`
	CallerErrorLog bool `json:"caller_error_log,omitempty"`
	// Unpaired: the caller's span has no callee span to pair with (context not propagated).
	Unpaired bool `json:"unpaired,omitempty"`
}

// boundary is the label set of one seam_boundary_* series (without operation for the mix).
type boundary struct {
	callerService, callerLanguage, calleeService, calleeLanguage, transport, operation string
}

var (
	// checkoutBoundary is a second client calling pricing directly: a route the contract file
	// (examples/contracts.yaml) does not declare, added on purpose.
	checkoutBoundary = boundary{"checkout", "go", "pricing", "rust", "http", "/price/{id}"}
	httpBoundary     = boundary{"gateway", "go", "pricing", "rust", "http", "/price/{id}"}
	grpcBoundary     = boundary{"gateway", "go", "pricing", "rust", "grpc", "pricing.v1.Pricing/Quote"}
	ffiBoundary      = boundary{"gateway", "go", "gateway", "rust", "ffi", "quote"}
)

func (b boundary) of(transport string) boundary {
	switch transport {
	case "http":
		return httpBoundary
	case "grpc":
		return grpcBoundary
	default:
		return ffiBoundary
	}
}

// mix is the deterministic workload. Timeouts: the gateway gives up after 150 ms while the
// callee takes 400 ms and then succeeds.
func mix() []Call {
	var calls []Call
	add := func(n int, c Call) {
		for i := 0; i < n; i++ {
			c.Item = fmt.Sprintf("%s-%d", strings.TrimPrefix(c.Route, "/quote/"), len(calls))
			calls = append(calls, c)
		}
	}
	add(20, Call{Route: "/quote/http", Transport: "http", WantStatus: 200})
	add(5, Call{Route: "/quote/http", Transport: "http", Query: "fail=1", WantStatus: 502, ErrorSide: "both", ErrorClass: "unavailable", CalleeErrorLog: true})
	add(3, Call{Route: "/quote/http", Transport: "http", Query: "delay_ms=400&timeout_ms=150", WantStatus: 504, ErrorSide: "caller", ErrorClass: "deadline_exceeded"})
	add(15, Call{Route: "/quote/grpc", Transport: "grpc", WantStatus: 200})
	add(4, Call{Route: "/quote/grpc", Transport: "grpc", WantStatus: 502, ErrorSide: "both", ErrorClass: "unavailable", CalleeErrorLog: true})
	add(3, Call{Route: "/quote/grpc", Transport: "grpc", Query: "timeout_ms=150", WantStatus: 504, ErrorSide: "caller", ErrorClass: "deadline_exceeded"})
	add(25, Call{Route: "/quote/ffi", Transport: "ffi", WantStatus: 200})
	add(4, Call{Route: "/quote/ffi", Transport: "ffi", WantStatus: 502, ErrorSide: "both", ErrorClass: "unavailable", CallerErrorLog: true, CalleeErrorLog: ffiLogs()})
	add(5, Call{Route: "/quote/nocontext", Transport: "", WantStatus: 200, Unpaired: true})
	for i := range calls {
		c := &calls[i]
		switch {
		case c.Transport == "grpc" && c.WantStatus == 502, c.Transport == "ffi" && c.WantStatus == 502:
			c.Item = "fail"
		case c.Transport == "grpc" && c.WantStatus == 504:
			c.Item = "slow:400"
		}
	}
	return calls
}

// ffiLogs says whether the Rust library writes an ERROR log inside its span on failure.
func ffiLogs() bool { return os.Getenv("E2E_FFI_ERROR_LOGS") != "0" }

// checkoutCalls is how many calls the undeclared route makes.
const checkoutCalls = 6

type env struct {
	t *testing.T
	// checkouts: calls made on the undeclared route (checkoutBoundary)
	checkouts int
	// pricingHTTP: the Rust service's HTTP port, once startServices started it
	pricingHTTP int
	out         string
	procs       []*proc
	promURL     string
	// nativePromURL: the second Prometheus, which ingests native histograms (native_test.go)
	nativePromURL string
}

type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan error
	// stdin, when set, is the write end of the process's stdin, held open for as long as the
	// process is to run (a process that stops when its stdin closes dies with the test).
	stdin *os.File
}

func TestBoundariesMatchTheLedger(t *testing.T) {
	seamJar := mustEnv(t, "SEAM_JAR")
	repo := mustEnv(t, "SEAM_REPO")
	pricingBin := mustEnv(t, "PRICING_BIN")
	gatewayBin := mustEnv(t, "GATEWAY_BIN")
	out := outDir(t, "")
	t.Logf("logs and ledger in %s", out)
	e := &env{t: t, out: out}
	t.Cleanup(e.stopAll)

	ports := freePorts(t, 5)
	seamGRPC, seamHTTP, seamMetrics, promPort, nativePromPort := ports[0], ports[1], ports[2], ports[3], ports[4]

	// Seam, with a short window so unpaired halves are counted within seconds.
	seamCfg := filepath.Join(out, "seam.yaml")
	writeFile(t, seamCfg, fmt.Sprintf(`receivers:
  otlp:
    grpc: {host: 127.0.0.1, port: %d}
    http: {host: 127.0.0.1, port: %d}
metrics: {host: 127.0.0.1, port: %d}
pairing: {window: 4s, sweep-interval: 200ms}
contracts: {file: %s}
`, seamGRPC, seamHTTP, seamMetrics, filepath.Join(repo, "examples/contracts.yaml")))
	e.start("seam", nil, "java", "-Xmx512m", "-jar", seamJar, "--config", seamCfg)
	e.awaitHTTP("seam", fmt.Sprintf("http://127.0.0.1:%d/readyz", seamMetrics), 60*time.Second)

	e.startPrometheus(repo, promPort, seamMetrics)
	e.startNativePrometheus(repo, nativePromPort, seamMetrics)
	gatewayPort := e.startServices(pricingBin, gatewayBin, seamGRPC, seamHTTP)

	// Drive the mix, then (once Prometheus has scraped the boundaries it made) a few more HTTP
	// calls: a quantile over rate() needs a counter to grow between two scrapes, and the contract
	// alerts compare such quantiles with their budgets. Write the ledger.
	calls := mix()
	e.drive(gatewayPort, calls)
	e.awaitQuery(`seam_boundary_calls_total{caller_service="gateway",callee_service="pricing",transport="http"}`, 30*time.Second)
	time.Sleep(1500 * time.Millisecond)
	var late []Call
	for i := 0; i < 5; i++ {
		late = append(late, Call{Route: "/quote/http", Transport: "http", Item: fmt.Sprintf("late-%d", i), WantStatus: 200})
	}
	e.drive(gatewayPort, late)
	calls = append(calls, late...)
	e.writeLedger(calls)

	e.callFromCheckout(seamGRPC, e.pricingHTTP)

	// Let the callees the callers gave up on finish their work (the slowest takes 400 ms), then
	// stop the services: on SIGTERM they flush every span, log and metric they hold.
	time.Sleep(time.Second)
	e.stop("gateway")
	e.stop("pricing")

	// Pending entries reach 0 once the window has passed for the last span; the scrape that
	// sees that also sees every final count.
	e.awaitQuery("seam_pairing_pending == 0 and on() sum(seam_received_items_total{signal=\"spans\"}) > 0", 60*time.Second)
	time.Sleep(2500 * time.Millisecond) // two more scrapes, so every series has its final sample

	e.checkBoundaries(calls, oneInstance)
	e.checkContracts(calls)
	e.checkDashboards(repo, false)
	e.checkNativeHistograms()
}

// callFromCheckout makes checkoutCalls calls to pricing from a second real Go client, service
// "checkout" in namespace "shop", instrumented with otelhttp and exporting its spans to Seam.
func (e *env) callFromCheckout(seamGRPC, pricingHTTP int) {
	t := e.t
	ctx := context.Background()
	exp, err := otlptracegrpc.New(ctx, otlptracegrpc.WithEndpoint(fmt.Sprintf("127.0.0.1:%d", seamGRPC)), otlptracegrpc.WithInsecure())
	if err != nil {
		t.Fatalf("checkout: trace exporter: %v", err)
	}
	res, err := resource.New(ctx, resource.WithAttributes(semconv.ServiceName("checkout"), semconv.ServiceNamespace("shop")),
		resource.WithTelemetrySDK())
	if err != nil {
		t.Fatalf("checkout: resource: %v", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp), sdktrace.WithResource(res))
	client := &http.Client{Timeout: 10 * time.Second, Transport: otelhttp.NewTransport(http.DefaultTransport,
		otelhttp.WithTracerProvider(tp), otelhttp.WithPropagators(propagation.TraceContext{}))}
	for i := 0; i < checkoutCalls; i++ {
		resp, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d/price/checkout-%d", pricingHTTP, i))
		if err != nil {
			t.Fatalf("checkout: GET /price: %v", err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("checkout: GET /price answered %d", resp.StatusCode)
		}
	}
	if err := tp.Shutdown(ctx); err != nil {
		t.Fatalf("checkout: flushing spans: %v", err)
	}
	e.checkouts = checkoutCalls
}

// checkContracts checks, through Prometheus, what Seam says about the contracts of
// examples/contracts.yaml: owners from the file and from the services' resources, the declared
// budgets, the declared flags (the checkout route is undeclared), the interface statuses against
// the ledger, and that the deliberately tight overhead budget's alert pages edge.
func (e *env) checkContracts(calls []Call) {
	t := e.t
	type side struct{ caller, callee, transport string }
	gw := func(callee, transport string) side { return side{"gateway", callee, transport} }
	viaHTTP, viaGRPC, viaFFI, checkout := gw("pricing", "http"), gw("pricing", "grpc"), gw("gateway", "ffi"), side{"checkout", "pricing", "http"}
	of := func(m map[string]string) side { return side{m["caller_service"], m["callee_service"], m["transport"]} }

	edge := "edge|#edge-oncall"
	pricing := "pricing|pagerduty:pricing"
	wantOwners := map[side]string{viaHTTP: edge + " " + pricing, viaGRPC: edge + " " + pricing, viaFFI: edge + " " + edge, checkout: "shop|#shop " + pricing}
	gotOwners := map[side]string{}
	for _, s := range e.query("seam_boundary_owner_info") {
		m := s.Metric
		gotOwners[of(m)] = m["caller_owner"] + "|" + m["caller_escalation"] + " " + m["callee_owner"] + "|" + m["callee_escalation"]
	}
	if fmt.Sprint(gotOwners) != fmt.Sprint(wantOwners) {
		t.Errorf("seam_boundary_owner_info: got %v, want %v", gotOwners, wantOwners)
	}

	wantBudgets := map[string]float64{
		"http caller_p99_seconds": 2, "http overhead_p99_seconds": 1e-6, "http error_ratio": 0.5,
		"grpc caller_p99_seconds": 2, "grpc callee_p99_seconds": 2, "grpc error_ratio": 0.5, "grpc callee_memory_bytes": 1 << 30,
		"ffi overhead_p99_seconds": 0.01, "ffi allocated_bytes_per_call_p99": 1 << 20,
	}
	gotBudgets := map[string]float64{}
	for _, s := range e.query("seam_boundary_budget") {
		gotBudgets[s.Metric["transport"]+" "+s.Metric["budget"]] = s.value()
	}
	assertMaps(t, "seam_boundary_budget", wantBudgets, gotBudgets)

	wantDeclared := map[side]float64{viaHTTP: 1, viaGRPC: 1, viaFFI: 1, checkout: 0}
	gotDeclared := map[side]float64{}
	for _, s := range e.query("seam_boundary_declared") {
		gotDeclared[of(s.Metric)] = s.value()
	}
	assertMaps(t, "seam_boundary_declared", wantDeclared, gotDeclared)

	// Every paired call, and every call whose context was lost, counted once by its interface:
	// gRPC speaks pricing.v1 (deprecated), the HTTP routes carry no version, the FFI library is v2.
	want := map[string]float64{}
	for _, c := range calls {
		switch {
		case c.Unpaired:
			want["http unknown unknown"]++
		case c.Transport == "grpc":
			want["grpc pricing.v1 deprecated"]++
		case c.Transport == "http":
			want["http unknown unknown"]++
		case c.Transport == "ffi":
			want["ffi v2 current"]++
		}
	}
	want["checkout unknown unknown"] = float64(e.checkouts)
	got := map[string]float64{}
	for _, s := range e.query("seam_boundary_interface_calls_total") {
		k := s.Metric["transport"]
		if s.Metric["caller_service"] == "checkout" {
			k = "checkout"
		}
		got[k+" "+s.Metric["interface"]+" "+s.Metric["status"]] = s.value()
	}
	assertMaps(t, "seam_boundary_interface_calls_total", want, got)

	// The tight overhead budget on gateway -> pricing over HTTP: pending (for: 10m) or firing,
	// routed to the caller's team; the undeclared checkout route to checkout's.
	e.awaitQuery(`ALERTS{alertname="SeamBoundaryOverheadOverBudget",team="edge",escalation="#edge-oncall",caller_service="gateway",callee_service="pricing",transport="http"}`, 60*time.Second)
	e.awaitQuery(`ALERTS{alertname="SeamBoundaryUndeclared",team="shop",caller_service="checkout",callee_service="pricing",callee_owner="pricing"}`, 60*time.Second)
	if n := len(e.query(`ALERTS{alertname="SeamBoundaryOverheadOverBudget"}`)); n != 1 {
		t.Errorf("SeamBoundaryOverheadOverBudget: %d alerts, want only gateway -> pricing over http\n%v", n, e.query(`ALERTS{alertname="SeamBoundaryOverheadOverBudget"}`))
	}
	if v := e.scalar("max(seam_contracts_last_reload_successful)"); v != 1 {
		t.Errorf("seam_contracts_last_reload_successful = %v, want 1", v)
	}
}

// startPrometheus starts Prometheus on promPort scraping every Seam metrics port given, each a
// target of one job, seam, every second, with Seam's recording and alerting rules loaded.
func (e *env) startPrometheus(repo string, promPort int, seamMetrics ...int) {
	t := e.t
	t.Helper()
	promBin := os.Getenv("PROMETHEUS_BIN")
	if promBin == "" {
		promBin = "prometheus"
	}
	targets := make([]string, len(seamMetrics))
	for i, p := range seamMetrics {
		targets[i] = fmt.Sprintf(`"127.0.0.1:%d"`, p)
	}
	promCfg := filepath.Join(e.out, "prometheus.yml")
	writeFile(t, promCfg, fmt.Sprintf(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - %s
  - %s
scrape_configs:
  - job_name: seam
    static_configs:
      - targets: [%s]
`, filepath.Join(repo, "dashboards/prometheus/recording.rules.yml"), filepath.Join(repo, "dashboards/prometheus/alerts.rules.yml"), strings.Join(targets, ", ")))
	e.start("prometheus", nil, promBin, "--config.file="+promCfg, "--storage.tsdb.path="+filepath.Join(e.out, "prometheus-data"),
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", promPort), "--log.level=warn")
	e.promURL = fmt.Sprintf("http://127.0.0.1:%d", promPort)
	e.awaitHTTP("prometheus", e.promURL+"/-/ready", 60*time.Second)
}

// startServices starts the Rust pricing service and the Go gateway exporting to an OTLP endpoint
// on loopback (Seam, or what stands in front of it) and waits until both answer; it returns the
// gateway's port. The Rust service exports OTLP/HTTP, the Go gateway OTLP/gRPC, the Rust library
// it calls through cgo OTLP/HTTP: both receivers are exercised.
func (e *env) startServices(pricingBin, gatewayBin string, otlpGRPC, otlpHTTP int) int {
	e.t.Helper()
	ports := freePorts(e.t, 3)
	pricingHTTP, pricingGRPC, gatewayPort := ports[0], ports[1], ports[2]
	otel := func(service, endpoint, protocol string) []string {
		return []string{
			"OTEL_SERVICE_NAME=" + service,
			"OTEL_EXPORTER_OTLP_ENDPOINT=" + endpoint,
			"OTEL_EXPORTER_OTLP_PROTOCOL=" + protocol,
			"OTEL_METRIC_EXPORT_INTERVAL=1000",
			"OTEL_BSP_SCHEDULE_DELAY=200",
			"OTEL_BLRP_SCHEDULE_DELAY=200",
		}
	}
	e.pricingHTTP = pricingHTTP
	// pricing states its owner in its resource; the gateway's version (read by both its Go half
	// and the Rust library) names the interface of the FFI boundary (examples/contracts.yaml).
	e.start("pricing", append(otel("pricing", fmt.Sprintf("http://127.0.0.1:%d", otlpHTTP), "http/protobuf"),
		"OTEL_RESOURCE_ATTRIBUTES=service.owner.name=pricing,service.owner.contact=pagerduty:pricing",
		fmt.Sprintf("PRICING_HTTP_ADDR=127.0.0.1:%d", pricingHTTP),
		fmt.Sprintf("PRICING_GRPC_ADDR=127.0.0.1:%d", pricingGRPC)), pricingBin)
	e.awaitHTTP("pricing", fmt.Sprintf("http://127.0.0.1:%d/healthz", pricingHTTP), 60*time.Second)
	e.start("gateway", append(otel("gateway", fmt.Sprintf("http://127.0.0.1:%d", otlpGRPC), "grpc"),
		"OTEL_RESOURCE_ATTRIBUTES=service.version=2.1.0",
		fmt.Sprintf("GATEWAY_ADDR=127.0.0.1:%d", gatewayPort),
		fmt.Sprintf("PRICING_HTTP_URL=http://127.0.0.1:%d", pricingHTTP),
		fmt.Sprintf("PRICING_GRPC_ADDR=127.0.0.1:%d", pricingGRPC),
		fmt.Sprintf("SEAM_FFI_OTLP_ENDPOINT=http://127.0.0.1:%d", otlpHTTP)), gatewayBin)
	e.awaitHTTP("gateway", fmt.Sprintf("http://127.0.0.1:%d/healthz", gatewayPort), 60*time.Second)
	return gatewayPort
}

// drive sends the calls to the gateway one after the other and records each answer's status.
func (e *env) drive(gatewayPort int, calls []Call) {
	t := e.t
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	for i := range calls {
		c := &calls[i]
		u := fmt.Sprintf("http://127.0.0.1:%d%s/%s", gatewayPort, c.Route, url.PathEscape(c.Item))
		if c.Query != "" {
			u += "?" + c.Query
		}
		resp, err := client.Get(u)
		if err != nil {
			t.Fatalf("driver: GET %s: %v", u, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		c.GotStatus = resp.StatusCode
	}
}

// writeLedger writes the driven calls to ledger.json and fails the test if the services did not
// answer as the mix expects.
func (e *env) writeLedger(calls []Call) {
	t := e.t
	t.Helper()
	ledger, _ := json.MarshalIndent(calls, "", "  ")
	writeFile(t, filepath.Join(e.out, "ledger.json"), string(ledger))
	for _, c := range calls {
		if c.GotStatus != c.WantStatus {
			t.Fatalf("driver: %s/%s?%s answered %d, want %d (the example services misbehave; see %s)", c.Route, c.Item, c.Query, c.GotStatus, c.WantStatus, e.out)
		}
	}
}

// checkDashboards runs every dashboard panel and variable query against this Prometheus, now
// full of real boundary traffic and with Seam's recording and alerting rules loaded: each must be
// valid PromQL, and the boundary panels must return data (and the Kafka consumer panels too,
// with kafka, where Seam consumed from Kafka).
func (e *env) checkDashboards(repo string, kafka bool) {
	t := e.t
	// The recording rules need a couple of evaluations over the finished traffic.
	e.awaitQuery(`boundary:seam_boundary_calls:rate5m`, 30*time.Second)
	cmd := exec.Command("python3", filepath.Join(repo, "dashboards/check.py"))
	cmd.Env = append(os.Environ(), "PROMETHEUS_URL="+e.promURL, "REQUIRE_DATA=1")
	if kafka {
		cmd.Env = append(cmd.Env, "REQUIRE_KAFKA=1")
	}
	cmd.Dir = repo
	out, err := cmd.CombinedOutput()
	writeFile(t, filepath.Join(e.out, "dashboards-check.log"), string(out))
	if err != nil {
		t.Errorf("dashboards/check.py against the live Prometheus failed (%v):\n%s", err, out)
		return
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	t.Logf("dashboards/check.py: %s", lines[len(lines)-1])
	for _, r := range e.query(`ALERTS{alertstate="firing"}`) {
		t.Logf("alert firing after the run: %v", r.Metric)
	}
}

// ledger is what the calls of a mix must show in Seam's metrics.
type ledger struct {
	calls    map[boundary]float64
	errors   map[string]float64 // by key(boundary, side, class)
	logs     map[string]float64 // error logs by key(boundary, side, "")
	negative map[boundary]float64
	cutOff   map[boundary]float64
	// unpaired: calls of the route that drops the context (their callers have no callee).
	unpaired float64
}

func ledgerOf(calls []Call) ledger {
	l := ledger{calls: map[boundary]float64{}, errors: map[string]float64{}, logs: map[string]float64{},
		negative: map[boundary]float64{}, cutOff: map[boundary]float64{}}
	for _, c := range calls {
		if c.Unpaired {
			l.unpaired++
			continue
		}
		b := httpBoundary.of(c.Transport)
		l.calls[b]++
		if c.ErrorSide != "" {
			l.errors[key(b, c.ErrorSide, c.ErrorClass)]++
		}
		if c.ErrorSide == "caller" && c.Transport == "grpc" {
			// The caller gave up; the tonic handler runs to completion and outlasts it.
			l.negative[b]++
		}
		if c.ErrorSide == "caller" && c.Transport == "http" {
			// The caller gave up and hung up; axum dropped the handler, whose span ended with no
			// status: a cut-off callee, for which no overhead is recorded.
			l.cutOff[b]++
		}
		if c.CalleeErrorLog {
			l.logs[key(b, "callee", "")]++
		}
		if c.CallerErrorLog {
			l.logs[key(b, "caller", "")]++
		}
	}
	return l
}

// view says how Seam's series are read from Prometheus: one instance as scraped, or a fleet of
// instances whose series are added up.
type view struct {
	// series turns a selector into one series per label set of the boundary metrics.
	series func(selector string) string
	// fleet: the traffic is spread by trace id over several instances, so broken-context
	// detection sees a break only when the caller's and the callee's traces reached one instance;
	// the other breaks are callers whose callee never came (docs/deployment.md).
	fleet bool
}

var (
	oneInstance = view{series: func(sel string) string { return sel }}
	// fleetNow adds up the instances' series as they are now (every instance is up).
	fleetNow = view{series: func(sel string) string { return "sum without(instance) (" + sel + ")" }, fleet: true}
)

// boundarySeries returns the non-zero series of a boundary metric as in reads them, keyed by keyOf.
func (e *env) boundarySeries(in view, metric string, keyOf func(s sample) string) map[string]float64 {
	got := map[string]float64{}
	for _, s := range e.query(in.series(metric)) {
		if x := s.value(); x != 0 {
			got[keyOf(s)] = x
		}
	}
	return got
}

func errorKey(s sample) string {
	return key(labelsOf(s.Metric), s.Metric["error_side"], s.Metric["error_class"])
}

func logKey(s sample) string { return key(labelsOf(s.Metric), s.Metric["side"], "") }

func (e *env) checkBoundaries(calls []Call, in view) {
	t := e.t
	l := ledgerOf(calls)
	if e.checkouts > 0 {
		l.calls[checkoutBoundary] = float64(e.checkouts)
	}
	wantCalls, wantCutOff, unpaired := l.calls, l.cutOff, l.unpaired

	// Every boundary in the ledger, with exact counts, and nothing else.
	got := e.query(in.series("seam_boundary_calls_total"))
	gotCalls := map[boundary]float64{}
	for _, s := range got {
		gotCalls[labelsOf(s.Metric)] = s.value()
	}
	assertMaps(t, "seam_boundary_calls_total", wantCalls, gotCalls)
	assertMaps(t, "seam_boundary_errors_total", l.errors, e.boundarySeries(in, "seam_boundary_errors_total", errorKey))
	assertMaps(t, "seam_boundary_error_logs_total", l.logs, e.boundarySeries(in, "seam_boundary_error_logs_total", logKey))

	gotNegative := map[boundary]float64{}
	for _, s := range e.query(in.series("seam_boundary_negative_overhead_total")) {
		if x := s.value(); x != 0 {
			gotNegative[labelsOf(s.Metric)] = x
		}
	}
	assertMaps(t, "seam_boundary_negative_overhead_total", l.negative, gotNegative)

	// The route that drops the context: its Go client spans have no callee in their traces, and
	// each is matched to the Rust root span that served it.
	gotBroken := e.scalar("sum(" + in.series("seam_boundary_context_broken_total"+httpBoundary.selector()) + ") or vector(0)")
	gotUnpaired := e.scalar(`sum(` + in.series(`seam_boundary_unpaired_total{side="caller",reason="context_broken",caller_service="gateway",callee_service="pricing",transport="http"}`) + `) or vector(0)`)
	if in.fleet {
		// A fleet matches a caller to its root span only where both traces landed; the other
		// callers are counted as callers whose callee never came (named by peer.service).
		missing := e.scalar(`sum(` + in.series(`seam_boundary_unpaired_total{side="caller",reason="callee_missing",caller_service="gateway",callee_service="pricing",transport="http"}`) + `) or vector(0)`)
		t.Logf("fleet: %v of %v context breaks detected, %v counted as callee_missing", gotBroken, unpaired, missing)
		if gotBroken != gotUnpaired || gotBroken+missing != unpaired {
			t.Errorf("context broken on %v: %v detected (%v unpaired callers with context_broken) + %v callee_missing, want %v in all\n%v",
				httpBoundary, gotBroken, gotUnpaired, missing, unpaired, e.query(in.series("seam_boundary_unpaired_total")))
		}
	} else {
		if gotBroken != unpaired {
			t.Errorf("context broken on %v: got %v, want %v\n%v", httpBoundary, gotBroken, unpaired, e.query("seam_boundary_context_broken_total"))
		}
		if gotUnpaired != unpaired {
			t.Errorf("unpaired callers gateway -> pricing over http (context_broken): got %v, want %v", gotUnpaired, unpaired)
		}
	}
	if other := e.scalar(`sum(` + in.series(`seam_boundary_unpaired_total`) + `) or vector(0)`); other != unpaired {
		t.Errorf("unpaired halves in all: got %v, want %v (only the route without context)\n%v", other, unpaired, e.query(in.series("seam_boundary_unpaired_total")))
	}

	// Overhead: every call has one, non-negative and below the caller's duration; FFI in
	// microseconds, the network well above it.
	meanOverhead := map[boundary]float64{}
	for b, n := range wantCalls {
		sel := b.selector()
		count := e.scalar("sum(seam_boundary_overhead_seconds_count" + sel + ")")
		if want := n - wantCutOff[b]; count != want {
			t.Errorf("%v: overhead recorded %v times, want %v (%v calls, %v cut off)", b, count, want, n, wantCutOff[b])
		}
		overhead := e.scalar("sum(seam_boundary_overhead_seconds_sum" + sel + ")")
		caller := e.scalar("sum(seam_boundary_caller_duration_seconds_sum" + sel + ")")
		if overhead < 0 || overhead >= caller {
			t.Errorf("%v: total overhead %v s must be >= 0 and below the total caller duration %v s", b, overhead, caller)
		}
		meanOverhead[b] = overhead / count
		t.Logf("%-7s calls %3v  mean caller %8.3f ms  mean callee %8.3f ms  mean overhead %8.1f us", b.transport, n,
			1e3*caller/n, 1e3*e.scalar("sum(seam_boundary_callee_duration_seconds_sum"+sel+")")/n, 1e6*overhead/n)
	}
	if m := meanOverhead[ffiBoundary]; m <= 0 || m >= 500e-6 {
		t.Errorf("ffi mean overhead %v s: want microseconds (0 < x < 500 us)", m)
	}
	for _, b := range []boundary{httpBoundary, grpcBoundary} {
		if m := meanOverhead[b]; m < 50e-6 || m <= 2*meanOverhead[ffiBoundary] {
			t.Errorf("%s mean overhead %v s: want a network's (>= 50 us and well above ffi's %v s)", b.transport, m, meanOverhead[ffiBoundary])
		}
	}
	if a := e.scalar("sum(seam_boundary_callee_allocated_bytes_count" + ffiBoundary.selector() + ")"); a != wantCalls[ffiBoundary] {
		t.Errorf("ffi allocation recorded for %v calls, want %v", a, wantCalls[ffiBoundary])
	}

	// Process memory of both services.
	for _, sel := range []string{
		`seam_process_memory_bytes{service="gateway",language="go",type="runtime"}`,
		`seam_process_memory_bytes{service="pricing",language="rust",type="resident"}`,
	} {
		if v := e.scalar("max(" + sel + ") or vector(0)"); v <= 0 {
			t.Errorf("%s: want a positive value, got %v", sel, v)
		}
	}

	// Nothing lost: received = processed + dropped, nothing dropped or refused.
	for _, signal := range []string{"spans", "logs", "metrics"} {
		r := e.scalar(fmt.Sprintf(`sum(seam_received_items_total{signal=%q})`, signal))
		p := e.scalar(fmt.Sprintf(`sum(seam_processed_items_total{signal=%q})`, signal))
		d := e.scalar(fmt.Sprintf(`sum(seam_dropped_items_total{signal=%q})`, signal))
		if r <= 0 || r != p+d || d != 0 {
			t.Errorf("%s: received %v, processed %v, dropped %v: want received = processed > 0 and none dropped", signal, r, p, d)
		}
	}
	if refused := e.scalar("sum(seam_refused_items_total) + sum(seam_refused_requests_total or vector(0))"); refused != 0 {
		t.Errorf("Seam refused %v items or requests from the real SDKs", refused)
	}
}

func (b boundary) selector() string {
	return fmt.Sprintf(`{caller_service=%q,caller_language=%q,callee_service=%q,callee_language=%q,transport=%q,operation=%q}`,
		b.callerService, b.callerLanguage, b.calleeService, b.calleeLanguage, b.transport, b.operation)
}

func (b boundary) String() string {
	return fmt.Sprintf("%s(%s) -> %s(%s) over %s [%s]", b.callerService, b.callerLanguage, b.calleeService, b.calleeLanguage, b.transport, b.operation)
}

func key(b boundary, side, class string) string {
	if class == "" {
		return fmt.Sprintf("%v side=%s", b, side)
	}
	return fmt.Sprintf("%v side=%s class=%s", b, side, class)
}

func labelsOf(m map[string]string) boundary {
	return boundary{m["caller_service"], m["caller_language"], m["callee_service"], m["callee_language"], m["transport"], m["operation"]}
}

func assertMaps[K comparable](t *testing.T, what string, want, got map[K]float64) {
	t.Helper()
	var problems []string
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			problems = append(problems, fmt.Sprintf("  %v: got %v, want %v", k, g, w))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			problems = append(problems, fmt.Sprintf("  %v: got %v, want no such series", k, g))
		}
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		t.Errorf("%s differs from the ledger:\n%s", what, strings.Join(problems, "\n"))
	}
}

// --- Prometheus HTTP API ---

type sample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

func (s sample) value() float64 {
	str, _ := s.Value[1].(string)
	v, err := strconv.ParseFloat(str, 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

func (e *env) query(q string) []sample {
	e.t.Helper()
	return e.queryAt(e.promURL, q)
}

// queryAt runs an instant query on the Prometheus at base.
func (e *env) queryAt(base, q string) []sample {
	e.t.Helper()
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		e.t.Fatalf("prometheus query %q: %v", q, err)
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string   `json:"resultType"`
			Result     []sample `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		e.t.Fatalf("prometheus query %q: %v", q, err)
	}
	if body.Status != "success" {
		e.t.Fatalf("prometheus query %q: %s", q, body.Error)
	}
	return body.Data.Result
}

func (e *env) scalar(q string) float64 {
	e.t.Helper()
	r := e.query(q)
	if len(r) == 0 {
		return 0
	}
	if len(r) > 1 {
		e.t.Fatalf("query %q returned %d series, want one", q, len(r))
	}
	return r[0].value()
}

func (e *env) awaitQuery(q string, timeout time.Duration) {
	if !e.holdsWithin(q, timeout) {
		e.t.Fatalf("prometheus: %q did not hold within %v; seam_pairing_pending: %v; up: %v", q, timeout, e.query("seam_pairing_pending"), e.query("up"))
	}
}

// holdsWithin says whether the query returns a result within timeout.
func (e *env) holdsWithin(q string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if len(e.query(q)) > 0 {
			return true
		}
		time.Sleep(250 * time.Millisecond)
	}
	return false
}

// --- processes ---

func (e *env) start(name string, extraEnv []string, argv ...string) {
	e.t.Helper()
	logPath := filepath.Join(e.out, name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		e.t.Fatal(err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), extraEnv...)
	cmd.Stdout = f
	cmd.Stderr = f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		e.t.Fatalf("start %s (%s): %v", name, argv[0], err)
	}
	p := &proc{name: name, cmd: cmd, log: logPath, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait(); f.Close() }()
	e.procs = append(e.procs, p)
}

func (e *env) find(name string) *proc {
	for _, p := range e.procs {
		if p.name == name {
			return p
		}
	}
	return nil
}

// stop sends SIGTERM and waits for a clean exit, failing the test if the process does not
// stop by itself (it would lose the telemetry it still holds).
func (e *env) stop(name string) {
	e.t.Helper()
	p := e.find(name)
	if p == nil || p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		p.done <- err
		if err != nil {
			e.t.Errorf("%s exited with %v after SIGTERM; log:\n%s", name, err, tail(p.log, 30))
		}
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		e.t.Fatalf("%s did not stop within 30 s of SIGTERM; log:\n%s", name, tail(p.log, 30))
	}
}

func (e *env) stopAll() {
	for i := len(e.procs) - 1; i >= 0; i-- {
		p := e.procs[i]
		select {
		case err := <-p.done:
			p.done <- err
			continue
		default:
		}
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(15 * time.Second):
			_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
			<-p.done
		}
	}
	if e.t.Failed() {
		for _, p := range e.procs {
			e.t.Logf("--- last lines of %s ---\n%s", p.log, tail(p.log, 40))
		}
	}
}

func (e *env) awaitHTTP(name, u string, timeout time.Duration) {
	e.t.Helper()
	p := e.find(name)
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			p.done <- err
			e.t.Fatalf("%s exited before it was ready (%v); log:\n%s", name, err, tail(p.log, 40))
		default:
		}
		resp, err := client.Get(u)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	e.t.Fatalf("%s not ready at %s within %v; log:\n%s", name, u, timeout, tail(p.log, 40))
}

// --- helpers ---

// outDir is where a test writes its logs: E2E_OUT (or a temporary directory), and sub within it.
func outDir(t *testing.T, sub string) string {
	t.Helper()
	out := os.Getenv("E2E_OUT")
	if out == "" {
		out = t.TempDir()
	}
	out = filepath.Join(out, sub)
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

func mustEnv(t *testing.T, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set: run the suite with examples/run-e2e.sh", name)
	}
	return v
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ls []net.Listener
	var ports []int
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		lines = append(lines, s.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}
