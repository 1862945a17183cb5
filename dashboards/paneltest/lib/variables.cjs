'use strict';
// Dashboard variables as Grafana 11/12 resolves and interpolates them for a Prometheus
// datasource (written from reading Grafana's template service and Prometheus datasource):
//   - `$v`, `${v}`, `[[v]]` with no format go through the datasource: a variable that is neither
//     multi-value nor include-All gets only backslashes and single quotes escaped (its value is
//     NOT regex-escaped), the others get regex metacharacters escaped with a doubled backslash
//     (fit for a "..." PromQL string) and several values are joined as (a|b);
//   - `${v:regex}` escapes with one backslash, `${v:pipe}` joins with |, `${v:raw}` inserts as is;
//   - "All" with an allValue inserts the allValue as is;
//   - $__interval, $__rate_interval and $__range are the datasource's built-ins.

const ALL = '$__all';
const REF = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g;

const datasourceRegularEscape = (s) => s.replace(/\\/g, '\\\\').replace(/'/g, "\\\\'");
const datasourceRegexEscape = (s) => s.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]+?.()|]/g, '\\\\$&');
const regexEscape = (s) => s.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');

function joinEscaped(values, escape) {
  const e = values.map(escape);
  return e.length === 1 ? e[0] : '(' + e.join('|') + ')';
}

/**
 * Replaces every variable in `text`. `vars` maps a name to {def, value, options}: def is the
 * dashboard's variable, value a string, a list, or '$__all', options the values All stands for.
 * `builtins` maps $__interval and friends to their text.
 */
function interpolate(text, vars, builtins) {
  return text.replace(REF, (match, n1, n2, f2, n3, f3) => {
    const name = n1 || n2 || n3;
    const fmt = f2 || f3;
    if (name in builtins) return builtins[name];
    const v = vars[name];
    if (!v) return match;
    let value = v.value;
    if (value === ALL || (Array.isArray(value) && value.length === 1 && value[0] === ALL)) {
      if (v.def.allValue && !['text', 'percentencode', 'queryparam'].includes(fmt)) return v.def.allValue;
      value = v.options;
    }
    switch (fmt) {
      case undefined:
        if (!v.def.multi && !v.def.includeAll) {
          return datasourceRegularEscape(Array.isArray(value) ? value.join(',') : value);
        }
        return joinEscaped([].concat(value), datasourceRegexEscape);
      case 'regex':
        return typeof value === 'string' ? regexEscape(value) : joinEscaped(value, regexEscape);
      case 'pipe':
        return [].concat(value).join('|');
      case 'raw':
        return [].concat(value).join(',');
      default:
        throw new Error(`variable format ${fmt} is not modelled by the panel test`);
    }
  });
}

/** Names of the variables `text` refers to (built-ins excluded), with the format each uses. */
function references(text) {
  const out = [];
  for (const m of text.matchAll(REF)) {
    const name = m[1] || m[2] || m[4];
    if (!name.startsWith('__')) out.push({ name, format: m[3] || m[5], index: m.index, text: m[0] });
  }
  return out;
}

/** Applies a query variable's regex to the option texts, as Grafana does (first group wins). */
function applyRegex(def, texts) {
  if (!def.regex) return texts;
  const m = /^\/(.*)\/([gimsuy]*)$/.exec(def.regex);
  const re = m ? new RegExp(m[1], m[2]) : new RegExp(def.regex);
  const out = [];
  for (const t of texts) {
    const r = re.exec(t);
    if (!r) continue;
    out.push(r.length > 1 ? r[1] : r[0]);
  }
  return out;
}

module.exports = { ALL, interpolate, references, applyRegex };
