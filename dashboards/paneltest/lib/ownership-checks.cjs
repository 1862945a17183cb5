'use strict';
// The Ownership dashboard's Boundary matrix, checked against the fixed contract series
// (fixture.CONTRACTS): one row per boundary the team owns a side of, undeclared boundaries
// first, each side's owner and escalation, the worst interface status, and budgets as shares.

const { data } = require('./grafana-data.cjs');
const fixture = require('./fixture.cjs');
const { close } = require('./render-checks.cjs');

const STATUS = { current: 1, unknown: 2, deprecated: 3, sunset: 4 };

/** What a matrix row must hold, from the fixture alone. */
function expectedRow(c) {
  const calls = (b) => Object.values(b.ops).reduce((a, x) => a + x, 0);
  const b = fixture.BOUNDARIES.find((x) => x.caller === c.caller && x.callee === c.callee && x.transport === c.transport);
  const errors = fixture.ERRORS.filter(([cr, ce, tr]) => cr === c.caller && ce === c.callee && tr === c.transport).reduce((a, x) => a + x[6], 0);
  const memory = Math.max(...fixture.MEMORY.filter(([s]) => s === c.callee).map((m) => Math.max(m[3], m[4])), -Infinity);
  return {
    key: `${c.caller}|${c.callee}|${c.transport}`,
    owners: [fixture.OWNERS[c.caller][0], fixture.OWNERS[c.callee][0], fixture.OWNERS[c.caller][1], fixture.OWNERS[c.callee][1]],
    declared: c.declared,
    status: c.interfaces.length ? Math.max(...c.interfaces.map(([, s]) => STATUS[s])) : null,
    errors: b && c.budgets.error_ratio ? errors / calls(b) / c.budgets.error_ratio : null,
    memory: c.budgets.callee_memory_bytes ? memory / c.budgets.callee_memory_bytes : null,
  };
}

function matrixChecks(label, result, team, check) {
  const frames = result.frames;
  check(`${label}: one table frame`, frames.length === 1, `${frames.length} frames`);
  if (frames.length !== 1) return;
  const frame = frames[0];
  const display = frame.fields.map((f) => data.getFieldDisplayName(f, frame, frames));
  const col = (name) => frame.fields[display.indexOf(name)];
  const rows = frame.fields[0]?.values.length ?? 0;
  const cell = (name, i) => { const v = col(name)?.values[i]; return v === undefined || v === '' || Number.isNaN(v) ? null : v; };
  const want = fixture.CONTRACTS.filter((c) => team === null
    || [fixture.OWNERS[c.caller][0], fixture.OWNERS[c.callee][0]].includes(team)).map(expectedRow);
  const keys = [];
  for (let i = 0; i < rows; i++) keys.push(['caller_service', 'callee_service', 'transport'].map((l) => cell(l, i)).join('|'));
  check(`${label}: exactly one row per boundary (${want.length})`,
    rows === want.length && want.every((w) => keys.includes(w.key)) && new Set(keys).size === rows, `rows [${keys.join(', ')}]; columns [${display.join(', ')}]`);
  const undeclared = want.filter((w) => w.declared === 0).length;
  const contract = keys.map((k, i) => cell('Contract', i));
  check(`${label}: undeclared boundaries first (${undeclared})`,
    contract.slice(0, undeclared).every((v) => v === 0) && contract.slice(undeclared).every((v) => v === 1), contract.join(', '));
  const wrong = [];
  keys.forEach((k, i) => {
    const w = want.find((x) => x.key === k);
    if (!w) return;
    const owners = ['caller_owner', 'callee_owner', 'caller_escalation', 'callee_escalation'].map((n) => cell(n, i));
    if (owners.join('|') !== w.owners.join('|')) wrong.push(`${k} owners ${owners.join(', ')} (want ${w.owners.join(', ')})`);
    if (cell('Interface', i) !== w.status) wrong.push(`${k} interface ${cell('Interface', i)} (want ${w.status})`);
    const e = cell('Error ratio 1h / budget', i);
    if (w.errors === null ? e !== null : !close(e ?? NaN, w.errors)) wrong.push(`${k} error ratio / budget ${e} (want ${w.errors})`);
    const m = cell('Callee memory / budget', i);
    if (w.memory === null ? m !== null : !close(m ?? NaN, w.memory)) wrong.push(`${k} memory / budget ${m} (want ${w.memory})`);
    if (w.declared === 0 && ['Caller p99 / budget', 'Overhead p99 / budget'].some((n) => cell(n, i) !== null)) wrong.push(`${k} has budgets but is undeclared`);
  });
  check(`${label}: owners, escalations, interface status and budget shares are each boundary's`, wrong.length === 0, wrong.join('; '));
  // Overrides apply when Grafana draws the table: they must name columns the frame has.
  const overrides = result.panel.fieldConfig.overrides.filter((o) => o.matcher.id === 'byName');
  const stale = overrides.map((o) => o.matcher.options).filter((n) => !display.includes(n));
  check(`${label}: every override names a column`, stale.length === 0, stale.join(', '));
  const mapped = ['Contract', 'Interface'].filter((n) => !overrides.some((o) => o.matcher.options === n
    && o.properties.some((p) => p.id === 'mappings' && p.value.length)));
  check(`${label}: Contract and Interface show words (value mappings)`, mapped.length === 0, `no mappings on ${mapped.join(', ')}`);
}

module.exports = { matrixChecks };
