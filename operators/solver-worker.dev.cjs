'use strict';
/* Development entry of the solver thread (TypeScript sources); production uses the bundled or compiled solver-worker. */
require('./typescript-require-hook.cjs');
require('./solver-worker.ts');
