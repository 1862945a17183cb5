#!/usr/bin/env bash
# Builds an OpenTelemetry Collector with the official builder (ocb) and modules from the Go
# module proxy only: by default the one the benchmark compares Seam with (manifest.yaml beside
# this file); `build.sh OTHER-MANIFEST` builds another (examples/otelcol/build.sh does). The
# binary, named after the manifest's dist.name, is cached in ~/.cache/seam/otelcol/<hash of
# the manifest>/ and never committed. Prints its path; progress goes to stderr. Concurrent
# builds of one manifest wait for each other instead of writing the same directory.
# OTELCOL_CACHED_ONLY=1 prints the path only when the binary is already built, else fails without
# building (dashboards/test.sh validates Collector configs with it when it is there).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
manifest="$(realpath "${1:-$here/manifest.yaml}")"
builder_version=v0.165.0
cache="${SEAM_CACHE:-$HOME/.cache/seam}/otelcol"
key="$( (cat "$manifest"; echo "$builder_version"; go version) | sha256sum | cut -c1-16)"
name="$(sed -n 's/^  name: *\([A-Za-z0-9._-]*\) *$/\1/p' "$manifest" | head -1)"
if [[ -z "$name" ]]; then echo "build.sh: no dist.name in $manifest" >&2; exit 2; fi
out="$cache/$key"
bin="$out/$name"
if [[ -x "$bin" ]]; then echo "$bin"; exit 0; fi
if [[ -n "${OTELCOL_CACHED_ONLY:-}" ]]; then exit 1; fi

mkdir -p "$cache"
exec 9> "$cache/$key.lock"
flock 9
if [[ -x "$bin" ]]; then echo "$bin"; exit 0; fi

export GOPROXY="${GOPROXY:-https://proxy.golang.org}"
export GOBIN="$cache/tools/$builder_version"
if [[ ! -x "$GOBIN/builder" ]]; then
  echo "installing the collector builder $builder_version" >&2
  go install "go.opentelemetry.io/collector/cmd/builder@$builder_version" >&2
fi
mkdir -p "$out"
echo "building the OpenTelemetry Collector $name into $out (a few minutes the first time)" >&2
"$GOBIN/builder" --config "$manifest" --output-path "$out/src" >&2
cp "$out/src/$name" "$bin.tmp"
mv "$bin.tmp" "$bin"
echo "$bin"
