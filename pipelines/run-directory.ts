/**
 * The run directory is written all at once: files go to a sibling temporary directory that is renamed
 * into place only when every file is written, so an interrupted or failed run never leaves a
 * half-written `<output>/<experiment-id>/`.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Relative path inside the run directory → contents. */
export type RunFiles = ReadonlyMap<string, string | Uint8Array>;

export function writeRunDirectory(runDir: string, files: RunFiles): void {
  const parent = path.dirname(runDir);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(runDir)}.partial-`));
  try {
    for (const [relative, contents] of files) {
      const target = path.join(staging, relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, contents);
    }
    fs.rmSync(runDir, { recursive: true, force: true });
    fs.renameSync(staging, runDir);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}
