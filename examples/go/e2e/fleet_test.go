//go:build e2e

package e2e

import (
	"bufio"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fleetPartitions is every topic's partition count: the span and log topics must have the same
// one (the range assignor gives partition n of both to one instance, where a trace's error logs
// meet its spans), and 6 spreads evenly over three instances and over the two left after a kill.
const fleetPartitions = 6

// fleet is what the fleet test runs: Seam's jar, the services, the Collector and the broker.
type fleet struct {
	repo, jar, pricingBin, gatewayBin, otelcolBin, kafkaBroker string
	// bootstrap is the broker's address, once it runs.
	bootstrap string
}

// TestFleetMatchesTheLedger runs the mix through Seam as a Kafka consumer group
// (docs/deployment.md, "Scale out"), on one real broker (KRaft) shared by two scenarios:
//
//   - collector-front: the services export to an OpenTelemetry Collector with the kafka exporter
//     (deploy/otelcol/kafka-agent.yaml), three Seam instances consume and all stay up: the ledger
//     holds exactly on the sum over the three, and the dashboards' Kafka panels show data;
//   - seam-front-kill: the services export to a Seam front instance (kafka.produce), three
//     instances consume, and one is killed with SIGKILL halfway through the mix: once the group
//     has given its partitions to the others, every call is counted once, paired or as an
//     unpaired half, and none twice.
func TestFleetMatchesTheLedger(t *testing.T) {
	f := &fleet{
		repo:        mustEnv(t, "SEAM_REPO"),
		jar:         mustEnv(t, "SEAM_JAR"),
		pricingBin:  mustEnv(t, "PRICING_BIN"),
		gatewayBin:  mustEnv(t, "GATEWAY_BIN"),
		otelcolBin:  mustEnv(t, "OTELCOL_BIN"),
		kafkaBroker: mustEnv(t, "KAFKA_BROKER"),
	}
	e := &env{t: t, out: outDir(t, "fleet")}
	t.Logf("logs and ledgers in %s", e.out)
	t.Cleanup(e.stopAll)
	// No topic appears by accident: every writer and reader must use the topics created here.
	f.bootstrap = e.startBroker(f.kafkaBroker, "auto.create.topics.enable=false")

	t.Run("collector-front", f.collectorFront)
	t.Run("seam-front-kill", f.seamFrontKill)
}

// collectorFront: OpenTelemetry Collector -> Kafka -> three Seam instances, all up to the end.
func (f *fleet) collectorFront(t *testing.T) {
	e := &env{t: t, out: outDir(t, filepath.Join("fleet", "collector-front"))}
	t.Cleanup(e.stopAll)
	// Seam's default topics, which the agent configuration writes.
	e.createTopics(f, "otlp_spans", "otlp_logs", "otlp_metrics")

	ports := freePorts(t, 7)
	promPort, ocGRPC, ocHTTP, ocTelemetry := ports[0], ports[1], ports[2], ports[3]
	seams := []seamInstance{{"seam-a", ports[4]}, {"seam-b", ports[5]}, {"seam-c", ports[6]}}
	for _, s := range seams {
		e.startSeam(f, s, consumerConfig(s, f.bootstrap, "4s", ""))
	}
	e.startPrometheus(f.repo, promPort, metricsPorts(seams)...)
	for _, s := range seams {
		e.awaitSeam(s)
	}
	e.startCollector(f, ocGRPC, ocHTTP, ocTelemetry)
	e.awaitGroup(`topic=~"otlp_.*"`, len(seams))

	gatewayPort := e.startServices(f.pricingBin, f.gatewayBin, ocGRPC, ocHTTP)
	calls := mix()
	e.drive(gatewayPort, calls)
	e.writeLedger(calls)
	time.Sleep(time.Second) // the slowest callee takes 400 ms
	e.stop("gateway")
	e.stop("pricing")

	// Everything the Collector accepted reached Kafka, every instance consumed it, and the
	// window passed for the last span on each.
	spans, logs := e.awaitCollectorSent(ocTelemetry)
	e.awaitQuery(fmt.Sprintf(`count(seam_pairing_pending == 0) == %d`+
		` and on() sum(seam_received_items_total{signal="spans",protocol="kafka"}) >= %v`+
		` and on() sum(seam_received_items_total{signal="logs",protocol="kafka"}) >= %v`, len(seams), spans, logs), 60*time.Second)
	time.Sleep(2500 * time.Millisecond) // two more scrapes, so every series has its final sample

	e.checkBoundaries(calls, fleetNow)

	// Through Kafka, nothing lost and nothing counted twice: the instances received exactly the
	// spans and log records the Collector accepted, and each owned its share to the end.
	for signal, want := range map[string]float64{"spans": spans, "logs": logs} {
		if got := e.scalar(fmt.Sprintf(`sum(seam_received_items_total{signal=%q,protocol="kafka"})`, signal)); got != want {
			t.Errorf("%s received from Kafka over the fleet: %v, want %v (what the Collector accepted)", signal, got, want)
		}
	}
	if other := e.scalar(`sum(seam_received_items_total{protocol!="kafka"}) or vector(0)`); other != 0 {
		t.Errorf("items received other than from Kafka (or read again after a hand-over): %v, want 0\n%v", other,
			e.query(`seam_received_items_total{protocol!="kafka"} > 0`))
	}
	e.checkOwned(`topic=~"otlp_.*"`, len(seams), 3*len(seams))
	t.Logf("records consumed per instance: %v", e.byInstance(`sum by (instance) (seam_kafka_records_total)`))

	e.checkDashboards(f.repo, true)
}

// seamFrontKill: Seam front instance -> Kafka -> three Seam instances, one killed halfway.
func (f *fleet) seamFrontKill(t *testing.T) {
	e := &env{t: t, out: outDir(t, filepath.Join("fleet", "seam-front-kill"))}
	t.Cleanup(e.stopAll)
	e.createTopics(f, "kill_spans", "kill_logs", "kill_metrics")
	kafka := "  group: seam-kill\n  topics: {spans: kill_spans, logs: kill_logs, metrics: kill_metrics}\n"

	ports := freePorts(t, 7)
	promPort, frontGRPC, frontHTTP := ports[0], ports[1], ports[2]
	front := seamInstance{"seam-front", ports[3]}
	consumers := []seamInstance{{"seam-a", ports[4]}, {"seam-b", ports[5]}, {"seam-c", ports[6]}}
	victim, survivors := consumers[2], consumers[:2]

	e.startSeam(f, front, fmt.Sprintf(`receivers:
  otlp:
    grpc: {host: 127.0.0.1, port: %d}
    http: {host: 127.0.0.1, port: %d}
metrics: {host: 127.0.0.1, port: %d}
kafka:
  brokers: ['%s']
  client-id: %s
%s  produce: true
  consume: false
`, frontGRPC, frontHTTP, front.metrics, f.bootstrap, front.name, kafka))
	// A window longer than the time from the first half's spans to the kill: the victim still
	// holds them when it dies (they are handed over by replay), and none of its unpaired halves
	// ends between its last scrape and the kill (that count would be lost with it).
	for _, s := range consumers {
		e.startSeam(f, s, consumerConfig(s, f.bootstrap, "15s", kafka))
	}
	e.startPrometheus(f.repo, promPort, metricsPorts(append([]seamInstance{front}, consumers...))...)
	e.awaitSeam(front)
	for _, s := range consumers {
		e.awaitSeam(s)
	}
	e.awaitGroup(`topic=~"kill_.*"`, len(consumers))

	gatewayPort := e.startServices(f.pricingBin, f.gatewayBin, frontGRPC, frontHTTP)
	calls := mix()
	// Each half has every kind of call; the calls without context come last in the first.
	var first, second []Call
	for i, c := range calls {
		if i%2 == 0 {
			first = append(first, c)
		} else {
			second = append(second, c)
		}
	}
	e.drive(gatewayPort, first)
	started := time.Now()
	time.Sleep(time.Second) // the slowest callee takes 400 ms; the SDKs export every 200 ms

	// Kill the victim once Prometheus has scraped it with nothing in flight: what it counts after
	// its last scrape is lost with it, and records it processed after its last commit would be
	// read again as new. Every record the front wrote is processed, nothing has moved for a
	// second (several polls, each followed by a commit), and then one more scrape.
	dataTopics := []string{"kill_spans", "kill_logs"}
	quiet := e.awaitQuiet(front, consumers, dataTopics)
	last := e.awaitScrapeAfter(victim, quiet.Add(time.Second))
	e.kill(victim.name)
	killed := time.Now()
	t.Logf("killed %s with SIGKILL %.1f s after the first half's last call, %.1f s after its last scrape",
		victim.name, killed.Sub(started).Seconds(), killed.Sub(last).Seconds())
	// The victim's series at its last scrape.
	atLast := func(metric string) float64 {
		return e.scalar(fmt.Sprintf(`sum(%s{instance=%q} @ %.3f)`, metric, victim.target(), float64(last.UnixMilli())/1e3))
	}
	held, countedByVictim := atLast("seam_pairing_pending"), atLast("seam_boundary_calls_total")
	if held <= 0 || countedByVictim <= 0 {
		t.Fatalf("at its last scrape %s held %v pending halves and had counted %v calls: want both > 0 (its partitions got no traffic?)",
			victim.name, held, countedByVictim)
	}

	// The second half while the victim's partitions wait for the group to notice (6 s).
	e.drive(gatewayPort, second)
	e.writeLedger(append(append([]Call{}, first...), second...))
	time.Sleep(time.Second)
	e.stop("gateway")
	e.stop("pricing")

	e.awaitQuery(fmt.Sprintf(`count(seam_kafka_partitions_assigned{topic=~"kill_.*"} == %d) == %d`,
		fleetPartitions/len(survivors), 3*len(survivors)), 60*time.Second)
	t.Logf("the group gave %s's partitions to the others within %.1f s of SIGKILL", victim.name, time.Since(killed).Seconds())
	// Drained: the survivors caught up, processed as many records as the front wrote, and the
	// window passed for everything they hold. Records lost with the victim would keep this from
	// holding: the checks below then say what is missing.
	acked := e.scalar(`sum(seam_kafka_produced_records_total{topic=~"kill_spans|kill_logs",outcome="acked"})`)
	drained := fmt.Sprintf(`count(seam_pairing_pending{instance=~%q} == 0) == %d`+
		` and on() sum(seam_kafka_consumer_lag_records{instance=~%q}) == 0`+
		` and on() sum(max_over_time(seam_kafka_records_total{topic=~"kill_spans|kill_logs",outcome="processed"}[10m])) >= %v`,
		targetsRegexp(survivors), len(survivors), targetsRegexp(survivors), acked)
	if !e.holdsWithin(drained, 60*time.Second) {
		t.Errorf("the survivors did not drain within 60 s: %q does not hold; pending: %v", drained, e.byInstance("seam_pairing_pending"))
	}
	time.Sleep(2500 * time.Millisecond)

	e.checkKilledFleet(append(append([]Call{}, first...), second...))

	// Records: each processed once over the fleet (the victim's up to its last scrape), those the
	// victim still held read again by their new owners, and its partitions all owned again.
	if processed := e.scalar(`sum(max_over_time(seam_kafka_records_total{topic=~"kill_spans|kill_logs",outcome="processed"}[10m]))`); processed != acked {
		t.Errorf("span and log records processed over the fleet: %v, want %v (acknowledged to the front): each exactly once", processed, acked)
	}
	if failed := e.scalar(`sum(seam_kafka_produced_records_total{outcome="failed"}) or vector(0)`); failed != 0 {
		t.Errorf("the front failed to write %v records", failed)
	}
	replayedRecords := e.scalar(`sum(max_over_time(seam_kafka_records_total{outcome="replayed"}[10m])) or vector(0)`)
	replayedPairs := e.scalar(`sum(max_over_time(seam_kafka_replayed_pairs_total[10m])) or vector(0)`)
	t.Logf("after the kill: %v records read again, %v calls paired again and not counted twice", replayedRecords, replayedPairs)
	if replayedRecords <= 0 || replayedPairs <= 0 {
		t.Errorf("the victim held %v halves when it died: want its records read again (got %v) and calls it had counted paired again without counting (got %v)",
			held, replayedRecords, replayedPairs)
	}
	e.checkOwned(`topic=~"kill_.*"`, len(survivors), 3*len(survivors))
}

// fleetOverRun adds up the instances' series over the whole run: a killed instance's series end
// at its last scrape (and vanish from instant queries once stale), and counters only grow.
var fleetOverRun = view{series: func(sel string) string {
	return "sum without(instance) (max_over_time(" + sel + "[10m]))"
}, fleet: true}

// checkKilledFleet checks the ledger where an instance died: every call is counted exactly once,
// as a paired call or as an unpaired half, and none twice. Where every call of a boundary was
// paired, its errors, error logs and negative overheads are exact too.
func (e *env) checkKilledFleet(calls []Call) {
	t := e.t
	l := ledgerOf(calls)
	gotCalls := map[boundary]float64{}
	for _, s := range e.query(fleetOverRun.series("seam_boundary_calls_total")) {
		gotCalls[labelsOf(s.Metric)] = s.value()
	}
	unpaired := map[string]float64{}
	for _, s := range e.query(`sum by (transport) (max_over_time(seam_boundary_unpaired_total[10m]))`) {
		unpaired[s.Metric["transport"]] = s.value()
	}
	for b := range gotCalls {
		if _, ok := l.calls[b]; !ok {
			t.Errorf("seam_boundary_calls_total: %v counted %v calls, want no such boundary", b, gotCalls[b])
		}
	}
	exact := true
	for _, b := range []boundary{httpBoundary, grpcBoundary, ffiBoundary} {
		n := l.calls[b]
		want := n
		if b == httpBoundary {
			want += l.unpaired // the route without context: callers whose callee reported elsewhere
		}
		got := gotCalls[b]
		t.Logf("%-5s ledger %3v calls (+%v without context): %3v paired, %v unpaired halves", b.transport, n, want-n, got, unpaired[b.transport])
		if got > n {
			t.Errorf("%v: %v calls counted, more than the ledger's %v: some counted twice", b, got, n)
		}
		if got+unpaired[b.transport] != want {
			t.Errorf("%v: %v paired + %v unpaired halves, want %v: every call counted once, paired or unpaired\n%v",
				b, got, unpaired[b.transport], want, e.query(`max_over_time(seam_boundary_unpaired_total[10m])`))
		}
		exact = exact && got == n
	}
	for tr, n := range unpaired {
		if tr != "http" && tr != "grpc" && tr != "ffi" && n != 0 {
			t.Errorf("%v unpaired halves with transport %q, which no call of the ledger used", n, tr)
		}
	}
	if !exact {
		// Calls that ended as unpaired halves have no error or error log counted: at most the ledger's.
		atMost := func(what string, want, got map[string]float64) {
			for k, g := range got {
				if g > want[k] {
					t.Errorf("%s %s: %v, more than the ledger's %v", what, k, g, want[k])
				}
			}
		}
		atMost("seam_boundary_errors_total", l.errors, e.boundarySeries(fleetOverRun, "seam_boundary_errors_total", errorKey))
		atMost("seam_boundary_error_logs_total", l.logs, e.boundarySeries(fleetOverRun, "seam_boundary_error_logs_total", logKey))
		return
	}
	assertMaps(t, "seam_boundary_errors_total", l.errors, e.boundarySeries(fleetOverRun, "seam_boundary_errors_total", errorKey))
	assertMaps(t, "seam_boundary_error_logs_total", l.logs, e.boundarySeries(fleetOverRun, "seam_boundary_error_logs_total", logKey))
	gotNegative := map[boundary]float64{}
	for _, s := range e.query(fleetOverRun.series("seam_boundary_negative_overhead_total")) {
		if x := s.value(); x != 0 {
			gotNegative[labelsOf(s.Metric)] = x
		}
	}
	assertMaps(t, "seam_boundary_negative_overhead_total", l.negative, gotNegative)
	if refused := e.scalar(`sum(max_over_time(seam_refused_items_total[10m])) + (sum(max_over_time(seam_refused_requests_total[10m])) or vector(0))`); refused != 0 {
		t.Errorf("Seam refused %v items or requests", refused)
	}
}

// --- Seam instances ---

// seamInstance is one Seam process of a fleet: its name (and log file) and its metrics port.
type seamInstance struct {
	name    string
	metrics int
}

func (s seamInstance) target() string { return fmt.Sprintf("127.0.0.1:%d", s.metrics) }

func metricsPorts(instances []seamInstance) []int {
	ports := make([]int, len(instances))
	for i, s := range instances {
		ports[i] = s.metrics
	}
	return ports
}

// targetsRegexp matches the instance label of the given instances.
func targetsRegexp(instances []seamInstance) string {
	parts := make([]string, len(instances))
	for i, s := range instances {
		parts[i] = regexp.QuoteMeta(s.target())
	}
	return strings.Join(parts, "|")
}

// consumerConfig is a Seam instance that only consumes (no OTLP receivers) in a group that
// starts at the beginning of the topics, with a short session so that the group notices a
// killed member in seconds, and the examples' contract file (the Ownership dashboard is checked
// too); kafka adds lines to the kafka section.
func consumerConfig(s seamInstance, bootstrap, window, kafka string) string {
	return fmt.Sprintf(`receivers:
  otlp:
    grpc: {enabled: false}
    http: {enabled: false}
metrics: {host: 127.0.0.1, port: %d}
pairing: {window: %s, sweep-interval: 200ms}
contracts: {file: %s}
kafka:
  brokers: ['%s']
  client-id: %s
  initial-offset: earliest
  session-timeout: 6s
%s`, s.metrics, window, filepath.Join(os.Getenv("SEAM_REPO"), "examples/contracts.yaml"), bootstrap, s.name, kafka)
}

// startSeam starts a Seam instance from the jar with the given configuration; awaitSeam waits
// until it is ready. Several instances start side by side on a small machine: C1 and the
// serial collector keep their start-up from competing for the CPUs.
func (e *env) startSeam(f *fleet, s seamInstance, config string) {
	path := filepath.Join(e.out, s.name+".yaml")
	writeFile(e.t, path, config)
	e.start(s.name, nil, "java", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", f.jar, "--config", path)
}

func (e *env) awaitSeam(s seamInstance) {
	e.t.Helper()
	e.awaitHTTP(s.name, fmt.Sprintf("http://%s/readyz", s.target()), 90*time.Second)
}

// kill ends a process with SIGKILL, as a node failure would.
func (e *env) kill(name string) {
	e.t.Helper()
	p := e.find(name)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		e.t.Fatalf("SIGKILL %s: %v", name, err)
	}
	select {
	case err := <-p.done:
		p.done <- err
	case <-time.After(10 * time.Second):
		e.t.Fatalf("%s still runs 10 s after SIGKILL", name)
	}
}

// awaitGroup waits until the group has settled: each of n instances owns an equal share of
// every topic the matcher selects (three topics), as Prometheus last scraped them.
func (e *env) awaitGroup(topics string, n int) {
	e.t.Helper()
	e.awaitQuery(fmt.Sprintf(`count(seam_kafka_partitions_assigned{%s} == %d) == %d`, topics, fleetPartitions/n, 3*n), 90*time.Second)
}

// checkOwned asserts that n instances now own every partition of the topics, an equal share each
// (series: instances x topics).
func (e *env) checkOwned(topics string, n, series int) {
	t := e.t
	owned := e.query(fmt.Sprintf(`seam_kafka_partitions_assigned{%s} > 0`, topics))
	ok := len(owned) == series
	for _, s := range owned {
		ok = ok && s.value() == float64(fleetPartitions/n)
	}
	if !ok {
		t.Errorf("partitions owned: want %d instances with %d partitions of each topic, got %v", n, fleetPartitions/n, owned)
	}
}

// byInstance is a query's result by instance label, for the log.
func (e *env) byInstance(q string) map[string]float64 {
	out := map[string]float64{}
	for _, s := range e.query(q) {
		out[s.Metric["instance"]] = s.value()
	}
	return out
}

// awaitQuiet waits until every span and log record the front had acknowledged has been processed
// by the consumers, none lags, and nothing changed for a second, read from their /metrics
// directly; it returns when that started.
func (e *env) awaitQuiet(front seamInstance, consumers []seamInstance, topics []string) time.Time {
	t := e.t
	t.Helper()
	type state struct{ acked, processed, lag float64 }
	var last state
	var since time.Time
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var s state
		page := e.scrape(front)
		for _, topic := range topics {
			s.acked += page.sum("seam_kafka_produced_records_total", "topic", topic, "outcome", "acked")
		}
		for _, c := range consumers {
			page := e.scrape(c)
			for _, topic := range topics {
				s.processed += page.sum("seam_kafka_records_total", "topic", topic, "outcome", "processed")
			}
			s.lag += page.sum("seam_kafka_consumer_lag_records")
		}
		now := time.Now()
		if s != last || s.acked == 0 || s.processed != s.acked || s.lag != 0 {
			last, since = s, now
		} else if now.Sub(since) >= time.Second {
			return since
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the fleet did not settle within 60 s: front acknowledged %v span and log records, consumers processed %v, lag %v",
		last.acked, last.processed, last.lag)
	return time.Time{}
}

// awaitScrapeAfter waits until Prometheus has scraped the instance at or after t and returns that
// scrape's time.
func (e *env) awaitScrapeAfter(s seamInstance, t time.Time) time.Time {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ts := e.scalar(fmt.Sprintf(`timestamp(seam_pairing_pending{instance=%q})`, s.target()))
		if at := time.UnixMilli(int64(math.Round(ts * 1e3))); !at.Before(t) {
			return at
		}
		time.Sleep(50 * time.Millisecond)
	}
	e.t.Fatalf("Prometheus did not scrape %s within 30 s", s.name)
	return time.Time{}
}

// --- /metrics pages read directly ---

// page is a Prometheus text exposition: its samples.
type page []struct {
	name   string
	labels map[string]string
	value  float64
}

var (
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)`)
	labelPair  = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`)
)

func (e *env) scrape(s seamInstance) page {
	e.t.Helper()
	return e.scrapeURL(fmt.Sprintf("http://%s/metrics", s.target()))
}

func (e *env) scrapeURL(u string) page {
	e.t.Helper()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(u)
	if err != nil {
		e.t.Fatalf("scrape %s: %v", u, err)
	}
	defer resp.Body.Close()
	var p page
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		m := sampleLine.FindStringSubmatch(sc.Text())
		if m == nil || strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		v, err := strconv.ParseFloat(m[4], 64)
		if err != nil {
			continue
		}
		labels := map[string]string{}
		for _, l := range labelPair.FindAllStringSubmatch(m[3], -1) {
			labels[l[1]] = l[2]
		}
		p = append(p, struct {
			name   string
			labels map[string]string
			value  float64
		}{m[1], labels, v})
	}
	return p
}

// sum adds up the samples named name whose labels have the given values (pairs of name, value).
func (p page) sum(name string, labels ...string) float64 {
	total := 0.0
next:
	for _, s := range p {
		if s.name != name {
			continue
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if s.labels[labels[i]] != labels[i+1] {
				continue next
			}
		}
		total += s.value
	}
	return total
}

// --- Kafka and the OpenTelemetry Collector ---

// startBroker starts a one-node Kafka broker (bin/kafka-broker run) with server.properties
// overrides and returns its bootstrap address. It runs until its stdin closes: at the end of the
// test, or when the test process dies.
func (e *env) startBroker(script string, settings ...string) string {
	t := e.t
	t.Helper()
	logPath := filepath.Join(e.out, "kafka-broker.log")
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"run", "--dir", filepath.Join(e.out, "kafka")}
	for _, s := range settings {
		args = append(args, "--set", s)
	}
	cmd := exec.Command(script, args...)
	stdinR, stdinW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdoutR, stdoutW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdinR, stdoutW, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", script, err)
	}
	stdinR.Close()
	stdoutW.Close()
	p := &proc{name: "kafka-broker", cmd: cmd, log: logPath, done: make(chan error, 1), stdin: stdinW}
	go func() { p.done <- cmd.Wait(); f.Close() }()
	e.procs = append(e.procs, p)

	// The script prints the bootstrap address once the broker answers.
	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdoutR)
		line := ""
		if sc.Scan() {
			line = strings.TrimSpace(sc.Text())
		}
		first <- line
		for sc.Scan() {
		}
		stdoutR.Close()
	}()
	select {
	case bootstrap := <-first:
		if bootstrap == "" {
			t.Fatalf("the Kafka broker did not start; log:\n%s", tail(logPath, 40))
		}
		t.Logf("Kafka broker on %s", bootstrap)
		return bootstrap
	case <-time.After(5 * time.Minute):
		t.Fatalf("the Kafka broker did not start within 5 minutes; log:\n%s", tail(logPath, 40))
		return ""
	}
}

// createTopics creates the topics with fleetPartitions partitions each.
func (e *env) createTopics(f *fleet, names ...string) {
	e.t.Helper()
	args := append([]string{"create-topics", "--bootstrap", f.bootstrap, "--partitions", strconv.Itoa(fleetPartitions)}, names...)
	if out, err := exec.Command(f.kafkaBroker, args...).CombinedOutput(); err != nil {
		e.t.Fatalf("creating topics %v: %v\n%s", names, err, out)
	}
}

// startCollector starts the OpenTelemetry Collector with the agent configuration Seam ships
// (deploy/otelcol/kafka-agent.yaml: otlp receiver, batch, kafka exporter partitioning traces and
// logs by trace id) on loopback ports, writing to the test's broker, with its own metrics on
// telemetryPort.
func (e *env) startCollector(f *fleet, grpcPort, httpPort, telemetryPort int) {
	t := e.t
	t.Helper()
	b, err := os.ReadFile(filepath.Join(f.repo, "deploy/otelcol/kafka-agent.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := string(b)
	replace := func(pattern, with string) {
		re := regexp.MustCompile(pattern)
		if n := len(re.FindAllStringIndex(cfg, -1)); n != 1 {
			t.Fatalf("deploy/otelcol/kafka-agent.yaml: %d matches of %q, want 1 (the test adapts that file)", n, pattern)
		}
		cfg = re.ReplaceAllLiteralString(cfg, with)
	}
	replace(`(?m)^    brokers: \[.*\]$`, "    brokers: ["+f.bootstrap+"]")
	replace(`endpoint: 0\.0\.0\.0:4317`, fmt.Sprintf("endpoint: 127.0.0.1:%d", grpcPort))
	replace(`endpoint: 0\.0\.0\.0:4318`, fmt.Sprintf("endpoint: 127.0.0.1:%d", httpPort))
	// service is the file's last section: the Collector's own metrics go on a free port (its
	// default, 8888, may be taken), where the test reads what it accepted and sent.
	i := strings.LastIndex(cfg, "\nservice:\n")
	if i < 0 || regexp.MustCompile(`(?m)^\S`).MatchString(cfg[i+len("\nservice:\n"):]) {
		t.Fatalf("deploy/otelcol/kafka-agent.yaml: want the service section last (the test adds its telemetry)")
	}
	cfg = strings.TrimRight(cfg, "\n") + fmt.Sprintf(`
  telemetry:
    metrics:
      level: normal
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: %d
`, telemetryPort)
	path := filepath.Join(e.out, "otelcol.yaml")
	writeFile(t, path, cfg)
	e.start("otelcol", nil, f.otelcolBin, "--config", path)
	e.awaitHTTP("otelcol", fmt.Sprintf("http://127.0.0.1:%d/metrics", telemetryPort), 60*time.Second)
	for _, port := range []int{grpcPort, httpPort} {
		deadline := time.Now().Add(30 * time.Second)
		for {
			c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
			if err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the Collector does not listen on %d; log:\n%s", port, tail(e.find("otelcol").log, 40))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// awaitCollectorSent waits until the Collector's kafka exporter has sent every span and log
// record its receiver accepted, with none failed, and returns those counts.
func (e *env) awaitCollectorSent(telemetryPort int) (spans, logs float64) {
	t := e.t
	t.Helper()
	u := fmt.Sprintf("http://127.0.0.1:%d/metrics", telemetryPort)
	deadline := time.Now().Add(30 * time.Second)
	for {
		p := e.scrapeURL(u)
		// v0.165 exposes its counters without the _total suffix; later releases may add it.
		counter := func(name string, labels ...string) float64 {
			return p.sum(name, labels...) + p.sum(name+"_total", labels...)
		}
		accepted := counter("otelcol_receiver_accepted_spans")
		sent := counter("otelcol_exporter_sent_spans", "exporter", "kafka")
		acceptedLogs := counter("otelcol_receiver_accepted_log_records")
		sentLogs := counter("otelcol_exporter_sent_log_records", "exporter", "kafka")
		failed := counter("otelcol_exporter_send_failed_spans") + counter("otelcol_exporter_send_failed_log_records") +
			counter("otelcol_receiver_refused_spans") + counter("otelcol_receiver_refused_log_records") +
			counter("otelcol_receiver_failed_spans") + counter("otelcol_receiver_failed_log_records")
		if failed != 0 {
			t.Fatalf("the Collector refused or failed to send %v spans and log records; log:\n%s", failed, tail(e.find("otelcol").log, 40))
		}
		if accepted > 0 && acceptedLogs > 0 && sent == accepted && sentLogs == acceptedLogs {
			t.Logf("the Collector accepted and wrote to Kafka %v spans and %v log records", accepted, acceptedLogs)
			return accepted, acceptedLogs
		}
		if time.Now().After(deadline) {
			names := map[string]bool{}
			for _, s := range p {
				if strings.HasPrefix(s.name, "otelcol_receiver_") || strings.HasPrefix(s.name, "otelcol_exporter_") {
					names[s.name] = true
				}
			}
			var list []string
			for n := range names {
				list = append(list, n)
			}
			sort.Strings(list)
			t.Fatalf("the Collector accepted %v spans and %v log records and sent %v and %v within 30 s (its metrics: %v)",
				accepted, acceptedLogs, sent, sentLogs, list)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
