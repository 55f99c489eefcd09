/**
 * Regenerates the ONNX workloads shipped in `inputs/workloads/` (`npm run gen-workloads`).
 * Usage: `node dist/inputs/workloads/generate.js [output-dir]`; the default is the source tree's
 * `inputs/workloads/`, found from the package root, so running the compiled script updates the sources.
 */
import { mkdirSync, writeFileSync, existsSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { formatIssue } from '../../lib/common/errors';
import { encodeGraph, SHIPPED_WORKLOADS } from './builders';

export interface GenerationResult {
  readonly written: readonly string[];
  readonly failures: readonly string[];
}

export function generateShippedWorkloads(outputDir: string): GenerationResult {
  mkdirSync(outputDir, { recursive: true });
  const written: string[] = [];
  const failures: string[] = [];
  for (const w of SHIPPED_WORKLOADS) {
    const bytes = encodeGraph(w.graph);
    if (bytes._tag === 'Left') {
      failures.push(...bytes.left.map((i) => `${w.fileName}: ${formatIssue(i)}`));
      continue;
    }
    const path = join(outputDir, w.fileName);
    writeFileSync(path, bytes.right);
    written.push(path);
  }
  return { written, failures };
}

function packageRoot(from: string): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
  return dir;
}

if (require.main === module) {
  const outputDir = process.argv[2] ? resolve(process.argv[2]) : join(packageRoot(__dirname), 'inputs', 'workloads');
  const result = generateShippedWorkloads(outputDir);
  for (const path of result.written) console.log(`wrote ${path}`);
  for (const failure of result.failures) console.error(failure);
  process.exitCode = result.failures.length > 0 ? 1 : 0;
}
