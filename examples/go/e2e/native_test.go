//go:build e2e

package e2e

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The boundary histograms as native histograms: a second Prometheus, started with
// --enable-feature=native-histograms, scrapes the same Seam and so asks for the protobuf format.
// Debian's Prometheus (2.42) then ingests the boundary histograms as native histograms only: the
// classic _bucket, _sum and _count series exist only in the first Prometheus, which the dashboards
// and the rest of the suite query (scrape_classic_histograms, which keeps both in one server, came
// with 2.45). Both hold the same final totals once the traffic is over, so every quantile of the
// native series must land in the classic bucket of the classic quantile or a neighbour of it.

// boundaryHistograms are the families the native check covers: every boundary histogram the mix
// fills for every boundary.
var boundaryHistograms = []string{
	"seam_boundary_caller_duration_seconds",
	"seam_boundary_callee_duration_seconds",
	"seam_boundary_overhead_seconds",
}

// nativeBy groups the boundaries as the recording rules do (without languages and operation).
const nativeBy = "caller_service, callee_service, transport"

// startNativePrometheus starts a Prometheus that ingests native histograms, scraping Seam's
// metrics port every second, with Seam's recording rules (whose quantiles read the native series
// when there are no classic buckets).
func (e *env) startNativePrometheus(repo string, promPort, seamMetrics int) {
	t := e.t
	t.Helper()
	promBin := os.Getenv("PROMETHEUS_BIN")
	if promBin == "" {
		promBin = "prometheus"
	}
	promCfg := filepath.Join(e.out, "prometheus-native.yml")
	writeFile(t, promCfg, fmt.Sprintf(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - %s
scrape_configs:
  - job_name: seam
    static_configs:
      - targets: ["127.0.0.1:%d"]
`, filepath.Join(repo, "dashboards/prometheus/recording.rules.yml"), seamMetrics))
	e.start("prometheus-native", nil, promBin, "--config.file="+promCfg,
		"--storage.tsdb.path="+filepath.Join(e.out, "prometheus-native-data"),
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", promPort), "--log.level=warn",
		"--enable-feature=native-histograms")
	e.nativePromURL = fmt.Sprintf("http://127.0.0.1:%d", promPort)
	e.awaitHTTP("prometheus-native", e.nativePromURL+"/-/ready", 60*time.Second)
}

// checkNativeHistograms compares, family by family and boundary by boundary, the native series
// in the second Prometheus with the classic ones in the first: the same observation count and
// sum, p50 and p99 within one classic bucket of each other, and so the recording rules' quantiles
// over rate(), which each server computes from the series it has.
func (e *env) checkNativeHistograms() {
	t := e.t
	t.Helper()
	defer e.checkNativeRules()
	for _, family := range boundaryHistograms {
		classicCount := fmt.Sprintf("sum by (%s) (%s_count)", nativeBy, family)
		nativeCount := fmt.Sprintf("histogram_count(sum by (%s) (%s))", nativeBy, family)
		// The second Prometheus scrapes on its own schedule: wait until it has the final counts.
		deadline := time.Now().Add(15 * time.Second)
		want := byBoundary(e.query(classicCount))
		var got map[string]float64
		for {
			got = byBoundary(e.queryAt(e.nativePromURL, nativeCount))
			if equalMaps(want, got) || time.Now().After(deadline) {
				break
			}
			time.Sleep(250 * time.Millisecond)
		}
		if len(want) == 0 {
			t.Errorf("%s: no classic series in the first Prometheus", family)
			continue
		}
		assertMaps(t, family+" observations, native vs classic", want, got)
		if bucketed := e.query(fmt.Sprintf("%s_bucket", family)); len(bucketed) > 0 {
			if n := len(e.queryAt(e.nativePromURL, family+"_bucket")); n != 0 {
				t.Errorf("%s: the native Prometheus also has %d classic bucket series; this check assumes it ingests native histograms only", family, n)
			}
		}
		wantSum := byBoundary(e.query(fmt.Sprintf("sum by (%s) (%s_sum)", nativeBy, family)))
		gotSum := byBoundary(e.queryAt(e.nativePromURL, fmt.Sprintf("histogram_sum(sum by (%s) (%s))", nativeBy, family)))
		for k, w := range wantSum {
			if g, ok := gotSum[k]; !ok || math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
				t.Errorf("%s %s: native sum %v, classic sum %v", family, k, g, w)
			}
		}

		bounds := e.classicBounds(family)
		for _, q := range []string{"0.5", "0.99"} {
			classic := byBoundary(e.query(fmt.Sprintf("histogram_quantile(%s, sum by (%s, le) (%s_bucket))", q, nativeBy, family)))
			native := byBoundary(e.queryAt(e.nativePromURL, fmt.Sprintf("histogram_quantile(%s, sum by (%s) (%s))", q, nativeBy, family)))
			for k, c := range classic {
				n, ok := native[k]
				if !ok {
					t.Errorf("%s p%s %s: no native quantile (classic %v)", family, q, k, c)
					continue
				}
				if math.IsNaN(c) || math.IsNaN(n) {
					if math.IsNaN(c) != math.IsNaN(n) {
						t.Errorf("%s p%s %s: native %v, classic %v", family, q, k, n, c)
					}
					continue
				}
				ci, ni := bucketOf(bounds, c), bucketOf(bounds, n)
				if ni < ci-1 || ni > ci+1 {
					t.Errorf("%s p%s %s: native %v is in classic bucket %d, classic %v in bucket %d (bounds %v)", family, q, k, n, ni, c, ci, bounds)
				}
				t.Logf("%-38s p%-4s %-40s classic %.6g s  native %.6g s", family, q, k, c, n)
			}
		}
	}
}

// checkNativeRules compares the recording rules' quantiles in the two servers: the classic
// Prometheus computes them from _bucket, the native one from the native series.
func (e *env) checkNativeRules() {
	t := e.t
	t.Helper()
	for _, family := range boundaryHistograms {
		bounds := e.classicBounds(family)
		for _, rule := range []string{"boundary:" + family + ":p50_5m", "boundary:" + family + ":p99_5m", "contract:" + family + ":p99_5m"} {
			classic := byBoundary(e.query(rule))
			native := byBoundary(e.queryAt(e.nativePromURL, rule))
			if len(classic) == 0 {
				t.Errorf("%s: no series in the classic Prometheus", rule)
			}
			for k, c := range classic {
				n, ok := native[k]
				if !ok {
					t.Errorf("%s %s: not recorded from the native series (classic %v)", rule, k, c)
					continue
				}
				if math.IsNaN(c) || math.IsNaN(n) {
					if math.IsNaN(c) != math.IsNaN(n) {
						t.Errorf("%s %s: native %v, classic %v", rule, k, n, c)
					}
					continue
				}
				if ci, ni := bucketOf(bounds, c), bucketOf(bounds, n); ni < ci-1 || ni > ci+1 {
					t.Errorf("%s %s: from native series %v (classic bucket %d), from classic %v (bucket %d)", rule, k, n, ni, c, ci)
				}
			}
		}
	}
}

// classicBounds returns the finite le values of a family's buckets in the first Prometheus.
func (e *env) classicBounds(family string) []float64 {
	var bounds []float64
	for _, s := range e.query(fmt.Sprintf("count by (le) (%s_bucket)", family)) {
		le, err := strconv.ParseFloat(s.Metric["le"], 64)
		if err == nil && !math.IsInf(le, 1) {
			bounds = append(bounds, le)
		}
	}
	sort.Float64s(bounds)
	return bounds
}

// bucketOf returns the index of the classic bucket (lower, upper] that holds v; bucket 0 is
// (-Inf, bounds[0]], bucket len(bounds) is (bounds[last], +Inf).
func bucketOf(bounds []float64, v float64) int {
	return sort.Search(len(bounds), func(i int) bool { return v <= bounds[i] })
}

// byBoundary keys the samples of a query grouped by nativeBy.
func byBoundary(samples []sample) map[string]float64 {
	out := map[string]float64{}
	for _, s := range samples {
		k := strings.Join([]string{s.Metric["caller_service"], s.Metric["callee_service"], s.Metric["transport"]}, " -> ")
		out[k] = s.value()
	}
	return out
}

func equalMaps(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
