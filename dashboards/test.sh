#!/usr/bin/env bash
# Checks Seam's dashboards, rules and deployment files. Needs promtool and python3 (stdlib).
#   bash dashboards/test.sh
#   PROMETHEUS_URL=http://127.0.0.1:9090 [REQUIRE_DATA=1] bash dashboards/test.sh   # also run every panel query live
set -euo pipefail
cd "$(dirname "$0")/.."
bin/ensure-prometheus
passed=0; failed=0
ok()   { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
run()  { local name="$1"; shift; local out; if out="$("$@" 2>&1)"; then ok "$name"; else fail "$name"; echo "$out" | sed 's/^/     /'; fi; }

P=dashboards/prometheus
run "promtool check rules" promtool check rules $P/recording.rules.yml $P/alerts.rules.yml
run "promtool test rules" promtool test rules $P/tests/*.test.yml
run "promtool check config deploy/prometheus/prometheus.yml" promtool check config deploy/prometheus/prometheus.yml

# Alertmanager routes contract alerts by the team that must act (deploy/alertmanager/alertmanager.yml);
# each case's labels are those dashboards/prometheus/tests/contracts.test.yml proves the alert has
bin/ensure-alertmanager
AM=deploy/alertmanager/alertmanager.yml
run "amtool check-config $AM" amtool check-config "$AM"
route() {
  local want="$1" what="$2"; shift 2
  run "alertmanager routes $what to $want" amtool config routes test --config.file="$AM" --verify.receivers="$want" "$@"
}
B="caller_service=gateway callee_service=pricing caller_owner=edge callee_owner=pricing"
# shellcheck disable=SC2086
{
route pricing-pager "a callee error burning gateway->pricing's budget (critical)" alertname=SeamBoundaryContractErrorBudgetBurn severity=critical \
  acting_side=callee team=pricing escalation=pagerduty:pricing transport=grpc $B
route pricing "a callee error burning gateway->pricing's budget (warning)" alertname=SeamBoundaryContractErrorBudgetBurn severity=warning \
  acting_side=callee team=pricing escalation=pagerduty:pricing transport=grpc $B
route edge-pager "a caller-only error burning gateway->pricing's budget" alertname=SeamBoundaryContractErrorBudgetBurn severity=critical \
  acting_side=caller team=edge escalation=#edge-oncall transport=http $B
route edge "an overhead breach on gateway->pricing" alertname=SeamBoundaryOverheadOverBudget severity=warning team=edge escalation=#edge-oncall transport=http $B
route pricing "a caller latency breach on gateway->pricing" alertname=SeamBoundaryCallerLatencyOverBudget severity=warning team=pricing escalation=pagerduty:pricing transport=grpc $B
route edge "an undeclared boundary gateway->ledger" alertname=SeamBoundaryUndeclared severity=warning team=edge escalation=#edge-oncall \
  caller_service=gateway callee_service=ledger caller_owner=edge callee_owner=books transport=http
route edge-pager "calls past an interface's sunset" alertname=SeamBoundaryInterfacePastSunset severity=critical team=edge interface=v1 transport=ffi $B
route seam-operators "a boundary nobody owns" alertname=SeamBoundaryOverheadOverBudget severity=warning team=unknown transport=http $B
route seam-operators "Seam's own alerts (no team)" alertname=SeamContractsInvalid severity=warning job=seam instance=seam:9464
route seam-operators "a boundary alert without contracts (no team)" alertname=SeamBoundaryCallerOnlyErrors severity=warning transport=http \
  caller_service=gateway callee_service=pricing
}

tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
# compose's Prometheus config references container paths: check it against a copy with the real ones
sed -e "s#/etc/prometheus/rules/#$PWD/$P/#" deploy/compose/prometheus.yml > "$tmp/compose-prometheus.yml"
run "promtool check config deploy/compose/prometheus.yml" promtool check config "$tmp/compose-prometheus.yml"

# one source of truth: the PrometheusRule is generated from the rule files
deploy/kubernetes/generate-prometheusrule.sh "$tmp/prometheusrule.yaml"
run "deploy/kubernetes/prometheusrule.yaml is up to date (run generate-prometheusrule.sh)" diff -u deploy/kubernetes/prometheusrule.yaml "$tmp/prometheusrule.yaml"
# each embedded group must be the rule file's group, and promtool must accept the spec back
for f in recording alerts; do
  awk -v n="seam-$f" '/^---/{p=0} $0 ~ "name: "n"$"{p=1} p&&/^spec:/{s=1;next} p&&s' deploy/kubernetes/prometheusrule.yaml | sed 's/^  //' > "$tmp/$f.spec.yml"
done
run "PrometheusRule specs are valid rule files" promtool check rules "$tmp/recording.spec.yml" "$tmp/alerts.spec.yml"

# the dashboards are generated too
cp -r dashboards/grafana "$tmp/grafana"
python3 "$tmp/grafana/generate_dashboards.py"
run "dashboards/grafana/*.json are up to date (run generate_dashboards.py)" diff -r -x '*.py' -x provisioning -x __pycache__ dashboards/grafana "$tmp/grafana"

# the compose trial's Seam config is deploy/seam.yaml plus a forward section
sed -n '/^forward:/q;p' deploy/compose/seam.yaml | grep -v '^# ' | grep -v '^#$' > "$tmp/compose-seam.yaml"
run "deploy/compose/seam.yaml is deploy/seam.yaml plus forwarding" bash -c '
  diff -u <(grep -v "^# " deploy/seam.yaml) "$1" && grep -q "^forward:" deploy/compose/seam.yaml' _ "$tmp/compose-seam.yaml"

# the Kubernetes ConfigMap embeds deploy/seam.yaml verbatim
awk '/^  seam.yaml: \|/{p=1;next} p&&/^---/{exit} p' deploy/kubernetes/seam.yaml | sed -e 's/^    //' > "$tmp/cm.yaml"
run "ConfigMap in deploy/kubernetes/seam.yaml embeds deploy/seam.yaml" diff -u deploy/seam.yaml "$tmp/cm.yaml"
run "deploy/kubernetes/seam.yaml has Deployment, Service, ServiceMonitor, probes, limits" bash -c '
  f=deploy/kubernetes/seam.yaml
  for k in "kind: ConfigMap" "kind: Deployment" "kind: Service$" "kind: ServiceMonitor" "path: /healthz" "path: /readyz" \
           "name: otlp-grpc" "appProtocol: grpc" "name: otlp-http" "name: metrics" "interval: 15s" "limits:" \
           "/opt/seam/seam-collector.jar" "replicas: 1"; do
    grep -q -- "$k" "$f" || { echo "missing: $k"; exit 1; }; done'
# the fleet (docs/deployment.md#scale-out): consumers, and Seam as the front tier
for f in seam-fleet seam-front; do
  awk '/^  seam.yaml: \|/{p=1;next} p&&/^---/{exit} p' deploy/kubernetes/$f.yaml | sed -e 's/^    //' > "$tmp/$f.yaml"
  run "ConfigMap in deploy/kubernetes/$f.yaml is deploy/seam.yaml plus a kafka section with brokers" bash -c '
    n=$(wc -l < deploy/seam.yaml)
    diff -u deploy/seam.yaml <(head -n "$n" "$1") && tail -n +"$((n + 1))" "$1" | head -n 1 | grep -qx "kafka:" \
      && tail -n +"$((n + 1))" "$1" | grep -q "^  brokers: \[..*\]$"' _ "$tmp/$f.yaml"
  # the container's probes, resources and security are the single-instance manifest's
  run "deploy/kubernetes/$f.yaml: probes, resources and securityContext as in seam.yaml" bash -c '
    block() { awk "/^          livenessProbe:/{p=1} /^          volumeMounts:/{p=0} p" "$1"; }
    [ -n "$(block deploy/kubernetes/seam.yaml)" ] && diff -u <(block deploy/kubernetes/seam.yaml) <(block "$1")' _ deploy/kubernetes/$f.yaml
done
run "deploy/kubernetes/seam-fleet.yaml: consumer group of 3, PodDisruptionBudget, spread, ServiceMonitor with job seam" bash -c '
  f=deploy/kubernetes/seam-fleet.yaml
  for k in "kind: ConfigMap" "kind: Deployment" "kind: PodDisruptionBudget" "kind: Service$" "kind: ServiceMonitor" \
           "replicas: 3" "maxUnavailable: 1$" "maxUnavailable: 0$" "podAntiAffinity:" "topologyKey: kubernetes.io/hostname" \
           "topologyKey: topology.kubernetes.io/zone" "jobLabel: app.kubernetes.io/name" "app.kubernetes.io/part-of: seam-fleet" \
           "name: seam-fleet-config" "path: /healthz" "path: /readyz" "name: metrics" "interval: 15s" \
           "/opt/seam/seam-collector.jar"; do
    grep -q -- "$k" "$f" || { echo "missing: $k"; exit 1; }; done
  ! grep -q "produce: true" "$f" || { echo "the consumers must not produce"; exit 1; }'
run "deploy/kubernetes/seam-front.yaml: produce only, PodDisruptionBudget, Service seam with the OTLP ports" bash -c '
  f=deploy/kubernetes/seam-front.yaml
  for k in "kind: ConfigMap" "kind: Deployment" "kind: PodDisruptionBudget" "kind: Service$" "^      produce: true$" "^      consume: false$" \
           "maxUnavailable: 1$" "podAntiAffinity:" "app.kubernetes.io/part-of: seam-fleet" "name: seam-front-config" \
           "name: otlp-grpc" "appProtocol: grpc" "name: otlp-http" "name: metrics" "path: /healthz" "path: /readyz"; do
    grep -q -- "$k" "$f" || { echo "missing: $k"; exit 1; }; done
  awk "/^kind: Service$/{s=1} s&&/^  name: /{print \$2; exit}" "$f" | grep -qx seam || { echo "the front Service must be named seam"; exit 1; }
  ! grep -q "kind: ServiceMonitor" "$f" || { echo "seam-fleet.yaml'"'"'s ServiceMonitor scrapes the front: a second one would scrape it twice"; exit 1; }'
run "deploy/systemd/seam.service essentials" bash -c '
  f=deploy/systemd/seam.service
  for k in "^User=seam" "^Restart=on-failure" "^NoNewPrivileges=true" "^ProtectSystem=strict" "^PrivateTmp=true" \
           "^ExecStart=/usr/bin/java @/opt/seam/jvm.options -jar /opt/seam/seam-collector.jar --config /etc/seam/seam.yaml$"; do
    grep -q -- "$k" "$f" || { echo "missing: $k"; exit 1; }; done'
# one set of JVM options (deploy/jvm.options) everywhere Seam is started
jvm_opts=$(sed 's/#.*//' deploy/jvm.options | xargs)
run "deploy/jvm.options is the JVM option set of bin/seam, systemd, compose, Kubernetes and the benchmarks" bash -c '
  opts=$1
  [[ $opts == *-Xmx* ]] || { echo "deploy/jvm.options sets no heap"; exit 1; }
  java @deploy/jvm.options -version > /dev/null 2>&1 || { echo "java does not take deploy/jvm.options"; exit 1; }
  for f in deploy/kubernetes/seam.yaml deploy/kubernetes/seam-fleet.yaml deploy/kubernetes/seam-front.yaml; do
    v=$(grep -A1 "name: JAVA_TOOL_OPTIONS" "$f" | sed -n "s/^ *value: \"\(.*\)\"$/\1/p")
    [[ $v == "$opts" ]] || { echo "$f: JAVA_TOOL_OPTIONS is \"$v\", deploy/jvm.options says \"$opts\""; exit 1; }
  done
  grep -q "^ExecStart=/usr/bin/java @/opt/seam/jvm.options " deploy/systemd/seam.service || { echo "systemd: not @/opt/seam/jvm.options"; exit 1; }
  grep -q "\"@/opt/seam/jvm.options\"" deploy/compose/docker-compose.yml && grep -q "../jvm.options:/opt/seam/jvm.options:ro" deploy/compose/docker-compose.yml \
    || { echo "compose: not @/opt/seam/jvm.options"; exit 1; }
  grep -q "@deploy/jvm.options" bin/seam || { echo "bin/seam: not @deploy/jvm.options"; exit 1; }
  for f in bench/compare.sh bench/kafka.sh bench/soak.sh; do
    grep -Eq "@\"?[\$]root/deploy/jvm.options" "$f" || { echo "$f: Seam not started with deploy/jvm.options"; exit 1; }
  done' _ "$jvm_opts"
run "compose and provisioning files reference only existing files" python3 - <<'PY'
import os, re, sys
bad = []
for f in ["deploy/compose/docker-compose.yml"]:
    d = os.path.dirname(f)
    for m in re.finditer(r"^\s*-\s*(\.{1,2}/[^:\s]+):", open(f).read(), re.M):
        if not os.path.exists(os.path.join(d, m.group(1))):
            bad.append(f"{f}: {m.group(1)}")
    if "\t" in open(f).read():
        bad.append(f + ": tab character")
for f in ["deploy/prometheus/prometheus.yml"]:
    for m in re.finditer(r"^\s*-\s*(\.{1,2}/\S+)$", open(f).read(), re.M):
        if not os.path.exists(os.path.join(os.path.dirname(f), m.group(1))):
            bad.append(f"{f}: {m.group(1)}")
print("\n".join(bad)); sys.exit(1 if bad else 0)
PY

jar=collector/target/seam-collector.jar
if [ -f "$jar" ]; then
  run "deploy/seam.yaml passes --check-config" java -jar "$jar" --config deploy/seam.yaml --check-config
  run "deploy/compose/seam.yaml passes --check-config" java -jar "$jar" --config deploy/compose/seam.yaml --check-config
  for f in seam-fleet seam-front; do
    run "the ConfigMap of deploy/kubernetes/$f.yaml passes --check-config" java -jar "$jar" --config "$tmp/$f.yaml" --check-config
  done
else
  echo "skip deploy/seam.yaml --check-config: $jar not built"
fi

# the Collector agent config in front of a fleet, shown in docs/deployment.md, validated by the
# Collector the Kafka tests build
run "docs/deployment.md shows the exporter of deploy/otelcol/kafka-agent.yaml" python3 - <<'PY'
import re, sys
doc = open("docs/deployment.md").read().split("### The OpenTelemetry Collector in front", 1)[1]
block = re.search(r"```yaml\n(.*?)```", doc, re.S).group(1)
sys.exit(0 if block.startswith("exporters:") and block in open("deploy/otelcol/kafka-agent.yaml").read() else 1)
PY
if otelcol="$(OTELCOL_CACHED_ONLY=1 examples/otelcol/build.sh 2>/dev/null)"; then
  run "deploy/otelcol/kafka-agent.yaml passes otelcol validate" "$otelcol" validate --config deploy/otelcol/kafka-agent.yaml
else
  echo "skip deploy/otelcol/kafka-agent.yaml validate: the Collector of examples/otelcol is not built (examples/otelcol/build.sh)"
fi

# a suite prints one ok/FAIL line per check and, last, "N passed, M failed": add its counts
suite() {
  local out rc summary p f
  if out="$("$@")"; then rc=0; else rc=$?; fi
  echo "$out" | grep -v ' passed, .* failed$'
  summary="$(echo "$out" | tail -n 1)"
  if [[ "$summary" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then p=${BASH_REMATCH[1]}; f=${BASH_REMATCH[2]}; else p=0; f=1; fi
  passed=$((passed + p)); failed=$((failed + f))
  [ "$rc" = 0 ] || [ "$f" -gt 0 ] || failed=$((failed + 1))
}

# dashboards and rules: JSON, variables, datasources, metric names, runbooks (and live queries)
suite python3 dashboards/check.py

# the dashboards as Grafana draws them: Grafana's @grafana/data runs every panel's
# transformations on frames from a Prometheus holding fixed series (dashboards/paneltest)
suite dashboards/paneltest/run.sh

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
