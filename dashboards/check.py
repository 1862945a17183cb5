#!/usr/bin/env python3
"""Static (and optionally live) checks of Seam's dashboards and rules. Stdlib only.

Called by dashboards/test.sh. Prints one line per check and a final `N passed, M failed`.
PROMETHEUS_URL=http://host:9090: every panel and variable query is also run there.
REQUIRE_DATA=1 (with PROMETHEUS_URL): the boundary panels in REQUIRED must return series.
REQUIRE_KAFKA=1 (with PROMETHEUS_URL): the Kafka panels in REQUIRED_KAFKA must return series too;
  only where Seam consumes from Kafka (they are empty otherwise, so REQUIRE_DATA alone skips them).
"""
import glob, json, os, re, sys, urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRAFANA = os.path.join(ROOT, "dashboards", "grafana")
RULES = [os.path.join(ROOT, "dashboards", "prometheus", f) for f in ("recording.rules.yml", "alerts.rules.yml")]
RUNBOOK_BASE = "https://github.com/seam-dev/seam/blob/main/docs/runbooks.md#"

# Panels that must show data in a Prometheus holding real boundary traffic (REQUIRE_DATA=1).
REQUIRED = {
    "seam-boundaries": ["Boundaries", "Service graph", "Calls/s", "Caller p99", "Callee p99", "Process memory of both sides"],
    "seam-boundary-detail": ["Calls/s by operation", "Caller duration heatmap", "Callee duration heatmap",
                             "Caller duration quantiles", "Callee duration quantiles"],
    "seam-self": ["Received items/s", "Processed items/s", "Pairing outcomes/s", "JVM heap", "Scrape health (up)"],
    "seam-ownership": ["Boundary matrix", "Calls/s by interface status", "Deprecated and sunset calls/s"],
}
# Panels that must show data where Seam consumes from Kafka (REQUIRE_KAFKA=1): the consumer side of
# the Kafka row. Produced records need kafka.produce, hand-overs a rebalance: not required.
REQUIRED_KAFKA = {
    "seam-self": ["Consumer lag by partition", "Partitions owned per instance", "Records consumed/s by outcome",
                  "Event-time lag"],
}

PROMQL_WORDS = set("""
sum min max avg group stddev stdvar count count_values bottomk topk quantile by without on ignoring
group_left group_right and or unless bool offset atan2 abs absent absent_over_time ceil changes clamp
clamp_max clamp_min day_of_month day_of_week day_of_year days_in_month delta deriv exp floor
histogram_quantile holt_winters hour idelta increase irate label_join label_replace ln log2 log10
minute month predict_linear rate resets round scalar sgn sort sort_desc sqrt time timestamp vector year
avg_over_time min_over_time max_over_time sum_over_time count_over_time quantile_over_time
stddev_over_time stdvar_over_time last_over_time present_over_time acos acosh asin asinh atan atanh cos
cosh sin sinh tan tanh deg pi rad inf nan le query_result label_values
""".split())

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok or not detail else ": " + detail))
    return ok


def allowed_names():
    text = open(os.path.join(ROOT, "docs", "metrics.md")).read()
    names = {"up"}
    for m in re.finditer(r"`([a-z_][a-z0-9_]*)`", text):
        n = m.group(1)
        if n.startswith(("seam_", "jvm_", "process_", "system_")):
            names.add(n)
    for m in re.finditer(r"^\|\s*`([a-z_][a-z0-9_]*)`\s*\|\s*histogram\s*\|", text, re.M):
        names.update(m.group(1) + s for s in ("_bucket", "_sum", "_count", "_max"))
    # a Micrometer timer (docs/metrics.md "JVM and process") is exposed as _count/_sum/_max
    if "jvm_gc_pause_seconds" in names:
        names.update("jvm_gc_pause_seconds" + s for s in ("_count", "_sum", "_max"))
    for f in RULES:
        names.update(re.findall(r"^\s*-\s*record:\s*(\S+)", open(f).read(), re.M))
    return names


def substitute(expr, cross="0"):
    e = expr.replace("$__rate_interval", "1m").replace("$__interval", "15s").replace("$__range", "5m")
    # a single-value variable matched with = (label="$v") matches any value here
    e = re.sub(r'(\w+)\s*=\s*("\$\{?[a-zA-Z_]\w*\}?")', r"\1=~\2", e)
    e = re.sub(r"\$\{?cross_language\}?", cross, e)
    e = re.sub(r"\$\{[a-zA-Z_]\w*(:[a-z]+)?\}|\$[a-zA-Z_]\w*", ".*", e)
    return e


def metric_names(expr):
    e = substitute(expr)
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', e)               # strings (label_replace args, matchers)
    e = re.sub(r"\{[^{}]*\}", "{}", e)                       # label matchers
    e = re.sub(r"\[[^\]]*\]", "[]", e)                       # ranges
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", r"\1 ", e)
    e = re.sub(r"\boffset\s+\w+", " ", e)
    names = set()
    for m in re.finditer(r"(?<![A-Za-z0-9_:.$])([a-z_:][a-z0-9_:]*)(?=\s*[{\[)\s,]|\s*$)", e):
        n = m.group(1)
        if n not in PROMQL_WORDS:
            names.add(n)
    return names


def rule_exprs():
    """(kind, name, expr, labels, annotations) from the rule files; a small reader for their layout."""
    out = []
    for f in RULES:
        lines = open(f).read().split("\n")
        cur = None
        i = 0
        while i < len(lines):
            l = lines[i]
            m = re.match(r"^\s*-\s*(record|alert):\s*(\S+)", l)
            if m:
                cur = {"kind": m.group(1), "name": m.group(2), "expr": "", "labels": {}, "annotations": {}, "file": f}
                out.append(cur)
            elif cur is not None:
                m = re.match(r"^(\s*)expr:\s*(.*)$", l)
                if m:
                    if m.group(2).strip() == "|":
                        ind = None
                        body = []
                        while i + 1 < len(lines) and (lines[i + 1].strip() == "" or len(lines[i + 1]) - len(lines[i + 1].lstrip()) > len(m.group(1))):
                            i += 1
                            body.append(lines[i].strip())
                        cur["expr"] = "\n".join(body)
                    else:
                        cur["expr"] = m.group(2)
                m2 = re.match(r"^\s*(labels|annotations):\s*$", l)
                if m2:
                    sect = m2.group(1)
                    base = len(l) - len(l.lstrip())
                    while i + 1 < len(lines) and len(lines[i + 1]) - len(lines[i + 1].lstrip()) > base and lines[i + 1].strip():
                        i += 1
                        k, _, v = lines[i].strip().partition(":")
                        cur[sect][k.strip()] = v.strip().strip("'\"")
            i += 1
    return out


def dashboards():
    out = {}
    for f in sorted(glob.glob(os.path.join(GRAFANA, "*.json"))):
        try:
            out[f] = json.load(open(f))
            check(f"{os.path.basename(f)} parses", True)
        except Exception as e:  # noqa
            check(f"{os.path.basename(f)} parses", False, str(e))
    return out


def panels(d):
    for p in d.get("panels", []):
        yield p
        for q in p.get("panels", []):
            yield q


def var_queries(d):
    for v in d["templating"]["list"]:
        if v.get("type") == "query":
            q = v["query"] if isinstance(v["query"], str) else v["query"].get("query", "")
            m = re.match(r"^\s*(label_values|query_result)\((.*)\)\s*$", q, re.S)
            inner = m.group(2) if m else q
            if m and m.group(1) == "label_values":
                inner = inner.rsplit(",", 1)[0] if "," in inner else inner
            yield v["name"], inner


def main():
    allowed = allowed_names()
    # self-test of the name extraction: an unknown name must be caught
    check("name check catches an unknown metric (self-test)",
          metric_names('sum by (caller_service) (rate(seam_bogus_total{a="b"}[5m])) / up') - allowed == {"seam_bogus_total"})
    check("name check ignores labels, functions and strings (self-test)",
          metric_names('label_replace(sum by (le, transport) (rate(seam_boundary_calls_total[$__rate_interval] offset 1d)), "x", "$1", "y", "(.*)") > on() group_left() vector(1)') == {"seam_boundary_calls_total"})
    ds = dashboards()
    uids = [d.get("uid") for d in ds.values()]
    check("dashboard uids unique and as expected", len(set(uids)) == len(uids) and set(uids) == {"seam-boundaries", "seam-boundary-detail", "seam-self", "seam-ownership"}, str(uids))
    live = []
    for f, d in ds.items():
        b = os.path.basename(f)
        check(f"{b} schemaVersion >= 39", d.get("schemaVersion", 0) >= 39)
        check(f"{b} has no __inputs", "__inputs" not in d)
        vs = {v["name"]: v for v in d.get("templating", {}).get("list", [])}
        check(f"{b} has a datasource variable", vs.get("datasource", {}).get("type") == "datasource" and vs["datasource"].get("query") == "prometheus")
        check(f"{b} tags/timezone/refresh", d.get("tags") == ["seam"] and d.get("timezone") == "utc" and d.get("refresh") == "30s")
        bad_ds, unknown, ids = [], [], []
        for p in panels(d):
            ids.append(p.get("id"))
            if p.get("type") == "row":
                continue
            if (p.get("datasource") or {}).get("uid") != "${datasource}":
                bad_ds.append(p.get("title"))
            for t in p.get("targets", []):
                if (t.get("datasource") or {}).get("uid") != "${datasource}":
                    bad_ds.append(p.get("title") + "/" + t.get("refId", ""))
                u = metric_names(t.get("expr", "")) - allowed
                if u:
                    unknown.append(f"{p.get('title')}: {sorted(u)}")
                live.append((d["uid"], p.get("title"), t.get("refId"), t.get("expr", "")))
        for v in vs.values():
            if v.get("type") == "query" and (v.get("datasource") or {}).get("uid") != "${datasource}":
                bad_ds.append("variable " + v["name"])
        for name, q in var_queries(d):
            u = metric_names(q) - allowed
            if u:
                unknown.append(f"variable {name}: {sorted(u)}")
            live.append((d["uid"], "variable " + name, "", q))
        check(f"{b} every panel uses ${{datasource}}", not bad_ds, ", ".join(bad_ds))
        check(f"{b} panel ids unique", len(ids) == len(set(ids)))
        check(f"{b} only documented metric names", not unknown, "; ".join(unknown))
    # required panels exist
    titles = {(d["uid"], p.get("title")) for d in ds.values() for p in panels(d)}
    missing = [f"{u}/{t}" for req in (REQUIRED, REQUIRED_KAFKA) for u, ts in req.items() for t in ts if (u, t) not in titles]
    check("REQUIRED panels exist", not missing, ", ".join(missing))

    rules = rule_exprs()
    unknown = [f"{r['name']}: {sorted(metric_names(r['expr']) - allowed)}" for r in rules if metric_names(r["expr"]) - allowed]
    check(f"rules ({len(rules)}) use only documented metric names or recording rules", not unknown and len(rules) > 0, "; ".join(unknown))
    bad = [r["name"] + ":" + n for r in rules if r["kind"] == "record" for n in [r["name"]] if not re.match(r"^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$", n)]
    check("recording rule names are level:metric:operation", not bad, ", ".join(bad))
    runbook = open(os.path.join(ROOT, "docs", "runbooks.md")).read()
    anchors = {re.sub(r"[^a-z0-9 _-]", "", h.strip().lower()).replace(" ", "-") for h in re.findall(r"^#+\s+(.*)$", runbook, re.M)}
    for r in [r for r in rules if r["kind"] == "alert"]:
        a, l = r["annotations"], r["labels"]
        ok = l.get("severity") in ("critical", "warning", "info") and all(a.get(k) for k in ("summary", "description", "runbook_url"))
        url = a.get("runbook_url", "")
        anchor = url[len(RUNBOOK_BASE):] if url.startswith(RUNBOOK_BASE) else None
        check(f"alert {r['name']} ({l.get('severity')}) has severity, summary, description, runbook_url", ok)
        check(f"alert {r['name']} runbook anchor #{anchor} exists in docs/runbooks.md", anchor is not None and anchor in anchors, url)

    url = os.environ.get("PROMETHEUS_URL")
    if url:
        need = os.environ.get("REQUIRE_DATA") == "1"
        need_kafka = os.environ.get("REQUIRE_KAFKA") == "1"
        loaded = rules_loaded(url)
        print(f"live: {len(live)} queries against {url} (recording rules loaded: {loaded}, REQUIRE_DATA={int(need)}, "
              f"REQUIRE_KAFKA={int(need_kafka)})")
        for uid, title, ref, expr in live:
            errs = []
            n0 = None
            for cross in ("0", "1") if "$cross_language" in expr else ("0",):
                try:
                    n = query(url, substitute(expr, cross))
                    if cross == "0":
                        n0 = n
                except Exception as e:  # noqa
                    errs.append(f"cross_language={cross}: {e}")
            label = f"live {uid} / {title} {ref}".rstrip()
            if not check(label + " runs", not errs, "; ".join(errs)):
                continue
            if (need and title in REQUIRED.get(uid, [])) or (need_kafka and title in REQUIRED_KAFKA.get(uid, [])):
                uses_rules = bool(re.search(r"\b[a-z_]+:[a-z0-9_]+:[a-z0-9_]+", expr))
                if uses_rules and not loaded:
                    print(f"skip {label} returns data: Prometheus has not loaded recording.rules.yml")
                    continue
                check(label + " returns data", (n0 or 0) > 0, "no series")
    passed = sum(results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def query(url, expr):
    u = url.rstrip("/") + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(u, timeout=30) as r:
            body = json.load(r)
    except urllib.error.HTTPError as e:
        body = json.load(e)
    if body.get("status") != "success":
        raise RuntimeError(body.get("error", "unknown error"))
    res = body["data"]["result"]
    return len(res) if isinstance(res, list) else 1


def rules_loaded(url):
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/api/v1/rules?type=record", timeout=30) as r:
            body = json.load(r)
        return any(r.get("name") == "boundary:seam_boundary_calls:rate5m" for g in body["data"]["groups"] for r in g["rules"])
    except Exception:  # noqa
        return False


if __name__ == "__main__":
    sys.exit(main())
