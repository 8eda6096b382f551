#!/usr/bin/env node
// usage: node hcl2json_batch.js LIST  -> one JSON line per file named in LIST
// (one path a line): {"file": …, "json": …} or {"file": …, "error": …}.
// The parser of .tools/bin/hcl2json (HashiCorp's hcl v2, compiled to wasm),
// loaded once for all files: tests/it/hostile_fields.rs reads thousands.
"use strict";
const fs = require("fs");
const path = require("path");
const tools = process.env.EOSC_TOOLS || path.join(__dirname, "..", ".tools");
const { parse } = require(path.join(tools, "node", "node_modules", "@cdktf", "hcl2json"));
const files = fs.readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l);
(async () => {
  for (const file of files) {
    let line;
    try {
      const json = await parse(path.basename(file), fs.readFileSync(file, "utf8"));
      line = { file, json };
    } catch (e) {
      line = { file, error: String(e && e.message ? e.message : e) };
    }
    process.stdout.write(JSON.stringify(line) + "\n");
  }
})();
