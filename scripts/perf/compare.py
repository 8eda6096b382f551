#!/usr/bin/env python3
"""Whole-process comparison of eosc with the user's way of working today.

For each workload size N (apps, each with a route, a DNS record, a health
check, resources and a dependency on its neighbour; benches/workload):

  eosc    `eosc compile hecate.hcl -o OUT` (all targets, both checked)
  jinja   the same N apps the seeds' way: pillar YAML through Jinja2
          templates into files (scripts/perf/jinja/render.py)
  cp      `cp -r` of eosc's own output tree: the cost of writing those
          bytes and files, the floor eosc is held to

plus `eosc check examples/cybermonkey/hecate.hcl`.

Every command runs --runs times, the three interleaved (the order rotates
each round), each into a new output directory. Nothing is deleted until
the end: ext4 without a journal skips inodes freed in the last minutes
when it allocates new ones, so a run after a deletion measures the
allocator's search more than the program. Reported: the median wall
time, the median CPU time (user + system, from wait4, which machine load
disturbs less), and the peak RSS of one extra run under `/usr/bin/time -v`.
The default --work is on tmpfs (/dev/shm), where writing costs only the
copy into the page cache; pass a directory on disk to include the disk.

    python3 scripts/perf/compare.py                  # N = 10 … 10,000
    python3 scripts/perf/compare.py --sizes 10,100 --runs 3
    python3 scripts/perf/compare.py --json docs/performance.json
    python3 scripts/perf/compare.py --report docs/performance.json   # tables only

Needs: a release build (built here unless --no-build), `/usr/bin/time`
(Debian package `time`), and a Python with jinja2 and PyYAML for the
renderer (`.tools/venv/bin/python` from scripts/install-test-tools.sh, or
--jinja-python). Everything is written under --work (default
/dev/shm/eosc-perf, removed at the end); nothing reads /work/shared.
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


def peak_rss_kib(argv):
    """Maximum resident set size as `/usr/bin/time -v` reports it."""
    out = subprocess.run(
        ["/usr/bin/time", "-v", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    ).stderr
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out)
    if not m:
        sys.exit(f"no peak RSS in /usr/bin/time -v output:\n{out}")
    return int(m.group(1))


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
        "runs": len(samples),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10,100,1000,10000")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--check-runs", type=int, default=50)
    ap.add_argument("--work", default="/dev/shm/eosc-perf")
    ap.add_argument("--jinja-python", default=os.path.join(ROOT, ".tools", "venv", "bin", "python"))
    ap.add_argument("--json", help="write the results here")
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
    versions = subprocess.run(
        [args.jinja_python, "-c", "import jinja2, yaml; print(jinja2.__version__, yaml.__version__, yaml.__with_libyaml__)"],
        capture_output=True,
        text=True,
    )
    if versions.returncode != 0:
        sys.exit(f"{args.jinja_python} cannot import jinja2 and yaml: run scripts/install-test-tools.sh\n{versions.stderr}")
    jinja_v, yaml_v, libyaml = versions.stdout.split()

    specs = os.path.join(work, "specs")
    subprocess.run([WORKLOAD, specs, *map(str, sizes)], check=True)

    results = {
        "machine": machine(work),
        "jinja2": jinja_v,
        "pyyaml": yaml_v,
        "libyaml": libyaml == "True",
        "load_before": os.getloadavg(),
        "runs": args.runs,
        "sizes": [],
    }
    for n in sizes:
        spec = os.path.join(specs, str(n), "hecate.hcl")
        pillar = os.path.join(specs, str(n), "pillar.sls")
        out = lambda k, r: os.path.join(work, "out", str(n), k, str(r))
        # The tree cp copies: eosc's output, made once and kept.
        floor = os.path.join(work, "out", str(n), "floor")
        run([EOSC, "compile", spec, "-o", floor])
        commands = {
            "eosc": lambda r: [EOSC, "compile", spec, "-o", out("eosc", r)],
            "jinja": lambda r: [args.jinja_python, RENDER, pillar, out("jinja", r)],
            "cp": lambda r: ["cp", "-r", floor, out("cp", r)],
        }
        samples = {k: [] for k in commands}
        names = list(commands)
        for r in range(args.runs + 1):
            for k in names[r % 3:] + names[: r % 3]:
                os.makedirs(os.path.dirname(out(k, r)), exist_ok=True)
                s = run(commands[k](r))
                if r > 0:  # the first round warms caches
                    samples[k].append(s)
        row = {"n": n, "spec_bytes": os.path.getsize(spec), "pillar_bytes": os.path.getsize(pillar)}
        for k in names:
            row[k] = summarize(samples[k])
            row[k]["peak_rss_kib"] = peak_rss_kib(commands[k]("rss"))
        row["eosc"]["files"], row["eosc"]["bytes"] = tree_size(out("eosc", 0))
        row["jinja"]["files"], row["jinja"]["bytes"] = tree_size(out("jinja", 0))
        results["sizes"].append(row)
        print(
            f"N={n:>6}: eosc {row['eosc']['wall_median_s']*1000:9.1f} ms  "
            f"jinja {row['jinja']['wall_median_s']*1000:9.1f} ms  "
            f"cp -r {row['cp']['wall_median_s']*1000:9.1f} ms  "
            f"(eosc peak RSS {row['eosc']['peak_rss_kib']/1024:.1f} MiB)",
            flush=True,
        )

    check = [run([EOSC, "check", CYBERMONKEY]) for _ in range(args.check_runs + 1)][1:]
    results["check_cybermonkey"] = summarize(check)
    results["check_cybermonkey"]["peak_rss_kib"] = peak_rss_kib([EOSC, "check", CYBERMONKEY])
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


def table(results):
    """The Markdown tables of docs/performance.md."""
    ms = lambda s: f"{s * 1000:,.1f}"
    rows = [
        "| N | eosc compile | Jinja2 | `cp -r` of eosc's output | Jinja2 ÷ eosc | eosc ÷ `cp -r` | eosc CPU | Jinja2 CPU | `cp -r` CPU |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["sizes"]:
        e, j, c = r["eosc"], r["jinja"], r["cp"]
        rows.append(
            f"| {r['n']:,} | {ms(e['wall_median_s'])} ms | {ms(j['wall_median_s'])} ms | {ms(c['wall_median_s'])} ms "
            f"| {j['wall_median_s'] / e['wall_median_s']:.1f}× | {e['wall_median_s'] / c['wall_median_s']:.1f}× "
            f"| {ms(e['cpu_median_s'])} ms | {ms(j['cpu_median_s'])} ms | {ms(c['cpu_median_s'])} ms |"
        )
    rows += [
        "",
        "| N | spec | eosc output | eosc peak RSS | RSS ÷ spec | Jinja2 peak RSS | `cp -r` peak RSS | eosc per app | eosc CPU per app |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["sizes"]:
        e = r["eosc"]
        rows.append(
            f"| {r['n']:,} | {r['spec_bytes'] / 1024:,.0f} KiB | {e['files']:,} files, {e['bytes'] / 1024 / 1024:,.1f} MiB "
            f"| {e['peak_rss_kib'] / 1024:,.1f} MiB | {e['peak_rss_kib'] * 1024 / r['spec_bytes']:.1f}× "
            f"| {r['jinja']['peak_rss_kib'] / 1024:,.1f} MiB | {r['cp']['peak_rss_kib'] / 1024:,.1f} MiB "
            f"| {e['wall_median_s'] / r['n'] * 1e6:,.0f} µs | {e['cpu_median_s'] / r['n'] * 1e6:,.0f} µs |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    main()
