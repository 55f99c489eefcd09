/**
 * `stream-dse cost`: the per-core cost model on one (layer, core) pair, as Stream's ZigZag estimator
 * computes it. LAYER.json has the fields of the golden `layer` record (equation, layer_dim_sizes,
 * dimension_relations, pr_layer_dim_sizes, operand_precision, memory_operand_links, layer_type).
 */
import * as fs from 'node:fs';
import { Command, Option } from 'commander';
import { isLeft } from 'fp-ts/Either';
import { issue, type InputIssue } from '../../lib/common/errors';
import { loadCoreFile } from '../../lib/hardware/core';
import type { ZigzagCoreSpec } from '../../lib/hardware/model';
import { FileCostStore } from '../../lib/cost/cost-store';
import { CostModelError } from '../../lib/cost/errors';
import { DEFAULT_LPF_LIMIT, type CostOptions } from '../../lib/cost/estimate';
import { layerFromRecord, type LayerRecord } from '../../lib/cost/layer';
import type { TemporalMappingType } from '../../lib/cost/loma';
import { computeCostEntry, CostLut, type CostRequest } from '../../lib/cost/lut';
import type { CostRecord } from '../../lib/cost/report';
import { CliIO, EXIT, printIssues } from './io';

interface CostCommandOptions {
  readonly core: string;
  readonly layer: string;
  readonly mappingType: TemporalMappingType;
  readonly lpfLimit: string;
  readonly json?: boolean;
  readonly costCache?: string;
}

const RECORD_FIELDS: readonly (keyof LayerRecord)[] = ['equation', 'layer_dim_sizes', 'operand_precision', 'memory_operand_links'];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Reads LAYER.json and checks the fields the cost model needs; problems are issues, not throws. */
export function readLayerFile(file: string): { layer?: LayerRecord; issues: InputIssue[] } {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return { issues: [issue(file, '', err instanceof SyntaxError ? `not valid JSON: ${err.message}` : `cannot read the file (${(err as Error).message})`)] };
  }
  // Accept a whole golden case too: its `layer` field is the record.
  const record = isRecord(data) && isRecord(data.layer) && !('equation' in data) ? data.layer : data;
  if (!isRecord(record)) return { issues: [issue(file, '', 'expected a JSON object with the fields of a layer record')] };
  const issues: InputIssue[] = [];
  for (const field of RECORD_FIELDS) if (!(field in record)) issues.push(issue(file, field, 'missing field'));
  if ('equation' in record && typeof record.equation !== 'string') issues.push(issue(file, 'equation', 'must be a string'));
  for (const field of ['layer_dim_sizes', 'operand_precision', 'pr_layer_dim_sizes'] as const) {
    const value = record[field];
    if (value === undefined) continue;
    if (!isRecord(value) || Object.values(value).some((v) => typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
      issues.push(issue(file, field, 'must map names to non-negative numbers'));
    }
  }
  if ('memory_operand_links' in record && (!isRecord(record.memory_operand_links) || Object.values(record.memory_operand_links).some((v) => typeof v !== 'string'))) {
    issues.push(issue(file, 'memory_operand_links', 'must map layer operands to memory operands (I1, I2, O)'));
  }
  if ('dimension_relations' in record && (!Array.isArray(record.dimension_relations) || record.dimension_relations.some((r) => typeof r !== 'string'))) {
    issues.push(issue(file, 'dimension_relations', "must be a list of strings like 'D7 = 1*D2 + 1*D4'"));
  }
  if (issues.length > 0) return { issues };
  const layer = record as unknown as LayerRecord;
  try {
    layerFromRecord(layer);
  } catch (err) {
    if (err instanceof CostModelError) return { issues: [issue(file, '', err.message)] };
    throw err;
  }
  return { layer, issues: [] };
}

function readCore(file: string): { core?: ZigzagCoreSpec; issues: InputIssue[] } {
  const loaded = loadCoreFile(file);
  if (isLeft(loaded)) return { issues: loaded.left };
  if (loaded.right.namespace !== 'zigzag') {
    return { issues: [issue(file, 'type', `core type ${loaded.right.namespace} is not costed by the ZigZag model`)] };
  }
  return { core: loaded.right, issues: [] };
}

type Loops = readonly (readonly [string, number])[];

function formatLoops(loops: Loops): string {
  return `[${loops.map(([d, s]) => `${d} ${s}`).join(', ')}]`;
}

/** Human-readable report of a cost record. */
export function renderCostRecord(record: CostRecord, core: ZigzagCoreSpec, layer: LayerRecord): string {
  const lines: string[] = [];
  const type = layer.layer_type ? `${layer.layer_type} ` : '';
  lines.push(`cost of ${type}${layer.equation} on ${core.name} (${record.temporal_mapping_type ?? 'uneven'}, lpf limit ${record.loma_lpf_limit ?? DEFAULT_LPF_LIMIT})`);
  const selected = record.spatial_mapping_selected;
  if (selected) {
    const entries = Object.entries(selected).map(([oa, dims]) => `${oa} <- ${Object.entries(dims).map(([d, f]) => `${d} ${f}`).join(' ') || '(none)'}`);
    const counts = record.spatial_candidates_count !== undefined ? ` (${record.spatial_candidates_count} candidates, ${record.spatial_candidates_tied_at_top} tied at the top)` : '';
    lines.push(`spatial mapping: ${entries.join(', ')}${counts}`);
  }
  const result = record.result;
  if (result) {
    const stationary = result.temporal_mapping_stationary as Record<string, Loops[]>;
    const links = layer.memory_operand_links;
    lines.push('temporal mapping (stationary, innermost loop first, per memory level):');
    for (const [op, levels] of Object.entries(stationary)) {
      const memories = core.memories.filter((m) => m.operands.includes(links[op] as never)).map((m) => m.name);
      lines.push(`  ${op}: ${levels.map((loops, l) => `${memories[l] ?? `level ${l}`} ${formatLoops(loops)}`).join('  ')}`);
    }
    const n = (k: string) => result[k] as number;
    lines.push(`latency: total0 ${n('latency_total0')}, total1 ${n('latency_total1')}, total2 ${n('latency_total2')} cycles`);
    lines.push(
      `  ideal ${n('ideal_cycle')}, ideal temporal ${n('ideal_temporal_cycle')}, stall/slack ${n('stall_slack_comb')}, on-loading ${n('data_onloading_cycle')}, off-loading ${n('data_offloading_cycle')}`,
    );
    lines.push(`energy: ${n('energy_total')} (MAC ${n('mac_energy')}, memories ${n('mem_energy')})`);
    const breakdown = result.mem_energy_breakdown as Record<string, number[]>;
    for (const [op, values] of Object.entries(breakdown)) {
      const memories = core.memories.filter((m) => m.operands.includes(layer.memory_operand_links[op] as never)).map((m) => m.name);
      lines.push(`  ${op}: ${values.map((v, l) => `${memories[l] ?? `level ${l}`} ${v}`).join(', ')}`);
    }
  } else {
    const e = record.stream_core_cost_entry;
    lines.push(`latency: ${e.latency_total} cycles (ideal-cycle estimate)`);
    lines.push(`energy: ${e.energy_total}`);
  }
  if (record.fallback && record.failure) {
    const ref = record.failure.reference_error ? ` (the reference raises ${record.failure.reference_error})` : '';
    const deliberate = record.failure.deliberate_difference ? '; the reference crashes here, this estimate is a deliberate difference' : '';
    lines.push(`fallback: yes — ${record.failure.message}${ref}${deliberate}`);
  } else {
    lines.push('fallback: no');
  }
  return lines.join('\n');
}

export function costCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return new Command('cost')
    .description('Cost one layer on one core with the per-core (ZigZag) model, as Stream does.')
    .requiredOption('--core <file>', 'core YAML (ZigZag core description)')
    .requiredOption('--layer <file>', 'layer JSON with the fields of the golden `layer` record')
    .addOption(new Option('--mapping-type <type>', 'temporal mapping type').choices(['uneven', 'even']).default('uneven'))
    .option('--lpf-limit <n>', 'LOMA loop-prime-factor limit', String(DEFAULT_LPF_LIMIT))
    .option('--cost-cache <dir>', 'persist costs in this directory and reuse them on later runs (as co and dse do)')
    .option('--json', 'print one JSON object (keys as in the golden records)')
    .action((opts: CostCommandOptions) => setExitCode(runCost(opts, io)));
}

function runCost(opts: CostCommandOptions, io: CliIO): number {
  const lpfLimit = Number(opts.lpfLimit);
  const issues: InputIssue[] = [];
  if (!Number.isInteger(lpfLimit) || lpfLimit < 1) issues.push(issue('<command line>', '--lpf-limit', 'must be a positive integer'));
  const core = readCore(opts.core);
  const layer = readLayerFile(opts.layer);
  issues.push(...core.issues, ...layer.issues);
  if (issues.length > 0 || !core.core || !layer.layer) {
    printIssues(io, issues);
    return EXIT.badInput;
  }
  const options: CostOptions = { temporalMappingType: opts.mappingType, lpfLimit, spatialTop: 5 };
  const request: CostRequest = { layer: layer.layer, core: core.core, options };
  const entry = opts.costCache ? new CostLut({ store: new FileCostStore(opts.costCache) }).get(request) : computeCostEntry(request);
  io.out(opts.json ? JSON.stringify(entry.record, null, 2) : renderCostRecord(entry.record, core.core, layer.layer));
  return EXIT.ok;
}
