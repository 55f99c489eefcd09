/**
 * Loads a CommonJS bundle through V8's code cache: the compiled code of the bundle, stored next to it
 * by the build (after the bundle ran, so it holds the functions the run compiled lazily too), is handed
 * back to V8, which then neither parses nor compiles what it holds. V8 checks the cache against the
 * source and its own version and flags and ignores one that does not fit (another Node, an edited
 * bundle): the bundle then compiles as usual.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { raiseWasmTieringBudget } from './v8-flags';

export const codeCacheFile = (bundle: string): string => `${bundle}.v8-cache`;

export interface LoadedBundle {
  readonly file: string;
  readonly exports: Record<string, unknown>;
  readonly script: vm.Script;
  /** Whether V8 turned the stored cache down (undefined: there was none). */
  readonly cacheRejected: boolean | undefined;
}

/** The bundle as a CommonJS module body: the same text when the cache is made and when it is used. */
const asFunction = (source: string) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;

export function loadBundle(file: string): LoadedBundle {
  raiseWasmTieringBudget();
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(codeCacheFile(file));
  } catch {
    // no cache: compiled as usual
  }
  const script = new vm.Script(asFunction(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, file, path.dirname(file));
  return { file, exports: module.exports, script, cacheRejected: cachedData ? script.cachedDataRejected : undefined };
}

/** Stores the code V8 has compiled for the bundle so far. */
export function writeCodeCache(bundle: LoadedBundle): void {
  fs.writeFileSync(codeCacheFile(bundle.file), bundle.script.createCachedData());
}
