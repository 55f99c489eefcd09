'use strict';
/* Development entry of the DSE variant worker (TypeScript sources); production uses the compiled variant-worker.js. */
require('../../operators/typescript-require-hook.cjs');
module.exports = require('./variant-worker.ts');
