#!/usr/bin/env node
'use strict';
const argv = process.argv.slice(2);
// `co` renders its pictures in a worker: started first, it loads Plot while the CLI loads and runs.
const pictures = require('../dist/pipelines/cli/prestart.js');
pictures.prestartChartRenderer(argv);
// `co` solves its MILPs on a thread that loads and warms up HiGHS meanwhile (operators/solver-thread.ts).
const solver = require('../dist/operators/solver-thread.js');
solver.prestartSolverThread(argv);
// A command line the `co` command never ran (a usage error) leaves them untaken: close them, or their
// threads would keep the process alive.
const closeUntaken = () => {
  pictures.takePrestartedRenderer()?.close();
  solver.takePrestartedSolverThread()?.close();
};
// The CLI is one bundled file (tools/bundle-cli.js): loading it takes a fraction of loading its modules one by one.
require('../dist/cli.js').main(argv).then(
  (code) => { process.exitCode = code; closeUntaken(); },
  (err) => { process.stderr.write(`stream-dse: internal error: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 1; closeUntaken(); },
);
