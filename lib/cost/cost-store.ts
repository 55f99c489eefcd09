/**
 * The on-disk cost store: one JSON file per key under a cache directory, tagged with the
 * cost-model version. A directory written by another version is emptied when opened (as the
 * reference drops a `core_cost_lut.pickle` of the wrong version). Writes go through a temporary
 * file and a rename, so concurrent writers (worker threads, parallel runs) never leave a torn file.
 *
 * This is the one place of lib/cost that touches the file system, synchronously.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COST_MODEL_VERSION, type CostEntry, type CostStore } from './lut';

/** Default cache directory (relative to the working directory); git-ignored in this repository. */
export const DEFAULT_COST_CACHE_DIR = '.stream-dse-cache/cost';

const VERSION_FILE = 'version.json';
const ENTRY_FILE = /^[0-9a-f]{64}\.json$/;

interface StoredEntry {
  readonly version: string;
  readonly entry: CostEntry;
}

export class FileCostStore implements CostStore {
  constructor(
    readonly directory: string,
    private readonly version: string = COST_MODEL_VERSION,
  ) {
    fs.mkdirSync(directory, { recursive: true });
    const versionPath = path.join(directory, VERSION_FILE);
    let current: string | undefined;
    try {
      current = (JSON.parse(fs.readFileSync(versionPath, 'utf8')) as { version?: string }).version;
    } catch {
      current = undefined;
    }
    if (current !== version) {
      // Only our own entry files: the directory may be shared with other things.
      for (const name of fs.readdirSync(directory)) {
        if (ENTRY_FILE.test(name)) fs.rmSync(path.join(directory, name), { force: true });
      }
      this.atomicWrite(versionPath, JSON.stringify({ version }));
    }
  }

  private fileOf(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`invalid cost cache key ${key}`);
    return path.join(this.directory, `${key}.json`);
  }

  private atomicWrite(file: string, text: string): void {
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }

  read(key: string): CostEntry | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.fileOf(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const stored = JSON.parse(text) as StoredEntry;
      if (stored.version === this.version && stored.entry?.key === key) return stored.entry;
    } catch {
      // A damaged file is treated as a miss and replaced on the next write.
    }
    fs.rmSync(this.fileOf(key), { force: true });
    return undefined;
  }

  write(key: string, entry: CostEntry): void {
    const stored: StoredEntry = { version: this.version, entry };
    this.atomicWrite(this.fileOf(key), JSON.stringify(stored));
  }
}
