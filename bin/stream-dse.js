#!/usr/bin/env node
'use strict';
const argv = process.argv.slice(2);
// `co` solves its MILPs on a thread that loads and warms up HiGHS meanwhile (operators/solver-thread.ts).
const solver = require('../dist/operators/solver-thread.js');
solver.prestartSolverThread(argv);
// A command line the `co` command never ran (a usage error) leaves it untaken: close it, or its thread
// would keep the process alive.
const closeUntaken = () => solver.takePrestartedSolverThread()?.close();
// The CLI is one bundled file (tools/bundle-cli.js): loading it takes a fraction of loading its modules one by one.
require('../dist/cli.js').main(argv).then(
  (code) => { process.exitCode = code; closeUntaken(); },
  (err) => { process.stderr.write(`stream-dse: internal error: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 1; closeUntaken(); },
);
