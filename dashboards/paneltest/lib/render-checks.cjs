'use strict';
// What each panel needs from the frames Grafana hands it, checked against the fixed series'
// known values. The node graph part follows how Grafana's Node graph panel picks its frames
// and fields: frames whose refId is nodes/edges or that have an `id` field; a frame with a
// `source` field holds edges; fields are found by their real (lower-cased) name, never by
// their display name.

const { data } = require('./grafana-data.cjs');
const fixture = require('./fixture.cjs');

const N = data.NodeGraphDataFrameFieldNames;
const close = (a, b) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
const nodeId = (service, language) => `${service}/${language}`;

function lastValue(frame) {
  const f = frame.fields.find((x) => x.type === 'number');
  return f ? f.values[f.values.length - 1] : undefined;
}

/** Series with at least one number, as a timeseries panel draws them. */
function seriesOf(frames) {
  return frames.filter((f) => f.fields.some((x) => x.type === 'number' && x.values.some((v) => v != null && !Number.isNaN(v))));
}

function field(frame, name) {
  return frame.fields.find((f) => f.name.toLowerCase() === name);
}

function splitNodeGraph(frames) {
  const graph = frames.filter((f) => f.refId === 'nodes' || f.refId === 'edges' || f.name === 'nodes' || f.name === 'edges'
    || f.fields.some((x) => x.name === N.id));
  return {
    nodes: graph.filter((f) => !(f.name === 'edges' || f.fields.some((x) => x.name === N.source))),
    edges: graph.filter((f) => f.name === 'edges' || f.fields.some((x) => x.name === N.source)),
  };
}

/** Expected nodes (id -> calls/s in and out) and edges ("src->dst" -> calls/s) for a set of boundaries. */
function expectedGraph(boundaries) {
  const nodes = new Map();
  const edges = new Map();
  for (const b of boundaries) {
    const calls = Object.values(b.ops).reduce((a, x) => a + x, 0);
    const s = nodeId(b.caller, b.callerLang);
    const t = nodeId(b.callee, b.calleeLang);
    nodes.set(s, (nodes.get(s) ?? 0) + calls);
    nodes.set(t, (nodes.get(t) ?? 0) + calls);
    edges.set(`${s}->${t}`, (edges.get(`${s}->${t}`) ?? 0) + calls);
  }
  return { nodes, edges };
}

function nodeGraphChecks(label, result, boundaries, check) {
  const { nodes, edges } = splitNodeGraph(result.frames);
  check(`${label}: one nodes frame and one edges frame`, nodes.length === 1 && edges.length === 1,
    `nodes ${nodes.length}, edges ${edges.length}: ${result.frames.map((f) => `[${f.fields.map((x) => x.name).join(', ')}]`).join(' ')}`);
  if (nodes.length !== 1 || edges.length !== 1) return;
  const [nf, ef] = [nodes[0], edges[0]];
  const names = (f) => f.fields.map((x) => x.name).join(', ');
  const nodeFields = [N.id, N.title, N.mainStat].filter((n) => !field(nf, n));
  const edgeFields = [N.id, N.source, N.target, N.mainStat].filter((n) => !field(ef, n));
  check(`${label}: nodes frame has fields named id, title, mainstat`, nodeFields.length === 0, `missing ${nodeFields} in [${names(nf)}]`);
  check(`${label}: edges frame has fields named id, source, target, mainstat`, edgeFields.length === 0, `missing ${edgeFields} in [${names(ef)}]`);
  const want = expectedGraph(boundaries);
  const ids = field(nf, N.id)?.values ?? [];
  check(`${label}: exactly the ${want.nodes.size} (service, language) nodes`,
    ids.length === want.nodes.size && ids.every((id) => want.nodes.has(id)), `got [${ids.join(', ')}]`);
  const src = field(ef, N.source)?.values ?? [];
  const dst = field(ef, N.target)?.values ?? [];
  const dangling = src.map((s, i) => [s, dst[i]]).filter(([s, t]) => !ids.includes(s) || !ids.includes(t));
  check(`${label}: every edge's source and target is a node`, src.length > 0 && dangling.length === 0,
    dangling.map(([s, t]) => `${s}->${t}`).join(', '));
  const edgeIds = src.map((s, i) => `${s}->${dst[i]}`);
  check(`${label}: exactly the ${want.edges.size} caller -> callee edges`,
    edgeIds.length === want.edges.size && edgeIds.every((e) => want.edges.has(e)), `got [${edgeIds.join(', ')}]`);
  const nm = field(nf, N.mainStat);
  const em = field(ef, N.mainStat);
  if (nm && em) {
    const wrong = [
      ...ids.map((id, i) => [id, nm.values[i], want.nodes.get(id)]),
      ...edgeIds.map((id, i) => [id, em.values[i], want.edges.get(id)]),
    ].filter(([, got, exp]) => !close(got, exp)).map(([id, got, exp]) => `${id} ${got} (want ${exp})`);
    check(`${label}: mainstat is calls/s over the range (nodes: in + out, edges: per pair)`, wrong.length === 0, wrong.join('; '));
  }
  return { nodes: nf, edges: ef };
}

const LABEL_COLUMNS = ['caller_service', 'caller_language', 'callee_service', 'callee_language', 'transport'];

function tableChecks(label, result, boundaries, check) {
  const frames = result.frames;
  check(`${label}: one table frame`, frames.length === 1, `${frames.length} frames`);
  if (frames.length !== 1) return;
  const frame = frames[0];
  const display = frame.fields.map((f) => data.getFieldDisplayName(f, frame, frames));
  const col = (name) => frame.fields[display.indexOf(name)];
  const rows = frame.length ?? frame.fields[0]?.values.length ?? 0;
  const keys = [];
  for (let i = 0; i < rows; i++) keys.push(LABEL_COLUMNS.map((l) => col(l)?.values[i]).join('|'));
  const want = boundaries.map(fixture.boundaryKey);
  const extra = keys.filter((k) => !want.includes(k));
  const dup = keys.filter((k, i) => keys.indexOf(k) !== i);
  check(`${label}: exactly one row per boundary (${want.length})`,
    rows === want.length && extra.length === 0 && dup.length === 0 && want.every((k) => keys.includes(k)),
    `${rows} rows; columns [${display.join(', ')}]`);
  const empty = [];
  frame.fields.forEach((f, c) => f.values.forEach((v, r) => {
    if (v === '' || v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) empty.push(`${display[c]}@${r}`);
  }));
  check(`${label}: every cell filled`, rows > 0 && empty.length === 0, `${empty.length} empty: ${empty.slice(0, 8).join(', ')}`);
  const calls = col('Calls/s');
  const ratio = col('Error ratio');
  if (calls && ratio && rows === want.length) {
    const wrong = [];
    keys.forEach((k, i) => {
      const b = boundaries.find((x) => fixture.boundaryKey(x) === k);
      if (!b) return;
      const c = Object.values(b.ops).reduce((a, x) => a + x, 0);
      const e = fixture.ERRORS.filter(([cr, ce, tr]) => cr === b.caller && ce === b.callee && tr === b.transport)
        .reduce((a, x) => a + x[6], 0);
      if (!close(calls.values[i], c)) wrong.push(`${k} calls ${calls.values[i]} (want ${c})`);
      if (!close(ratio.values[i], e / c)) wrong.push(`${k} error ratio ${ratio.values[i]} (want ${e / c})`);
    });
    check(`${label}: Calls/s and Error ratio are the boundary's`, wrong.length === 0, wrong.join('; '));
  } else {
    check(`${label}: has Calls/s and Error ratio columns`, !!calls && !!ratio, `columns [${display.join(', ')}]`);
  }
  return { frame, display };
}

function heatmapCheck(label, result, check) {
  const rows = result.frames.filter((f) => f.meta?.type === 'heatmap-rows');
  const ok = rows.length >= 1 && rows.every((f) => {
    const les = f.fields.slice(1).map((x) => (x.name === '+Inf' ? Infinity : parseFloat(x.name)));
    return les.length >= 2 && les.every((v, i) => i === 0 || v > les[i - 1]) && les[les.length - 1] === Infinity;
  });
  check(`${label}: bucket rows, le ascending to +Inf`, ok, `${rows.length} heatmap frames`);
}

module.exports = { nodeGraphChecks, tableChecks, heatmapCheck, seriesOf, lastValue, close, splitNodeGraph };
