'use strict';
// Every npm package the panel test installs must be Apache-2.0 or compatible with it (MIT, BSD,
// ISC and other permissive licences, or public domain). Grafana's server and its AGPL packages
// (@grafana/prometheus, ...) must never be among them.

const fs = require('node:fs');
const path = require('node:path');

const ALLOWED = new Set(['Apache-2.0', 'MIT', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'Zlib', 'BlueOak-1.0.0',
  'CC0-1.0', 'Unlicense', 'Python-2.0']);
// Packages whose package.json names no licence: the licence their LICENSE file carries.
const LICENSE_FILE = { 'fast-shallow-equal': 'Unlicense', 'react-universal-interface': 'Unlicense' };
const UNLICENSE_TEXT = 'This is free and unencumbered software released into the public domain.';

/** true when an SPDX expression is satisfied by allowed licences (OR: one side, AND: both). */
function allowed(expr) {
  const e = expr.replace(/^\((.*)\)$/, '$1').trim();
  if (/ OR /.test(e)) return e.split(/ OR /).some((x) => allowed(x));
  if (/ AND /.test(e)) return e.split(/ AND /).every((x) => allowed(x));
  return ALLOWED.has(e);
}

/** [package path, licence, ok] for every package in package-lock.json. */
function audit(dir) {
  const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
  const out = [];
  for (const [p, meta] of Object.entries(lock.packages)) {
    if (!p) continue;
    const name = p.replace(/^.*node_modules\//, '');
    let license = meta.license;
    let ok = !!license && allowed(license);
    if (!license && LICENSE_FILE[name]) {
      const file = path.join(dir, p, 'LICENSE');
      license = LICENSE_FILE[name] + ' (LICENSE file)';
      ok = fs.existsSync(file) && fs.readFileSync(file, 'utf8').startsWith(UNLICENSE_TEXT);
    }
    if (name === '@grafana/prometheus' || /AGPL|GPL/.test(license ?? '')) ok = false;
    out.push([name, license ?? 'none', ok]);
  }
  return out;
}

module.exports = { audit };
