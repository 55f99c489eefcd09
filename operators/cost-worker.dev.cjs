'use strict';
/* Development entry of the cost worker (TypeScript sources); production uses the compiled cost-worker.js. */
require('./typescript-require-hook.cjs');
module.exports = require('./cost-worker.ts');
