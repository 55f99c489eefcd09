#!/usr/bin/env node
'use strict';
require('../dist/pipelines/cli/main.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`stream-dse: internal error: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 1; },
);
