'use strict';
/*
 * `.ts` require hook for worker threads started from TypeScript sources (specs run through SWC, but a
 * worker thread starts plain Node). Backed by @swc/core, a devDependency, with the settings of
 * jest.config.js. Only the `*.dev.cjs` worker entries load it; production workers are the compiled
 * `.js` files of `dist/`, which the pools prefer.
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
