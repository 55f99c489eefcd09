'use strict';
/*
 * Development entry of the cost worker, used only when the pool runs from TypeScript sources (jest
 * transpiles specs with SWC, but worker threads start plain Node). It registers a `.ts` require hook
 * backed by @swc/core (a devDependency, same settings as jest.config.js) and loads cost-worker.ts.
 * Production never uses it: the build emits dist/operators/cost-worker.js, which the pool prefers.
 */
const fs = require('fs');

if (!require.extensions['.ts']) {
  const swc = require('@swc/core');
  require.extensions['.ts'] = function compileTypeScript(module, filename) {
    const output = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
      filename,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    module._compile(output.code, filename);
  };
}

module.exports = require('./cost-worker.ts');
