#!/usr/bin/env python3
"""Render a workload the seeds' way: the Salt pillar (YAML) through Jinja2
templates into files, as the user's Salt states do with `file.managed
template: jinja` (one Nomad job per app, the Caddyfile, the DNS records).

    render.py PILLAR OUT_DIR

Writes OUT_DIR/nomad/<app>.nomad, OUT_DIR/caddy/Caddyfile and
OUT_DIR/terraform/dns.tf. Needs jinja2 and PyYAML (both in .tools/venv).
This is the baseline eosc is compared with (scripts/perf/compare.py); it
gets every advantage: libyaml's C loader when present, and each template
compiled once and rendered many times (Salt recompiles per state).
"""
import os
import sys

import jinja2
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: render.py PILLAR OUT_DIR")
    pillar_path, out = sys.argv[1], sys.argv[2]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(pillar_path, encoding="utf-8") as f:
        pillar = yaml.load(f, Loader=loader)
    hecate = pillar["hecate"]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    job = env.get_template("nomad.job.j2")
    for app in hecate["apps"]:
        write(os.path.join(out, "nomad", app["name"] + ".nomad"), job.render(hecate=hecate, app=app))
    write(os.path.join(out, "caddy", "Caddyfile"), env.get_template("Caddyfile.j2").render(hecate=hecate))
    write(os.path.join(out, "terraform", "dns.tf"), env.get_template("dns.tf.j2").render(hecate=hecate))


if __name__ == "__main__":
    main()
