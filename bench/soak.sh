#!/usr/bin/env bash
# Soak: runs Seam for a fixed time at a fixed offered rate and samples heap after GC, threads and
# open file descriptors every 30 s, so a leak shows as a trend. Not part of the test run.
#   bench/soak.sh [seconds=600] [spans-per-second=130000] [senders=4]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-600}
rate=${2:-130000}
senders=${3:-4}
# The load generator depends on the collector module: build both from the root.
mvn -q -B -ntp -Dstyle.color=never -pl bench -am -DskipTests package
out=$(mktemp -d)
cat > "$out/seam.yaml" <<YAML
receivers: {otlp: {grpc: {host: 127.0.0.1, port: 14317}, http: {host: 127.0.0.1, port: 14318}}}
metrics: {host: 127.0.0.1, port: 19464}
YAML
# Seam's JVM options (deploy/jvm.options); SEAM_JAVA_OPTS adds to them (e.g. -Xmx1g for a longer window).
# shellcheck disable=SC2086
java @"$root/deploy/jvm.options" ${SEAM_JAVA_OPTS:-} -jar collector/target/seam-collector.jar --config "$out/seam.yaml" > "$out/seam.log" 2>&1 &
seam=$!
trap 'kill $seam 2>/dev/null || true' EXIT
until curl -sf 127.0.0.1:19464/readyz >/dev/null; do sleep 0.2; done
# The generator's own flags as bench/compare.sh runs it (C1 only, serial GC: little CPU of its own).
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m -jar bench/target/seam-bench.jar --port 14317 --seconds "$seconds" \
  --inflight "$senders" --rate "$rate" > "$out/load.log" 2>&1 &
load=$!
echo "time_s heap_after_gc_mib rss_mib threads fds received processed dropped pending evicted"
t=0
while kill -0 $load 2>/dev/null; do
  jcmd $seam GC.run >/dev/null 2>&1 || true
  m=$(curl -s 127.0.0.1:19464/metrics)
  heap=$(echo "$m" | grep '^jvm_memory_used_bytes{area="heap"' | awk '{s+=$NF} END {printf "%.1f", s/1048576}')
  threads=$(echo "$m" | awk '/^jvm_threads_live_threads/ {print $2}')
  fds=$(ls /proc/$seam/fd | wc -l)
  rec=$(echo "$m" | awk '/^seam_received_items_total.*signal="spans"/ {s+=$2} END {printf "%.0f", s}')
  pro=$(echo "$m" | awk '/^seam_processed_items_total.*signal="spans"/ {s+=$2} END {printf "%.0f", s}')
  dro=$(echo "$m" | awk '/^seam_dropped_items_total.*signal="spans"/ {s+=$2} END {printf "%.0f", s}')
  pen=$(echo "$m" | awk '/^seam_pairing_pending/ {print $2}')
  evi=$(echo "$m" | awk '/^seam_pairing_entries_total.*outcome="evicted"/ {printf "%.0f", $2}')
  rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$seam/status)
  echo "$t $heap $rss $threads $fds $rec $pro $dro $pen $evi"
  sleep 30
  t=$((t + 30))
done
cat "$out/load.log"
