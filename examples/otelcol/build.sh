#!/usr/bin/env bash
# Builds the OpenTelemetry Collector with the kafka exporter and receiver (manifest.yaml beside
# this file) with the same official builder and cache as the benchmark's peer
# (bench/otelcol/build.sh). Prints the binary's path; progress goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/../../bench/otelcol/build.sh" "$here/manifest.yaml"
