/**
 * Where a core reference of an accelerator file points (reference-surface §1.1, steps 1-5, with the
 * Q8 fix): next to the accelerator file first, then in explicitly configured search paths. The
 * reference's walk of a cwd-relative `stream/inputs/` tree is available only on request, with a warning.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface CoreResolutionOptions {
  /**
   * Extra directories searched, in order, after the accelerator file's own directory. Bare names are
   * tried as `<dir>/cores/<name>` and `<dir>/<name>`; references with a directory part as `<dir>/<ref>`.
   */
  readonly searchPaths?: readonly string[];
  /**
   * Directory that plays the role of the reference's `stream/inputs/` tree. Repository-relative
   * references such as `stream/inputs/examples/hardware/cores/x.yaml` (fusemax) resolve under it.
   */
  readonly inputsRoot?: string;
  /**
   * Compatibility with legacy files: when nothing else matches, walk `inputsRoot` and take the first
   * directory whose path contains `hardware` and holds the file (always reported with a warning).
   */
  readonly legacyTreeSearch?: boolean;
}

export interface CoreResolution {
  /** Absolute path of the core file, if found. */
  readonly file?: string;
  /** Every candidate tried, in order (for the "not found" message). */
  readonly tried: readonly string[];
  /** Set when the legacy tree walk found the file. */
  readonly viaLegacyTreeSearch?: boolean;
}

const REPO_INPUTS_PREFIX = 'stream/inputs/';

const isFile = (p: string): boolean => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

/** A reference may omit its extension; the reference then means the `.yaml` file. */
function withExtensions(candidate: string): string[] {
  return /\.ya?ml$/.test(candidate) ? [candidate] : [candidate, `${candidate}.yaml`, `${candidate}.yml`];
}

export function resolveCoreReference(reference: string, acceleratorDir: string | undefined, options: CoreResolutionOptions = {}): CoreResolution {
  const candidates: string[] = [];
  const searchPaths = options.searchPaths ?? [];
  if (reference.includes('./')) {
    // Step 1: explicitly relative to the accelerator file.
    if (acceleratorDir !== undefined) candidates.push(path.normalize(path.join(acceleratorDir, reference)));
    else for (const dir of searchPaths) candidates.push(path.normalize(path.join(dir, reference)));
  } else if (reference.includes('/')) {
    // Step 2: the reference reads these relative to the working directory; we read them relative to the
    // accelerator file, the search paths and the configured inputs root instead.
    if (acceleratorDir !== undefined) candidates.push(path.join(acceleratorDir, reference));
    for (const dir of searchPaths) candidates.push(path.join(dir, reference));
    if (options.inputsRoot !== undefined && reference.startsWith(REPO_INPUTS_PREFIX)) {
      candidates.push(path.join(options.inputsRoot, reference.slice(REPO_INPUTS_PREFIX.length)));
    }
  } else {
    // Step 3: a bare file name.
    for (const dir of acceleratorDir !== undefined ? [acceleratorDir, ...searchPaths] : searchPaths) {
      candidates.push(path.join(dir, 'cores', reference), path.join(dir, reference));
    }
  }
  const tried = candidates.flatMap(withExtensions).map((p) => path.resolve(p));
  const found = tried.find(isFile);
  if (found) return { file: found, tried };

  if (options.legacyTreeSearch && options.inputsRoot !== undefined) {
    const legacy = walkForHardwareFile(options.inputsRoot, path.basename(reference));
    if (legacy) return { file: path.resolve(legacy), tried, viaLegacyTreeSearch: true };
  }
  return { tried };
}

/** Step 4 of the reference: depth-first, top-down walk; sorted so that the result is deterministic. */
function walkForHardwareFile(root: string, fileName: string): string | undefined {
  const names = withExtensions(fileName);
  const visit = (dir: string): string | undefined => {
    const relative = path.relative(root, dir);
    if (relative.includes('hardware')) {
      for (const name of names) if (isFile(path.join(dir, name))) return path.join(dir, name);
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return undefined;
    }
    for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      const found = visit(path.join(dir, entry.name));
      if (found) return found;
    }
    return undefined;
  };
  return visit(root);
}
