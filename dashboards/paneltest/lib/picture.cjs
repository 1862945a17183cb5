'use strict';
// An SVG of the Boundaries overview's "Service graph" and "Boundaries" table as the panel test
// rendered them: the node graph from the frames the Node graph panel reads (mainstat written as
// that panel writes it: two decimals and the unit id), the table from the transformed frame with
// the panel's units, decimals and colours applied through @grafana/data's value formatters.
// Layout is simple (callers left, callees right); Grafana's own layout differs, the content not.

const { data } = require('./grafana-data.cjs');

const BG = '#111217';
const PANEL = '#181b1f';
const TEXT = '#ccccdc';
const MUTED = '#8e8e8e';
const BORDER = '#2f3136';
const FONT = 'font-family="Inter, Helvetica, Arial, sans-serif"';
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const field = (frame, name) => frame.fields.find((f) => f.name.toLowerCase() === name);

function stat(value, unit) {
  return Number.isFinite(value) ? value.toFixed(2) + (unit ? ' ' + unit : '') : '';
}

/** Node graph SVG fragment at (x, y) of width w; returns {svg, height}. */
function nodeGraph(nodes, edges, options, x0, y0, w) {
  const ids = field(nodes, 'id').values;
  const at = (name, i) => field(nodes, name)?.values[i];
  const src = field(edges, 'source').values;
  const dst = field(edges, 'target').values;
  const depth = Object.fromEntries(ids.map((id) => [id, 0]));
  for (let pass = 0; pass < ids.length; pass++) {
    src.forEach((s, i) => { if (depth[dst[i]] < depth[s] + 1) depth[dst[i]] = depth[s] + 1; });
  }
  const columns = [];
  ids.forEach((id) => { (columns[depth[id]] ??= []).push(id); });
  columns.forEach((c) => c.sort());
  const rowH = 120;
  const height = 40 + Math.max(...columns.map((c) => c.length)) * rowH;
  const pos = {};
  columns.forEach((c, ci) => c.forEach((id, ri) => {
    pos[id] = { x: x0 + (w / (columns.length + 1)) * (ci + 1), y: y0 + 30 + (height - 40) / c.length * (ri + 0.5) };
  }));
  const r = 34;
  let svg = '';
  src.forEach((s, i) => {
    const a = pos[s];
    const b = pos[dst[i]];
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    const ux = (b.x - a.x) / len;
    const uy = (b.y - a.y) / len;
    const [x1, y1, x2, y2] = [a.x + ux * (r + 4), a.y + uy * (r + 4), b.x - ux * (r + 8), b.y - uy * (r + 8)];
    svg += `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${MUTED}" stroke-width="1.5" marker-end="url(#arrow)"/>`;
    const label = stat(field(edges, 'mainstat')?.values[i], options?.edges?.mainStatUnit);
    svg += `<text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 6}" fill="${TEXT}" font-size="11" text-anchor="middle" ${FONT}>${esc(label)}</text>`;
  });
  ids.forEach((id, i) => {
    const { x, y } = pos[id];
    const color = at('color', i) || MUTED;
    svg += `<circle cx="${x}" cy="${y}" r="${r}" fill="${PANEL}" stroke="${esc(color)}" stroke-width="4"/>`;
    svg += `<text x="${x}" y="${y + 4}" fill="${TEXT}" font-size="10" text-anchor="middle" ${FONT}>${esc(stat(at('mainstat', i), options?.nodes?.mainStatUnit))}</text>`;
    svg += `<text x="${x}" y="${y + r + 16}" fill="${TEXT}" font-size="12" text-anchor="middle" ${FONT}>${esc(at('title', i) ?? id)}</text>`;
    svg += `<text x="${x}" y="${y + r + 30}" fill="${MUTED}" font-size="11" text-anchor="middle" ${FONT}>${esc(at('subtitle', i) ?? '')}</text>`;
  });
  return { svg, height };
}

function overrideProps(panel, name) {
  const props = {};
  for (const o of panel.fieldConfig?.overrides ?? []) {
    if (o.matcher.id === 'byName' && o.matcher.options === name) for (const p of o.properties) props[p.id] = p.value;
  }
  return props;
}

function cellColor(props, value) {
  const steps = props.thresholds?.steps;
  if (!steps || props['custom.cellOptions']?.type !== 'color-text') return TEXT;
  let color = steps[0].color;
  for (const s of steps) if (s.value !== null && value >= s.value) color = s.color;
  return { green: '#73bf69', orange: '#ff9830', red: '#f2495c' }[color] ?? color;
}

/** Table SVG fragment; returns {svg, height, width}. */
function table(panel, frame, display, x0, y0) {
  const rows = frame.fields[0]?.values.length ?? 0;
  const sort = panel.options?.sortBy?.[0];
  const order = [...Array(rows).keys()];
  if (sort) {
    const f = frame.fields[display.indexOf(sort.displayName)];
    if (f) order.sort((a, b) => (sort.desc ? -1 : 1) * (f.values[a] - f.values[b]));
  }
  const cells = frame.fields.map((f, c) => {
    const props = overrideProps(panel, display[c]);
    return order.map((r) => {
      const v = f.values[r];
      if (typeof v !== 'number') return { text: String(v), color: TEXT };
      const fmt = data.getValueFormat(props.unit ?? panel.fieldConfig?.defaults?.unit ?? 'none');
      return { text: data.formattedValueToString(fmt(v, props.decimals)), color: cellColor(props, v) };
    });
  });
  const widths = frame.fields.map((f, c) => 18 + 7.4 * Math.max(display[c].length, ...cells[c].map((x) => x.text.length)));
  const rowH = 26;
  let svg = '';
  let x = x0;
  frame.fields.forEach((f, c) => {
    svg += `<text x="${x + 8}" y="${y0 + 17}" fill="#6e9fff" font-size="12" font-weight="600" ${FONT}>${esc(display[c])}</text>`;
    cells[c].forEach((cell, r) => {
      svg += `<text x="${x + 8}" y="${y0 + rowH * (r + 1) + 17}" fill="${cell.color}" font-size="12" ${FONT}>${esc(cell.text)}</text>`;
    });
    x += widths[c];
  });
  for (let r = 0; r <= rows; r++) {
    svg += `<line x1="${x0}" y1="${y0 + rowH * (r + 1)}" x2="${x}" y2="${y0 + rowH * (r + 1)}" stroke="${BORDER}"/>`;
  }
  return { svg, height: rowH * (rows + 1) + 4, width: x - x0 };
}

/** The whole picture: title, node graph panel, table panel. */
function overview({ graphPanel, nodes, edges, tablePanel, frame, display, caption }) {
  const pad = 16;
  const width = Math.max(900, table(tablePanel, frame, display, 0, 0).width + 2 * pad + 16);
  const g = nodeGraph(nodes, edges, graphPanel.options, pad, 70, width - 2 * pad);
  const tableTop = 70 + g.height + 50;
  const tb = table(tablePanel, frame, display, pad + 8, tableTop + 8);
  const height = tableTop + tb.height + 40;
  const box = (y, h, title) => `<rect x="${pad}" y="${y}" width="${width - 2 * pad}" height="${h}" rx="4" fill="${PANEL}" stroke="${BORDER}"/>`
    + `<text x="${pad + 10}" y="${y + 20}" fill="${TEXT}" font-size="13" font-weight="600" ${FONT}>${esc(title)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`
    + `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">`
    + `<path d="M0,0 L10,5 L0,10 z" fill="${MUTED}"/></marker></defs>`
    + `<rect width="${width}" height="${height}" fill="${BG}"/>`
    + `<text x="${pad}" y="26" fill="${TEXT}" font-size="15" font-weight="600" ${FONT}>Seam / Boundaries</text>`
    + `<text x="${pad}" y="44" fill="${MUTED}" font-size="11" ${FONT}>${esc(caption)}</text>`
    + box(52, g.height + 30, graphPanel.title) + g.svg
    + box(tableTop - 22, tb.height + 40, tablePanel.title) + tb.svg
    + '</svg>\n';
}

module.exports = { overview };
