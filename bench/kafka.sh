#!/usr/bin/env bash
# Seam through Kafka against the direct OTLP path, under the load generator of bench/compare.sh
# and its workload, on loopback ports, with a real one-node Kafka broker (bin/kafka-broker).
# bench/README.md ("Through Kafka") explains every figure.
#
#   bench/kafka.sh [--consumers "1 2"] [--seconds 30] [--warmup 10] [--inflight 8]
#                  [--spans-per-request 256] [--partitions 6] [--protocol grpc|http] [--out DIR] [--quick]
#
# Three measurements, one after the other:
#   direct     one Seam receiving OTLP from the generator at the highest rate it accepts (as in
#              compare.sh): spans/s and Seam's CPU per million spans.
#   front      a Seam front instance (kafka.produce: true, kafka.consume: false) receiving the
#              same load and writing it to Kafka: spans/s it accepts, its CPU and the broker's
#              per million spans. The consumers are stopped (SIGSTOP) meanwhile, so the topics
#              fill with a backlog.
#   consumers  then the N consuming instances (for each N of --consumers, on topics and a group
#              of their own) are let go (SIGCONT) and drain that backlog with nothing else
#              running: spans/s from the first record to the last, their CPU per million spans.
# Before the stop, one warm-up run of the generator goes through front and consumers alike, so
# that every JVM has compiled its hot path. Nothing lost: for each N, the consumers' sum of
# seam_received_items_total{protocol="kafka"} equals the spans (and log records) the front
# accepted, and their boundary calls and errors equal what the generator sent.
#
# --quick: 3 s warm-up and 5 s runs, no quiet wait: for checking the script, not for figures.
#
# Every option can also be given in the environment (CONSUMERS, MAX_SECONDS, WARMUP, INFLIGHT,
# SPANS_PER_REQUEST, PARTITIONS, PROTOCOL, OUT), and:
#   QUIET_WAIT       seconds to wait, before each measured run, for other work to leave the CPUs
#                    (under 10% busy; default 60, 0: do not wait)
#   SEAM_JAR         the Seam jar to measure; unset: build this work tree (mvn package) and use it
#   BENCH_JAR        the load generator (default bench/target/seam-bench.jar, built when missing)
#   SEAM_JAVA_OPTS   every Seam's JVM options (default @deploy/jvm.options, the set Seam ships with)
#   LOAD_JAVA_OPTS   the generator's JVM options (default: C1 only, serial GC, as compare.sh)
#   KAFKA_BROKER_JAVA_OPTS  the broker's (bin/kafka-broker's default: -Xmx768m -XX:+UseSerialGC)
# Writes the table, the checks, the raw RESULT lines and every log to bench/out/kafka-<UTC time>/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

CONSUMERS=${CONSUMERS:-1 2}
MAX_SECONDS=${MAX_SECONDS:-30}
WARMUP=${WARMUP:-10}
INFLIGHT=${INFLIGHT:-8}
SPANS_PER_REQUEST=${SPANS_PER_REQUEST:-256}
PARTITIONS=${PARTITIONS:-6}
PROTOCOL=${PROTOCOL:-grpc}
QUIET_WAIT=${QUIET_WAIT:-60}
SEAM_JAVA_OPTS=${SEAM_JAVA_OPTS:-@$root/deploy/jvm.options}
LOAD_JAVA_OPTS=${LOAD_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m}
JAVA=${JAVA:-java}
OUT=${OUT:-$root/bench/out/kafka-$(date -u +%Y%m%dT%H%M%SZ)}

usage() { sed -n '2,/^set -euo/p' "$here/$(basename "${BASH_SOURCE[0]}")" | grep '^#' | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --consumers) CONSUMERS=$2; shift 2 ;;
    --seconds) MAX_SECONDS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --inflight) INFLIGHT=$2; shift 2 ;;
    --spans-per-request) SPANS_PER_REQUEST=$2; shift 2 ;;
    --partitions) PARTITIONS=$2; shift 2 ;;
    --protocol) PROTOCOL=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --quick) WARMUP=3 MAX_SECONDS=5 QUIET_WAIT=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "kafka.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
case $PROTOCOL in grpc|http) ;; *) echo "kafka.sh: --protocol is grpc or http" >&2; exit 2 ;; esac
# A stopped consumer stays in its group for its session (300 s), and its client leaves the group
# when it has not polled for max.poll.interval.ms (300 s): the backlog is written well within both.
((MAX_SECONDS <= 240)) || { echo "kafka.sh: --seconds is at most 240 (the consumers are stopped meanwhile)" >&2; exit 2; }
for n in $CONSUMERS; do
  [[ $n =~ ^[1-9][0-9]*$ ]] && ((n <= PARTITIONS)) || { echo "kafka.sh: --consumers takes counts from 1 to the partition count ($PARTITIONS), got '$n'" >&2; exit 2; }
done

say() { printf '[kafka %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
py() { python3 "$here/compare.py" "$@"; }
now() { date +%s.%N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# CPU seconds (user + system) of a process so far, from /proc: readable while it is stopped.
cpu_of() { # pid
  awk -v tck="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / tck }' "/proc/$1/stat"
}

# ------------------------------------------------------------------------------------------------
# What to run

BENCH_JAR=${BENCH_JAR:-$root/bench/target/seam-bench.jar}
if [[ -z "${SEAM_JAR:-}" || ! -f $BENCH_JAR ]]; then
  say "building Seam and the load generator (mvn package)"
  mvn -q -B -ntp -Dstyle.color=never -pl bench -am -DskipTests package >&2
fi
SEAM_JAR=${SEAM_JAR:-$root/collector/target/seam-collector.jar}
[[ -f $BENCH_JAR ]] || die "no load generator at $BENCH_JAR"
[[ -f $SEAM_JAR ]] || die "no Seam jar at $SEAM_JAR"

mkdir -p "$OUT"
: > "$OUT/figures.txt"
: > "$OUT/results.txt"
: > "$OUT/checks.txt"
fig() { echo "$1=$2" >> "$OUT/figures.txt"; }

# ------------------------------------------------------------------------------------------------
# Processes: everything started here is stopped on exit

pids=()
broker_dir=""
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -CONT "$pid" 2>/dev/null || true
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}
forget() {
  local p keep=()
  for p in "${pids[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  pids=(${keep[@]+"${keep[@]}"})
}
cleanup() {
  local p
  for p in ${pids[@]+"${pids[@]}"}; do stop_pid "$p"; done
  wait 2>/dev/null || true
  if [[ -n $broker_dir ]]; then "$root/bin/kafka-broker" stop --dir "$broker_dir" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM

stop_seam() { # pid
  stop_pid "$1"
  wait "$1" 2>/dev/null || true
  forget "$1"
}

# Starts Seam with a configuration file; sets seam_pid and waits for /readyz on the metrics port.
start_seam() { # name config-file metrics-port
  local name=$1 log="$OUT/$1.log" i
  # shellcheck disable=SC2086
  $JAVA $SEAM_JAVA_OPTS -jar "$SEAM_JAR" --config "$2" > "$log" 2>&1 &
  seam_pid=$!
  pids+=("$seam_pid")
  for ((i = 0; i < 600; i++)); do
    kill -0 "$seam_pid" 2>/dev/null || { tail -30 "$log" >&2; die "$name exited while starting (log: $log)"; }
    if curl -sf "http://127.0.0.1:$3/readyz" > /dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  tail -30 "$log" >&2
  die "$name did not start within 60 s (log: $log)"
}

# The load generator against port, in the background; sets gen_pid. Its log is $OUT/load-<tag>.log.
start_load() { # tag port seconds warmup
  # shellcheck disable=SC2086
  $JAVA $LOAD_JAVA_OPTS -jar "$BENCH_JAR" --protocol "$PROTOCOL" --spans-per-request "$SPANS_PER_REQUEST" --logs true \
    --port "$2" --seconds "$3" --warmup "$4" --inflight "$INFLIGHT" --rate 0 > "$OUT/load-$1.log" 2>&1 &
  gen_pid=$!
  pids+=("$gen_pid")
}
await_measure_start() { # log
  until grep -q '^MEASURE_START' "$1" 2>/dev/null; do
    kill -0 "$gen_pid" 2>/dev/null || break
    sleep 0.02
  done
}
finish_load() { # tag
  wait "$gen_pid" || { tail -20 "$OUT/load-$1.log" >&2; die "the load generator failed (log: $OUT/load-$1.log)"; }
  forget "$gen_pid"
  grep -E '^RESULT' "$OUT/load-$1.log" | sed "s/^/$1 /" >> "$OUT/results.txt" || true
}
field() { py field "$OUT/load-$1.log" "$2"; }

failed_checks=0
check() { # what actual expected
  if awk -v a="$2" -v b="$3" 'BEGIN { exit !(a == b) }'; then
    echo "PASS $1: $2" >> "$OUT/checks.txt"
  else
    echo "FAIL $1: $2, expected $3" >> "$OUT/checks.txt"
    say "FAIL $1: $2, expected $3"
    failed_checks=$((failed_checks + 1))
  fi
}

# Sum of a metric over several Seam metrics ports.
sum_over() { # "ports" name [label=value...]
  local ports=$1 name=$2 total=0 p v
  shift 2
  for p in $ports; do
    v=$(py sum "http://127.0.0.1:$p/metrics" "$name" "$@")
    total=$(awk -v a="$total" -v b="$v" 'BEGIN { printf "%.0f", a + b }')
  done
  echo "$total"
}

all_hold_partitions() { # "ports" topic
  local p
  for p in $1; do
    [[ $(sum_over "$p" seam_kafka_partitions_assigned topic="$2") != 0 ]] || return 1
  done
}

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

per_mspans() { # cpu0 cpu1 spans
  awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.2f", (n > 0 ? (b - a) / (n / 1e6) : -1) }'
}

# ------------------------------------------------------------------------------------------------
# direct: one Seam, OTLP from the generator

direct_run() {
  local grpc http metrics port cfg="$OUT/direct.yaml" cpu0 cpu1 spans
  grpc=$(free_port) http=$(free_port) metrics=$(free_port)
  port=$([[ $PROTOCOL == grpc ]] && echo "$grpc" || echo "$http")
  cat > "$cfg" <<EOF
receivers: {otlp: {grpc: {host: 127.0.0.1, port: $grpc}, http: {host: 127.0.0.1, port: $http}}}
metrics: {host: 127.0.0.1, port: $metrics}
EOF
  say "direct: one Seam receiving OTLP/$PROTOCOL; ${WARMUP} s warm-up + ${MAX_SECONDS} s at the highest rate it accepts"
  start_seam seam-direct "$cfg" "$metrics"
  local seam=$seam_pid
  wait_quiet
  start_load direct "$port" "$MAX_SECONDS" "$WARMUP"
  await_measure_start "$OUT/load-direct.log"
  cpu0=$(cpu_of "$seam")
  finish_load direct
  py wait-seam-idle "http://127.0.0.1:$metrics/metrics" 120 || die "Seam did not finish processing"
  cpu1=$(cpu_of "$seam")
  spans=$(field direct spans_accepted)
  fig direct.spans_per_s "$(field direct spans_per_s)"
  fig direct.cpu_per_mspans "$(per_mspans "$cpu0" "$cpu1" "$spans")"
  fig direct.failed_requests "$(field direct total_failed_requests)"
  local before=$failed_checks
  check "direct: seam_received_items_total{signal=spans} = spans accepted" \
    "$(sum_over "$metrics" seam_received_items_total signal=spans)" "$(field direct total_spans_accepted)"
  check "direct: seam_received_items_total{signal=logs} = log records accepted" \
    "$(sum_over "$metrics" seam_received_items_total signal=logs)" "$(field direct total_logs_accepted)"
  check "direct: sum(seam_boundary_calls_total) = boundary calls sent" \
    "$(sum_over "$metrics" seam_boundary_calls_total)" "$(field direct total_boundary_calls_sent)"
  check "direct: seam_dropped_items_total" "$(sum_over "$metrics" seam_dropped_items_total)" 0
  fig direct.lost "$([[ $failed_checks == "$before" ]] && echo pass || echo FAIL)"
  say "direct: $(field direct spans_per_s) spans/s, $(per_mspans "$cpu0" "$cpu1" "$spans") CPU s per million spans"
  stop_seam "$seam"
}

# ------------------------------------------------------------------------------------------------
# front and consumers: the generator -> a Seam front -> Kafka -> N consuming Seams

kafka_run() { # consumers
  local n=$1 group="bench$1" i topics fgrpc fhttp fmetrics fport cfg ports="" cpids=() c
  topics="{spans: ${group}_spans, logs: ${group}_logs, metrics: ${group}_metrics}"
  "$root/bin/kafka-broker" create-topics --bootstrap "$bootstrap" --partitions "$PARTITIONS" \
    "${group}_spans" "${group}_logs" "${group}_metrics" 2>> "$OUT/kafka-broker.log"
  say "kafka, $n consuming instance(s): $PARTITIONS partitions per topic"
  # A long session: a consumer stopped while the backlog fills stays in the group.
  for ((i = 1; i <= n; i++)); do
    local m
    m=$(free_port)
    cat > "$OUT/consumer$n-$i.yaml" <<EOF
receivers: {otlp: {grpc: {enabled: false}, http: {enabled: false}}}
metrics: {host: 127.0.0.1, port: $m}
kafka:
  brokers: ['$bootstrap']
  group: $group
  client-id: seam-consumer$n-$i
  topics: $topics
  initial-offset: earliest
  session-timeout: 300s
EOF
    start_seam "consumer$n-$i" "$OUT/consumer$n-$i.yaml" "$m"
    cpids+=("$seam_pid")
    ports="$ports $m"
  done
  fgrpc=$(free_port) fhttp=$(free_port) fmetrics=$(free_port)
  fport=$([[ $PROTOCOL == grpc ]] && echo "$fgrpc" || echo "$fhttp")
  cfg="$OUT/front$n.yaml"
  cat > "$cfg" <<EOF
receivers: {otlp: {grpc: {host: 127.0.0.1, port: $fgrpc}, http: {host: 127.0.0.1, port: $fhttp}}}
metrics: {host: 127.0.0.1, port: $fmetrics}
kafka:
  brokers: ['$bootstrap']
  client-id: seam-front$n
  topics: $topics
  produce: true
  consume: false
EOF
  start_seam "front$n" "$cfg" "$fmetrics"
  local front=$seam_pid
  # The group is settled when its members hold every partition between them and each holds some:
  # the first member to join holds all of them for a moment, and a member joining after the load
  # began would take partitions over by replay.
  for ((i = 0; i < 600; i++)); do
    if [[ $(sum_over "$ports" seam_kafka_partitions_assigned topic="${group}_spans") == "$PARTITIONS" ]] \
      && all_hold_partitions "$ports" "${group}_spans"; then
      break
    fi
    sleep 0.1
  done
  ((i < 600)) || die "the group of $n did not spread the $PARTITIONS partitions over its members within 60 s"

  # Warm-up of every JVM on the whole path, until the consumers have caught up.
  say "kafka, $n: ${WARMUP} s warm-up through front and consumers"
  start_load "warmup$n" "$fport" "$WARMUP" 0
  finish_load "warmup$n"
  local warm
  warm=$(field "warmup$n" total_spans_accepted)
  await_consumed "$ports" "$warm" "$(field "warmup$n" total_logs_accepted)" 120

  # The backlog: the consumers stopped, the generator at the highest rate the front accepts.
  for c in "${cpids[@]}"; do kill -STOP "$c"; done
  wait_quiet
  say "kafka, $n: ${MAX_SECONDS} s of load into the front (consumers stopped)"
  local bpid fcpu0 fcpu1 bcpu0 bcpu1 fill
  bpid=$(cat "$broker_dir/broker.pid")
  start_load "fill$n" "$fport" "$MAX_SECONDS" 0
  await_measure_start "$OUT/load-fill$n.log"
  fcpu0=$(cpu_of "$front") bcpu0=$(cpu_of "$bpid")
  finish_load "fill$n"
  fcpu1=$(cpu_of "$front") bcpu1=$(cpu_of "$bpid")
  fill=$(field "fill$n" spans_accepted)
  fig "front$n.spans_per_s" "$(field "fill$n" spans_per_s)"
  fig "front$n.cpu_per_mspans" "$(per_mspans "$fcpu0" "$fcpu1" "$fill")"
  fig "front$n.broker_cpu_per_mspans" "$(per_mspans "$bcpu0" "$bcpu1" "$fill")"
  fig "front$n.failed_requests" "$(field "fill$n" total_failed_requests)"
  say "kafka, $n: the front accepted $(field "fill$n" spans_per_s) spans/s at $(per_mspans "$fcpu0" "$fcpu1" "$fill") CPU s per million spans" \
    "(broker $(per_mspans "$bcpu0" "$bcpu1" "$fill")); $(field "fill$n" total_failed_requests) requests refused"

  # The drain: the consumers let go with nothing else running.
  wait_quiet
  local ccpu0=0 ccpu1=0 bdcpu0 bdcpu1 t0 t1
  for c in "${cpids[@]}"; do ccpu0=$(awk -v a="$ccpu0" -v b="$(cpu_of "$c")" 'BEGIN { print a + b }'); done
  bdcpu0=$(cpu_of "$bpid")
  say "kafka, $n: the consumers drain the backlog of $fill spans"
  t0=$(now)
  for c in "${cpids[@]}"; do kill -CONT "$c"; done
  await_consumed "$ports" "$((warm + $(field "fill$n" total_spans_accepted)))" \
    "$(($(field "warmup$n" total_logs_accepted) + $(field "fill$n" total_logs_accepted)))" 600
  t1=$consumed_at
  for c in "${cpids[@]}"; do ccpu1=$(awk -v a="$ccpu1" -v b="$(cpu_of "$c")" 'BEGIN { print a + b }'); done
  bdcpu1=$(cpu_of "$bpid")
  local rate
  rate=$(awk -v n="$fill" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')
  fig "consumers$n.spans_per_s" "$rate"
  fig "consumers$n.cpu_per_mspans" "$(per_mspans "$ccpu0" "$ccpu1" "$fill")"
  fig "consumers$n.broker_cpu_per_mspans" "$(per_mspans "$bdcpu0" "$bdcpu1" "$fill")"
  say "kafka, $n: drained at $rate spans/s, $(per_mspans "$ccpu0" "$ccpu1" "$fill") CPU s per million spans over the consumers"

  # Nothing lost, nothing counted twice.
  local before=$failed_checks sent_calls sent_errors
  check "kafka $n: sum of seam_received_items_total{protocol=kafka,signal=spans} = spans the front accepted" \
    "$(sum_over "$ports" seam_received_items_total protocol=kafka signal=spans)" "$((warm + $(field "fill$n" total_spans_accepted)))"
  check "kafka $n: sum of seam_received_items_total{protocol=kafka,signal=logs} = log records the front accepted" \
    "$(sum_over "$ports" seam_received_items_total protocol=kafka signal=logs)" \
    "$(($(field "warmup$n" total_logs_accepted) + $(field "fill$n" total_logs_accepted)))"
  check "kafka $n: seam_kafka_records_total{outcome=replayed} (no rebalance)" "$(sum_over "$ports" seam_kafka_records_total outcome=replayed)" 0
  check "kafka $n: seam_dropped_items_total" "$(sum_over "$ports" seam_dropped_items_total)" 0
  check "kafka $n: seam_kafka_produced_records_total{outcome=failed}" "$(sum_over "$fmetrics" seam_kafka_produced_records_total outcome=failed)" 0
  if [[ $(field "warmup$n" total_failed_requests) == 0 && $(field "fill$n" total_failed_requests) == 0 ]]; then
    sent_calls=$(($(field "warmup$n" total_boundary_calls_sent) + $(field "fill$n" total_boundary_calls_sent)))
    sent_errors=$(($(field "warmup$n" total_error_calls_sent) + $(field "fill$n" total_error_calls_sent)))
    check "kafka $n: sum(seam_boundary_calls_total) = boundary calls sent" "$(sum_over "$ports" seam_boundary_calls_total)" "$sent_calls"
    check "kafka $n: sum(seam_boundary_errors_total) = failing calls sent" "$(sum_over "$ports" seam_boundary_errors_total)" "$sent_errors"
  else
    echo "kafka $n: the front refused some requests (pushback): boundary calls not compared" >> "$OUT/checks.txt"
  fi
  fig "consumers$n.lost" "$([[ $failed_checks == "$before" ]] && echo pass || echo FAIL)"

  stop_seam "$front"
  for c in "${cpids[@]}"; do stop_seam "$c"; done
}

# Waits until the consumers on ports have received the spans and logs and none lags (sets
# consumed_at to when it saw that), then until each has processed (or dropped) all it received.
await_consumed() { # "ports" spans logs timeout
  local state p
  # One process polls every 0.1 s, so that the moment is seen within a poll.
  state=$(python3 - "$here" "$@" <<'PY'
import sys, time
sys.path.insert(0, sys.argv[1])
from compare import metric_sum, scrape
ports, spans, logs, timeout = sys.argv[2].split(), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
deadline = time.time() + timeout
got = gotlogs = lag = 0.0
while time.time() < deadline:
    pages = [scrape(f"http://127.0.0.1:{p}/metrics") for p in ports]
    got = sum(metric_sum(t, "seam_received_items_total", {"protocol": "kafka", "signal": "spans"}) for t in pages)
    gotlogs = sum(metric_sum(t, "seam_received_items_total", {"protocol": "kafka", "signal": "logs"}) for t in pages)
    lag = sum(metric_sum(t, "seam_kafka_consumer_lag_records") for t in pages)
    if got >= spans and gotlogs >= logs and lag == 0:
        print(f"ok {time.time():.3f}")
        sys.exit(0)
    time.sleep(0.1)
print(f"timeout {got:.0f} {gotlogs:.0f} {lag:.0f}")
PY
  )
  [[ $state == ok\ * ]] || die "the consumers did not receive $2 spans and $3 log records within $4 s (spans, logs, lag: ${state#timeout })"
  consumed_at=${state#ok }
  for p in $1; do
    py wait-seam-idle "http://127.0.0.1:$p/metrics" 60 > /dev/null || die "a consumer did not finish processing"
  done
}

# ------------------------------------------------------------------------------------------------

describe=$($JAVA -jar "$BENCH_JAR" --describe true --spans-per-request "$SPANS_PER_REQUEST")
background=$(py busy 3)
{
  echo "# Seam through Kafka and directly"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory; everything on this machine; CPUs ${background}% busy with other work just before the run"
  echo "- Java: $($JAVA -version 2>&1 | head -2 | tail -1)"
  echo "- Seam: $(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown) ($SEAM_JAR), JVM options: $SEAM_JAVA_OPTS"
  echo "- Kafka: one broker (bin/kafka-broker, $(basename "$(tr ':' '\n' < "$("$root/bin/kafka-broker" classpath)" | grep '/kafka_2.13-' | head -1)" .jar)), $PARTITIONS partitions per topic, one replica"
  echo "- workload: $describe"
  echo "- load: OTLP/$PROTOCOL protobuf, $INFLIGHT senders, error logs; ${WARMUP} s warm-up, ${MAX_SECONDS} s measured; generator JVM options: $LOAD_JAVA_OPTS"
} > "$OUT/header.md"

direct_run
broker_dir="$OUT/kafka"
say "starting the Kafka broker"
bootstrap=$("$root/bin/kafka-broker" start --dir "$broker_dir" 2>> "$OUT/kafka-broker.log") || die "the broker did not start (log: $OUT/kafka-broker.log)"
for n in $CONSUMERS; do
  kafka_run "$n"
done

table() {
  local f="$OUT/figures.txt"
  g() { sed -n "s/^$1=//p" "$f" | tail -1; }
  echo "| path | spans/s | Seam CPU s per million spans | broker CPU s per million spans | nothing lost |"
  echo "|---|---|---|---|---|"
  echo "| OTLP directly to one Seam (generator beside it) | $(g direct.spans_per_s) | $(g direct.cpu_per_mspans) | - | $(g direct.lost) |"
  for n in $CONSUMERS; do
    echo "| Kafka, writing: Seam front (\`kafka.produce\`), generator beside it, $(g "front$n.failed_requests") requests refused | $(g "front$n.spans_per_s") | $(g "front$n.cpu_per_mspans") | $(g "front$n.broker_cpu_per_mspans") | - |"
    echo "| Kafka, reading: $n consuming instance(s) draining the backlog | $(g "consumers$n.spans_per_s") | $(g "consumers$n.cpu_per_mspans") | $(g "consumers$n.broker_cpu_per_mspans") | $(g "consumers$n.lost") |"
  done
}
{
  cat "$OUT/header.md"
  echo
  table
} > "$OUT/table.md"
echo
cat "$OUT/table.md"
echo
echo "Checks, raw RESULT lines and logs: $OUT"
if grep -q '^FAIL ' "$OUT/checks.txt"; then
  echo "Some nothing-lost checks failed:"
  grep '^FAIL ' "$OUT/checks.txt"
  exit 1
fi
