'use strict';
// Loads @grafana/data (Apache-2.0) in Node. The package is built for browsers: a few of its
// modules (and react-use, which it imports) touch window, document, history and localStorage
// while loading, so minimal stand-ins are installed first. Nothing here renders.

const element = () => ({ style: {}, sheet: { insertRule() {}, cssRules: [] }, appendChild() {}, setAttribute() {},
  addEventListener() {} });
const memory = new Map();
const browser = {
  window: globalThis,
  addEventListener() {},
  removeEventListener() {},
  localStorage: { getItem: (k) => memory.get(k) ?? null, setItem: (k, v) => memory.set(k, String(v)),
    removeItem: (k) => memory.delete(k) },
  document: { head: element(), body: element(), documentElement: element(), createElement: element,
    createTextNode: element, addEventListener() {}, querySelector: () => null, getElementsByTagName: () => [element()] },
  history: { pushState() {}, replaceState() {}, state: null },
  location: { href: 'http://localhost/', pathname: '/', search: '', hash: '', origin: 'http://localhost' },
  navigator: { userAgent: 'node', language: 'en-US', languages: ['en-US'] },
  matchMedia: () => ({ matches: false, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {} }),
};
for (const [k, v] of Object.entries(browser)) {
  if (globalThis[k] === undefined) globalThis[k] = v;
}

// i18next (loaded by @grafana/data) advertises itself on the console; keep the test's output clean.
const info = console.info;
const log = console.log;
const quiet = (write) => (...a) => (typeof a[0] === 'string' && a[0].includes('i18next') ? undefined : write(...a));
console.info = quiet(info);
console.log = quiet(log);

const data = require('@grafana/data');

// Grafana's app registers the transformers @grafana/data ships; the test does the same (one
// transformer is exported under two names, so each id is registered once).
data.standardTransformersRegistry.setInit(() =>
  [...new Map(Object.values(data.standardTransformers).map((t) => [t.id, t])).values()].map((t) => ({
    id: t.id, aliasIds: t.aliasIds, name: t.name, description: t.description, transformation: t })));

/** Runs a panel's transformations on frames, as the panel query runner does; resolves to frames. */
function transform(transformations, frames) {
  const ctx = { interpolate: (v) => v };
  return new Promise((resolve, reject) => {
    let last = frames;
    data.transformDataFrame(transformations, frames, ctx).subscribe({
      next: (v) => { last = v; },
      error: reject,
      complete: () => resolve(last),
    });
  });
}

module.exports = { data, transform };
