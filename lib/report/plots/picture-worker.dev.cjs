'use strict';
/* Development entry of the picture worker (TypeScript sources); production uses the bundled or compiled picture-worker. */
require('../../../operators/typescript-require-hook.cjs');
require('./picture-worker.ts');
