#!/usr/bin/env bash
# Soak: runs Seam for a fixed time at a fixed offered rate and samples heap after GC, threads and
# open file descriptors every 30 s, so a leak shows as a trend. Not part of the test run.
#   bench/soak.sh [seconds=600] [spans-per-second=45000]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
rate=${2:-45000}
# The load generator depends on the collector module: build both from the root.
mvn -q -B -ntp -Dstyle.color=never -pl bench -am -DskipTests package
out=$(mktemp -d)
cat > "$out/seam.yaml" <<YAML
receivers: {otlp: {grpc: {host: 127.0.0.1, port: 14317}, http: {host: 127.0.0.1, port: 14318}}}
metrics: {host: 127.0.0.1, port: 19464}
YAML
java -Xmx1g -jar collector/target/seam-collector.jar --config "$out/seam.yaml" > "$out/seam.log" 2>&1 &
seam=$!
trap 'kill $seam 2>/dev/null || true' EXIT
until curl -sf 127.0.0.1:19464/readyz >/dev/null; do sleep 0.2; done
java -jar bench/target/seam-bench.jar --port 14317 --seconds "$seconds" --inflight 2 --rate "$rate" > "$out/load.log" 2>&1 &
load=$!
echo "time_s heap_after_gc_mib threads fds received processed dropped pending"
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
  echo "$t $heap $threads $fds $rec $pro $dro $pen"
  sleep 30
  t=$((t + 30))
done
cat "$out/load.log"
