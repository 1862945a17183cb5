#!/usr/bin/env bash
# Builds the example Go gateway and Rust pricing service (and the Rust library the gateway
# calls through cgo), runs their own tests, then the end-to-end suite: a real Seam, a real
# Prometheus, the services, a deterministic mix of calls, and Seam's numbers checked against
# the ledger through Prometheus's HTTP API; then the same mix through Seam as a fleet (a real
# Kafka broker, an OpenTelemetry Collector with the kafka exporter or a Seam front instance in
# front, three consuming Seam instances, one of them killed in the second scenario).
#
# Build caches live outside the clone, so reruns and CI reuse them:
#   $SEAM_CACHE (default ~/.cache/seam): cargo-target/, bin/, e2e/ (logs and ledgers of the last
#   run; the fleet's in e2e/fleet/), otelcol/ (the Collector with the kafka exporter, shared with
#   the collector's Kafka tests: about 4 minutes to build the first time, from the Go module proxy)
# E2E_RUN=REGEXP runs only the matching tests (go test -run), e.g. E2E_RUN=TestFleet.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

missing() {
  echo "run-e2e: $1 is missing. $2" >&2
  exit 1
}
command -v java >/dev/null || missing java "Install a JDK 17 or newer."
command -v go >/dev/null || missing go "Install Go 1.26 or newer (https://go.dev/doc/install) and put it on PATH."
command -v cargo >/dev/null || missing cargo "Install Rust with rustup (https://rustup.rs)."
command -v cc >/dev/null || missing "a C compiler (cc)" "Install gcc (apt-get install gcc); cgo needs it."
command -v python3 >/dev/null || missing python3 "Install Python 3 (apt-get install python3)."
bin/ensure-prometheus

cache=${SEAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/seam}
export CARGO_TARGET_DIR="$cache/cargo-target"
mkdir -p "$cache/bin"

echo "run-e2e: building the Rust service and library" >&2
(cd examples/rust && cargo build --release --locked --quiet)
echo "run-e2e: testing the Rust crates" >&2
(cd examples/rust && cargo test --release --locked --quiet)

export CGO_ENABLED=1
export CGO_LDFLAGS="-L$CARGO_TARGET_DIR/release -lpricing_ffi -ldl -lm -lpthread"
echo "run-e2e: building and testing the Go gateway" >&2
(cd examples/go && go vet ./... && go build -mod=readonly -o "$cache/bin/gateway" ./cmd/gateway && go test -mod=readonly -count=1 ./...)

jar=collector/target/seam-collector.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml collector/pom.xml collector/src/main -newer "$jar" -print -quit)" ]; then
  echo "run-e2e: building $jar" >&2
  mvn -q -B -ntp -Dstyle.color=never -pl collector -am -DskipTests package
fi

# The fleet test's Collector (built once, then cached) and Kafka broker (its Maven artifacts).
echo "run-e2e: the OpenTelemetry Collector with the kafka exporter (examples/otelcol)" >&2
otelcol="$(examples/otelcol/build.sh)"
bin/kafka-broker classpath > /dev/null

out="$cache/e2e"
rm -rf "$out"
echo "run-e2e: end-to-end suite (logs and ledger in $out)" >&2
cd examples/go
SEAM_REPO="$root" \
SEAM_JAR="$root/$jar" \
PRICING_BIN="$CARGO_TARGET_DIR/release/pricing-service" \
GATEWAY_BIN="$cache/bin/gateway" \
OTELCOL_BIN="$otelcol" \
KAFKA_BROKER="$root/bin/kafka-broker" \
E2E_OUT="$out" \
  go test -mod=readonly -tags e2e -count=1 -v -timeout 20m -run "${E2E_RUN:-.}" ./e2e/
