#!/usr/bin/env node
'use strict';
const argv = process.argv.slice(2);
// `co` renders its pictures in a worker: started first, it loads vega while the CLI loads and runs.
require('../dist/pipelines/cli/prestart.js').prestartChartRenderer(argv);
// `co` solves its MILPs on a thread that loads and warms up HiGHS meanwhile (operators/solver-thread.ts).
require('../dist/operators/solver-thread.js').prestartSolverThread(argv);
// The CLI is one bundled file (tools/bundle-cli.js): loading it takes a fraction of loading its modules one by one.
require('../dist/cli.js').main(argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`stream-dse: internal error: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 1; },
);
