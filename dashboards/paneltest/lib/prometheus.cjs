'use strict';
// A real Prometheus on a free loopback port, holding the fixed series (backfilled with promtool)
// and evaluating Seam's recording and alerting rules, plus the few HTTP API calls Grafana's
// Prometheus datasource makes.

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function get(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(30000) });
  return { status: res.status, body: await res.json() };
}

/** Backfills `openMetricsText` into `dir`, starts Prometheus there with `ruleFiles`; returns {url, stop}. */
async function start(dir, openMetricsText, ruleFiles) {
  fs.mkdirSync(dir, { recursive: true });
  const input = path.join(dir, 'series.om');
  const data = path.join(dir, 'data');
  fs.writeFileSync(input, openMetricsText);
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', input, data], { stdio: ['ignore', 'ignore', 'pipe'] });
  fs.rmSync(input);
  const config = path.join(dir, 'prometheus.yml');
  // The backfilled blocks reach past now; rule results land inside their time range, which
  // Prometheus accepts only as out-of-order samples.
  fs.writeFileSync(config, `global:\n  evaluation_interval: 1s\nstorage:\n  tsdb:\n    out_of_order_time_window: 1h\n`
    + `rule_files:\n${ruleFiles.map((f) => `  - ${f}\n`).join('')}`);
  const port = await freePort();
  const log = fs.openSync(path.join(dir, 'prometheus.log'), 'w');
  const proc = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${data}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', log, log] });
  let exited = null;
  proc.on('exit', (code) => { exited = code; });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => new Promise((resolve) => {
    if (exited !== null) return resolve();
    proc.on('exit', () => resolve());
    proc.kill('SIGTERM');
  });
  const deadline = Date.now() + 60000;
  for (;;) {
    if (exited !== null) throw new Error(`prometheus exited (${exited}); see ${path.join(dir, 'prometheus.log')}`);
    try {
      if ((await fetch(url + '/-/ready')).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { await stop(); throw new Error('prometheus did not become ready in 60 s'); }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop };
}

/** Waits until every recording rule has been evaluated at least once. */
async function awaitRules(url, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await get(url + '/api/v1/rules?type=record');
    const rules = body.data.groups.flatMap((g) => g.rules);
    if (rules.length > 0 && rules.every((r) => r.lastEvaluation && !r.lastEvaluation.startsWith('0001'))) return rules.length;
    if (Date.now() > deadline) throw new Error('recording rules were not evaluated in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function instant(url, expr, timeS) {
  const q = new URLSearchParams({ query: expr, time: String(timeS) });
  return get(`${url}/api/v1/query?${q}`);
}

async function range(url, expr, startS, endS, stepS) {
  const q = new URLSearchParams({ query: expr, start: String(startS), end: String(endS), step: String(stepS) });
  return get(`${url}/api/v1/query_range?${q}`);
}

async function series(url, match, startS, endS) {
  const q = new URLSearchParams({ 'match[]': match, start: String(startS), end: String(endS) });
  return get(`${url}/api/v1/series?${q}`);
}

module.exports = { start, awaitRules, instant, range, series };
