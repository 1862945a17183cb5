'use strict';
// The dashboard panel test: Seam's dashboards rendered the way Grafana draws them.
//
//   node main.cjs [--root DIR] [--out DIR]
//
// --root: the tree holding dashboards/ and deploy/ (default: this repository), so the same
// checks can be pointed at another version of the files. --out: where the pictures and the
// Prometheus log go (default dashboards/paneltest/out). Prints one line per check and, last,
// `N passed, M failed`; exits 1 when a check failed.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { parseArgs } = require('node:util');

const HERE = __dirname;
const args = parseArgs({ options: { root: { type: 'string' }, out: { type: 'string' } } }).values;
const ROOT = path.resolve(args.root ?? path.join(HERE, '..', '..'));
const OUT = path.resolve(args.out ?? path.join(HERE, 'out'));
const GRAFANA = path.join(ROOT, 'dashboards', 'grafana');
const RULES = ['recording.rules.yml', 'alerts.rules.yml'].map((f) => path.join(ROOT, 'dashboards', 'prometheus', f));

const results = [];
function check(name, ok, detail = '') {
  results.push(!!ok);
  console.log((ok ? 'ok   ' : 'FAIL ') + name + (ok || !detail ? '' : ': ' + detail));
  return ok;
}

function licenseChecks() {
  const { audit } = require('./lib/licenses.cjs');
  const rows = audit(HERE);
  const bad = rows.filter((r) => !r[2]).map(([n, l]) => `${n} (${l})`);
  check(`npm packages (${rows.length}) are Apache-2.0 or compatible, none AGPL`, rows.length > 0 && bad.length === 0, bad.join(', '));
}

/** Strict decoding of every dashboard with the Grafana foundation SDK (Go). */
function schemaChecks(files) {
  let report;
  try {
    const out = execFileSync('go', ['run', '-mod=readonly', '.', ...files], { cwd: path.join(HERE, 'schema'),
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    report = JSON.parse(out);
  } catch (e) {
    check('foundation SDK strict decoding ran', false, (e.stderr || e.message).trim().split('\n').slice(-5).join(' | '));
    return;
  }
  for (const r of report) {
    check(`${path.basename(r.file)}: decodes strictly with grafana-foundation-sdk (no unknown, mistyped or missing keys)`,
      r.errors.length === 0, r.errors.slice(0, 12).join('; ') + (r.errors.length > 12 ? `; ... ${r.errors.length} in all` : ''));
  }
}

async function main() {
  const fixture = require('./lib/fixture.cjs');
  const prom = require('./lib/prometheus.cjs');
  const statics = require('./lib/static-checks.cjs');
  const { runDashboard } = require('./lib/panels.cjs');
  const rc = require('./lib/render-checks.cjs');
  const { ALL } = require('./lib/variables.cjs');
  const picture = require('./lib/picture.cjs');

  const files = ['seam-boundaries.json', 'seam-boundary-detail.json', 'seam-self.json', 'seam-ownership.json'].map((f) => path.join(GRAFANA, f));
  const [overview, detail, self, ownership] = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
  const grafanaData = require('@grafana/data/package.json').version;

  licenseChecks();
  schemaChecks(files);
  statics.provisioningChecks(ROOT, check);
  statics.composeChecks(ROOT, check, grafanaData);
  for (const [name, d] of [['seam-boundaries', overview], ['seam-boundary-detail', detail], ['seam-self', self], ['seam-ownership', ownership]]) {
    statics.variableChecks(name, d, check);
    statics.heatmapChecks(name, d, check);
  }
  statics.detailFilterChecks(detail, check);

  fs.mkdirSync(OUT, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'seam-paneltest-'));
  const startS = Math.floor(Date.now() / 1000);
  let server;
  try {
    server = await prom.start(work, fixture.openMetrics(startS), RULES);
    await prom.awaitRules(server.url);
    // one evaluation interval later, the latest rule results lie before the panels' query time
    await new Promise((r) => setTimeout(r, 1100));
    const nowS = Math.floor(Date.now() / 1000);
    await renderChecks(server.url, nowS);
  } finally {
    if (server) await server.stop();
    if (fs.existsSync(path.join(work, 'prometheus.log'))) fs.copyFileSync(path.join(work, 'prometheus.log'), path.join(OUT, 'prometheus.log'));
    fs.rmSync(work, { recursive: true, force: true });
  }

  async function renderChecks(url, nowS) {
    const ran = (label, run) => {
      check(`${label}: variables resolve to options Grafana offers`, run.problems.length === 0, run.problems.join('; '));
      const errs = [...run.panels].flatMap(([t, r]) => r.errors.map((e) => `${t} ${e}`));
      check(`${label}: every panel query and transformation runs`, errs.length === 0, errs.join('; '));
    };
    const timeseries = (label, run) => {
      for (const [title, r] of run.panels) {
        if (r.panel.type === 'timeseries') check(`${label} / ${title}: at least one series`, rc.seriesOf(r.frames).length > 0);
        if (r.panel.type === 'heatmap') rc.heatmapCheck(`${label} / ${title}`, r, check);
      }
    };

    // Boundaries overview: everything at its defaults (All), then cross-language only.
    const everything = fixture.BOUNDARIES;
    const crossOnly = everything.filter((b) => b.callerLang !== b.calleeLang);
    let drawn;
    for (const [cross, boundaries] of [['0', everything], ['1', crossOnly]]) {
      const label = `seam-boundaries (cross_language=${cross})`;
      const run = await runDashboard(url, overview, { cross_language: cross }, nowS);
      ran(label, run);
      const first = results.length;
      const table = rc.tableChecks(`${label} / Boundaries`, run.panels.get('Boundaries'), boundaries, check);
      const graph = rc.nodeGraphChecks(`${label} / Service graph`, run.panels.get('Service graph'), boundaries, check);
      if (table) {
        const names = new Set(table.frame.fields.map((f) => f.name));
        const links = (overview.panels.find((p) => p.title === 'Boundaries').fieldConfig.defaults.links ?? [])
          .flatMap((l) => [...l.url.matchAll(/__data\.fields\.(\w+)/g)].map((m) => m[1]));
        check(`${label} / Boundaries: the detail link's fields exist`, links.every((n) => names.has(n)), links.filter((n) => !names.has(n)).join(', '));
      }
      if (cross === '0') {
        timeseries(label, run);
        if (table && graph && results.slice(first).every(Boolean)) drawn = { ...graph, ...table, graphPanel: run.panels.get('Service graph').panel, tablePanel: run.panels.get('Boundaries').panel };
        memoryCheck(`${label} / Process memory of both sides`, run, (m) => [m.service, m.language, m.type].join('|'));
        const calls = rc.seriesOf(run.panels.get('Calls/s')?.frames ?? []).map((f) => [fixture.boundaryKey(boundaryOf(f.fields[1].labels)), rc.lastValue(f)]);
        const wrong = calls.filter(([k, v]) => !rc.close(v, callsOf(k))).map(([k, v]) => `${k}=${v} (want ${callsOf(k)})`);
        check(`${label} / Calls/s: one series per boundary (${boundaries.length}) at the fleet's rate`,
          calls.length === boundaries.length && wrong.length === 0, `${calls.length} series; ${wrong.join('; ')}`);
      }
      fleetCheck(label, run);
    }
    const file = path.join(OUT, 'seam-boundaries.svg');
    try {
      fs.rmSync(file, { force: true });
      if (!drawn) throw new Error('the Service graph or Boundaries checks failed');
      fs.writeFileSync(file, picture.overview({ ...drawn,
        caption: 'Drawn by dashboards/paneltest from its fixed series: the frames Grafana hands the panels, after their transformations.' }));
      check(`picture of the Service graph and Boundaries table: ${path.relative(process.cwd(), file)}`, true);
    } catch (e) {
      check('picture of the Service graph and Boundaries table', false, e.message);
    }

    // Boundary detail: one boundary whose callee name holds a regex metacharacter.
    const one = { caller_service: 'gateway', callee_service: 'pricing.v2', transport: 'http' };
    const cases = [
      [{ ...one, operation: ['GET /v2/price/{item}'] }, { calls: { 'GET /v2/price/{item}': 4 }, unpaired: { caller: 0.5, callee: 0.0625 }, skew: 0.002, errors: 0.02 }],
      [{ ...one, operation: ALL }, { calls: { 'GET /v2/price/{item}': 4, 'GET /v2/health': 0.5 }, unpaired: { caller: 0.625, callee: 0.0625 }, skew: 0.003, errors: 0.02 }],
    ];
    for (const [selection, want] of cases) {
      const label = `seam-boundary-detail (gateway -> pricing.v2 http, operation ${selection.operation === ALL ? 'All' : selection.operation})`;
      const run = await runDashboard(url, detail, selection, nowS);
      ran(label, run);
      timeseries(label, run);
      const got = (title) => rc.seriesOf(run.panels.get(title)?.frames ?? []);
      const calls = got('Calls/s by operation');
      const byOp = Object.fromEntries(calls.map((f) => [f.fields[1].labels.operation, rc.lastValue(f)]));
      check(`${label} / Calls/s by operation: exactly this boundary's operations and rates`,
        calls.length === Object.keys(want.calls).length && Object.entries(want.calls).every(([op, v]) => rc.close(byOp[op] ?? NaN, v)),
        JSON.stringify(byOp));
      const errs = got('Errors/s by side');
      check(`${label} / Errors/s by side: this boundary's callee errors only`,
        errs.length === 1 && rc.close(rc.lastValue(errs[0]), want.errors), errs.map((f) => `${JSON.stringify(f.fields[1].labels)}=${rc.lastValue(f)}`).join(', '));
      const unpaired = got('Unpaired halves/s by side and reason');
      const sum = (ref) => unpaired.filter((f) => f.refId === ref).reduce((a, f) => a + rc.lastValue(f), 0);
      check(`${label} / Unpaired halves/s: only this transport and operation (caller ${want.unpaired.caller}, callee ${want.unpaired.callee})`,
        rc.close(sum('caller'), want.unpaired.caller) && rc.close(sum('callee'), want.unpaired.callee), `caller ${sum('caller')}, callee ${sum('callee')}`);
      const skew = got('Clock skew (callee ahead of caller)');
      check(`${label} / Clock skew: this boundary's operations only`, skew.length === 1 && rc.close(rc.lastValue(skew[0]), want.skew),
        skew.map((f) => rc.lastValue(f)).join(', '));
      const memory = got('Process memory of both sides');
      const services = [...new Set(memory.map((f) => `${f.refId}:${f.fields[1].labels.service}`))].sort();
      check(`${label} / Process memory of both sides: the caller's and the callee's processes only`,
        JSON.stringify(services) === JSON.stringify(['callee:pricing.v2', 'caller:gateway']), services.join(', '));
      memoryCheck(`${label} / Process memory of both sides`, run, (m) => [m.service, m.language, m.type, m.service_instance].join('|'));
      fleetCheck(label, run);
    }

    // Seam itself: every panel at its defaults.
    const run = await runDashboard(url, self, {}, nowS);
    ran('seam-self', run);
    timeseries('seam-self', run);
    kafkaChecks(run);

    // Ownership: every team, then one team of each kind (owning callees, owning a silent boundary).
    const { matrixChecks } = require('./lib/ownership-checks.cjs');
    for (const team of [null, 'pricing', 'books']) {
      const label = `seam-ownership (team ${team ?? 'All'})`;
      const owned = await runDashboard(url, ownership, team === null ? {} : { team: [team] }, nowS);
      ran(label, owned);
      if (team === null) timeseries(label, owned);
      matrixChecks(`${label} / Boundary matrix`, owned.panels.get('Boundary matrix'), team, check);
    }

    // The end-to-end suite's live query check, on the same series: it must keep accepting the dashboards.
    try {
      execFileSync('python3', [path.join(ROOT, 'dashboards', 'check.py')], { encoding: 'utf8',
        env: { ...process.env, PROMETHEUS_URL: url, REQUIRE_DATA: '1', REQUIRE_KAFKA: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      check('dashboards/check.py with PROMETHEUS_URL, REQUIRE_DATA=1 (as the end-to-end suite runs it) and REQUIRE_KAFKA=1 passes here', true);
    } catch (e) {
      const fails = String(e.stdout ?? '').split('\n').filter((l) => l.startsWith('FAIL'));
      check('dashboards/check.py with PROMETHEUS_URL, REQUIRE_DATA=1 (as the end-to-end suite runs it) and REQUIRE_KAFKA=1 passes here', false,
        fails.slice(0, 5).join(' | ') || String(e.message));
    }
  }

  function boundaryOf(l) {
    return { caller: l.caller_service, callerLang: l.caller_language, callee: l.callee_service, calleeLang: l.callee_language, transport: l.transport };
  }

  function callsOf(key) {
    const b = fixture.BOUNDARIES.find((x) => fixture.boundaryKey(x) === key);
    return b ? Object.values(b.ops).reduce((a, x) => a + x, 0) : NaN;
  }

  /** No panel of a boundary dashboard keeps a label that tells the Seam instances of a fleet apart. */
  function fleetCheck(label, run) {
    const targetLabels = ['job', 'instance', 'pod'];
    const bad = [];
    for (const [title, r] of run.panels) {
      for (const f of r.frames) {
        for (const x of f.fields) {
          const kept = targetLabels.filter((l) => x.name === l || (x.labels && l in x.labels));
          if (kept.length) bad.push(`${title}: ${kept.join(', ')}`);
        }
      }
    }
    check(`${label}: no panel keeps the labels of one Seam instance (${targetLabels.join(', ')}): the fleet adds up`,
      bad.length === 0, [...new Set(bad)].join('; '));
  }

  /**
   * A memory panel's series against the fixture: `key` names a series by its labels; each value
   * is the sum of the fixture's processes under that key, counted once although both Seam
   * instances report every process.
   */
  function memoryCheck(label, run, key) {
    const want = new Map();
    for (const [service, language, inst, runtime, resident] of fixture.MEMORY) {
      for (const [type, v] of [['runtime', runtime], ['resident', resident]]) {
        if (!v) continue;
        const k = key({ service, language, type, service_instance: inst });
        want.set(k, (want.get(k) ?? 0) + v);
      }
    }
    const got = rc.seriesOf(run.panels.get('Process memory of both sides')?.frames ?? [])
      .map((f) => [key(f.fields[1].labels), rc.lastValue(f)]);
    const wrong = got.filter(([k, v]) => !want.has(k) || !rc.close(v, want.get(k))).map(([k, v]) => `${k}=${v} (want ${want.get(k)})`);
    check(`${label}: each process counted once, not once per Seam instance`, got.length > 0 && wrong.length === 0, wrong.join('; '));
  }

  /** The Kafka row: a partition's lag once (its owner's figure), the partitions each instance owns. */
  function kafkaChecks(run) {
    const lag = rc.seriesOf(run.panels.get('Consumer lag by partition')?.frames ?? [])
      .map((f) => [`${f.fields[1].labels.topic}/${f.fields[1].labels.partition}`, rc.lastValue(f)]);
    const want = Object.entries(fixture.TOPICS).flatMap(([t, n]) => [...Array(n).keys()].map((p) => [`${t}/${p}`, fixture.LAG(t, p)]));
    const wantMap = new Map(want);
    const wrong = lag.filter(([k, v]) => !rc.close(v, wantMap.get(k) ?? NaN)).map(([k, v]) => `${k}=${v} (want ${wantMap.get(k)})`);
    check(`seam-self / Consumer lag by partition: one series per partition (${want.length}) at its owner's lag, a handed-over partition once`,
      lag.length === want.length && wrong.length === 0, `${lag.length} series; ${wrong.join('; ')}`);
    const owned = rc.seriesOf(run.panels.get('Partitions owned per instance')?.frames ?? [])
      .map((f) => `${f.fields[1].labels.instance} ${f.fields[1].labels.topic}=${rc.lastValue(f)}`).sort();
    const wantOwned = fixture.INSTANCES.flatMap((inst, i) => Object.entries(fixture.TOPICS).map(([t, n]) =>
      `${inst.instance} ${t}=${[...Array(n).keys()].filter((p) => fixture.owner(t, p) === i).length}`)).sort();
    check('seam-self / Partitions owned per instance: one series per instance and topic, the partitions it owns',
      JSON.stringify(owned) === JSON.stringify(wantOwned), owned.join(', '));
  }

  const passed = results.filter(Boolean).length;
  console.log(`${passed} passed, ${results.length - passed} failed`);
  return results.length - passed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => {
  console.log(`FAIL panel test could not run: ${e.stack || e}`);
  const passed = results.filter(Boolean).length;
  console.log(`${passed} passed, ${results.length - passed + 1} failed`);
  process.exit(1);
});
