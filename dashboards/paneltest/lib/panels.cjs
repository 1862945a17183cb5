'use strict';
// Runs a dashboard the way Grafana does for one choice of its variables: resolves the variables
// against Prometheus, interpolates each panel's targets, queries, frames the results as the
// Prometheus datasource does and applies the panel's transformations with @grafana/data.

const frames = require('./frames.cjs');
const prom = require('./prometheus.cjs');
const { transform } = require('./grafana-data.cjs');
const { ALL, interpolate, applyRegex } = require('./variables.cjs');

// The panels are queried over the last hour; Grafana's interval is the datasource's scrape
// interval (15 s in the provisioning) at this range, and $__rate_interval is
// max($__interval + scrape interval, 4 x scrape interval).
const RANGE_S = 3600;
const SCRAPE_S = 15;
const INTERVAL_S = SCRAPE_S;
const RATE_INTERVAL_S = Math.max(INTERVAL_S + SCRAPE_S, 4 * SCRAPE_S);
const BUILTINS = {
  __interval: `${INTERVAL_S}s`, __interval_ms: String(INTERVAL_S * 1000), __rate_interval: `${RATE_INTERVAL_S}s`,
  __range: `${RANGE_S}s`, __range_s: String(RANGE_S), __range_ms: String(RANGE_S * 1000),
};

function allPanels(dashboard) {
  return (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
}

function metricText(metric, value) {
  const { __name__: name = '', ...rest } = metric;
  const labels = Object.entries(rest).map(([k, v]) => `${k}="${v}"`).join(', ');
  return `${name}{${labels}} ${value[1]} ${value[0] * 1000}`;
}

async function variableOptions(url, def, vars, nowS) {
  if (def.type === 'custom') {
    return def.query.split(',').map((o) => { const [t, v] = o.split(' : '); return (v ?? t).trim(); });
  }
  const q = interpolate(typeof def.query === 'string' ? def.query : def.query.query, vars, BUILTINS);
  let texts;
  let m;
  if ((m = /^\s*label_values\((.*),\s*(\w+)\s*\)\s*$/s.exec(q))) {
    const { body } = await prom.series(url, m[1], nowS - RANGE_S, nowS);
    if (body.status !== 'success') throw new Error(`variable ${def.name}: ${body.error}`);
    texts = [...new Set(body.data.map((s) => s[m[2]]).filter((v) => v !== undefined))];
  } else if ((m = /^\s*query_result\((.*)\)\s*$/s.exec(q))) {
    const { body } = await prom.instant(url, m[1], nowS);
    if (body.status !== 'success') throw new Error(`variable ${def.name}: ${body.error}`);
    texts = body.data.result.map((r) => metricText(r.metric, r.value));
  } else {
    throw new Error(`variable ${def.name}: query form not modelled: ${q}`);
  }
  const options = [...new Set(applyRegex(def, texts))];
  return def.sort === 1 ? options.sort() : options;
}

/**
 * Resolves the dashboard's variables for `selection` (name -> value, list or ALL; a variable not
 * named takes its default: All when it has one, else its current value). Returns the variable
 * map and, per variable, whether each chosen value is among the options Grafana would offer.
 */
async function resolveVariables(url, dashboard, selection, nowS) {
  const vars = {};
  const problems = [];
  for (const def of dashboard.templating.list) {
    if (def.type === 'datasource') continue;
    const options = await variableOptions(url, def, vars, nowS);
    let value = selection[def.name] ?? (def.includeAll ? ALL : def.current?.value);
    // a current value that is not among the options gives way to the first option, as in Grafana
    if (value === undefined || (value !== ALL && !def.multi && selection[def.name] === undefined && !options.includes(value))) {
      value = options[0];
      if (value === undefined) problems.push(`${def.name} has no options`);
    }
    if (value !== ALL && value !== undefined) {
      for (const v of [].concat(value)) if (!options.includes(v)) problems.push(`${def.name}=${v} not among [${options.join(', ')}]`);
    }
    vars[def.name] = { def, value, options };
  }
  return { vars, problems };
}

/** Queries one panel; returns {frames (after transformations), raw (before), errors, exprs}. */
async function runPanel(url, panel, vars, nowS) {
  const errors = [];
  const exprs = {};
  const backend = [];
  const stepS = INTERVAL_S;
  for (const t of panel.targets ?? []) {
    const expr = interpolate(t.expr, vars, BUILTINS);
    exprs[t.refId] = expr;
    try {
      const res = t.instant
        ? await prom.instant(url, expr, nowS)
        : await prom.range(url, expr, Math.floor((nowS - RANGE_S) / stepS) * stepS, Math.floor(nowS / stepS) * stepS, stepS);
      backend.push(...frames.backendFrames(t, res.body, stepS * 1000));
    } catch (e) {
      errors.push(`${t.refId}: ${e.message}`);
    }
  }
  const raw = frames.panelFrames(panel.targets ?? [], backend);
  let out = raw;
  if (panel.transformations?.length) {
    try {
      out = await transform(panel.transformations, raw);
    } catch (e) {
      errors.push(`transformations: ${e.message}`);
    }
  }
  return { frames: out, raw, errors, exprs };
}

/** Runs every panel of a dashboard for one selection; returns {problems, panels: Map(title -> result)}. */
async function runDashboard(url, dashboard, selection, nowS) {
  const { vars, problems } = await resolveVariables(url, dashboard, selection, nowS);
  const panels = new Map();
  for (const p of allPanels(dashboard)) {
    panels.set(p.title, { panel: p, ...(await runPanel(url, p, vars, nowS)) });
  }
  return { problems, panels, vars };
}

module.exports = { runDashboard, allPanels, RANGE_S, BUILTINS };
