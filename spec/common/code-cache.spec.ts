/**
 * A bundle loaded through V8's code cache, the cache made in another process (as the build makes it):
 * the stored code is taken when it was made from this very bundle, not offered for an edited one, and
 * turned down by V8 when it does not fit; the bundle runs alike either way. (Within one process V8
 * reuses what it compiled before and never looks at a cache, so every bundle here is new to it.)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { codeCacheFile, loadBundle } from '../../lib/common/code-cache';

const ROOT = path.resolve(__dirname, '..', '..');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-cache-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

let serial = 0;
/** A bundle this process has not compiled yet. */
function bundleSource(fibOf = 20): string {
  return `
const path = require('path');
const token = '${process.pid}-${++serial}-${Math.random()}';
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
exports.answer = () => fib(${fibOf});
exports.where = () => path.basename(__filename) + ' in ' + path.basename(__dirname);
`;
}

/** Loads `file` in another process and stores its code cache. */
function cacheElsewhere(file: string): void {
  const script = `require('./operators/typescript-require-hook.cjs'); const c = require('./lib/common/code-cache.ts'); const b = c.loadBundle(${JSON.stringify(file)}); b.exports.answer(); c.writeCodeCache(b);`;
  execFileSync(process.execPath, ['-e', script], { cwd: ROOT });
}

describe('loadBundle', () => {
  it('runs a bundle as a CommonJS module from the code another process stored', () => {
    const file = path.join(dir, 'bundle.js');
    fs.writeFileSync(file, bundleSource());
    cacheElsewhere(file);
    expect(fs.statSync(codeCacheFile(file)).size).toBeGreaterThan(20);
    const loaded = loadBundle(file);
    expect(loaded.cacheRejected).toBe(false);
    expect((loaded.exports.answer as () => number)()).toBe(6765);
    expect((loaded.exports.where as () => string)()).toBe(`bundle.js in ${path.basename(dir)}`);
  });

  it('runs without a cache', () => {
    const file = path.join(dir, 'bundle.js');
    fs.writeFileSync(file, bundleSource());
    const loaded = loadBundle(file);
    expect(loaded.cacheRejected).toBeUndefined();
    expect((loaded.exports.answer as () => number)()).toBe(6765);
  });

  it('does not offer the cache of an edited bundle, even one of the same length (V8 compares lengths only)', () => {
    const file = path.join(dir, 'bundle.js');
    const source = bundleSource(20);
    fs.writeFileSync(file, source);
    cacheElsewhere(file);
    const edited = source.replace('fib(20)', 'fib(10)');
    expect(edited.length).toBe(source.length);
    fs.writeFileSync(file, edited);
    const loaded = loadBundle(file);
    expect(loaded.cacheRejected).toBeUndefined();
    expect((loaded.exports.answer as () => number)()).toBe(55);
  });

  it('compiles as usual when V8 turns the stored code down (here: code of another bundle behind this one’s digest)', () => {
    const [file, other] = [path.join(dir, 'bundle.js'), path.join(dir, 'other.js')];
    fs.writeFileSync(file, bundleSource());
    fs.writeFileSync(other, `${bundleSource()}\n// a longer source\n`);
    cacheElsewhere(file);
    cacheElsewhere(other);
    const [own, foreign] = [file, other].map((f) => fs.readFileSync(codeCacheFile(f)));
    fs.writeFileSync(codeCacheFile(file), Buffer.concat([own.subarray(0, 20), foreign.subarray(20)]));
    const loaded = loadBundle(file);
    expect(loaded.cacheRejected).toBe(true);
    expect((loaded.exports.answer as () => number)()).toBe(6765);
  });
});
