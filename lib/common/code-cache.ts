/**
 * Loads a CommonJS bundle through V8's code cache: the compiled code of the bundle, stored next to it
 * by the build (after the bundle ran, so it holds the functions the run compiled lazily too), is handed
 * back to V8, which then neither parses nor compiles what it holds. V8 turns down a cache made by
 * another version or under other flags, but knows the source only by its length: the cache starts
 * with a digest of the bundle it was made from and is only offered for that bundle. A cache that does
 * not fit is ignored and the bundle compiles as usual.
 *
 * The digest is of the file's bytes, which are read once: an ASCII bundle then becomes a string of one
 * byte per character (tools/bundle-cli.js keeps the picture bundle ASCII), where any other character
 * would make it two and digesting the string would encode it anew.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { raiseWasmTieringBudget } from './v8-flags';

export const codeCacheFile = (bundle: string): string => `${bundle}.v8-cache`;

export interface LoadedBundle {
  readonly file: string;
  readonly exports: Record<string, unknown>;
  readonly script: vm.Script;
  /** Digest of the bundle's bytes, which the stored cache starts with. */
  readonly digest: Buffer;
  /** Whether V8 turned the stored cache down (undefined: none was stored for this very bundle). */
  readonly cacheRejected: boolean | undefined;
}

/** The bundle as a CommonJS module body: the same text when the cache is made and when it is used. */
const asFunction = (source: string) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;

const DIGEST_BYTES = 20;

/** The stored code, if the cache was made from the bundle whose bytes have `digest`. */
function cachedCodeFor(file: string, digest: Buffer): Buffer | undefined {
  let cache: Buffer;
  try {
    cache = fs.readFileSync(codeCacheFile(file));
  } catch {
    return undefined;
  }
  return cache.length > DIGEST_BYTES && cache.subarray(0, DIGEST_BYTES).equals(digest) ? cache.subarray(DIGEST_BYTES) : undefined;
}

export function loadBundle(file: string): LoadedBundle {
  raiseWasmTieringBudget();
  const bytes = fs.readFileSync(file);
  const digest = createHash('sha1').update(bytes).digest();
  const cachedData = cachedCodeFor(file, digest);
  const script = new vm.Script(asFunction(bytes.toString('utf8')), { filename: file, cachedData });
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, file, path.dirname(file));
  return { file, exports: module.exports, script, digest, cacheRejected: cachedData ? script.cachedDataRejected : undefined };
}

/** Stores the code V8 has compiled for the bundle so far, behind the digest of its bytes. */
export function writeCodeCache(bundle: LoadedBundle): void {
  fs.writeFileSync(codeCacheFile(bundle.file), Buffer.concat([bundle.digest, bundle.script.createCachedData()]));
}
