#!/usr/bin/env python3
"""Log-log plot of wall time against the number of apps, one line per way
of producing the output (eosc compile, Jinja2 rendering, cp -r of eosc's
output), from the JSON that compare.py writes. Plain SVG, no plotting
library, so the picture is regenerated with nothing but Python:

    python3 scripts/perf/plot.py docs/performance.json docs/performance.svg
"""
import json
import math
import sys

W, H = 820, 480
LEFT, RIGHT, TOP, BOTTOM = 80, 250, 40, 60
SERIES = [
    ("jinja", "Jinja2 (pillar → templates)", "#d62728", "square"),
    ("jsonnet", "jrsonnet (pillar → jsonnet)", "#ff7f0e", "square"),
    ("eosc", "eosc compile", "#1f77b4", "circle"),
    ("check", "eosc check", "#2ca02c", "circle"),
    ("cp", "cp -r of eosc's output", "#7f7f7f", "diamond"),
]


def decades(lo, hi):
    return list(range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1))


def fmt_ms(exp):
    v = 10.0**exp
    return f"{v:g} ms" if v < 1000 else f"{v / 1000:g} s"


def marker(kind, x, y, color):
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{color}"/>'
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{color}"/>'
    return f'<path d="M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y:.1f} L{x:.1f},{y + 5:.1f} L{x - 5:.1f},{y:.1f} Z" fill="{color}"/>'


def svg(results):
    """The plot of compare.py's results as SVG text; a series whose tool was
    missing in that run is left out."""
    rows = results["sizes"]
    ns = [r["n"] for r in rows]
    series = [s for s in SERIES if all(s[0] in r for r in rows)]
    times = [r[k]["wall_median_s"] * 1000 for r in rows for k, *_ in series]
    xd = decades(min(ns), max(ns))
    yd = decades(min(times), max(times))
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def px(n):
        return LEFT + (math.log10(n) - xd[0]) / (xd[-1] - xd[0]) * pw

    def py(ms):
        return TOP + ph - (math.log10(ms) - yd[0]) / (yd[-1] - yd[0]) * ph

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{W}" height="{H}" fill="white"/>',
        f'<text x="{LEFT + pw / 2:.1f}" y="22" text-anchor="middle" font-size="14">'
        "Wall time (median) against the number of apps, log-log</text>",
    ]
    for d in xd:
        x = px(10**d)
        out.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + ph}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{TOP + ph + 18}" text-anchor="middle">{10**d:,}</text>')
    for d in yd:
        y = py(10**d)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + pw}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{fmt_ms(d)}</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    out.append(f'<text x="{LEFT + pw / 2:.1f}" y="{H - 18}" text-anchor="middle">apps (N)</text>')
    for i, (key, label, color, kind) in enumerate(series):
        pts = [(px(r["n"]), py(r[key]["wall_median_s"] * 1000)) for r in rows]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        out.extend(marker(kind, x, y, color) for x, y in pts)
        ly = TOP + 20 + i * 22
        lx = LEFT + pw + 16
        out.append(marker(kind, lx + 6, ly - 4, color))
        out.append(f'<text x="{lx + 18}" y="{ly}">{label}</text>')
    m = results["machine"]
    notes = [
        f'{m["cores"]} cores, output on {m["filesystem"]}',
        f'medians of {results["runs"]} runs each',
    ]
    for i, note in enumerate(notes):
        out.append(f'<text x="{LEFT + pw + 16}" y="{TOP + 130 + 14 * i}" font-size="11" fill="#555">{note}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: plot.py RESULTS.json OUT.svg")
    with open(sys.argv[1]) as f:
        text = svg(json.load(f))
    with open(sys.argv[2], "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
