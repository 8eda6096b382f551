#!/usr/bin/env python3
"""Whole-process comparison of eosc with the user's way of working today.

For each workload size N (apps, each with a route, a DNS record, a health
check, resources and a dependency on its neighbour; benches/workload):

  eosc     `eosc compile hecate.hcl -o OUT` (all targets, both checked)
  check    `eosc check hecate.hcl` (parse and every check, no output)
  jinja    the same N apps the seeds' way: pillar YAML through Jinja2
           templates into files (scripts/perf/jinja/render.py)
  jsonnet  the same files from the same pillar through one jsonnet
           program run by jrsonnet (scripts/perf/jsonnet/render.jsonnet)
  cp       `cp -r` of eosc's own output tree: the cost of writing those
           bytes and files, the floor eosc is held to

plus `eosc check examples/cybermonkey/hecate.hcl`.

Every command runs --runs times, all interleaved (the order rotates
each round), each into a new output directory. Nothing is deleted until
the end: ext4 without a journal skips inodes freed in the last minutes
when it allocates new ones, so a run after a deletion measures the
allocator's search more than the program. Reported: the median wall
time, the median CPU time (user + system, from wait4, which machine load
disturbs less), and the median peak RSS (wait4's ru_maxrss of the child).
The default --work is on tmpfs (/dev/shm), where writing costs only the
copy into the page cache; pass a directory on disk to include the disk.

    python3 scripts/perf/compare.py                  # N = 100, 1,000, 10,000
    python3 scripts/perf/compare.py --sizes 10,100 --runs 3
    python3 scripts/perf/compare.py --json docs/performance.json --plot docs/performance.svg
    python3 scripts/perf/compare.py --report docs/performance.json   # tables only

Needs: a release build (built here unless --no-build). Optional, each
column left out with a line saying what to install when missing: a Python
with jinja2 and PyYAML for the Jinja2 renderer (`.tools/venv/bin/python`
from scripts/install-test-tools.sh, or --jinja-python), and jrsonnet
(`cargo install jrsonnet --locked --version 0.5.0-pre98`; found on PATH,
in ~/.cargo/bin, or --jrsonnet). Perf tooling is not part of the test
tools. Everything is written under --work (default /dev/shm/eosc-perf,
removed at the end); nothing reads /work/shared.
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EOSC = os.path.join(ROOT, "target", "release", "eosc")
WORKLOAD = os.path.join(ROOT, "target", "release", "examples", "workload")
RENDER = os.path.join(ROOT, "scripts", "perf", "jinja", "render.py")
JSONNET = os.path.join(ROOT, "scripts", "perf", "jsonnet", "render.jsonnet")
JRSONNET_INSTALL = "cargo install jrsonnet --locked --version 0.5.0-pre98"
CYBERMONKEY = os.path.join(ROOT, "examples", "cybermonkey", "hecate.hcl")


def run(argv, measure=True):
    """Runs argv to completion; (wall seconds, CPU seconds, max RSS KiB)."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            err.seek(0)
            sys.exit(f"{' '.join(argv)} failed ({p.returncode}):\n{err.read().decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def tree_size(path):
    files = size = 0
    for d, _, names in os.walk(path):
        for n in names:
            files += 1
            size += os.path.getsize(os.path.join(d, n))
    return files, size


def machine(work):
    info = {"python": platform.python_version(), "kernel": platform.release()}
    try:
        cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        m = re.search(r"Model name:\s*(.+)", cpu)
        info["cpu"] = m.group(1).strip() if m else "unknown"
    except OSError:
        info["cpu"] = "unknown"
    info["cores"] = os.cpu_count()
    with open("/proc/meminfo") as f:
        kib = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    info["memory_gib"] = round(kib / 1024 / 1024, 1)
    fs = subprocess.run(["df", "-T", work], capture_output=True, text=True).stdout.splitlines()
    info["filesystem"] = fs[-1].split()[1] if len(fs) > 1 else "unknown"
    info["rustc"] = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return info


def summarize(samples):
    walls = [s[0] for s in samples]
    cpus = [s[1] for s in samples]
    return {
        "wall_median_s": statistics.median(walls),
        "wall_min_s": min(walls),
        "cpu_median_s": statistics.median(cpus),
        "peak_rss_kib": statistics.median(s[2] for s in samples),
        "runs": len(samples),
    }


def find_jrsonnet(given):
    """The jrsonnet binary, or None (and a line saying how to install it)."""
    for c in [given, shutil.which("jrsonnet"), os.path.expanduser("~/.cargo/bin/jrsonnet")]:
        if c and os.access(c, os.X_OK):
            return c
    print(f"jrsonnet not found: its column is left out (install: {JRSONNET_INSTALL})", file=sys.stderr)
    return None


def jinja_versions(python):
    """(jinja2, PyYAML, libyaml) versions, or None (and a line saying why)."""
    v = subprocess.run(
        [python, "-c", "import jinja2, yaml; print(jinja2.__version__, yaml.__version__, yaml.__with_libyaml__)"],
        capture_output=True,
        text=True,
    )
    if v.returncode != 0:
        print(f"{python} cannot import jinja2 and yaml: the Jinja2 column is left out "
              f"(run scripts/install-test-tools.sh or pass --jinja-python)", file=sys.stderr)
        return None
    return v.stdout.split()


def same_lines(a, b):
    """Both trees hold the same files, each with the same lines (jsonnet
    sorts an object's fields, so only the order of lines may differ)."""
    files = lambda root: sorted(os.path.relpath(os.path.join(d, n), root) for d, _, ns in os.walk(root) for n in ns)
    if files(a) != files(b):
        return False
    for f in files(a):
        with open(os.path.join(a, f)) as x, open(os.path.join(b, f)) as y:
            if sorted(x.read().split("\n")) != sorted(y.read().split("\n")):
                return False
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--check-runs", type=int, default=50)
    ap.add_argument("--work", default="/dev/shm/eosc-perf")
    ap.add_argument("--jinja-python", default=os.path.join(ROOT, ".tools", "venv", "bin", "python"))
    ap.add_argument("--jrsonnet", help="the jrsonnet binary (default: PATH, then ~/.cargo/bin)")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--plot", help="write an SVG plot of the results here (scripts/perf/plot.py)")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--report", metavar="JSON", help="print the tables of a previous run and exit")
    args = ap.parse_args()
    if args.report:
        with open(args.report) as f:
            print(table(json.load(f)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)

    if not args.no_build:
        subprocess.run(
            ["cargo", "build", "--release", "--bin", "eosc", "--example", "workload"],
            cwd=ROOT,
            check=True,
        )
    versions = jinja_versions(args.jinja_python)
    jrsonnet = find_jrsonnet(args.jrsonnet)

    specs = os.path.join(work, "specs")
    subprocess.run([WORKLOAD, specs, *map(str, sizes)], check=True)

    results = {
        "machine": machine(work),
        "load_before": os.getloadavg(),
        "runs": args.runs,
        "sizes": [],
    }
    if versions:
        results["jinja2"], results["pyyaml"] = versions[0], versions[1]
        results["libyaml"] = versions[2] == "True"
    if jrsonnet:
        results["jrsonnet"] = subprocess.run([jrsonnet, "--version"], capture_output=True, text=True).stdout.strip()
    for n in sizes:
        spec = os.path.join(specs, str(n), "hecate.hcl")
        pillar = os.path.join(specs, str(n), "pillar.sls")
        out = lambda k, r: os.path.join(work, "out", str(n), k, str(r))
        # The tree cp copies: eosc's output, made once and kept.
        floor = os.path.join(work, "out", str(n), "floor")
        run([EOSC, "compile", spec, "-o", floor])
        commands = {
            "eosc": lambda r: [EOSC, "compile", spec, "-o", out("eosc", r)],
            "check": lambda r: [EOSC, "check", spec],
            "cp": lambda r: ["cp", "-r", floor, out("cp", r)],
        }
        if versions:
            commands["jinja"] = lambda r: [args.jinja_python, RENDER, pillar, out("jinja", r)]
        if jrsonnet:
            commands["jsonnet"] = lambda r: [
                jrsonnet, "-S", "-c", "--no-trailing-newline", "-m", out("jsonnet", r),
                "--ext-str-file", f"pillar={pillar}", JSONNET,
            ]
        samples = {k: [] for k in commands}
        names = list(commands)
        for r in range(args.runs + 1):
            for k in names[r % len(names):] + names[: r % len(names)]:
                os.makedirs(os.path.dirname(out(k, r)), exist_ok=True)
                s = run(commands[k](r))
                if r > 0:  # the first round warms caches
                    samples[k].append(s)
        if versions and jrsonnet and n == sizes[0] and not same_lines(out("jinja", 0), out("jsonnet", 0)):
            sys.exit(f"N={n}: the jsonnet renderer's files differ from the Jinja2 renderer's")
        row = {"n": n, "spec_bytes": os.path.getsize(spec), "pillar_bytes": os.path.getsize(pillar)}
        for k in names:
            row[k] = summarize(samples[k])
        for k in ("eosc", "jinja", "jsonnet"):
            if k in row:
                row[k]["files"], row[k]["bytes"] = tree_size(out(k, 0))
        results["sizes"].append(row)
        others = "  ".join(
            f"{k} {row[k]['wall_median_s']*1000:9.1f} ms" for k in ("check", "jinja", "jsonnet", "cp") if k in row
        )
        print(
            f"N={n:>6}: eosc {row['eosc']['wall_median_s']*1000:9.1f} ms  {others}  "
            f"(eosc peak RSS {row['eosc']['peak_rss_kib']/1024:.1f} MiB)",
            flush=True,
        )

    check = [run([EOSC, "check", CYBERMONKEY]) for _ in range(args.check_runs + 1)][1:]
    results["check_cybermonkey"] = summarize(check)
    results["load_after"] = os.getloadavg()
    print(f"eosc check cybermonkey: {results['check_cybermonkey']['wall_median_s']*1000:.2f} ms wall, "
          f"{results['check_cybermonkey']['cpu_median_s']*1000:.2f} ms CPU (medians of {args.check_runs})")
    shutil.rmtree(os.path.join(work, "out"), ignore_errors=True)
    print()
    print(table(results))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
            f.write("\n")
    if args.plot:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import plot

        with open(args.plot, "w") as f:
            f.write(plot.svg(results))


def table(results):
    """The Markdown tables of docs/performance.md: wall time, then CPU time
    and peak RSS, one row per N; a column whose tool was missing is "n/a"."""
    ms = lambda s: f"{s * 1000:,.1f} ms"
    cols = [("eosc", "eosc compile"), ("check", "eosc check"), ("jinja", "Jinja2"),
            ("jsonnet", "jrsonnet"), ("cp", "`cp -r` of eosc's output")]
    get = lambda r, k, f: f(r[k]) if k in r else "n/a"
    ratio = lambda r, a, b: f"{r[a]['wall_median_s'] / r[b]['wall_median_s']:.1f}×" if a in r and b in r else "n/a"
    rows = [
        "| N | " + " | ".join(c for _, c in cols) + " | eosc ÷ `cp -r` | Jinja2 ÷ eosc | jrsonnet ÷ eosc |",
        "|---:" * (len(cols) + 4) + "|",
    ]
    for r in results["sizes"]:
        rows.append(
            f"| {r['n']:,} | " + " | ".join(get(r, k, lambda x: ms(x["wall_median_s"])) for k, _ in cols)
            + f" | {ratio(r, 'eosc', 'cp')} | {ratio(r, 'jinja', 'eosc')} | {ratio(r, 'jsonnet', 'eosc')} |"
        )
    rows += [
        "",
        "CPU time (user + system) and peak RSS, medians:",
        "",
        "| N | spec | eosc output | Jinja2 output | " + " | ".join(f"{c} CPU" for _, c in cols)
        + " | eosc peak RSS | eosc check peak RSS | Jinja2 peak RSS | jrsonnet peak RSS | eosc CPU per app |",
        "|---:" * (len(cols) + 9) + "|",
    ]
    for r in results["sizes"]:
        e = r["eosc"]
        mib = lambda x: f"{x['peak_rss_kib'] / 1024:,.1f} MiB"
        rows.append(
            f"| {r['n']:,} | {r['spec_bytes'] / 1024:,.0f} KiB | {e['files']:,} files, {e['bytes'] / 1024 / 1024:,.1f} MiB | "
            + get(r, "jinja", lambda j: f"{j['files']:,} files, {j['bytes'] / 1024 / 1024:,.1f} MiB") + " | "
            + " | ".join(get(r, k, lambda x: ms(x["cpu_median_s"])) for k, _ in cols)
            + f" | {mib(e)} | {get(r, 'check', mib)} | {get(r, 'jinja', mib)} | {get(r, 'jsonnet', mib)} "
            f"| {e['cpu_median_s'] / r['n'] * 1e6:,.0f} µs |"
        )
    c = results.get("check_cybermonkey")
    if c:
        rows += ["", f"`eosc check examples/cybermonkey/hecate.hcl`: {ms(c['wall_median_s'])} wall, "
                 f"{ms(c['cpu_median_s'])} CPU (medians of {c['runs']})."]
    return "\n".join(rows)


if __name__ == "__main__":
    main()
