#!/usr/bin/env bash
# Seam side by side with the OpenTelemetry Collector (OTLP receiver -> batch -> spanmetrics ->
# Prometheus exporter, bench/otelcol/config.yaml), under the same load generator and workload,
# one collector at a time, on loopback ports. bench/README.md explains every figure.
#
#   bench/compare.sh [--only seam|otelcol] [--protocol grpc|http] [--seconds 30] [--warmup 10]
#                    [--inflight 8] [--rate 20000] [--rate-seconds 20] [--spans-per-request 256]
#                    [--probes 5] [--fill-spans 500000] [--backoff 2] [--out DIR] [--quick]
#
# --quick: about two minutes per collector for before/after checks (5 s warm-ups, 15 s at the
# highest rate, 10 s at the fixed rate, 3 probes, 200,000 pending spans, one retry, 20 s quiet
# wait); the full run's figures are the ones to quote.
#
# Every option can also be given in the environment (ONLY, PROTOCOL, MAX_SECONDS, WARMUP, INFLIGHT,
# FIXED_RATE, FIXED_SECONDS, FIXED_WARMUP, SPANS_PER_REQUEST, PROBES, FILL_SPANS, BACKOFF, OUT), and:
#   QUIET_WAIT       seconds to wait, before each measured run, for other work to leave the CPUs
#                    (under 10% busy; default 60, 0: do not wait)
#   SEAM_JAR         the Seam jar to measure; unset: build this work tree (mvn package) and use it
#   BENCH_JAR        the load generator (default bench/target/seam-bench.jar, built when missing)
#   SEAM_JAVA_OPTS   Seam's JVM options (default @deploy/jvm.options, the set Seam ships with)
#   SEAM_CONFIG_EXTRA  YAML lines added to Seam's configuration (default none: Seam's defaults)
#   LOAD_JAVA_OPTS   the generator's JVM options (default: C1 only, serial GC; see bench/README.md)
#   OTELCOL_BIN      the Collector binary (default: bench/otelcol/build.sh, cached after the first build)
#   LOGS             send the error log records too (default true)
# Writes the table, the raw RESULT lines, the checks and every log to bench/out/<UTC timestamp>/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

ONLY=${ONLY:-both}
PROTOCOL=${PROTOCOL:-grpc}
MAX_SECONDS=${MAX_SECONDS:-30}
WARMUP=${WARMUP:-10}
# Enough senders that neither collector waits for the generator's round trips (with 4 the
# OpenTelemetry Collector reached 220,000 spans/s on 2 cores, with 8 about 330,000).
INFLIGHT=${INFLIGHT:-8}
FIXED_RATE=${FIXED_RATE:-20000}
FIXED_SECONDS=${FIXED_SECONDS:-20}
FIXED_WARMUP=${FIXED_WARMUP:-10}
SPANS_PER_REQUEST=${SPANS_PER_REQUEST:-256}
PROBES=${PROBES:-5}
FILL_SPANS=${FILL_SPANS:-500000}
BACKOFF=${BACKOFF:-2}
QUIET_WAIT=${QUIET_WAIT:-60}
LOGS=${LOGS:-true}
SEAM_JAVA_OPTS=${SEAM_JAVA_OPTS:-@$root/deploy/jvm.options}
# The generator shares the machine with the collector under test: C1 alone compiles its hot path
# for a fraction of C2's compile time and the serial collector runs no GC threads in parallel
# (together about half the generator's CPU on 2 cores). It reports its own CPU time either way.
LOAD_JAVA_OPTS=${LOAD_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m}
JAVA=${JAVA:-java}
OUT=${OUT:-$root/bench/out/$(date -u +%Y%m%dT%H%M%SZ)}

usage() { sed -n '2,/^set -euo/p' "$here/$(basename "${BASH_SOURCE[0]}")" | grep '^#' | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --only) ONLY=$2; shift 2 ;;
    --protocol) PROTOCOL=$2; shift 2 ;;
    --seconds) MAX_SECONDS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --inflight) INFLIGHT=$2; shift 2 ;;
    --rate) FIXED_RATE=$2; shift 2 ;;
    --rate-seconds) FIXED_SECONDS=$2; shift 2 ;;
    --spans-per-request) SPANS_PER_REQUEST=$2; shift 2 ;;
    --probes) PROBES=$2; shift 2 ;;
    --fill-spans) FILL_SPANS=$2; shift 2 ;;
    --backoff) BACKOFF=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --quick) WARMUP=5 MAX_SECONDS=15 FIXED_WARMUP=5 FIXED_SECONDS=10 PROBES=3 FILL_SPANS=200000 BACKOFF=1 QUIET_WAIT=20; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
case $ONLY in both|seam|otelcol) ;; *) echo "compare.sh: --only is seam or otelcol" >&2; exit 2 ;; esac
case $PROTOCOL in grpc|http) ;; *) echo "compare.sh: --protocol is grpc or http" >&2; exit 2 ;; esac

say() { printf '[compare %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
py() { python3 "$here/compare.py" "$@"; }
now() { date +%s.%N; }

# ------------------------------------------------------------------------------------------------
# What to run

BENCH_JAR=${BENCH_JAR:-$root/bench/target/seam-bench.jar}
if [[ $ONLY != otelcol && -z "${SEAM_JAR:-}" ]] || [[ ! -f $BENCH_JAR ]]; then
  say "building Seam and the load generator (mvn package)"
  mvn -q -B -ntp -Dstyle.color=never -pl bench -am -DskipTests package >&2
fi
SEAM_JAR=${SEAM_JAR:-$root/collector/target/seam-collector.jar}
[[ -f $BENCH_JAR ]] || die "no load generator at $BENCH_JAR"
if [[ $ONLY != otelcol ]]; then
  [[ -f $SEAM_JAR ]] || die "no Seam jar at $SEAM_JAR"
fi
if [[ $ONLY != seam ]]; then
  OTELCOL_BIN=${OTELCOL_BIN:-$("$here/otelcol/build.sh")}
  [[ -x $OTELCOL_BIN ]] || die "no OpenTelemetry Collector binary at $OTELCOL_BIN"
fi

SEAM_GRPC=14317 SEAM_HTTP=14318 SEAM_METRICS_PORT=19464
OC_GRPC=24317 OC_HTTP=24318 OC_PROM_PORT=29464 OC_TELEMETRY_PORT=28888
SEAM_METRICS=http://127.0.0.1:$SEAM_METRICS_PORT/metrics
OC_PROM=http://127.0.0.1:$OC_PROM_PORT/metrics
OC_TELEMETRY=http://127.0.0.1:$OC_TELEMETRY_PORT/metrics
for p in $SEAM_GRPC $SEAM_HTTP $SEAM_METRICS_PORT $OC_GRPC $OC_HTTP $OC_PROM_PORT $OC_TELEMETRY_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is in use; stop whatever listens there"; fi
done

mkdir -p "$OUT"
: > "$OUT/figures.txt"
: > "$OUT/results.txt"
: > "$OUT/checks.txt"
fig() { echo "$1.$2=$3" >> "$OUT/figures.txt"; }

# ------------------------------------------------------------------------------------------------
# Processes: everything started here is stopped on exit

pids=()
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}
# Forgets a process that has ended, so that cleanup never signals a later process given its pid.
forget() {
  local p keep=()
  for p in "${pids[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  pids=("${keep[@]}")
}
cleanup() {
  local p
  for p in "${pids[@]}"; do stop_pid "$p"; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM

cpid=""      # the collector under test
spid=""      # its RSS/CPU sampler
samples=""

start_sampler() {
  samples="$OUT/$1-rss.txt"
  py sample "$cpid" "$samples" &
  spid=$!
  pids+=("$spid")
}

await_start() { # who log check-command...
  local who=$1 log=$2 i
  shift 2
  for ((i = 0; i < 600; i++)); do
    if ! kill -0 "$cpid" 2>/dev/null; then
      tail -30 "$log" >&2
      die "$who exited while starting (log: $log)"
    fi
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  tail -30 "$log" >&2
  die "$who did not start within 60 s (log: $log)"
}

start_seam() { # config-file tag
  local log="$OUT/seam-collector$2.log"
  # shellcheck disable=SC2086
  $JAVA $SEAM_JAVA_OPTS -jar "$SEAM_JAR" --config "$1" > "$log" 2>&1 &
  cpid=$!
  pids+=("$cpid")
  await_start Seam "$log" curl -sf "http://127.0.0.1:$SEAM_METRICS_PORT/readyz"
}

start_otelcol() { # tag
  local log="$OUT/otelcol-collector$1.log"
  OTLP_GRPC_PORT=$OC_GRPC OTLP_HTTP_PORT=$OC_HTTP PROM_PORT=$OC_PROM_PORT TELEMETRY_PORT=$OC_TELEMETRY_PORT \
    "$OTELCOL_BIN" --config "$here/otelcol/config.yaml" > "$log" 2>&1 &
  cpid=$!
  pids+=("$cpid")
  await_start "the OpenTelemetry Collector" "$log" bash -c \
    "curl -sf $OC_TELEMETRY >/dev/null && (exec 3<>/dev/tcp/127.0.0.1/$OC_GRPC) && (exec 3<>/dev/tcp/127.0.0.1/$OC_HTTP)"
}

stop_collector() {
  if [[ -n $spid ]]; then stop_pid "$spid"; wait "$spid" 2>/dev/null || true; forget "$spid"; fi
  if [[ -n $cpid ]]; then stop_pid "$cpid"; wait "$cpid" 2>/dev/null || true; forget "$cpid"; fi
  cpid="" spid=""
}

# ------------------------------------------------------------------------------------------------
# The load generator

load() { # log-file args... (in the background, so that a signal is handled at once; waits)
  local log=$1 gp
  shift
  # shellcheck disable=SC2086
  $JAVA $LOAD_JAVA_OPTS -jar "$BENCH_JAR" --protocol "$PROTOCOL" --spans-per-request "$SPANS_PER_REQUEST" "$@" > "$log" 2>&1 &
  gp=$!
  pids+=("$gp")
  wait "$gp" || { tail -20 "$log" >&2; die "the load generator failed (log: $log)"; }
  forget "$gp"
}

record() { # who phase log
  grep -E '^(RESULT|PROBE)' "$3" | sed "s/^/$1 $2 /" >> "$OUT/results.txt" || true
}

field() { py field "$1" "$2"; }

check() { # who name actual expected
  if awk -v a="$3" -v b="$4" 'BEGIN { exit !(a == b) }'; then
    echo "$1 PASS $2: $3" >> "$OUT/checks.txt"
  else
    echo "$1 FAIL $2: $3, expected $4" >> "$OUT/checks.txt"
    say "$1: FAIL $2: $3, expected $4"
    failed_checks=$((failed_checks + 1))
  fi
}

cpu_seconds() { # who
  if [[ $1 == seam ]]; then
    awk -v v="$(py sum "$SEAM_METRICS" process_cpu_time_ns_total)" 'BEGIN { printf "%.3f", v / 1e9 }'
  else
    py sum "$OC_TELEMETRY" otelcol_process_cpu_seconds
  fi
}

wait_idle() { # who
  if [[ $1 == seam ]]; then
    py wait-seam-idle "$SEAM_METRICS" 120 || die "Seam did not finish processing"
  else
    py wait-stable "$OC_TELEMETRY" otelcol_receiver_accepted_spans 60 > /dev/null
    sleep 1 # the batch processor's 200 ms timeout
  fi
}

# Checks that every span the generator had accepted was processed and counted (sets failed_checks).
verify() { # who result-log
  local who=$1 res=$2
  failed_checks=0
  check "$who" "failed requests (non-OK answers, transport errors)" "$(field "$res" total_failed_requests)" 0
  check "$who" "spans rejected in partial_success" "$(field "$res" total_rejected_spans)" 0
  local acc
  acc=$(field "$res" total_spans_accepted)
  if [[ $who == seam ]]; then
    local rec
    rec=$(py sum "$SEAM_METRICS" seam_received_items_total signal=spans)
    check seam "seam_received_items_total{signal=spans} = spans accepted" "$rec" "$acc"
    check seam "seam_processed_items_total{signal=spans} = received" "$(py sum "$SEAM_METRICS" seam_processed_items_total signal=spans)" "$rec"
    check seam "seam_dropped_items_total{signal=spans}" "$(py sum "$SEAM_METRICS" seam_dropped_items_total signal=spans)" 0
    check seam "seam_refused_items_total{signal=spans}" "$(py sum "$SEAM_METRICS" seam_refused_items_total signal=spans)" 0
    check seam "sum(seam_boundary_calls_total) = boundary calls sent" \
      "$(py sum "$SEAM_METRICS" seam_boundary_calls_total)" "$(field "$res" total_boundary_calls_sent)"
    check seam "sum(seam_boundary_errors_total) = failing calls sent" \
      "$(py sum "$SEAM_METRICS" seam_boundary_errors_total)" "$(field "$res" total_error_calls_sent)"
    if [[ $LOGS == true ]]; then
      check seam "seam_received_items_total{signal=logs} = log records accepted" \
        "$(py sum "$SEAM_METRICS" seam_received_items_total signal=logs)" "$(field "$res" total_logs_accepted)"
      check seam "sum(seam_boundary_error_logs_total) = error logs sent" \
        "$(py sum "$SEAM_METRICS" seam_boundary_error_logs_total)" "$(field "$res" total_logs_accepted)"
    fi
  else
    local got
    check otelcol "otelcol_receiver_accepted_spans = spans accepted" \
      "$(py sum "$OC_TELEMETRY" otelcol_receiver_accepted_spans)" "$acc"
    check otelcol "otelcol_receiver_refused_spans" "$(py sum "$OC_TELEMETRY" otelcol_receiver_refused_spans)" 0
    check otelcol "otelcol_receiver_failed_spans" "$(py sum "$OC_TELEMETRY" otelcol_receiver_failed_spans)" 0
    if [[ $LOGS == true ]]; then
      check otelcol "otelcol_receiver_accepted_log_records = log records accepted" \
        "$(py sum "$OC_TELEMETRY" otelcol_receiver_accepted_log_records)" "$(field "$res" total_logs_accepted)"
    fi
    # spanmetrics publishes on its flush interval (15 s): wait for the count to catch up.
    got=$(py wait-eq "$OC_PROM" traces_span_metrics_calls_total "$acc" 40)
    check otelcol "sum(traces_span_metrics_calls_total) = spans accepted" "$got" "$acc"
  fi
  echo "$who checks: $failed_checks failed" >> "$OUT/checks.txt"
  [[ $failed_checks -eq 0 ]]
}

# Waits (up to QUIET_WAIT s) until the CPUs are idle but for what this script runs.
wait_quiet() {
  local waited=0 busy=0
  ((QUIET_WAIT > 0)) || return 0
  while ((waited < QUIET_WAIT)); do
    busy=$(py busy 2)
    ((busy < 10)) && return 0
    ((waited == 0)) && say "the CPUs are ${busy}% busy with other work; waiting up to ${QUIET_WAIT} s for them to quieten"
    waited=$((waited + 2))
  done
  say "WARNING: still ${busy}% busy after ${QUIET_WAIT} s; measuring anyway"
}

# A max-rate (rate 0) or fixed-rate run with warm-up, on a fresh collector; CPU, memory, checks.
throughput_run() { # who rate tag
  local who=$1 rate=$2 tag=$3 port log gp ts t0 t1 cpu0 cpu1 rss
  port=$([[ $who == seam ]] && { [[ $PROTOCOL == grpc ]] && echo $SEAM_GRPC || echo $SEAM_HTTP; } \
    || { [[ $PROTOCOL == grpc ]] && echo $OC_GRPC || echo $OC_HTTP; })
  log="$OUT/$who-load-max$tag.log"
  wait_quiet
  say "$who: ${WARMUP} s warm-up + ${MAX_SECONDS} s at $([[ $rate == 0 ]] && echo "the highest rate it accepts" || echo "$rate spans/s"), $INFLIGHT senders"
  ts=$(now)
  # shellcheck disable=SC2086
  $JAVA $LOAD_JAVA_OPTS -jar "$BENCH_JAR" --protocol "$PROTOCOL" --spans-per-request "$SPANS_PER_REQUEST" --logs "$LOGS" \
    --port "$port" --seconds "$MAX_SECONDS" --warmup "$WARMUP" --inflight "$INFLIGHT" --rate "$rate" > "$log" 2>&1 &
  gp=$!
  pids+=("$gp")
  until grep -q '^MEASURE_START' "$log" 2>/dev/null; do
    kill -0 "$gp" 2>/dev/null || break
    sleep 0.02
  done
  t0=$(now)
  cpu0=$(cpu_seconds "$who")
  busy0=$(py busy-seconds)
  wait "$gp" || { tail -20 "$log" >&2; die "the load generator failed (log: $log)"; }
  forget "$gp"
  t1=$(now)
  busy1=$(py busy-seconds)
  wait_idle "$who"
  cpu1=$(cpu_seconds "$who")
  record "$who" "max$tag" "$log"
  local spans spans_s
  spans=$(field "$log" spans_accepted)
  spans_s=$(field "$log" spans_per_s)
  rss=$(py rss "$samples" "$ts" "$t0" "$t1")
  run_spans_s=$spans_s
  run_cpu=$(awk -v a="$cpu0" -v b="$cpu1" -v n="$spans" 'BEGIN { printf "%.3f", (n > 0 ? (b - a) / (n / 1e6) : -1) }')
  run_rss_peak=${rss% *}
  run_rss_steady=${rss#* }
  run_gen_cpu=$(field "$log" generator_cpu_per_mspans_s)
  local pcpu0 pcpu1 other
  pcpu0=$(py cpu-at "$samples" "$t0")
  pcpu1=$(py cpu-at "$samples" "$(now)")
  # CPU time the machine spent on anything but this collector and the generator in the window.
  other=$(awk -v b0="$busy0" -v b1="$busy1" -v c0="$pcpu0" -v c1="$(py cpu-at "$samples" "$t1")" -v g="$(field "$log" generator_cpu_s)" \
    -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.0f", 100 * ((b1 - b0) - (c1 - c0) - g) / ((t1 - t0) * '"$(nproc)"') }')
  echo "$who max$tag: $spans spans in the measured window at $spans_s spans/s; collector CPU $cpu0 -> $cpu1 s" \
    "(from /proc: $pcpu0 -> $pcpu1 s); RSS peak/steady $rss MiB; other processes used ${other}% of the CPUs" >> "$OUT/checks.txt"
  if ((other > 10)); then
    say "WARNING: other processes used ${other}% of the CPUs during the measured window"
    fig "$who" note "other processes used ${other}% of the CPUs during the max-rate window$tag: its figures are understated"
  fi
  say "$who: $spans_s spans/s, $(awk -v c="$run_cpu" 'BEGIN { printf "%.2f", c }') CPU s per million spans, RSS peak $run_rss_peak MiB, steady $run_rss_steady MiB"
  verify "$who" "$log"
}

seam_config() { # file [extra yaml lines]
  local file=$1 l
  shift
  {
    echo "receivers: {otlp: {grpc: {host: 127.0.0.1, port: $SEAM_GRPC}, http: {host: 127.0.0.1, port: $SEAM_HTTP}}}"
    echo "metrics: {host: 127.0.0.1, port: $SEAM_METRICS_PORT}"
    for l in "$@"; do echo "$l"; done
  } > "$file"
}

start() { # who tag
  if [[ $1 == seam ]]; then
    seam_config "$OUT/seam.yaml" "${SEAM_CONFIG_EXTRA:-}"
    start_seam "$OUT/seam.yaml" "$2"
  else
    start_otelcol "$2"
  fi
  start_sampler "$1$2"
}

run_collector() { # who
  local who=$1 name attempt rate t
  name=$([[ $who == seam ]] && echo Seam || echo "the OpenTelemetry Collector")
  say "$name: starting"
  start "$who" ""
  sleep 3
  t=$(now)
  fig "$who" rss_idle_mib "$(py rss "$samples" "$(awk -v t="$t" 'BEGIN { print t - 2 }')" "$(awk -v t="$t" 'BEGIN { print t - 2 }')" "$t" | cut -d' ' -f2)"

  # a, b, c: the highest rate with nothing lost; CPU and memory over that run.
  rate=0
  local ok=false
  for ((attempt = 0; attempt <= BACKOFF; attempt++)); do
    if throughput_run "$who" "$rate" "$([[ $attempt == 0 ]] && echo "" || echo "-retry$attempt")"; then
      ok=true
      break
    fi
    if ((attempt < BACKOFF)); then
      rate=$(awk -v r="$run_spans_s" 'BEGIN { printf "%d", r * 0.8 }')
      say "$who: something was lost; again on a fresh collector at 80% of that rate: $rate spans/s"
      fig "$who" note "lost items at $run_spans_s spans/s (see checks.txt); retried at $rate spans/s"
      stop_collector
      start "$who" "-retry$((attempt + 1))"
      sleep 2
    fi
  done
  if $ok; then
    fig "$who" max_spans_per_s "$run_spans_s"
    fig "$who" loss_check "$([[ $rate == 0 ]] && echo "pass" || echo "pass at a fixed $rate spans/s")"
  else
    fig "$who" max_spans_per_s -1
    fig "$who" loss_check "FAIL (see checks.txt)"
  fi
  fig "$who" cpu_per_mspans "$run_cpu"
  fig "$who" rss_peak_mib "$run_rss_peak"
  fig "$who" rss_steady_mib "$run_rss_steady"
  fig "$who" gen_cpu_per_mspans "$run_gen_cpu"

  # d: export latency and memory at a fixed, moderate rate, on a fresh collector (so that the
  # memory figure is not what the max-rate run left behind).
  stop_collector
  start "$who" "-fixed"
  local port log ts t0 t1
  port=$([[ $who == seam ]] && { [[ $PROTOCOL == grpc ]] && echo $SEAM_GRPC || echo $SEAM_HTTP; } \
    || { [[ $PROTOCOL == grpc ]] && echo $OC_GRPC || echo $OC_HTTP; })
  log="$OUT/$who-load-fixed.log"
  wait_quiet
  say "$who: $FIXED_RATE spans/s, ${FIXED_WARMUP} s warm-up + $FIXED_SECONDS s measured"
  local busy0 busy1 other
  t0=$(now)
  busy0=$(py busy-seconds)
  load "$log" --port "$port" --logs "$LOGS" --seconds "$FIXED_SECONDS" --warmup "$FIXED_WARMUP" --inflight "$INFLIGHT" --rate "$FIXED_RATE"
  t1=$(now)
  busy1=$(py busy-seconds)
  other=$(awk -v b0="$busy0" -v b1="$busy1" -v c0="$(py cpu-at "$samples" "$t0")" -v c1="$(py cpu-at "$samples" "$t1")" \
    -v g="$(field "$log" total_generator_cpu_s)" -v t0="$t0" -v t1="$t1" \
    'BEGIN { printf "%.0f", 100 * ((b1 - b0) - (c1 - c0) - g) / ((t1 - t0) * '"$(nproc)"') }')
  echo "$who fixed: other processes used ${other}% of the CPUs" >> "$OUT/checks.txt"
  if ((other > 10)); then
    say "WARNING: other processes used ${other}% of the CPUs during the fixed-rate run"
    fig "$who" note "other processes used ${other}% of the CPUs during the fixed-rate run: its latencies may be overstated"
  fi
  record "$who" fixed "$log"
  fig "$who" fixed_latency_p50_ms "$(field "$log" latency_p50_ms)"
  fig "$who" fixed_latency_p99_ms "$(field "$log" latency_p99_ms)"
  fig "$who" fixed_spans_per_s "$(field "$log" spans_per_s)"
  fig "$who" fixed_rss_mib "$(py rss "$samples" "$t0" "$t0" "$t1" | cut -d' ' -f2)"
  if [[ $(field "$log" total_failed_requests) != 0 ]]; then
    fig "$who" note "$(field "$log" total_failed_requests) failed requests at the fixed rate: $(field "$log" first_error)"
  fi

  # e: export -> visible on the metrics endpoint.
  # Probes start at random moments over the peer's flush interval, so that they sample all of it.
  local url metric spread
  if [[ $who == seam ]]; then
    url=$SEAM_METRICS metric=seam_boundary_calls_total spread=1
  else
    url=$OC_PROM metric=traces_span_metrics_calls_total
    spread=$(sed -n 's/^ *metrics_flush_interval: *\([0-9]*\)s.*/\1/p' "$here/otelcol/config.yaml")
    spread=${spread:-60}
  fi
  log="$OUT/$who-load-probe.log"
  say "$who: $PROBES probes of export -> $metric on /metrics"
  load "$log" --port "$port" --probe-url "$url" --probe-metric "$metric" --probe-repeats "$PROBES" --probe-timeout 90 \
    --probe-spread "$spread"
  record "$who" probe "$log"
  fig "$who" probe_ms_median "$(field "$log" probe_ms_median)"
  stop_collector
}

# f: heap per pending pairing entry (Seam only).
pending_entry_run() {
  local log="$OUT/seam-load-fill.log" heap0 heap1 pending
  say "Seam: heap per pending pairing entry, $FILL_SPANS caller spans whose callees never come"
  seam_config "$OUT/seam-fill.yaml" "pairing: {window: 5m, max-pending: $((FILL_SPANS * 2 + 100000))}"
  start_seam "$OUT/seam-fill.yaml" "-fill"
  start_sampler seam-fill
  sleep 2
  jcmd "$cpid" GC.run > /dev/null
  sleep 1
  heap0=$(py sum "$SEAM_METRICS" jvm_memory_used_bytes area=heap)
  load "$log" --port "$([[ $PROTOCOL == grpc ]] && echo $SEAM_GRPC || echo $SEAM_HTTP)" --sides caller \
    --max-spans "$FILL_SPANS" --seconds 300 --inflight 2 --logs false
  record seam fill "$log"
  py wait-seam-idle "$SEAM_METRICS" 120 || die "Seam did not finish processing"
  jcmd "$cpid" GC.run > /dev/null
  sleep 1
  heap1=$(py sum "$SEAM_METRICS" jvm_memory_used_bytes area=heap)
  pending=$(py sum "$SEAM_METRICS" seam_pairing_pending)
  local evicted
  evicted=$(py sum "$SEAM_METRICS" seam_pairing_entries_total outcome=evicted)
  echo "seam fill: heap after GC $heap0 -> $heap1 bytes, $pending entries pending, $evicted evicted" >> "$OUT/checks.txt"
  fig seam bytes_per_pending "$(awk -v a="$heap0" -v b="$heap1" -v n="$pending" 'BEGIN { printf "%.0f", (n > 0 ? (b - a) / n : -1) }')"
  fig otelcol bytes_per_pending "n/a (spanmetrics holds no spans)"
  stop_collector
}

# ------------------------------------------------------------------------------------------------

describe=$($JAVA -jar "$BENCH_JAR" --describe true --spans-per-request "$SPANS_PER_REQUEST")
# Both collectors and the generator need the whole machine; anything else running skews the figures.
background=$(py busy 3)
if ((background > 10)); then
  say "WARNING: the machine is already ${background}% busy before the run; the figures will be lower than on an idle machine"
fi
{
  echo "# Seam and the OpenTelemetry Collector, side by side"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory; collector and load generator on the same machine; CPUs ${background}% busy with other work just before the run"
  echo "- Java: $($JAVA -version 2>&1 | head -2 | tail -1)"
  echo "- Go: $(go version 2>/dev/null | cut -d' ' -f3- || echo "not installed")"
  if [[ $ONLY != otelcol ]]; then
    echo "- Seam: $(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown) ($SEAM_JAR, $(date -u -r "$SEAM_JAR" '+built %Y-%m-%d %H:%M UTC')), JVM options: $SEAM_JAVA_OPTS, configuration: ${SEAM_CONFIG_EXTRA:-defaults}"
  fi
  if [[ $ONLY != seam ]]; then
    echo "- OpenTelemetry Collector: $("$OTELCOL_BIN" --version) (OTLP receiver -> batch -> spanmetrics -> Prometheus exporter, bench/otelcol/config.yaml)"
  fi
  echo "- workload: $describe"
  echo "- load: OTLP/$PROTOCOL protobuf, $INFLIGHT senders, error logs: $LOGS; max rate: ${WARMUP} s warm-up + ${MAX_SECONDS} s measured;" \
    "fixed rate: $FIXED_RATE spans/s, ${FIXED_WARMUP} s warm-up + $FIXED_SECONDS s measured; $PROBES probes; generator JVM options: $LOAD_JAVA_OPTS"
} > "$OUT/header.md"

if [[ $ONLY != otelcol ]]; then
  run_collector seam
  pending_entry_run
fi
if [[ $ONLY != seam ]]; then
  run_collector otelcol
fi

{
  cat "$OUT/header.md"
  echo
  py table "$OUT"
} > "$OUT/table.md"
echo
cat "$OUT/table.md"
echo
echo "Checks, raw RESULT lines and logs: $OUT"
if grep -q ' FAIL ' "$OUT/checks.txt"; then
  echo "Some nothing-lost checks failed:"
  grep ' FAIL ' "$OUT/checks.txt"
  exit 1
fi
