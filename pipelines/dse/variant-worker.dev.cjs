'use strict';
/*
 * Development entry of the DSE variant worker, used only when the pool runs from TypeScript sources
 * (jest transpiles specs with SWC, but worker threads start plain Node). Same mechanism as
 * operators/cost-worker.dev.cjs: a `.ts` require hook backed by @swc/core (a devDependency, same
 * settings as jest.config.js). Production never uses it: the build emits variant-worker.js.
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

module.exports = require('./variant-worker.ts');
