'use strict';
// Checks that need no data: datasource provisioning (exemplar links), the compose trial's
// Grafana, and how the dashboards' queries use their variables.

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { references } = require('./variables.cjs');
const { allPanels } = require('./panels.cjs');

const PROVISIONING = ['dashboards/grafana/provisioning/datasources/prometheus.yaml', 'deploy/compose/grafana-datasource.yaml'];
const COMPOSE = 'deploy/compose/docker-compose.yml';
// Seam's duration histograms carry their exemplars' trace id under this label (docs/metrics.md).
const EXEMPLAR_LABEL = 'trace_id';

/**
 * The links Grafana's Prometheus datasource puts on an exemplar's trace id for one destination:
 * an internal link when `datasourceUid` names a datasource Grafana knows (none when it does
 * not), a plain link when `url` is set.
 */
function exemplarLinks(dest, datasources) {
  const links = [];
  const ds = dest.datasourceUid && datasources.find((d) => d.uid === dest.datasourceUid);
  if (ds) links.push({ title: dest.urlDisplayLabel || `Query with ${ds.name}`, datasourceUid: ds.uid, type: ds.type });
  if (dest.url) links.push({ title: dest.urlDisplayLabel || `Go to ${dest.url}`, url: dest.url });
  return links;
}

function provisioningChecks(root, check) {
  for (const rel of PROVISIONING) {
    const file = path.join(root, rel);
    const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
    const datasources = doc.datasources ?? [];
    const proms = datasources.filter((d) => d.type === 'prometheus');
    const dests = proms.flatMap((d) => d.jsonData?.exemplarTraceIdDestinations ?? []);
    const dead = dests.filter((d) => exemplarLinks(d, datasources).length === 0)
      .map((d) => `${d.name} (datasourceUid ${d.datasourceUid ?? 'unset'}, url ${d.url ?? 'unset'})`);
    check(`${rel}: every exemplar destination links to a trace (a datasourceUid provisioned here, or a url)`,
      proms.length > 0 && dests.length > 0 && dead.length === 0, dests.length ? dead.join('; ') : 'no exemplarTraceIdDestinations');
    check(`${rel}: exemplar destinations read Seam's exemplar label ${EXEMPLAR_LABEL}`,
      dests.length > 0 && dests.every((d) => d.name === EXEMPLAR_LABEL), dests.map((d) => d.name).join(', '));
    if (rel.startsWith('dashboards/')) {
      const types = dests.flatMap((d) => exemplarLinks(d, datasources)).map((l) => l.type);
      check(`${rel}: exemplar links for both Tempo and Jaeger`, types.includes('tempo') && types.includes('jaeger'), types.join(', '));
    }
  }
}

function composeChecks(root, check, grafanaDataVersion) {
  const compose = YAML.parse(fs.readFileSync(path.join(root, COMPOSE), 'utf8'));
  const image = compose.services?.grafana?.image ?? '';
  const tag = image.split(':')[1] ?? '';
  const major = Number(tag.split('.')[0]);
  check(`${COMPOSE}: Grafana ${tag} is 11 or later (the dashboards use 11/12 features)`, major >= 11, image);
  check(`${COMPOSE}: Grafana ${tag} is the version the panel test renders with (@grafana/data ${grafanaDataVersion})`,
    tag === grafanaDataVersion, image);
  const ds = YAML.parse(fs.readFileSync(path.join(root, PROVISIONING[1]), 'utf8')).datasources ?? [];
  const hosts = ds.map((d) => new URL(d.url).hostname);
  const missing = hosts.filter((h) => !(h in (compose.services ?? {})));
  check(`${COMPOSE}: every provisioned datasource's host is a compose service`, missing.length === 0, missing.join(', '));
}

/** Every PromQL expression of a dashboard: [where, expr]. */
function expressions(dashboard) {
  const out = [];
  for (const p of allPanels(dashboard)) for (const t of p.targets ?? []) out.push([`${p.title} ${t.refId}`, t.expr, t]);
  for (const v of dashboard.templating.list) if (v.type === 'query') out.push([`variable ${v.name}`, v.query]);
  return out;
}

const MATCHER = /(\w+)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|`[^`]*`)/g;

function variableChecks(name, dashboard, check) {
  const defs = Object.fromEntries(dashboard.templating.list.map((v) => [v.name, v]));
  const bad = [];
  for (const [where, expr] of expressions(dashboard)) {
    for (const m of expr.matchAll(MATCHER)) {
      if (m[2] !== '=~' && m[2] !== '!~') continue;
      for (const r of references(m[3])) {
        const d = defs[r.name];
        if (d && !d.multi && !d.includeAll && r.format !== 'regex') bad.push(`${where}: ${m[0]}`);
      }
    }
  }
  const unique = [...new Set(bad)];
  check(`${name}: a single-value variable is never matched as an unescaped regex (use = or \${var:regex})`,
    bad.length === 0, `${unique.length} matchers, e.g. ${unique.slice(0, 4).join('; ')}`);
}

// Labels the boundary detail's variables select; each boundary series has all of them.
const DETAIL_FILTERS = { caller_service: 'caller_service', callee_service: 'callee_service', transport: 'transport',
  operation: 'operation', caller_language: 'language', callee_language: 'language' };

/**
 * Every seam_boundary_* selector of the detail dashboard filters on each detail variable
 * (language on either side: the caller's or the callee's, as its queries do). A side="callee"
 * unpaired half has no caller by definition, so its caller labels are exempt.
 */
function detailFilterChecks(dashboard, check) {
  const bad = [];
  for (const [where, expr, target] of expressions(dashboard)) {
    if (!target) continue;
    for (const m of expr.matchAll(/(seam_boundary_\w+)\{([^}]*)\}/g)) {
      const matchers = Object.fromEntries([...m[2].matchAll(MATCHER)].map((x) => [x[1], x[3]]));
      const calleeHalf = /^"callee"$/.test(matchers.side ?? '');
      const needed = ['caller_service', 'callee_service', 'transport', 'operation'].filter((l) => !(calleeHalf && l === 'caller_service'));
      const missing = needed.filter((l) => !references(matchers[l] ?? '').some((r) => r.name === DETAIL_FILTERS[l]));
      const lang = ['caller_language', 'callee_language'].some((l) => references(matchers[l] ?? '').some((r) => r.name === 'language'));
      if (missing.length || !lang) bad.push(`${where}: ${m[1]} ignores ${[...missing.map((l) => '$' + DETAIL_FILTERS[l]), ...(lang ? [] : ['$language'])].join(', ')}`);
    }
  }
  check('seam-boundary-detail: every boundary query filters on $caller_service, $callee_service, $transport, $operation and $language',
    bad.length === 0, [...new Set(bad)].join('; '));
}

function heatmapChecks(name, dashboard, check) {
  const bad = allPanels(dashboard).filter((p) => p.type === 'heatmap')
    .filter((p) => !p.options?.tooltip?.mode || 'show' in (p.options?.tooltip ?? {})).map((p) => p.title);
  check(`${name}: heatmap tooltips use tooltip.mode (not the old tooltip.show)`, bad.length === 0, bad.join(', '));
}

module.exports = { provisioningChecks, composeChecks, variableChecks, detailFilterChecks, heatmapChecks, exemplarLinks };
