/**
 * bin/stream-dse.js, as users run it (the built CLI bundle): it prestarts threads for `co`, and a
 * `co` command line that never runs (a usage error) must still let the process end. Needs `npm run
 * build` (CI builds on install); skipped without a build.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.join(REPO, 'bin', 'stream-dse.js');
const built = fs.existsSync(path.join(REPO, 'dist', 'cli.js'));

(built ? describe : describe.skip)('bin/stream-dse.js', () => {
  it.each([
    ['an unknown option', ['co', '--bogus']],
    ['missing required options', ['co', '--json']],
    ['a missing option argument, with pictures', ['co', '--hardware', 'x.yaml', '--workload', 'y.onnx', '--inputs-root']],
  ])('ends with exit code 2 on %s', (_name, args) => {
    const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(2);
  });
});
