'use strict';
// The fixed series the panel test runs on: every metric the dashboards query, for a small mesh
// of Go and Rust services, written as OpenMetrics for `promtool tsdb create-blocks-from
// openmetrics`. Counters grow linearly, so every rate Prometheus computes is one of the numbers
// below, and the checks can name exact values.
//
// Two callees, `pricing.v2` and `pricing-v2`, differ only where an unescaped `.` matches `-`:
// a detail panel that matches `pricing.v2` as a regex shows the other boundary's series too.
//
// Seam runs as a fleet of two instances (docs/deployment.md#scale-out), as Prometheus scrapes
// them from Kubernetes: each boundary's traffic is split 3:1 between them, under the same
// boundary labels, told apart only by `instance` and `pod`. Every number the checks name is the
// fleet's total, so a panel that averages the instances, or keeps one series per instance where
// it should add them up, fails. Both instances report the services' process memory (a fleet's
// instances may each have received a process's metrics): a panel must count a process once.

const STEP_S = 30;
const SPAN_S = 75 * 60; // a little more than the 1 h range the panels are queried over
// Samples continue this long past the test's start, so whenever a query runs, the newest sample
// it can see is at most one step old and every rate over two steps is exact.
const AHEAD_S = 10 * 60;
const JOB = 'seam';
// share: the part of every boundary's traffic (and of Seam's own counters) the instance sees
const INSTANCES = [
  { instance: '10.0.0.1:9464', pod: 'seam-fleet-0', share: 0.75 },
  { instance: '10.0.0.2:9464', pod: 'seam-fleet-1', share: 0.25 },
];

// calls/s per operation; lat = callee median (s), ovh = overhead median (s)
const BOUNDARIES = [
  { caller: 'checkout', callerLang: 'rust', callee: 'gateway', calleeLang: 'go', transport: 'grpc',
    ops: { 'gateway.v1.Gateway/Checkout': 2 }, lat: 0.04, ovh: 0.0008 },
  { caller: 'gateway', callerLang: 'go', callee: 'pricing', calleeLang: 'rust', transport: 'http',
    ops: { 'GET /price/{item}': 12, 'GET /quote/{item}': 3 }, lat: 0.006, ovh: 0.0006 },
  { caller: 'gateway', callerLang: 'go', callee: 'pricing', calleeLang: 'rust', transport: 'grpc',
    ops: { 'pricing.v1.Pricing/Quote': 6 }, lat: 0.004, ovh: 0.0004 },
  { caller: 'gateway', callerLang: 'go', callee: 'pricing', calleeLang: 'rust', transport: 'ffi',
    ops: { 'pricing_ffi::price': 20 }, lat: 0.0003, ovh: 0.000004 },
  { caller: 'gateway', callerLang: 'go', callee: 'pricing.v2', calleeLang: 'rust', transport: 'http',
    ops: { 'GET /v2/price/{item}': 4, 'GET /v2/health': 0.5 }, lat: 0.008, ovh: 0.0007 },
  { caller: 'gateway', callerLang: 'go', callee: 'pricing-v2', calleeLang: 'go', transport: 'http',
    ops: { 'GET /legacy/price': 1 }, lat: 0.02, ovh: 0.001 },
];

// errors/s by [caller, callee, transport, operation, error_side, error_class]
const ERRORS = [
  ['gateway', 'pricing', 'http', 'GET /price/{item}', 'caller', 'deadline_exceeded', 0.06],
  ['gateway', 'pricing', 'http', 'GET /price/{item}', 'callee', 'internal', 0.03],
  ['gateway', 'pricing', 'grpc', 'pricing.v1.Pricing/Quote', 'both', 'unavailable', 0.012],
  ['gateway', 'pricing.v2', 'http', 'GET /v2/price/{item}', 'callee', 'not_found', 0.02],
];

// unpaired halves/s: [side, reason, caller, callerLang, callee, calleeLang, transport, operation, rate]
const UNPAIRED = [
  ['caller', 'callee_missing', 'gateway', 'go', 'pricing.v2', 'unknown', 'http', 'GET /v2/price/{item}', 0.5],
  ['caller', 'callee_missing', 'gateway', 'go', 'pricing.v2', 'unknown', 'http', 'GET /v2/health', 0.125],
  ['caller', 'callee_missing', 'gateway', 'go', 'pricing.v2', 'unknown', 'grpc', 'pricing.v2.Pricing/Quote', 0.25],
  ['caller', 'callee_missing', 'gateway', 'go', 'pricing-v2', 'unknown', 'http', 'GET /legacy/price', 2],
  ['callee', 'caller_missing', 'unknown', 'unknown', 'pricing.v2', 'rust', 'http', 'GET /v2/price/{item}', 0.0625],
  ['callee', 'caller_missing', 'unknown', 'unknown', 'pricing.v2', 'rust', 'grpc', 'pricing.v2.Pricing/Quote', 0.03125],
  ['caller', 'callee_missing', 'gateway', 'go', 'pricing', 'unknown', 'http', 'GET /price/{item}', 0.01],
];

// smoothed clock skew (s) per remote boundary operation; ffi boundaries have none
const SKEW = {
  'gateway.v1.Gateway/Checkout': -0.003,
  'GET /price/{item}': 0.0015, 'GET /quote/{item}': 0.0015, 'pricing.v1.Pricing/Quote': 0.0012,
  'GET /v2/price/{item}': 0.002, 'GET /v2/health': 0.004, 'GET /legacy/price': 0.0001,
};

// The Kafka consumer group: partitions of each topic and their owner (index into INSTANCES), the
// lag (records) each owner reports; the second instance also still reports partition 0 of
// otlp_spans, which it handed over to the first, with an older, smaller figure.
const TOPICS = { otlp_spans: 4, otlp_logs: 4, otlp_metrics: 2 };
const owner = (topic, partition) => (partition < TOPICS[topic] / 2 ? 0 : 1);
const LAG = (topic, partition) => 100 * (partition + 1) + (topic === 'otlp_spans' ? 1000 : 0);
const STALE_LAG = { instance: 1, topic: 'otlp_spans', partition: 0, lag: 40 };
// records/s consumed per topic and outcome (split by owner share), produced per topic and outcome
const KAFKA_RECORDS = [['otlp_spans', 'processed', 80], ['otlp_spans', 'undecodable', 0.05], ['otlp_spans', 'replayed', 0.5],
  ['otlp_logs', 'processed', 20], ['otlp_metrics', 'processed', 4]];
const KAFKA_PRODUCED = [['otlp_spans', 'acked', 80], ['otlp_spans', 'failed', 0.1], ['otlp_logs', 'acked', 20]];
const EVENT_TIME_LAG = [4.5, 6];

const MEMORY = [ // [service, language, instance, runtime bytes, resident bytes]
  ['checkout', 'rust', 'checkout-1', 0, 48e6],
  ['gateway', 'go', 'gateway-1', 22e6, 90e6],
  ['gateway', 'go', 'gateway-2', 20e6, 86e6],
  ['pricing', 'rust', 'pricing-1', 0, 64e6],
  ['pricing.v2', 'rust', 'pricing-v2-eu', 0, 40e6],
  ['pricing-v2', 'go', 'legacy-1', 12e6, 50e6],
];

// Boundary contracts (docs/contracts.md): owners by service, and per boundary [caller, callee,
// transport]: declared, budgets, interface calls/s by [interface, status], sunsets (s from the
// test's start). gateway -> ledger is declared and silent; two boundaries are undeclared.
const OWNERS = { checkout: ['shop', '#shop'], gateway: ['edge', '#edge-oncall'], pricing: ['pricing', 'pagerduty:pricing'],
  'pricing.v2': ['pricing', 'pagerduty:pricing'], 'pricing-v2': ['legacy', 'unknown'], ledger: ['books', '#books'] };
const CONTRACTS = [
  { caller: 'checkout', callee: 'gateway', transport: 'grpc', declared: 0, budgets: {},
    interfaces: [['gateway.v1', 'unknown', 2]] },
  { caller: 'gateway', callee: 'pricing', transport: 'http', declared: 1,
    budgets: { caller_p99_seconds: 0.05, overhead_p99_seconds: 0.002, error_ratio: 0.01 },
    interfaces: [['unknown', 'unknown', 15]] },
  { caller: 'gateway', callee: 'pricing', transport: 'grpc', declared: 1,
    budgets: { caller_p99_seconds: 0.25, callee_p99_seconds: 0.1, error_ratio: 0.001 },
    interfaces: [['pricing.v1', 'deprecated', 6]], sunsets: { 'pricing.v1': 20 * 86400 } },
  { caller: 'gateway', callee: 'pricing', transport: 'ffi', declared: 1,
    budgets: { allocated_bytes_per_call_p99: 16384, callee_memory_bytes: 50e6 },
    interfaces: [['v2', 'current', 18], ['v1', 'sunset', 2]], sunsets: { v1: -86400 } },
  { caller: 'gateway', callee: 'pricing.v2', transport: 'http', declared: 1, budgets: { caller_p99_seconds: 1 },
    interfaces: [['v2', 'current', 4.5]] },
  { caller: 'gateway', callee: 'pricing-v2', transport: 'http', declared: 0, budgets: {},
    interfaces: [['unknown', 'unknown', 1]] },
  { caller: 'gateway', callee: 'ledger', transport: 'grpc', declared: 1, budgets: { error_ratio: 0.001 }, interfaces: [] },
];

// Seam's default buckets, `le` as Java prints doubles (docs/metrics.md).
const DURATION_LE = ['1.0E-4', '2.5E-4', '5.0E-4', '0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1',
  '0.25', '0.5', '1.0', '2.5', '5.0', '10.0', '30.0'];
const OVERHEAD_LE = ['1.0E-6', '2.5E-6', '5.0E-6', '1.0E-5', '2.5E-5', '5.0E-5', '1.0E-4', '2.5E-4', '5.0E-4',
  '0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1.0'];
const BYTES_LE = ['64.0', '256.0', '1024.0', '4096.0', '16384.0', '65536.0', '262144.0', '1048576.0', '4194304.0',
  '1.6777216E7'];

/** Share of observations at or below `le` for a log-logistic distribution with median m. */
function cdf(le, m) {
  return 1 / (1 + Math.pow(m / le, 4));
}

function boundaryLabels(b, op) {
  return { caller_service: b.caller, caller_language: b.callerLang, callee_service: b.callee,
    callee_language: b.calleeLang, transport: b.transport, operation: op };
}

function boundaryKey(b) {
  return [b.caller, b.callerLang, b.callee, b.calleeLang, b.transport].join('|');
}

/** Every series, as {family, type, name, labels, value(t)} with t in seconds since the series began. */
function series() {
  const out = [];
  // one series of the named instance, or (i undefined) one per instance with its share of `value`
  const add = (family, type, name, labels, value, i, split = true) => {
    for (const [n, inst] of INSTANCES.entries()) {
      if (i !== undefined && i !== n) continue;
      const share = i === undefined && split ? inst.share : 1;
      out.push({ family, type, name, labels: { ...labels, job: JOB, instance: inst.instance, pod: inst.pod },
        value: (t) => share * value(t) });
    }
  };
  const counter = (family, labels, rate, i) => add(family, 'counter', family + '_total', labels, (t) => rate * t, i);
  // a gauge every instance reports with the same value, or the named instance alone
  const gauge = (family, labels, v, i) => add(family, 'gauge', family, labels, () => v, i, false);
  const histogram = (family, labels, rate, les, median) => {
    for (const le of [...les, '+Inf']) {
      const share = le === '+Inf' ? 1 : cdf(Number(le), median);
      add(family, 'histogram', family + '_bucket', { ...labels, le }, (t) => rate * t * share);
    }
    add(family, 'histogram', family + '_count', labels, (t) => rate * t);
    add(family, 'histogram', family + '_sum', labels, (t) => rate * t * median);
  };

  for (const b of BOUNDARIES) {
    for (const [op, rate] of Object.entries(b.ops)) {
      const l = boundaryLabels(b, op);
      counter('seam_boundary_calls', l, rate);
      histogram('seam_boundary_callee_duration_seconds', l, rate, DURATION_LE, b.lat);
      histogram('seam_boundary_caller_duration_seconds', l, rate, DURATION_LE, b.lat + b.ovh);
      histogram('seam_boundary_overhead_seconds', l, rate, OVERHEAD_LE, b.ovh);
      histogram('seam_boundary_request_bytes', l, rate, BYTES_LE, 600);
      histogram('seam_boundary_response_bytes', l, rate, BYTES_LE, 3000);
      histogram('seam_boundary_callee_allocated_bytes', l, rate, BYTES_LE, 20000);
      counter('seam_boundary_negative_overhead', l, rate / 1000);
      counter('seam_boundary_context_broken', l, rate / 500);
      counter('seam_boundary_error_logs', { ...l, side: 'caller' }, rate / 200);
      counter('seam_boundary_error_logs', { ...l, side: 'callee' }, rate / 400);
      if (b.transport !== 'ffi') gauge('seam_boundary_clock_skew_seconds', l, SKEW[op]);
    }
  }
  for (const [caller, callee, transport, op, side, cls, rate] of ERRORS) {
    const b = BOUNDARIES.find((x) => x.caller === caller && x.callee === callee && x.transport === transport);
    counter('seam_boundary_errors', { ...boundaryLabels(b, op), error_side: side, error_class: cls }, rate);
  }
  for (const [side, reason, caller, callerLang, callee, calleeLang, transport, op, rate] of UNPAIRED) {
    counter('seam_boundary_unpaired', { caller_service: caller, caller_language: callerLang, callee_service: callee,
      callee_language: calleeLang, transport, operation: op, side, reason }, rate);
  }
  for (const [service, language, inst, runtime, resident] of MEMORY) {
    if (runtime) gauge('seam_process_memory_bytes', { service, language, service_instance: inst, type: 'runtime' }, runtime);
    gauge('seam_process_memory_bytes', { service, language, service_instance: inst, type: 'resident' }, resident);
  }

  for (const c of CONTRACTS) {
    const b = { caller_service: c.caller, callee_service: c.callee, transport: c.transport };
    const [co, ce] = OWNERS[c.caller];
    const [eo, ee] = OWNERS[c.callee];
    gauge('seam_boundary_owner_info', { ...b, caller_owner: co, caller_escalation: ce, callee_owner: eo, callee_escalation: ee }, 1);
    gauge('seam_boundary_declared', b, c.declared);
    for (const [budget, v] of Object.entries(c.budgets)) gauge('seam_boundary_budget', { ...b, budget }, v);
    for (const [iface, status, rate] of c.interfaces) counter('seam_boundary_interface_calls', { ...b, interface: iface, status }, rate);
    for (const [iface, at] of Object.entries(c.sunsets ?? {})) {
      add('seam_boundary_interface_sunset_timestamp_seconds', 'gauge', 'seam_boundary_interface_sunset_timestamp_seconds',
        { ...b, interface: iface }, () => SUNSET_BASE_S + at);
    }
  }
  counter('seam_contracts_reload', { outcome: 'loaded' }, 0.001);
  counter('seam_contracts_reload', { outcome: 'invalid' }, 0);
  gauge('seam_contracts_last_reload_successful', {}, 1);
  add('seam_contracts_loaded_timestamp_seconds', 'gauge', 'seam_contracts_loaded_timestamp_seconds', {}, () => SUNSET_BASE_S - 600);

  // Seam itself
  for (const [signal, protocol, rate] of [['spans', 'grpc', 120], ['spans', 'http', 60], ['logs', 'http', 30], ['metrics', 'grpc', 10]]) {
    counter('seam_received_items', { signal, protocol }, rate);
  }
  for (const [signal, rate] of [['spans', 179.5], ['logs', 30], ['metrics', 10]]) counter('seam_processed_items', { signal }, rate);
  counter('seam_dropped_items', { signal: 'spans', reason: 'internal_error' }, 0.5);
  counter('seam_refused_items', { signal: 'spans', reason: 'invalid' }, 0.2);
  counter('seam_refused_requests', { signal: 'spans', protocol: 'http', reason: 'overloaded' }, 0.1);
  counter('seam_refused_requests', { signal: 'logs', protocol: 'http', reason: 'malformed' }, 0.05);
  gauge('seam_pipeline_inflight_bytes', {}, 2.5e6);
  counter('seam_cardinality_overflow', { reason: 'max_boundaries' }, 0.01);
  gauge('seam_pairing_pending', {}, 4200);
  gauge('seam_pairing_capacity', {}, 3000000);
  for (const [outcome, rate] of [['paired', 170], ['expired', 4], ['evicted', 0.1]]) {
    counter('seam_pairing_entries', { outcome }, rate);
  }
  for (const [signal, outcome, rate] of [['spans', 'sent', 180], ['logs', 'sent', 30], ['spans', 'dropped', 0.3]]) {
    counter('seam_forwarded_items', { signal, outcome }, rate);
  }
  counter('seam_forward_retries', { signal: 'spans' }, 0.02);
  gauge('seam_forward_queue_items', {}, 1200);
  for (const [id, used, committed, max] of [['G1 Eden Space', 120e6, 200e6, -1], ['G1 Old Gen', 300e6, 400e6, 1024e6]]) {
    gauge('jvm_memory_used_bytes', { area: 'heap', id }, used);
    gauge('jvm_memory_committed_bytes', { area: 'heap', id }, committed);
    gauge('jvm_memory_max_bytes', { area: 'heap', id }, max);
  }
  const gc = { action: 'end of minor GC', cause: 'G1 Evacuation Pause', gc: 'G1 Young Generation' };
  add('jvm_gc_pause_seconds', 'summary', 'jvm_gc_pause_seconds_count', gc, (t) => 0.5 * t);
  add('jvm_gc_pause_seconds', 'summary', 'jvm_gc_pause_seconds_sum', gc, (t) => 0.004 * t);
  gauge('jvm_gc_pause_seconds_max', gc, 0.012);
  gauge('process_cpu_usage', {}, 0.18);
  gauge('system_cpu_usage', {}, 0.42);
  gauge('jvm_threads_live_threads', {}, 38);
  add('process_uptime_seconds', 'gauge', 'process_uptime_seconds', {}, (t) => t, undefined, false);
  add('up', 'gauge', 'up', {}, () => 1, undefined, false);

  // the Kafka consumer group
  for (const [topic, partitions] of Object.entries(TOPICS)) {
    for (let p = 0; p < partitions; p++) {
      gauge('seam_kafka_consumer_lag_records', { topic, partition: String(p) }, LAG(topic, p), owner(topic, p));
    }
    for (const i of INSTANCES.keys()) {
      const owned = [...Array(partitions).keys()].filter((p) => owner(topic, p) === i).length;
      gauge('seam_kafka_partitions_assigned', { topic }, owned, i);
    }
  }
  gauge('seam_kafka_consumer_lag_records', { topic: STALE_LAG.topic, partition: String(STALE_LAG.partition) }, STALE_LAG.lag, STALE_LAG.instance);
  for (const [topic, outcome, rate] of KAFKA_RECORDS) counter('seam_kafka_records', { topic, outcome }, rate);
  for (const [topic, outcome, rate] of KAFKA_PRODUCED) counter('seam_kafka_produced_records', { topic, outcome }, rate);
  for (const change of ['assigned', 'revoked']) counter('seam_kafka_rebalances', { change }, 1 / 600);
  counter('seam_kafka_rebalances', { change: 'lost' }, 1 / 3600, 1);
  counter('seam_kafka_handed_over_halves', {}, 2);
  counter('seam_kafka_replayed_pairs', {}, 0.5);
  EVENT_TIME_LAG.forEach((v, i) => gauge('seam_kafka_event_time_lag_seconds', {}, v, i));
  counter('seam_received_items', { signal: 'spans', protocol: 'kafka' }, 40);
  return out;
}

function escapeLabel(v) {
  return String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function fmtNumber(v) {
  return Number.isInteger(v) ? String(v) : v.toPrecision(15).replace(/\.?0+$/, '').replace(/\.?0+e/, 'e');
}

/**
 * OpenMetrics text of every series, samples every STEP_S seconds from SPAN_S seconds before
 * `nowS` (unix seconds) to AHEAD_S after it. Counters start at one hour's worth so none is near
 * zero.
 */
function openMetrics(nowS) {
  const all = series();
  const families = new Map();
  for (const s of all) {
    if (!families.has(s.family)) families.set(s.family, { type: s.type, list: [] });
    families.get(s.family).list.push(s);
  }
  const lines = [];
  const start = nowS - SPAN_S;
  for (const [family, { type, list }] of families) {
    lines.push(`# TYPE ${family} ${type}`);
    for (let ts = start; ts <= nowS + AHEAD_S; ts += STEP_S) {
      const t = 3600 + (ts - start);
      for (const s of list) {
        const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
        lines.push(`${s.name}{${labels}} ${fmtNumber(s.value(t))} ${ts}`);
      }
    }
  }
  lines.push('# EOF');
  return lines.join('\n') + '\n';
}

// Sunset timestamps are relative to when the test module was loaded (the test's start, give or take).
const SUNSET_BASE_S = Math.floor(Date.now() / 1000);

module.exports = { OWNERS, CONTRACTS, SUNSET_BASE_S, BOUNDARIES, ERRORS, UNPAIRED, SKEW, MEMORY, INSTANCES, TOPICS, LAG, STALE_LAG, owner, STEP_S, SPAN_S,
  boundaryKey, openMetrics, series };
