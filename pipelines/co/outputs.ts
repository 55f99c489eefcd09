/**
 * The files of a CO run directory, built from a result (no I/O here; `writeRunDirectory` writes them
 * all at once):
 *
 *   summary.yaml                    totals, per-group latencies, objectives, solve statistics, utilisations
 *   result.json                     what `--skip-if-exists` reloads: input fingerprint + summary
 *   groups/<i>/mapping.yaml         the generated mapping of group i (auto-mapping path; usable as a hand mapping)
 *   groups/<i>/core_cost_lut.yaml   the cost table of group i
 *   groups/<i>/performance.yaml     per-node latency and utilisation, bottleneck split, memory accesses
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { stringify } from 'yaml';
import { toWritableMapping } from '../../lib/mapping/generator/model';
import { writeMappingYaml } from '../../lib/mapping';
import { Summary, formatSummaryYaml } from '../../lib/report/summary';
import { RunFiles } from '../run-directory';
import { CoOptions } from './options';
import { CoResult, GroupResult } from './index';

export const RESULT_FILE = 'result.json';
const RESULT_VERSION = 1;

/**
 * Identifies a run's inputs: the bytes of every input file and the options that change results.
 * Undefined when an input cannot be read (the front ends then report it properly).
 */
export function inputFingerprint(options: CoOptions): string | undefined {
  const hash = createHash('sha256');
  for (const file of [options.hardware, options.workload, options.mapping]) {
    try {
      hash.update(file === undefined ? '-' : fs.readFileSync(file));
    } catch {
      return undefined;
    }
    hash.update('\0');
  }
  const { hardware: _h, workload: _w, mapping: _m, groupConcurrency: _c, ...rest } = options;
  hash.update(JSON.stringify(rest, Object.keys(rest).sort()));
  return hash.digest('hex');
}

export interface SavedRun {
  readonly version: number;
  readonly fingerprint: string;
  readonly summary: Summary;
}

/** The summary of a finished run with the same inputs, if `runDir` holds one. */
export function loadSavedRun(runDir: string, fingerprint: string): Summary | undefined {
  try {
    const saved = JSON.parse(fs.readFileSync(`${runDir}/${RESULT_FILE}`, 'utf8')) as SavedRun;
    return saved.version === RESULT_VERSION && saved.fingerprint === fingerprint ? saved.summary : undefined;
  } catch {
    return undefined;
  }
}

function costTableYaml(g: GroupResult): string {
  const nodes = g.group.nodes.map((n) => ({
    name: n.name,
    layer_dim_sizes: n.perCoreDimSizes,
    cores: [...(g.costs.get(n.name) ?? new Map())].map(([coreId, c]) => ({
      core_id: coreId,
      latency_total: c.latencyTotal,
      ideal_cycle: c.idealCycle,
      ideal_temporal_cycle: c.idealTemporalCycle,
      energy_total: c.energyTotal,
      metadata: { backend: c.backend, fallback: c.fallback, ...(c.failure ? { reason: c.failure.message } : {}) },
    })),
  }));
  return stringify({ nodes }, { lineWidth: 0 });
}

function performanceYaml(g: GroupResult): string {
  return stringify(
    {
      ...g.performance,
      memory_accesses: g.memoryAccesses.cores.map((c) => ({
        core_id: c.coreId,
        read: c.read,
        write: c.write,
        tensors: c.tensors.map((t) => ({ tensor: t.tensor, read: t.read, write: t.write, size_bits: t.sizeBits })),
      })),
    },
    { lineWidth: 0 },
  );
}

export function runFiles(result: CoResult, fingerprint: string | undefined): RunFiles {
  const files = new Map<string, string>();
  files.set('summary.yaml', formatSummaryYaml(result.summary));
  if (fingerprint !== undefined) {
    const saved: SavedRun = { version: RESULT_VERSION, fingerprint, summary: result.summary };
    files.set(RESULT_FILE, `${JSON.stringify(saved, null, 2)}\n`);
  }
  for (const g of result.groups) {
    const dir = `groups/${g.index}`;
    if (g.group.generatedMapping) files.set(`${dir}/mapping.yaml`, writeMappingYaml(toWritableMapping(g.group.generatedMapping)));
    files.set(`${dir}/core_cost_lut.yaml`, costTableYaml(g));
    files.set(`${dir}/performance.yaml`, performanceYaml(g));
  }
  return files;
}
