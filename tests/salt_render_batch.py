"""usage: python salt_render_batch.py LIST -> one JSON line per SLS file in LIST

Renders each file with Salt's own template pipeline (salt.template.
compile_template: the `#!` line picks the renderers, as a minion does) and
prints {"file": ..., "data": ...} or {"file": ..., "error": ...}. One
process for every file: tests/it/hostile_fields.rs renders hundreds."""
import json
import sys
import tempfile

import salt.config
import salt.loader
import salt.template

root = tempfile.mkdtemp(prefix="eosc-salt-render-")
opts = salt.config.minion_config(None)
opts.update({"file_client": "local", "root_dir": root, "cachedir": root + "/cache",
             "pki_dir": root + "/pki", "log_file": root + "/log", "id": "eosc-test"})
renderers = salt.loader.render(opts, {})
for path in open(sys.argv[1]).read().split("\n"):
    if not path:
        continue
    try:
        data = salt.template.compile_template(
            path, renderers, opts["renderer"], opts["renderer_blacklist"],
            opts["renderer_whitelist"])
        line = {"file": path, "data": data}
    except Exception as e:  # a render error is the answer for this file
        line = {"file": path, "error": repr(e)}
    print(json.dumps(line, default=str))
