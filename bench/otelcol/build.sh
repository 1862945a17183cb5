#!/usr/bin/env bash
# Builds the OpenTelemetry Collector the benchmark compares Seam with, using the official
# builder (ocb) and modules from the Go module proxy only. The binary is cached in
# ~/.cache/seam/otelcol/<hash of the manifest>/ and never committed. Prints its path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
builder_version=v0.165.0
cache="${SEAM_CACHE:-$HOME/.cache/seam}/otelcol"
key="$( (cat "$here/manifest.yaml"; echo "$builder_version"; go version) | sha256sum | cut -c1-16)"
out="$cache/$key"
bin="$out/otelcol-seam-peer"
if [[ -x "$bin" ]]; then echo "$bin"; exit 0; fi

export GOPROXY="${GOPROXY:-https://proxy.golang.org}"
export GOBIN="$cache/tools/$builder_version"
if [[ ! -x "$GOBIN/builder" ]]; then
  echo "installing the collector builder $builder_version" >&2
  go install "go.opentelemetry.io/collector/cmd/builder@$builder_version" >&2
fi
mkdir -p "$out"
echo "building the OpenTelemetry Collector into $out (a few minutes the first time)" >&2
"$GOBIN/builder" --config "$here/manifest.yaml" --output-path "$out/src" >&2
cp "$out/src/otelcol-seam-peer" "$bin"
echo "$bin"
