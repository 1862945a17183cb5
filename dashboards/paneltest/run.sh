#!/usr/bin/env bash
# The dashboard panel test (README.md here): installs its pinned npm packages with `npm ci`
# when package-lock.json changed, then runs main.cjs (arguments are passed on). Needs Node.js
# 18+ with npm (bin/ensure-node), Go 1.21+ for the schema check, Prometheus and promtool
# (bin/ensure-prometheus).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
"$root/bin/ensure-prometheus"
"$root/bin/ensure-node"
if ! command -v go >/dev/null; then
  echo "paneltest: go is missing. Install Go 1.21 or newer (https://go.dev/doc/install) and put it on PATH;" >&2
  echo "the schema check builds dashboards/paneltest/schema with modules from the Go proxy." >&2
  exit 1
fi
stamp="$here/node_modules/.seam-package-lock.json"
if ! cmp -s "$here/package-lock.json" "$stamp"; then
  echo "paneltest: npm ci (package-lock.json changed or node_modules missing)" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
  cp "$here/package-lock.json" "$stamp"
fi
exec node "$here/main.cjs" "$@"
