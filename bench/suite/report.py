#!/usr/bin/env python3
"""The bench suite's report: a Markdown table from a result JSON, the issue #13 targets checked on
ratios from the same run, and (--compare) a regression check against a baseline JSON.

Latencies "added" are a target's percentile minus nginx direct's in the same run; throughput is
compared as a share of nginx direct's, because this shared 2-core host's absolute numbers move
from run to run while the ratios move much less. Exit status 1 when --compare finds a regression."""
import argparse
import json
import sys

TARGETS = ["nginx", "portkey", "forced", "routed", "forced-before", "routed-before"]
NAMES = {"nginx": "nginx direct", "portkey": "Portkey 1.15.2",
         "forced": "ours, forced (`model: <expert id>`)", "routed": "ours, routed (`model: auto`)",
         "forced-before": "ours before, forced", "routed-before": "ours before, routed"}


COUNTS = ("requests", "errors_connect", "errors_read", "errors_timeout", "non_2xx")


def median(values):
    v = sorted(values)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2


def cell(result, target, conns, stream=False):
    """The cell, or with ROUNDS > 1 the rounds' cells merged: each wrk figure the median over the
    rounds, counts (requests, errors) summed, RSS the highest seen."""
    matches = [c for c in result["cells"]
               if c["target"] == target and c["connections"] == conns and c["stream"] == stream]
    if len(matches) <= 1:
        return matches[0] if matches else None
    wrk = {k: (sum if k in COUNTS else median)([m["wrk"][k] for m in matches]) for k in matches[0]["wrk"]}
    return dict(matches[0], wrk=wrk, rounds=len(matches),
                rss_kb=max(m.get("rss_kb", 0) for m in matches), hwm_kb=max(m.get("hwm_kb", 0) for m in matches))


def derive(result):
    """Per target: latencies at 1 connection (and added over nginx), requests/s at 32, stream."""
    out = {}
    n1, n32, ns = cell(result, "nginx", 1), cell(result, "nginx", 32), cell(result, "nginx", 1, True)
    for t in TARGETS:
        c1, c32, cs = cell(result, t, 1), cell(result, t, 32), cell(result, t, 1, True)
        if not (c1 and c32):
            continue
        w1, w32 = c1["wrk"], c32["wrk"]
        d = {"p50_ms": w1["p50_ms"], "p99_ms": w1["p99_ms"], "rps_1": w1["rps"], "rps_32": w32["rps"],
             "p99_ms_32": w32["p99_ms"],
             "errors": sum(w[k] for w in (w1, w32, cs["wrk"] if cs else None) if w for k in ("errors_connect", "errors_read", "errors_timeout", "non_2xx"))}
        if n1:
            d["p50_added_ms"] = w1["p50_ms"] - n1["wrk"]["p50_ms"]
            d["p99_added_ms"] = w1["p99_ms"] - n1["wrk"]["p99_ms"]
        if n32:
            d["rps_share_of_nginx"] = w32["rps"] / n32["wrk"]["rps"]
        if cs:
            d["stream_p50_ms"], d["stream_p99_ms"] = cs["wrk"]["p50_ms"], cs["wrk"]["p99_ms"]
            if ns:
                d["stream_p99_added_ms"] = cs["wrk"]["p99_ms"] - ns["wrk"]["p99_ms"]
        rss = [c["rss_kb"] for c in (c1, c32, cs) if c and c.get("rss_kb")]
        hwm = [c["hwm_kb"] for c in (c1, c32, cs) if c and c.get("hwm_kb")]
        if rss:
            d["rss_mb"] = max(rss) / 1024
            d["hwm_mb"] = max(hwm) / 1024
        out[t] = d
    pk = out.get("portkey", {}).get("rps_32")
    for t in ("forced", "routed", "forced-before", "routed-before"):
        if t in out and pk:
            out[t]["rps_vs_portkey"] = out[t]["rps_32"] / pk
    return out


def targets(derived, baseline_derived=None):
    """Issue #13's targets, each (label, value, goal, met)."""
    f, r = derived.get("forced", {}), derived.get("routed", {})
    checks = [
        ("forced p99 added at 1 connection (ms)", f.get("p99_added_ms"), "<= 1", lambda v: v <= 1),
        ("forced requests/s at 32, share of nginx", f.get("rps_share_of_nginx"), ">= 0.10", lambda v: v >= 0.10),
        ("forced requests/s at 32, x Portkey", f.get("rps_vs_portkey"), ">= 10", lambda v: v >= 10),
        ("routed p50 added at 1 connection (ms)", r.get("p50_added_ms"), "<= 3", lambda v: v <= 3),
        ("routed p99 added at 1 connection (ms)", r.get("p99_added_ms"), "<= 12", lambda v: v <= 12),
        ("routed requests/s at 32, x Portkey", r.get("rps_vs_portkey"), "> 1", lambda v: v > 1),
        ("RSS under load (MB)", max(f.get("hwm_mb", 0), r.get("hwm_mb", 0)) or None, "<= 400", lambda v: v <= 400),
    ]
    rb = derived.get("routed-before", {})
    if rb.get("rps_32") and r.get("rps_32"):
        checks.append(("routed requests/s at 32 vs before, same run", r["rps_32"] / rb["rps_32"], ">= 2",
                       lambda v: v >= 2))
    if baseline_derived and "routed" in baseline_derived:
        before = baseline_derived["routed"].get("rps_share_of_nginx")
        now = r.get("rps_share_of_nginx")
        if before and now:
            checks.append(("routed requests/s at 32 vs baseline (share of nginx)", now / before, ">= 2",
                           lambda v: v >= 2))
    return [(label, v, goal, None if v is None else ok(v)) for label, v, goal, ok in checks]


def fmt(v, digits=2):
    return "-" if v is None else f"{v:,.{digits}f}"


def markdown(result, derived, checks):
    m = result["meta"]
    lines = [f"Bench suite `bench/run.sh`, {m['date']}: {m['host_cpu']}, {m['cores']} cores, {m['java']}, "
             f"router {m['router_version']}, commit {m['commit']}; loopback, {m['seconds_per_cell']} s per cell, "
             f"new ~{m['prompt_chars']}-character prompt per request; upstream {m['upstream']}, wrk {m['wrk']}.", "",
             "| path | p50 ms at 1 conn (added) | p99 ms at 1 conn (added) | requests/s at 32 conns | share of nginx | streamed p99 ms at 1 conn | errors |",
             "|---|---|---|---|---|---|---|"]
    for t in TARGETS:
        d = derived.get(t)
        if not d:
            continue
        added = lambda k: "" if t == "nginx" or k not in d else f" (+{fmt(d[k])})"
        lines.append(f"| {NAMES[t]} | {fmt(d['p50_ms'])}{added('p50_added_ms')} | {fmt(d['p99_ms'])}{added('p99_added_ms')} | "
                     f"{fmt(d['rps_32'], 0)} | {fmt(d.get('rps_share_of_nginx'), 3)} | {fmt(d.get('stream_p99_ms'))} | {d['errors']} |")
    rss = [derived[t].get("hwm_mb") for t in ("forced", "routed") if t in derived and derived[t].get("hwm_mb")]
    if rss:
        before = [derived[t].get("hwm_mb") for t in ("forced-before", "routed-before") if derived.get(t, {}).get("hwm_mb")]
        lines += ["", f"Our peak RSS (VmHWM) during the run: {max(rss):.0f} MB"
                  + (f" (the earlier build in the same run: {max(before):.0f} MB)." if before else ".")]
    lines += ["", "| target (issue #13) | this run | goal | met |", "|---|---|---|---|"]
    for label, v, goal, met in checks:
        lines.append(f"| {label} | {fmt(v)} | {goal} | {'-' if met is None else ('yes' if met else '**no**')} |")
    return "\n".join(lines) + "\n"


def compare(derived, base, tolerance):
    """Regressions beyond the tolerance, on ratios: added latency (with a 0.5 ms floor, below which
    this host's noise dominates) and throughput as a share of nginx direct."""
    problems = []
    for t in ("forced", "routed"):
        now, then = derived.get(t), base.get(t)
        if not now or not then:
            continue
        for k in ("p50_added_ms", "p99_added_ms"):
            if k in now and k in then and now[k] > max(then[k] * (1 + tolerance), then[k] + 0.5):
                problems.append(f"{t} {k}: {now[k]:.2f} vs baseline {then[k]:.2f}")
        k = "rps_share_of_nginx"
        if k in now and k in then and now[k] < then[k] * (1 - tolerance):
            problems.append(f"{t} {k}: {now[k]:.4f} vs baseline {then[k]:.4f}")
        if now["errors"] > then["errors"]:
            problems.append(f"{t} errors: {now['errors']} vs baseline {then['errors']}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("result")
    ap.add_argument("--markdown")
    ap.add_argument("--compare")
    ap.add_argument("--tolerance", type=float, default=0.25)
    a = ap.parse_args()
    result = json.load(open(a.result))
    derived = derive(result)
    base = derive(json.load(open(a.compare))) if a.compare else None
    checks = targets(derived, base)
    result["derived"] = derived
    json.dump(result, open(a.result, "w"), indent=1)
    md = markdown(result, derived, checks)
    if a.markdown:
        open(a.markdown, "w").write(md)
    print(md)
    if base is not None:
        problems = compare(derived, base, a.tolerance)
        if problems:
            print(f"REGRESSION against {a.compare} (tolerance {a.tolerance:.0%}):")
            for p in problems:
                print("  " + p)
            sys.exit(1)
        print(f"no regression against {a.compare} (tolerance {a.tolerance:.0%})")


if __name__ == "__main__":
    main()
