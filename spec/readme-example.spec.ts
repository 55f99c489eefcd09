/**
 * The README's library example runs as written (with the package import pointed at this checkout) and
 * prints what its comments say.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

it('the README library example runs and prints the quick-start results', async () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README has no ```ts block');
  const body = block.replace(/^import \{ (.*) \} from 'stream-dse-ts';$/m, `const { $1 } = require(${JSON.stringify(path.join(ROOT, 'pipelines'))});`);
  const file = path.join(__dirname, `.readme-example-${process.pid}.ts`);
  fs.writeFileSync(file, `export async function run() {\n${body}\n}\n`);
  const cwd = process.cwd();
  process.chdir(ROOT);
  const logged: unknown[][] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args) => void logged.push(args));
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await (require(file) as { run: () => Promise<void> }).run();
  } finally {
    log.mockRestore();
    error.mockRestore();
    fs.rmSync(file, { force: true });
    process.chdir(cwd);
  }
  expect(logged).toEqual([
    [14344, [14344]],
    [{ latency: 14350, offchipTraffic: 2019328, buffering: 10 }],
  ]);
});
