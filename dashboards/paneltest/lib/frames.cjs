'use strict';
// Prometheus HTTP API responses -> the data frames a panel receives, following what Grafana's
// Prometheus datasource does (written from reading it, not copied): its backend makes one frame
// per series (Time and Value fields, the series labels on Value, the value field named after
// `__name__` with the dataplane format, the legend as displayNameFromDS), then its frontend
// turns the frames of `format: table` targets into one table frame per refId (Time, one column
// per label, `Value` or `Value #<refId>` when the panel has several table queries) and the
// frames of `format: heatmap` targets into one row-per-bucket frame per series group.

const { data } = require('./grafana-data.cjs');

const { FieldType } = data;

function legendName(legendFormat, labels, expr) {
  const names = Object.keys(labels).filter((k) => k !== '__name__').sort();
  if (legendFormat === '__auto') {
    return Object.keys(labels).length > 0 ? '' : expr;
  }
  if (legendFormat) {
    return legendFormat.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, l) => labels[l] ?? '');
  }
  const body = names.map((k) => `${k}=${JSON.stringify(labels[k])}`).join(', ');
  const name = labels.__name__ ?? '';
  return names.length === 0 ? (name || expr) : `${name}{${body}}`;
}

/** The backend's frames for one target's response body. */
function backendFrames(target, body, stepMs) {
  if (body.status !== 'success') throw new Error(`${target.refId}: ${body.errorType}: ${body.error}`);
  const { resultType, result } = body.data;
  if (resultType !== 'vector' && resultType !== 'matrix') throw new Error(`${target.refId}: unexpected ${resultType}`);
  const frames = result.map((s) => {
    const points = resultType === 'vector' ? [s.value] : s.values;
    const labels = { ...s.metric };
    const display = legendName(target.legendFormat, labels, target.expr);
    const value = {
      name: labels.__name__ ?? 'Value', type: FieldType.number, labels,
      config: display ? { displayNameFromDS: display } : {}, values: points.map((p) => Number(p[1])),
    };
    const time = { name: 'Time', type: FieldType.time, config: { interval: stepMs }, values: points.map((p) => p[0] * 1000) };
    return { refId: target.refId, fields: [time, value], length: points.length,
      meta: { type: resultType === 'vector' ? 'numeric-multi' : 'timeseries-multi', typeVersion: [0, 1],
        custom: { resultType } } };
  });
  // an empty result still gives the panel one frame to hang metadata on
  return frames.length ? frames : [{ refId: target.refId, fields: [], length: 0, meta: {} }];
}

function toTables(frames) {
  if (frames.length === 0 || (frames.length === 1 && frames[0].length === 0)) return frames;
  const byRef = new Map();
  for (const f of frames) {
    if (!byRef.has(f.refId)) byRef.set(f.refId, []);
    byRef.get(f.refId).push(f);
  }
  return [...byRef].map(([refId, list]) => {
    const labelNames = [];
    for (const f of list) {
      for (const l of Object.keys(f.fields[1]?.labels ?? {}).sort()) if (!labelNames.includes(l)) labelNames.push(l);
    }
    const time = { name: 'Time', type: FieldType.time, config: {}, values: [] };
    const value = { name: byRef.size > 1 ? `Value #${refId}` : 'Value', type: FieldType.number, config: {}, values: [] };
    const labelFields = labelNames.map((name) => ({ name, type: FieldType.string, config: { filterable: true }, values: [] }));
    for (const f of list) {
      if (f.fields.length < 2) continue;
      time.values.push(...f.fields[0].values);
      for (const v of f.fields[1].values) {
        value.values.push(v);
        labelFields.forEach((lf) => lf.values.push(f.fields[1].labels?.[lf.name] ?? ''));
      }
    }
    return { refId, fields: [time, ...labelFields, value], length: time.values.length,
      meta: { ...list[0].meta, preferredVisualisationType: 'rawPrometheus' } };
  });
}

/** A Prometheus sample value as a number, "+Inf" and "-Inf" included. */
function sampleValue(s) {
  return /^[+-]?inf(inity)?$/i.test(s) ? (s[0] === '-' ? -Infinity : Infinity) : parseFloat(s);
}

function toHeatmapRows(frames) {
  const groups = new Map();
  for (const f of frames) {
    const v = f.fields[1];
    if (!v) continue;
    const { le, ...rest } = v.labels ?? {};
    const key = f.refId + '\u0000' + Object.values(rest).join(',');
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push({ ...f, name: le, fields: [f.fields[0], { ...v, config: { ...v.config, displayNameFromDS: le } }] });
  }
  const out = [];
  for (const list of groups.values()) {
    list.sort((a, b) => sampleValue(a.name) - sampleValue(b.name));
    const counts = list.map((f) => [...f.fields[1].values]);
    for (let i = counts.length - 1; i > 0; i--) {
      counts[i] = counts[i].map((v, j) => { const d = v - (counts[i - 1][j] || 0); return d < 1e-9 ? 0 : d; });
    }
    out.push({ ...list[0], name: undefined, meta: { ...list[0].meta, type: 'heatmap-rows' },
      fields: [list[0].fields[0], ...list.map((f, i) => ({ ...f.fields[1], name: f.name, values: counts[i] }))] });
  }
  return out;
}

/** The frontend step: what the panel gets from all of its targets' backend frames. */
function panelFrames(targets, frames) {
  const format = (f) => targets.find((t) => t.refId === f.refId)?.format;
  const tables = toTables(frames.filter((f) => format(f) === 'table'));
  const heatmaps = toHeatmapRows(frames.filter((f) => format(f) === 'heatmap'));
  const graphs = frames.filter((f) => format(f) !== 'table' && format(f) !== 'heatmap')
    .map((f) => ({ ...f, meta: { ...f.meta, preferredVisualisationType: 'graph' } }));
  return [...graphs, ...tables, ...heatmaps];
}

module.exports = { backendFrames, panelFrames, legendName };
