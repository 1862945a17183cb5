#!/usr/bin/env python3
"""Helpers for bench/compare.sh (Python 3 standard library only).

  compare.py sum URL NAME [label=value ...]     sum of a metric's samples on a /metrics page
  compare.py field FILE KEY                     a key of the last RESULT line in FILE
  compare.py sample PID FILE                    VmRSS and CPU ticks of PID every 0.5 s, until it exits
  compare.py rss FILE TS T0 T1                  peak over [TS,T1], and steady: median over [T0,T1]'s last third (MiB)
  compare.py cpu-at FILE T                      CPU seconds of the sampled process at epoch time T (from /proc)
  compare.py wait-seam-idle URL TIMEOUT         until Seam has processed (or dropped) everything it received
  compare.py wait-stable URL NAME TIMEOUT       until a metric's sum stops changing for a second
  compare.py wait-eq URL NAME VALUE TIMEOUT     until a metric's sum equals VALUE; prints the last sum
  compare.py busy SECONDS                       how busy the machine's CPUs are (percent), over SECONDS
  compare.py busy-seconds                       CPU seconds the machine has been busy since boot (all CPUs)
  compare.py table DIR                          the Markdown table from DIR/figures.txt
"""

import os
import re
import shlex
import signal
import statistics
import sys
import time
import urllib.request

SAMPLE_RE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)')
LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def scrape(url):
    req = urllib.request.Request(url, headers={"Accept": "text/plain"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.read().decode("utf-8", "replace")


def metric_sum(text, name, want=None):
    """Sum of the samples of `name` (exactly; not its _bucket/_count children) matching labels."""
    total = 0.0
    found = False
    for line in text.splitlines():
        if not line.startswith(name):
            continue
        m = SAMPLE_RE.match(line)
        if not m or m.group(1) != name:
            continue
        labels = dict(LABEL_RE.findall(m.group(3) or ""))
        if want and any(labels.get(k) != v for k, v in want.items()):
            continue
        try:
            total += float(m.group(4))
            found = True
        except ValueError:
            pass
    return total if found else 0.0


def url_sum(url, name, want=None):
    return metric_sum(scrape(url), name, want)


def fmt_num(v):
    return str(int(v)) if float(v).is_integer() else f"{v:.3f}".rstrip("0").rstrip(".")


def result_fields(path):
    last = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("RESULT "):
                last = line
    if last is None:
        return {}
    out = {}
    for tok in shlex.split(last)[1:]:
        if "=" in tok:
            k, v = tok.split("=", 1)
            out[k] = v
    return out


def cmd_sum(args):
    url, name = args[0], args[1]
    want = dict(a.split("=", 1) for a in args[2:])
    print(fmt_num(url_sum(url, name, want)))


def cmd_field(args):
    print(result_fields(args[0]).get(args[1], ""))


def cmd_sample(args):
    pid, path = int(args[0]), args[1]
    tick = os.sysconf("SC_CLK_TCK")
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    with open(path, "w", buffering=1) as out:
        out.write("# epoch_s rss_kib cpu_s\n")
        nxt = time.time()
        while not stop:
            try:
                with open(f"/proc/{pid}/status") as f:
                    rss = next((int(l.split()[1]) for l in f if l.startswith("VmRSS:")), 0)
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                cpu = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
            except (FileNotFoundError, ProcessLookupError, StopIteration):
                break
            out.write(f"{time.time():.3f} {rss} {cpu:.2f}\n")
            nxt += 0.5
            time.sleep(max(0.0, nxt - time.time()))


def read_samples(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            t, rss, cpu = line.split()
            rows.append((float(t), int(rss), float(cpu)))
    return rows


def cmd_rss(args):
    rows = read_samples(args[0])
    ts, t0, t1 = float(args[1]), float(args[2]), float(args[3])
    run = [r for r in rows if ts <= r[0] <= t1] or rows[-1:]
    peak = max(r[1] for r in run) / 1024
    last = [r[1] for r in run if r[0] >= t0 + (t1 - t0) * 2 / 3] or [run[-1][1]]
    print(f"{peak:.1f} {statistics.median(last) / 1024:.1f}")


def cmd_cpu_at(args):
    rows = read_samples(args[0])
    t = float(args[1])
    before = [r for r in rows if r[0] <= t]
    print(f"{(before[-1] if before else rows[0])[2]:.2f}")


def cmd_wait_seam_idle(args):
    url, timeout = args[0], float(args[1])
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        text = scrape(url)
        state = tuple(
            (metric_sum(text, "seam_received_items_total", {"signal": s}),
             metric_sum(text, "seam_processed_items_total", {"signal": s}),
             metric_sum(text, "seam_dropped_items_total", {"signal": s}))
            for s in ("spans", "logs"))
        inflight = metric_sum(text, "seam_pipeline_inflight_bytes")
        if all(r == p + d for r, p, d in state) and inflight == 0 and state == last:
            return
        last = state
        time.sleep(0.5)
    sys.exit(f"Seam did not become idle within {timeout:.0f} s: {last}")


def cmd_wait_stable(args):
    url, name, timeout = args[0], args[1], float(args[2])
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        v = url_sum(url, name)
        if v == last:
            print(fmt_num(v))
            return
        last = v
        time.sleep(1.0)
    print(fmt_num(last))


def cmd_wait_eq(args):
    url, name, want, timeout = args[0], args[1], float(args[2]), float(args[3])
    deadline = time.time() + timeout
    v = None
    while time.time() < deadline:
        try:
            v = url_sum(url, name)
        except OSError:
            v = None
        if v == want:
            break
        time.sleep(0.5)
    print(fmt_num(v) if v is not None else "none")


def read_stat():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v), v[3] + v[4]  # total, idle + iowait (clock ticks)


def cmd_busy_seconds(args):
    t, i = read_stat()
    print(f"{(t - i) / os.sysconf('SC_CLK_TCK'):.2f}")


def cmd_busy(args):
    read = read_stat
    t0, i0 = read()
    time.sleep(float(args[0]))
    t1, i1 = read()
    print(f"{100 * (1 - (i1 - i0) / max(1, t1 - t0)):.0f}")


# ---------------------------------------------------------------------------------------------
# The table

ROWS = [
    # key, label, better ("higher"/"lower"/None), unit formatting
    ("max_spans_per_s", "Max sustained throughput, nothing lost (spans/s)", "higher", "{:,.0f}"),
    ("loss_check", "Nothing-lost check at that rate", None, "{}"),
    ("cpu_per_mspans", "CPU per million spans (CPU s)", "lower", "{:.2f}"),
    ("rss_peak_mib", "Resident memory, peak during the max-rate run (MiB)", "lower", "{:.0f}"),
    ("rss_steady_mib", "Resident memory, steady at max rate (MiB)", "lower", "{:.0f}"),
    ("rss_idle_mib", "Resident memory, idle after start (MiB)", "lower", "{:.0f}"),
    ("fixed_latency_p50_ms", "Export latency p50 at the fixed rate (ms)", "lower", "{:.2f}"),
    ("fixed_latency_p99_ms", "Export latency p99 at the fixed rate (ms)", "lower", "{:.2f}"),
    ("fixed_spans_per_s", "Achieved fixed rate (spans/s)", None, "{:,.0f}"),
    ("fixed_rss_mib", "Resident memory at the fixed rate, median (MiB)", "lower", "{:.0f}"),
    ("probe_ms_median", "Export to visible on /metrics, median of probes (ms)", "lower", "{:,.0f}"),
    ("bytes_per_pending", "Memory per pending pairing entry (bytes of heap)", None, "{:.0f}"),
    ("gen_cpu_per_mspans", "Load generator's own CPU per million spans, max-rate run (CPU s)", None, "{:.2f}"),
]


# Issue 14's targets: an absolute bound on Seam's figure, or a ratio to the peer's ("x"), or both.
TARGETS = {
    "max_spans_per_s": ("ratio>=", 1.5),
    "cpu_per_mspans": ("abs<=", 1.2, "ratio<=", 0.25),
    "rss_peak_mib": ("abs<=", 350),
    "rss_steady_mib": ("abs<=", 350),
    "rss_idle_mib": ("abs<=", 80),
    "fixed_latency_p99_ms": ("ratio<=", 1.0),
    "fixed_rss_mib": ("abs<=", 150),
    "bytes_per_pending": ("abs<=", 100),
}


def target_cell(key, seam, peer):
    """The target and whether Seam meets it: 'met', 'missed' or '' when it cannot be judged."""
    spec = TARGETS.get(key)
    if not spec:
        return ""
    words, verdicts = [], []
    for kind, bound in zip(spec[0::2], spec[1::2]):
        if kind.startswith("abs"):
            words.append(("<= " if kind == "abs<=" else ">= ") + f"{bound:g}")
            if seam is not None:
                verdicts.append(seam <= bound if kind == "abs<=" else seam >= bound)
        else:
            words.append(("<= " if kind == "ratio<=" else ">= ") + f"{bound:g} x peer")
            if seam is not None and peer not in (None, 0.0):
                verdicts.append(seam / peer <= bound if kind == "ratio<=" else seam / peer >= bound)
    if not verdicts:
        return " and ".join(words)
    return " and ".join(words) + (" (met)" if all(verdicts) else " (missed)")


def cmd_table(args):
    d = args[0]
    figs = {"seam": {}, "otelcol": {}}
    notes = []
    with open(os.path.join(d, "figures.txt")) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or "=" not in line:
                continue
            k, v = line.split("=", 1)
            who, key = k.split(".", 1)
            if key == "note":
                notes.append(f"- {'Seam' if who == 'seam' else 'OpenTelemetry Collector'}: {v}")
            else:
                figs.setdefault(who, {})[key] = v
    out = ["| figure | better | Seam | OpenTelemetry Collector | Seam / peer | target |", "|---|---|---|---|---|---|"]
    for key, label, better, form in ROWS:
        s, o = figs["seam"].get(key), figs["otelcol"].get(key)
        if s is None and o is None:
            continue
        cells = []
        nums = []
        for v in (s, o):
            if v is None or v == "":
                cells.append("n/a")
                nums.append(None)
                continue
            try:
                x = float(v)
                if x < 0:
                    cells.append("failed")
                    nums.append(None)
                    continue
                cells.append(form.format(x))
                nums.append(x)
            except ValueError:
                cells.append(v)
                nums.append(None)
        ratio = ""
        if better and nums[0] is not None and nums[1] not in (None, 0.0):
            r = nums[0] / nums[1]
            seam_ahead = r > 1 if better == "higher" else r < 1
            shown = f"{r:.2f}" if r >= 0.1 else f"{r:.2g}"
            ratio = f"{shown} ({'Seam' if seam_ahead else 'peer'} ahead)" if abs(r - 1) > 0.005 else f"{shown} (even)"
        out.append(f"| {label} | {better or ''} | {cells[0]} | {cells[1]} | {ratio} | {target_cell(key, nums[0], nums[1])} |")
    print("\n".join(out))
    if notes:
        print()
        print("\n".join(notes))


COMMANDS = {
    "sum": cmd_sum, "field": cmd_field, "sample": cmd_sample, "rss": cmd_rss, "cpu-at": cmd_cpu_at,
    "wait-seam-idle": cmd_wait_seam_idle, "wait-stable": cmd_wait_stable, "wait-eq": cmd_wait_eq,
    "busy": cmd_busy, "busy-seconds": cmd_busy_seconds, "table": cmd_table,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
