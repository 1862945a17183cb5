#!/usr/bin/env python3
"""Generates the Seam Grafana dashboards (seam-*.json next to this file).

The JSON files are committed; dashboards/test.sh checks they equal this script's output, so
edit here and run `python3 dashboards/grafana/generate_dashboards.py`. Metric names: only
docs/metrics.md and dashboards/prometheus/recording.rules.yml.

Seam may run as a fleet (docs/deployment.md#scale-out): every instance exports the same boundary
label sets, told apart by the target labels Prometheus adds (job, instance, pod). Every boundary
query therefore names the labels it keeps (`sum by`), so instances add up; a gauge that several
instances may report for the same thing (a process's memory, a partition's lag) is taken once per
thing with `max by` before anything is summed. Panels of the Seam dashboard that are per instance
say so in their legend.
"""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
DS = {"type": "prometheus", "uid": "${datasource}"}
B = "caller_service, caller_language, callee_service, callee_language, transport"
BLEG = "{{caller_service}} ({{caller_language}}) -> {{callee_service}} ({{callee_language}}) {{transport}}"

# Boundaries whose caller and callee languages are equal. PromQL cannot compare two labels, so
# copy each language into a common label `lang` and keep the series whose two copies match.
SAME_LANGUAGE = (
    f'(label_replace(group by ({B}) (seam_boundary_calls_total), "lang", "$1", "caller_language", "(.*)")'
    f' and on ({B}, lang) '
    f'label_replace(group by ({B}) (seam_boundary_calls_total), "lang", "$1", "callee_language", "(.*)"))')


def cross(expr):
    """$cross_language is 0 (all boundaries) or 1 (cross-language only): with 1,
    `vector(1) == 1` is non-empty, so the same-language boundaries are removed."""
    return f"({expr}) unless on ({B}) ({SAME_LANGUAGE} and on () (vector(1) == $cross_language))"


def lang(tmpl, sel):
    """`language` matches the caller's or the callee's language: the template is evaluated
    once per side and the two results are merged with `or` (same labels, same values)."""
    a = tmpl.replace("SEL", sel + ', caller_language=~"$language"')
    b = tmpl.replace("SEL", sel + ', callee_language=~"$language"')
    return f"({a}) or ({b})"


class Ids:
    def __init__(self):
        self.n = 0

    def __call__(self):
        self.n += 1
        return self.n


def target(expr, legend="", ref="A", instant=False, fmt="time_series", exemplar=False):
    t = {"datasource": DS, "refId": ref, "expr": expr, "legendFormat": legend or "__auto",
         "range": not instant, "instant": instant, "format": fmt, "editorMode": "code"}
    if exemplar:
        t["exemplar"] = True
    return t


def panel(ids, ptype, title, targets, x, y, w, h, unit=None, desc="", **extra):
    p = {"id": ids(), "type": ptype, "title": title, "description": desc, "datasource": DS,
         "gridPos": {"x": x, "y": y, "w": w, "h": h}, "targets": targets,
         "fieldConfig": {"defaults": {}, "overrides": []}, "options": {}}
    if unit:
        p["fieldConfig"]["defaults"]["unit"] = unit
    if ptype == "timeseries":
        p["options"] = {"legend": {"showLegend": True, "displayMode": "table", "placement": "bottom", "calcs": ["mean", "max"]},
                        "tooltip": {"mode": "multi", "sort": "desc"}}
    p.update(extra)
    return p


def row(ids, title, y):
    return {"id": ids(), "type": "row", "title": title, "collapsed": False,
            "gridPos": {"x": 0, "y": y, "w": 24, "h": 1}, "panels": []}


def current(include_all):
    """The selection a dashboard opens with: All, or nothing yet (Grafana then picks the first option)."""
    return {"text": "All", "value": "$__all"} if include_all else {"text": "", "value": ""}


def qvar(name, query, label, multi=True, include_all=True, regex=""):
    v = {"name": name, "label": label, "type": "query", "datasource": DS, "query": query,
         "definition": query, "refresh": 2, "regex": regex, "sort": 1, "multi": multi,
         "includeAll": include_all, "current": current(include_all), "options": [], "hide": 0}
    if include_all:
        v["allValue"] = ".*"
    return v


def dsvar():
    return {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
            "refresh": 1, "regex": "", "current": {"text": "", "value": ""}, "options": [], "hide": 0}


LANGUAGES = ('query_result(group by (language) (label_replace(seam_boundary_calls_total, "language", "$1", '
             '"caller_language", "(.+)") or label_replace(seam_boundary_calls_total, "language", "$1", '
             '"callee_language", "(.+)")))')


def dashboard(uid, title, desc, panels, variables, links=()):
    return {"uid": uid, "title": title, "description": desc, "tags": ["seam"], "timezone": "utc",
            "refresh": "30s", "schemaVersion": 39, "version": 1, "editable": True,
            "graphTooltip": 1, "time": {"from": "now-3h", "to": "now"}, "timepicker": {},
            "fiscalYearStartMonth": 0, "liveNow": False, "weekStart": "",
            "annotations": {"list": [{"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
                                      "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
                                      "name": "Annotations & Alerts", "type": "dashboard"}]},
            "links": [{"title": "Seam", "type": "dashboards", "tags": ["seam"], "asDropdown": True, "icon": "external link",
                       "tooltip": "", "targetBlank": False, "includeVars": False, "keepTime": True}] + list(links),
            "templating": {"list": variables}, "panels": panels}


def mainstat(ref):
    """A field really named `mainstat` (Organize's renameByName changes only the display name, which
    the Node graph does not read), computed on the frame of query `ref` alone: without the filter,
    Calculate field joins the nodes and edges frames into one."""
    return {"id": "calculateField", "filter": {"id": "byRefId", "options": ref},
            "options": {"mode": "reduceRow", "reduce": {"reducer": "sum", "include": [f"Value #{ref}"]},
                        "alias": "mainstat", "replaceFields": False}}


# ------------------------------------------------------------------ Boundaries overview
def overview():
    ids = Ids()
    sel = 'caller_service=~"$caller_service", callee_service=~"$callee_service", transport=~"$transport"'
    P = []
    P.append(row(ids, "Now", 0))
    cols = [("calls", "boundary:seam_boundary_calls:rate5m", "Calls/s", "reqps"),
            ("errors", "boundary:seam_boundary_errors:ratio_rate5m", "Error ratio", "percentunit"),
            ("caller_p50", "boundary:seam_boundary_caller_duration_seconds:p50_5m", "Caller p50", "s"),
            ("caller_p99", "boundary:seam_boundary_caller_duration_seconds:p99_5m", "Caller p99", "s"),
            ("callee_p50", "boundary:seam_boundary_callee_duration_seconds:p50_5m", "Callee p50", "s"),
            ("callee_p99", "boundary:seam_boundary_callee_duration_seconds:p99_5m", "Callee p99", "s"),
            ("overhead_p50", "boundary:seam_boundary_overhead_seconds:p50_5m", "Overhead p50", "s"),
            ("overhead_p99", "boundary:seam_boundary_overhead_seconds:p99_5m", "Overhead p99", "s")]
    targets, rename, overrides = [], {"Time": "Time"}, []
    for ref, rule, name, unit in cols:
        targets.append(target(cross(lang(rule + "{SEL}", sel)), ref=ref, instant=True, fmt="table"))
        rename["Value #" + ref] = name
        overrides.append({"matcher": {"id": "byName", "options": name},
                          "properties": [{"id": "unit", "value": unit}, {"id": "decimals", "value": 3}]})
    overrides.append({"matcher": {"id": "byName", "options": "Error ratio"},
                      "properties": [{"id": "custom.cellOptions", "value": {"type": "color-text"}},
                                     {"id": "thresholds", "value": {"mode": "absolute", "steps": [
                                         {"color": "green", "value": None}, {"color": "orange", "value": 0.001},
                                         {"color": "red", "value": 0.01}]}}]})
    t = panel(ids, "table", "Boundaries", targets, 0, 1, 24, 9,
              desc="One row per boundary (caller -> callee, languages, transport), over the last 5 minutes, "
                   "from the recording rules in dashboards/prometheus/recording.rules.yml (load them). "
                   "Overhead is empty for boundaries whose caller is not a CLIENT/PRODUCER span. "
                   "Click a row's caller to open the boundary detail.",
              transformations=[
                  # Every query returns its recording rule's name as __name__: merged on it, a
                  # boundary's eight values would not share a row. Drop it first.
                  {"id": "organize", "options": {"excludeByName": {"__name__": True}}},
                  {"id": "merge", "options": {}},
                  {"id": "organize", "options": {
                      "excludeByName": {"Time": True},
                      "indexByName": {"caller_service": 0, "caller_language": 1, "callee_service": 2,
                                      "callee_language": 3, "transport": 4},
                      "renameByName": {k: v for k, v in rename.items() if k != "Time"}}}])
    t["fieldConfig"]["defaults"]["links"] = [{
        "title": "Boundary detail",
        "url": "/d/seam-boundary-detail/seam-boundary-detail?${__url_time_range}&${datasource:queryparam}"
               "&var-caller_service=${__data.fields.caller_service}&var-callee_service=${__data.fields.callee_service}"
               "&var-transport=${__data.fields.transport}"}]
    t["fieldConfig"]["overrides"] = overrides
    t["options"] = {"showHeader": True, "cellHeight": "sm", "frameIndex": 0, "footer": {"show": False, "reducer": ["sum"], "fields": ""},
                    "sortBy": [{"displayName": "Calls/s", "desc": True}]}
    P.append(t)

    # Node graph: nodes and edges frames straight from PromQL (instant, table format).
    base = cross(lang(f"sum by ({B}) (rate(seam_boundary_calls_total{{SEL}}[$__range]))", sel))

    def side(s):
        return (f'label_replace(label_replace(label_join(sum by ({s}_service, {s}_language) ({base}), '
                f'"id", "/", "{s}_service", "{s}_language"), "title", "$1", "{s}_service", "(.*)"), '
                f'"subtitle", "$1", "{s}_language", "(.*)")')
    a, b = (f"sum by (id, title, subtitle) ({side('caller')})", f"sum by (id, title, subtitle) ({side('callee')})")
    nodes = f"({a} + {b}) or {a} or {b}"
    for color, regex in (("#8e8e8e", ".*"), ("#00ADD8", "go"), ("#DEA584", "rust")):
        nodes = f'label_replace({nodes}, "color", "{color}", "subtitle", "{regex}")'
    edges = (f'label_join(sum by (source, target) (label_join(label_join({base}, "source", "/", "caller_service", '
             f'"caller_language"), "target", "/", "callee_service", "callee_language")), "id", "->", "source", "target")')
    ng = panel(ids, "nodegraph", "Service graph", [
        target(nodes, ref="nodes", instant=True, fmt="table"),
        target(edges, ref="edges", instant=True, fmt="table")], 0, 10, 14, 12,
        desc="Services (nodes, coloured by language: Go blue, Rust orange, other grey; subtitle = language) and "
             "boundaries (edges, calls/s over the dashboard's range). Built from two instant table queries: "
             "`nodes` (labels id, title, subtitle, color made with label_join/label_replace) and `edges` "
             "(labels id, source, target). The Node graph finds fields by their real name, so a Calculate field "
             "per query (applied to that query's frame only) adds each frame's value as a field named mainstat, "
             "and Organize drops Time and the original value. A node is a "
             "(service, language) pair, so a service seen in two languages shows twice.",
        transformations=[mainstat("nodes"), mainstat("edges"), {"id": "organize", "options": {
            "excludeByName": {"Time": True, "Value #nodes": True, "Value #edges": True}}}])
    ng["type"] = "nodeGraph"
    ng["options"] = {"nodes": {"mainStatUnit": "reqps"}, "edges": {"mainStatUnit": "reqps"}}
    P.append(ng)
    mem = panel(ids, "timeseries", "Process memory of both sides", [
        target('sum by (service, language, type) (max by (service, language, service_instance, type) '
               '(seam_process_memory_bytes{service=~"$caller_service|$callee_service", language=~"$language"}))',
               "{{service}} ({{language}}) {{type}}")], 14, 10, 10, 12, "bytes",
        desc="seam_process_memory_bytes summed over each service's instances. type=runtime is the language "
             "runtime's heap (Go's figure excludes Rust memory allocated behind cgo); type=resident is the "
             "whole process. Each process is counted once even when several Seam instances of a fleet report it.")
    P.append(mem)
    P.append(row(ids, "Over time", 22))
    ts = [("Calls/s", f"sum by ({B}) (rate(seam_boundary_calls_total{{SEL}}[$__rate_interval]))", "reqps", False),
          ("Error ratio", f"sum by ({B}) (rate(seam_boundary_errors_total{{SEL}}[$__rate_interval])) / "
                          f"sum by ({B}) (rate(seam_boundary_calls_total{{SEL}}[$__rate_interval]))", "percentunit", False),
          ("Caller p99", f"histogram_quantile(0.99, sum by ({B}, le) (rate(seam_boundary_caller_duration_seconds_bucket{{SEL}}[$__rate_interval])))", "s", True),
          ("Callee p99", f"histogram_quantile(0.99, sum by ({B}, le) (rate(seam_boundary_callee_duration_seconds_bucket{{SEL}}[$__rate_interval])))", "s", True),
          ("Overhead p99", f"histogram_quantile(0.99, sum by ({B}, le) (rate(seam_boundary_overhead_seconds_bucket{{SEL}}[$__rate_interval])))", "s", True),
          ("Caller-only errors/s (callee succeeded)", f'sum by ({B}) (rate(seam_boundary_errors_total{{SEL, error_side="caller"}}[$__rate_interval]))', "reqps", False)]
    for i, (title, tmpl, unit, ex) in enumerate(ts):
        tmpl = tmpl.replace("{SEL, ", "{SEL, ").replace("{SEL}", "{SEL}")
        expr = cross(lang(tmpl, sel))
        P.append(panel(ids, "timeseries", title, [target(expr, BLEG, exemplar=ex)], (i % 3) * 8, 23 + (i // 3) * 8, 8, 8, unit))
    variables = [dsvar(),
                 qvar("caller_service", "label_values(seam_boundary_calls_total, caller_service)", "Caller service"),
                 qvar("callee_service", 'label_values(seam_boundary_calls_total{caller_service=~"$caller_service"}, callee_service)', "Callee service"),
                 qvar("language", LANGUAGES, "Language (caller or callee)", regex='/language="([^"]+)"/'),
                 qvar("transport", "label_values(seam_boundary_calls_total, transport)", "Transport"),
                 {"name": "cross_language", "label": "Boundaries", "type": "custom", "query": "All boundaries : 0,Cross-language only : 1",
                  "multi": False, "includeAll": False, "hide": 0,
                  "description": "Cross-language only hides boundaries whose caller and callee languages are equal (PromQL cannot compare two labels: see the Service graph panel's queries, an `unless` on the same-language boundaries).",
                  "current": {"selected": True, "text": "All boundaries", "value": "0"},
                  "options": [{"selected": True, "text": "All boundaries", "value": "0"},
                              {"selected": False, "text": "Cross-language only", "value": "1"}]}]
    return dashboard("seam-boundaries", "Seam / Boundaries",
                     "Every Go<->Rust (and other) boundary Seam pairs: rate, errors, latency on each side and overhead of the crossing.",
                     P, variables)


# ------------------------------------------------------------------ Boundary detail
def detail():
    ids = Ids()
    # caller_service, callee_service and transport hold one value each: matched with =, as Grafana
    # does not regex-escape a single-value variable (a service named pricing.v2 would also match
    # pricing-v2). operation may hold several and All, which Grafana escapes for =~.
    callee_sel = 'callee_service="$callee_service", transport="$transport", operation=~"$operation"'
    sel = 'caller_service="$caller_service", ' + callee_sel
    P = []
    y = 0

    def L(tmpl, s=sel):
        return lang(tmpl, s)
    P.append(row(ids, "Traffic and errors", y)); y += 1
    P.append(panel(ids, "timeseries", "Calls/s by operation", [target(L("sum by (operation) (rate(seam_boundary_calls_total{SEL}[$__rate_interval]))"), "{{operation}}")], 0, y, 8, 8, "reqps"))
    P.append(panel(ids, "timeseries", "Errors/s by side", [target(L("sum by (error_side) (rate(seam_boundary_errors_total{SEL}[$__rate_interval]))"), "{{error_side}}")], 8, y, 8, 8, "reqps",
                   desc="error_side=caller (the callee succeeded) is the signature of a boundary problem: timeout, cancellation, lost response."))
    P.append(panel(ids, "timeseries", "Errors/s by class", [target(L("sum by (error_side, error_class) (rate(seam_boundary_errors_total{SEL}[$__rate_interval]))"), "{{error_class}} ({{error_side}})")], 16, y, 8, 8, "reqps"))
    y += 8
    P.append(row(ids, "Latency", y)); y += 1
    for i, (m, title, unit) in enumerate([("seam_boundary_caller_duration_seconds", "Caller duration", "s"),
                                          ("seam_boundary_callee_duration_seconds", "Callee duration", "s"),
                                          ("seam_boundary_overhead_seconds", "Overhead (caller - callee)", "s")]):
        h = panel(ids, "heatmap", title + " heatmap",
                  [target(L(f"sum by (le) (rate({m}_bucket{{SEL}}[$__rate_interval]))"), "{{le}}", fmt="heatmap", exemplar=True)],
                  i * 8, y, 8, 9, desc="Distribution from the histogram buckets; exemplars link to traces when Prometheus stores them.")
        h["options"] = {"calculate": False, "yAxis": {"unit": unit, "axisPlacement": "left"}, "cellGap": 1,
                        "color": {"mode": "scheme", "scheme": "Oranges", "steps": 64, "exponent": 0.5, "fill": "dark-orange", "reverse": False},
                        "exemplars": {"color": "rgba(255,0,255,0.7)"}, "showValue": "never",
                        "tooltip": {"mode": "single", "yHistogram": False, "showColorScale": False},
                        "rowsFrame": {"layout": "auto"}, "legend": {"show": True}, "filterValues": {"le": 1e-9}}
        P.append(h)
        q = [target(L(f"histogram_quantile({qq}, sum by (le) (rate({m}_bucket{{SEL}}[$__rate_interval])))"), f"p{int(float(qq)*100)}", ref=r, exemplar=True)
             for qq, r in (("0.5", "A"), ("0.9", "B"), ("0.99", "C"))]
        P.append(panel(ids, "timeseries", title + " quantiles", q, i * 8, y + 9, 8, 8, unit))
    y += 17
    P.append(row(ids, "Payload and memory", y)); y += 1
    byt = [target(L(f"histogram_quantile({qq}, sum by (le) (rate(seam_boundary_{k}_bytes_bucket{{SEL}}[$__rate_interval])))"), f"{k} p{p}", ref=f"{k[:3]}{p}")
           for k in ("request", "response") for qq, p in (("0.5", 50), ("0.99", 99))]
    P.append(panel(ids, "timeseries", "Request / response bytes", byt, 0, y, 8, 8, "bytes",
                   desc="Only calls whose spans carry a body size attribute are counted."))
    P.append(panel(ids, "timeseries", "Callee allocated bytes per call", [
        target(L(f"histogram_quantile({qq}, sum by (le) (rate(seam_boundary_callee_allocated_bytes_bucket{{SEL}}[$__rate_interval])))"), f"p{p}", ref=f"p{p}")
        for qq, p in (("0.5", 50), ("0.99", 99))] + [
        target(L("sum(rate(seam_boundary_callee_allocated_bytes_sum{SEL}[$__rate_interval])) / sum(rate(seam_boundary_callee_allocated_bytes_count{SEL}[$__rate_interval]))"), "mean", ref="mean")],
        8, y, 8, 8, "bytes", desc="From the callee span's seam.allocated_bytes (boundary.allocated-bytes-attributes)."))
    P.append(panel(ids, "timeseries", "Process memory of both sides", [
        target('max by (service, language, service_instance, type) (seam_process_memory_bytes{service="$caller_service"})', "caller {{service}} {{service_instance}} {{type}}", ref="caller"),
        target('max by (service, language, service_instance, type) (seam_process_memory_bytes{service="$callee_service"})', "callee {{service}} {{service_instance}} {{type}}", ref="callee")],
        16, y, 8, 8, "bytes", desc="type=runtime: the language runtime's heap (Go's excludes Rust memory behind cgo); type=resident: the process. "
                                   "One line per process, however many Seam instances of a fleet report it."))
    y += 8
    P.append(row(ids, "Pairing and context", y)); y += 1
    P.append(panel(ids, "timeseries", "Error logs/s by side", [target(L("sum by (side) (rate(seam_boundary_error_logs_total{SEL}[$__rate_interval]))"), "{{side}}")], 0, y, 8, 8, "short"))
    P.append(panel(ids, "timeseries", "Unpaired halves/s by side and reason", [
        target(L('sum by (side, reason) (rate(seam_boundary_unpaired_total{SEL, side="caller"}[$__rate_interval]))'), "{{side}} {{reason}}", ref="caller"),
        target(L('sum by (side, reason) (rate(seam_boundary_unpaired_total{SEL, side="callee"}[$__rate_interval]))', callee_sel), "{{side}} {{reason}} (any caller)", ref="callee")],
        8, y, 8, 8, "short",
        desc="Both sides are filtered on the transport and operation. side=caller is filtered on both services (callee named by "
             "the caller's peer hints, its language unknown); side=callee has caller_service=unknown by definition, so it is "
             "filtered on the callee only and counts halves from any caller."))
    P.append(panel(ids, "timeseries", "Context broken/s", [
        target(L("sum(rate(seam_boundary_context_broken_total{SEL}[$__rate_interval]))"), "context broken", ref="A"),
        target(L("sum(rate(seam_boundary_negative_overhead_total{SEL}[$__rate_interval]))"), "negative overhead (clamped to 0)", ref="B")],
        16, y, 8, 8, "short", desc="Calls whose trace context was lost at the boundary; Seam's log names the side that most likely dropped it."))
    y += 8
    P.append(panel(ids, "timeseries", "Clock skew (callee ahead of caller)", [
        target(L("avg by (caller_service, callee_service, transport) (seam_boundary_clock_skew_seconds{SEL})"), "{{caller_service}} -> {{callee_service}} {{transport}}")],
        0, y, 12, 7, "s", desc="Remote boundaries only: smoothed NTP estimate of how far the callee host's clock runs ahead (negative: behind), "
                               "averaged over the selected operations (and over the Seam instances of a fleet, each estimating from the calls it pairs)."))
    variables = [dsvar(),
                 qvar("caller_service", "label_values(seam_boundary_calls_total, caller_service)", "Caller service", multi=False, include_all=False),
                 qvar("callee_service", 'label_values(seam_boundary_calls_total{caller_service="$caller_service"}, callee_service)', "Callee service", multi=False, include_all=False),
                 qvar("transport", 'label_values(seam_boundary_calls_total{caller_service="$caller_service", callee_service="$callee_service"}, transport)', "Transport", multi=False, include_all=False),
                 qvar("language", LANGUAGES, "Language (caller or callee)", regex='/language="([^"]+)"/'),
                 qvar("operation", 'label_values(seam_boundary_calls_total{caller_service="$caller_service", callee_service="$callee_service", transport="$transport"}, operation)', "Operation")]
    return dashboard("seam-boundary-detail", "Seam / Boundary detail",
                     "One boundary: latency distributions on each side and of the crossing, errors by side and class, payloads, memory, unpaired halves, context breaks and clock skew.",
                     P, variables)


# ------------------------------------------------------------------ Seam itself
def self_dash():
    ids = Ids()
    s = 'job=~"$job", instance=~"$instance"'
    P = []
    y = 0
    R = "[$__rate_interval]"

    def ts(title, exprs, x, w=8, h=8, unit="short", desc=""):
        return panel(ids, "timeseries", title, [target(e, l, ref=chr(65 + i)) for i, (e, l) in enumerate(exprs)], x, y, w, h, unit, desc=desc)
    P.append(row(ids, "Intake", y)); y += 1
    P.append(ts("Received items/s", [(f"sum by (signal, protocol) (rate(seam_received_items_total{{{s}}}{R}))", "{{signal}} {{protocol}}")], 0))
    P.append(ts("Processed items/s", [(f"sum by (signal) (rate(seam_processed_items_total{{{s}}}{R}))", "{{signal}}")], 8))
    P.append(ts("Dropped items/s", [(f"sum by (signal, reason) (rate(seam_dropped_items_total{{{s}}}{R}))", "{{signal}} {{reason}}")], 16,
                desc="Accepted items that could not be processed; internal_error is a bug (the log says which)."))
    y += 8
    P.append(ts("Refused items/s", [(f"sum by (signal, reason) (rate(seam_refused_items_total{{{s}}}{R}))", "{{signal}} {{reason}}")], 0))
    P.append(ts("Refused requests/s", [(f"sum by (signal, protocol, reason) (rate(seam_refused_requests_total{{{s}}}{R}))", "{{signal}} {{protocol}} {{reason}}")], 8))
    P.append(ts("Not yet accounted (received - processed - dropped)", [
        (f"sum by (signal) (seam_received_items_total{{{s}}}) - sum by (signal) (seam_processed_items_total{{{s}}}) - (sum by (signal) (seam_dropped_items_total{{{s}}}) or 0 * sum by (signal) (seam_received_items_total{{{s}}}))", "{{signal}}")], 16,
        desc="0 once Seam is idle; items in flight while it works."))
    y += 8
    P.append(row(ids, "Pairing", y)); y += 1
    P.append(ts("Pairing pending", [(f"sum by (instance) (seam_pairing_pending{{{s}}})", "{{instance}} pending"),
                                    (f"sum by (instance) (seam_pairing_capacity{{{s}}})", "{{instance}} bound")], 0, 12,
                desc="Entries held now, against the bound pairing.max-pending (about 340 bytes of heap each); past it the oldest are evicted."))
    P.append(ts("Pairing outcomes/s", [(f"sum by (outcome) (rate(seam_pairing_entries_total{{{s}}}{R}))", "{{outcome}}")], 12, 12,
                desc="evicted > 0: pairing.max-pending is too small for the traffic."))
    y += 8
    P.append(ts("Pipeline backlog", [(f"sum by (instance) (seam_pipeline_inflight_bytes{{{s}}})", "{{instance}}")], 0, 8, unit="bytes",
                desc="Request bytes queued for or being processed by the pipeline. At limits.max-inflight-bytes, exports are refused as overloaded (503 / UNAVAILABLE) and clients retry."))
    P.append(ts("Refused as overloaded/s", [(f'sum by (signal, protocol) (rate(seam_refused_requests_total{{{s}, reason="overloaded"}}{R}))', "{{signal}} {{protocol}}")], 8, 8,
                desc="Exports answered 503 + Retry-After or UNAVAILABLE + RetryInfo because the backlog or the heap hit its limit (limits.*)."))
    P.append(ts("Cardinality overflow/s", [(f"sum by (reason) (rate(seam_cardinality_overflow_total{{{s}}}{R}))", "{{reason}}")], 16, 8,
                desc="Boundary observations folded into 'other' labels because limits.max-services or limits.max-boundaries was reached."))
    y += 8
    P.append(row(ids, "Forwarding", y)); y += 1
    P.append(ts("Forwarded items/s", [(f"sum by (signal, outcome) (rate(seam_forwarded_items_total{{{s}}}{R}))", "{{signal}} {{outcome}}")], 0))
    P.append(ts("Forward retries/s", [(f"sum by (signal) (rate(seam_forward_retries_total{{{s}}}{R}))", "{{signal}}")], 8))
    P.append(ts("Forward queue items", [(f"sum by (instance) (seam_forward_queue_items{{{s}}})", "{{instance}}")], 16))
    y += 8
    kafka = "Empty unless Seam consumes from Kafka (kafka.brokers; docs/deployment.md#scale-out). "
    P.append(row(ids, "Kafka consumer group", y)); y += 1
    P.append(ts("Consumer lag by partition", [(f"max by (topic, partition) (seam_kafka_consumer_lag_records{{{s}}})", "{{topic}} [{{partition}}]")], 0, 12,
                desc=kafka + "Records written to each partition and not yet consumed, reported by the instance that owns the partition "
                             "(the larger figure when two report it around a hand-over). A partition missing here has no consumer (SeamKafkaPartitionsUnassigned)."))
    P.append(ts("Partitions owned per instance", [(f"sum by (instance, topic) (seam_kafka_partitions_assigned{{{s}}})", "{{instance}} {{topic}}")], 12, 12,
                desc=kafka + "Per instance on purpose: the group spreads partitions over the instances; an instance owning none consumes nothing. "
                             "More instances than partitions leaves some idle."))
    y += 8
    P.append(ts("Records consumed/s by outcome", [(f"sum by (topic, outcome) (rate(seam_kafka_records_total{{{s}}}{R}))", "{{topic}} {{outcome}}")], 0,
                desc=kafka + "processed: decoded and measured; undecodable: skipped and counted, never retried; "
                             "replayed: read again after a hand-over (their pairs are not counted twice)."))
    P.append(ts("Rebalances", [(f"sum by (instance, change) (increase(seam_kafka_rebalances_total{{{s}}}{R}))", "{{instance}} {{change}}")], 8,
                desc=kafka + "Partition changes each instance saw: assigned, revoked (handed over in order) or lost (taken away, e.g. after a missed heartbeat)."))
    P.append(ts("Event-time lag", [(f"max by (instance) (seam_kafka_event_time_lag_seconds{{{s}}})", "{{instance}}")], 16, unit="s",
                desc=kafka + "Per instance on purpose: how far each instance's pairing clock (the event time of the slowest partition it owns) "
                             "is behind the wall clock; near 0 when caught up. Above 2 minutes for 10 minutes, SeamKafkaEventTimeLagHigh fires."))
    y += 8
    P.append(ts("Hand-overs: halves and replayed pairs/s", [
        (f"sum by (instance) (rate(seam_kafka_handed_over_halves_total{{{s}}}{R}))", "handed-over halves {{instance}}"),
        (f"sum by (instance) (rate(seam_kafka_replayed_pairs_total{{{s}}}{R}))", "replayed pairs {{instance}}")], 0, 12,
        desc=kafka + "handed-over halves: pending halves of a revoked partition, left to its next owner, which reads them "
                     "again from the committed offsets; replayed pairs: pairs that next owner formed again while replaying, already "
                     "counted before the hand-over and not counted twice."))
    P.append(ts("Produced records/s by outcome", [(f"sum by (topic, outcome) (rate(seam_kafka_produced_records_total{{{s}}}{R}))", "{{topic}} {{outcome}}")], 12, 12,
                desc=kafka + "Seam as the front tier (kafka.produce): records written to Kafka. acked: Kafka acknowledged them, then the export was "
                             "answered; failed: the export was refused with a retry hint (503 / UNAVAILABLE), so the sender retries."))
    y += 8
    P.append(row(ids, "JVM and process", y)); y += 1
    P.append(ts("JVM heap", [(f'sum by (instance) (jvm_memory_used_bytes{{{s}, area="heap"}})', "used {{instance}}"),
                             (f'sum by (instance) (jvm_memory_committed_bytes{{{s}, area="heap"}})', "committed {{instance}}"),
                             (f'sum by (instance) (jvm_memory_max_bytes{{{s}, area="heap"}})', "max {{instance}}")], 0, unit="bytes"))
    P.append(ts("GC pauses", [(f"sum by (instance) (rate(jvm_gc_pause_seconds_sum{{{s}}}{R}))", "time paused per second {{instance}}"),
                              (f"max by (instance) (jvm_gc_pause_seconds_max{{{s}}})", "longest pause {{instance}}")], 8, unit="s"))
    P.append(ts("CPU", [(f"avg by (instance) (process_cpu_usage{{{s}}})", "process {{instance}}"),
                        (f"avg by (instance) (system_cpu_usage{{{s}}})", "system {{instance}}")], 16, unit="percentunit"))
    y += 8
    P.append(ts("Scrape health (up)", [('up{job=~"$job"}', "{{instance}}")], 0, 12, 6,
                desc="1: Prometheus scrapes Seam; 0: it does not (SeamDown)."))
    P.append(ts("Threads and uptime", [(f"sum by (instance) (jvm_threads_live_threads{{{s}}})", "live threads {{instance}}"),
                                       (f"max by (instance) (process_uptime_seconds{{{s}}})", "uptime s {{instance}}")], 12, 12, 6))
    variables = [dsvar(),
                 qvar("job", "label_values(seam_pairing_pending, job)", "Job"),
                 qvar("instance", 'label_values(seam_pairing_pending{job=~"$job"}, instance)', "Instance")]
    return dashboard("seam-self", "Seam / Seam itself",
                     "Seam's own accounting: intake, refusals, drops, pairing, forwarding, the Kafka consumer group, JVM and process. "
                     "With a fleet, pick one instance or All (totals over the instances; per-instance panels name the instance).", P, variables)


# ------------------------------------------------------------------ Ownership (boundary contracts)
# Contract series name a boundary by these three labels only (docs/metrics.md, "Boundary contracts").
K = "caller_service, callee_service, transport"
OWNER_LABELS = "caller_owner, callee_owner, caller_escalation, callee_escalation"
# Owners of each boundary, filtered on $team (either side), one series per boundary across Seam replicas.
OWNERS = (f'max by ({K}, {OWNER_LABELS}) (seam_boundary_owner_info{{caller_owner=~"$team"}} '
          f'or seam_boundary_owner_info{{callee_owner=~"$team"}})')
# Interface status as a number the matrix maps back to words; the worst status seen wins.
STATUS_WEIGHTS = ('(label_replace(vector(4), "status", "sunset", "", "") or label_replace(vector(3), "status", "deprecated", "", "")'
                  ' or label_replace(vector(2), "status", "unknown", "", "") or label_replace(vector(1), "status", "current", "", ""))')


def owned(expr):
    """`expr` (labelled by the boundary's three labels) with the owners' labels joined in, $team applied."""
    return f"({expr}) * on ({K}) group_left ({OWNER_LABELS}) {OWNERS}"


def ownership():
    ids = Ids()
    P = []
    P.append(row(ids, "Matrix", 0))
    share = {"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "orange", "value": 0.8},
                                           {"color": "red", "value": 1}]}
    budget = lambda live, kind: f'{live} / on ({K}) contract:seam_boundary_budget:max{{budget="{kind}"}}'
    cols = [("declared", f"max by ({K}) (seam_boundary_declared)", "Contract"),
            ("status", f"max by ({K}) ((sum by ({K}, status) (increase(seam_boundary_interface_calls_total[$__range])) > 0) * 0"
                       f" + on (status) group_left () {STATUS_WEIGHTS})", "Interface"),
            ("caller_p99", budget("contract:seam_boundary_caller_duration_seconds:p99_5m", "caller_p99_seconds"), "Caller p99 / budget"),
            ("callee_p99", budget("contract:seam_boundary_callee_duration_seconds:p99_5m", "callee_p99_seconds"), "Callee p99 / budget"),
            ("overhead_p99", budget("contract:seam_boundary_overhead_seconds:p99_5m", "overhead_p99_seconds"), "Overhead p99 / budget"),
            ("errors", budget(f"sum by ({K}) (contract_side:seam_boundary_errors:ratio_rate1h)", "error_ratio"), "Error ratio 1h / budget"),
            ("allocated", budget("contract:seam_boundary_callee_allocated_bytes:p99_5m", "allocated_bytes_per_call_p99"), "Allocated p99 / budget"),
            ("memory", f'max by ({K}) (callee:seam_process_memory_bytes:max / on (callee_service) group_right () '
                       f'contract:seam_boundary_budget:max{{budget="callee_memory_bytes"}})', "Callee memory / budget")]
    targets, rename, overrides = [], {}, []
    for ref, expr, name in cols:
        targets.append(target(owned(expr), ref=ref, instant=True, fmt="table"))
        rename["Value #" + ref] = name
        if ref not in ("declared", "status"):
            overrides.append({"matcher": {"id": "byName", "options": name}, "properties": [
                {"id": "unit", "value": "percentunit"}, {"id": "decimals", "value": 0},
                {"id": "custom.cellOptions", "value": {"type": "color-background"}}, {"id": "thresholds", "value": share}]})
    overrides.append({"matcher": {"id": "byName", "options": "Contract"}, "properties": [
        {"id": "custom.cellOptions", "value": {"type": "color-background"}},
        {"id": "mappings", "value": [{"type": "value", "options": {
            "0": {"text": "undeclared", "color": "red", "index": 0}, "1": {"text": "declared", "color": "green", "index": 1}}}]}]})
    overrides.append({"matcher": {"id": "byName", "options": "Interface"}, "properties": [
        {"id": "custom.cellOptions", "value": {"type": "color-background"}},
        {"id": "mappings", "value": [{"type": "value", "options": {
            "1": {"text": "current", "color": "green", "index": 0}, "2": {"text": "unknown", "color": "text", "index": 1},
            "3": {"text": "deprecated", "color": "orange", "index": 2}, "4": {"text": "sunset", "color": "red", "index": 3}}}]}]})
    t = panel(ids, "table", "Boundary matrix", targets, 0, 1, 24, 11,
              desc="One row per boundary Seam has seen or the contract file declares (docs/contracts.md): who owns each side and "
                   "where to escalate, whether it is declared (undeclared boundaries first), the worst interface status of its "
                   "calls over the dashboard's range (sunset > deprecated > unknown > current), and each declared budget against "
                   "its live value as a share (green below 80 %, amber below 100 %, red at or over the budget). A budget the "
                   "contract does not declare is empty. From the seam-contracts recording rules (load them).",
              transformations=[
                  {"id": "organize", "options": {"excludeByName": {"__name__": True}}},
                  {"id": "merge", "options": {}},
                  {"id": "organize", "options": {
                      "excludeByName": {"Time": True},
                      "indexByName": {"caller_service": 0, "callee_service": 1, "transport": 2, "caller_owner": 3,
                                      "callee_owner": 4, "caller_escalation": 5, "callee_escalation": 6},
                      "renameByName": rename}},
                  {"id": "sortBy", "options": {"fields": {}, "sort": [{"field": "Contract", "desc": False}]}}])
    t["fieldConfig"]["defaults"]["links"] = [{
        "title": "Boundary detail",
        "url": "/d/seam-boundary-detail/seam-boundary-detail?${__url_time_range}&${datasource:queryparam}"
               "&var-caller_service=${__data.fields.caller_service}&var-callee_service=${__data.fields.callee_service}"
               "&var-transport=${__data.fields.transport}"}]
    t["fieldConfig"]["overrides"] = overrides
    t["options"] = {"showHeader": True, "cellHeight": "sm", "frameIndex": 0, "footer": {"show": False, "reducer": ["sum"], "fields": ""}}
    P.append(t)
    P.append(row(ids, "Interfaces", 12))
    R = "[$__rate_interval]"
    P.append(panel(ids, "timeseries", "Calls/s by interface status", [target(
        f"sum by (status) ({owned(f'sum by ({K}, status) (rate(seam_boundary_interface_calls_total{R}))')})", "{{status}}")],
        0, 13, 8, 8, "reqps", desc="Paired calls by the status of the interface version they spoke in their boundary's contract."))
    moving = f'sum by ({K}, interface, status) (rate(seam_boundary_interface_calls_total{{status=~"deprecated|sunset"}}{R}))'
    P.append(panel(ids, "timeseries", "Deprecated and sunset calls/s", [target(
        f"sum by ({K}, interface, status) ({owned(moving)})",
        "{{caller_service}} -> {{callee_service}} {{transport}} {{interface}} ({{status}})")],
        8, 13, 8, 8, "reqps", desc="The callers that must move: SeamBoundaryInterfaceSunsetNear and SeamBoundaryInterfacePastSunset page them."))
    sun = panel(ids, "table", "Sunsets", [target(
        owned(f"max by ({K}, interface) (seam_boundary_interface_sunset_timestamp_seconds) - time()"), ref="sunset", instant=True, fmt="table")],
        16, 13, 8, 8, "s", desc="Time left until each deprecated interface of a declared boundary is sunset (negative: past it).",
        transformations=[{"id": "organize", "options": {"excludeByName": {"Time": True, "__name__": True, "caller_escalation": True,
                                                                           "callee_escalation": True},
                                                        "renameByName": {"Value": "Until sunset"}}}])
    sun["options"] = {"showHeader": True, "cellHeight": "sm", "frameIndex": 0, "footer": {"show": False, "reducer": ["sum"], "fields": ""}}
    P.append(sun)
    P.append(row(ids, "Contract file", 21))
    P.append(panel(ids, "timeseries", "Contract reloads/s", [target(
        "sum by (outcome) (rate(seam_contracts_reload_total[$__rate_interval]))", "{{outcome}}")], 0, 22, 8, 7, "short",
        desc="Loads of the contract file: at start, on SIGHUP, and when it changed. invalid: the contracts before stay in force (SeamContractsInvalid)."))
    P.append(panel(ids, "timeseries", "Last reload successful", [target(
        "min by (instance) (seam_contracts_last_reload_successful)", "{{instance}}")], 8, 22, 8, 7, "short",
        desc="1: the last load succeeded; 0: it failed and Seam's log names the offending key."))
    P.append(panel(ids, "timeseries", "Age of the contracts in force", [target(
        "time() - max by (instance) (seam_contracts_loaded_timestamp_seconds)", "{{instance}}")], 16, 22, 8, 7, "s",
        desc="How long ago the contracts in force were read."))
    variables = [dsvar(),
                 qvar("team", 'label_values(contract_side:seam_boundary_owner:info, team)', "Team (caller or callee side)")]
    return dashboard("seam-ownership", "Seam / Ownership",
                     "The responsibility matrix: who owns each side of every boundary, whether it was agreed, which interface versions "
                     "it speaks, and each budget against its live value. The page a governance review or an incident commander opens first.",
                     P, variables)


def main():
    for name, d in (("seam-boundaries.json", overview()), ("seam-boundary-detail.json", detail()), ("seam-self.json", self_dash()),
                    ("seam-ownership.json", ownership())):
        with open(os.path.join(HERE, name), "w") as f:
            json.dump(d, f, indent=2, sort_keys=False)
            f.write("\n")


if __name__ == "__main__":
    main()
