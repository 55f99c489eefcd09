import { Command } from 'commander';
import { Either, isLeft } from 'fp-ts/Either';
import { InputIssue } from '../../lib/common/errors';
import { Accelerator, loadAccelerator, topLevelMemoryCapacity } from '../../lib/hardware';
import { loadMappingDetailed, resolveMapping } from '../../lib/mapping';
import { Workload } from '../../lib/workload/model';
import { loadWorkload, nodeLoopSizes } from '../../lib/workload/onnx';
import { CliIO, EXIT, printIssues } from './io';

interface ValidateOptions {
  readonly hardware?: string;
  readonly workload?: string;
  readonly mapping?: string;
  readonly json?: boolean;
}

export function validateCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return new Command('validate')
    .description('Read hardware, workload and/or mapping files and describe what they contain.')
    .option('--hardware <file>', 'accelerator YAML')
    .option('--workload <file>', 'ONNX model')
    .option('--mapping <file>', 'mapping YAML (resolved against --hardware and --workload when given)')
    .option('--json', 'print the description as JSON')
    .action((opts: ValidateOptions) => setExitCode(runValidate(opts, io)));
}

export function describeAccelerator(accelerator: Accelerator) {
  return {
    name: accelerator.name,
    offchip_core_id: accelerator.offchipCoreId,
    cores: accelerator.cores.map((c) => ({
      id: c.id,
      name: c.spec.name,
      core_type: c.coreType,
      operational_array: c.spec.namespace === 'zigzag' ? c.spec.operationalArray.sizes : undefined,
      top_memory_bits: topLevelMemoryCapacity(c),
      operator_types: c.spec.operatorTypes,
    })),
    dropped_core_ids: accelerator.droppedCoreIds,
    links: accelerator.links.map((l) => ({
      kind: l.kind,
      cores: l.cores,
      bandwidth: l.bandwidth,
      in_use: accelerator.edges.some((e) => e.link === l.index),
    })),
  };
}

export function describeWorkload(workload: Workload) {
  return {
    name: workload.name,
    nodes: workload.nodes.map((n) => {
      if (n.kind !== 'computation') return { name: n.name, kind: n.kind };
      const sizes = nodeLoopSizes(n);
      return { name: n.name, kind: n.kind, type: n.type, loop_sizes: isLeft(sizes) ? null : sizes.right };
    }),
  };
}

function runValidate(opts: ValidateOptions, io: CliIO): number {
  if (!opts.hardware && !opts.workload && !opts.mapping) {
    io.err('error: give at least one of --hardware, --workload, --mapping');
    return EXIT.badInput;
  }
  const warnings: InputIssue[] = [];
  const errors: InputIssue[] = [];
  const take = <T extends { warnings: readonly InputIssue[] }>(result: Either<InputIssue[], T> | undefined): T | undefined => {
    if (!result) return undefined;
    if (isLeft(result)) {
      errors.push(...result.left);
      return undefined;
    }
    warnings.push(...result.right.warnings);
    return result.right;
  };
  const hardware = take(opts.hardware ? loadAccelerator(opts.hardware) : undefined);
  const workload = take(opts.workload ? loadWorkload(opts.workload) : undefined);
  const mapping = take(opts.mapping ? loadMappingDetailed(opts.mapping) : undefined);
  const resolved =
    mapping && hardware && workload ? take(resolveMapping(mapping.mapping, workload.workload, hardware.accelerator)) : undefined;

  printIssues(io, [...warnings, ...errors]);
  if (errors.length > 0) return EXIT.badInput;

  const description = {
    hardware: hardware && describeAccelerator(hardware.accelerator),
    workload: workload && describeWorkload(workload.workload),
    mapping: mapping && {
      layers: mapping.mapping.layers.map((l) => ({ name: l.name, core_allocation: l.coreAllocation })),
      fused_groups: mapping.mapping.fusedGroups.map((g) => g.name),
      resolved_nodes: resolved?.mapping.nodes.map((n) => n.node),
    },
  };
  if (opts.json) {
    io.out(JSON.stringify(description, null, 2));
    return EXIT.ok;
  }
  const lines: string[] = [];
  if (description.hardware) {
    const h = description.hardware;
    lines.push(`hardware ${h.name}: ${h.cores.length} cores, off-chip core ${h.offchip_core_id}`);
    for (const c of h.cores) {
      const array = c.operational_array ? ` array ${c.operational_array.join('x')}` : '';
      lines.push(`  core ${c.id} ${c.name} (${c.core_type})${array}, top memory ${c.top_memory_bits} bits`);
    }
    for (const l of h.links) {
      const shadowed = l.in_use ? '' : ' (shadowed by a later connection)';
      lines.push(`  ${l.kind} ${l.cores.join(l.kind === 'bus' ? ',' : '->')}: ${l.bandwidth} bits/cycle${shadowed}`);
    }
  }
  if (description.workload) {
    const w = description.workload;
    const compute = w.nodes.filter((n) => n.kind === 'computation');
    lines.push(`workload ${w.name}: ${w.nodes.length} nodes, ${compute.length} computation nodes`);
    for (const n of compute) {
      if (!('type' in n)) continue;
      lines.push(`  ${n.name} (${n.type}) loops ${n.loop_sizes ? n.loop_sizes.map((s, i) => `D${i}=${s}`).join(' ') : '?'}`);
    }
  }
  if (description.mapping) {
    const m = description.mapping;
    const resolvedNote = m.resolved_nodes ? `, maps all ${m.resolved_nodes.length} computation nodes` : '';
    lines.push(`mapping: ${m.layers.length} layer entries, fused groups [${m.fused_groups.join(', ')}]${resolvedNote}`);
  }
  io.out(lines.join('\n'));
  return EXIT.ok;
}
