/**
 * Resolution of a validated mapping against a workload and an accelerator (reference-surface §1.3.5):
 * entry selection per computation node, core ids, loop-dimension indices and runtime-argument tensors.
 */
import { Either, left, right } from 'fp-ts/Either';
import { InputIssue, issue } from '../common/errors';
import { Accelerator } from '../hardware/model';
import { ComputationNode, Workload, WorkloadNode } from '../workload/model';
import { LayerEntry, MappingSpec, NodeMapping, ResolvedMapping, ResolvedRuntimeArg, SourceLocation } from './model';

export interface ResolvedMappingResult {
  readonly mapping: ResolvedMapping;
  readonly warnings: readonly InputIssue[];
}

const loopCount = (node: ComputationNode): number => node.operandMaps[0]?.numDims ?? 0;

const isComputation = (node: WorkloadNode): node is ComputationNode => node.kind === 'computation';

export function resolveMapping(spec: MappingSpec, workload: Workload, accelerator: Accelerator): Either<InputIssue[], ResolvedMappingResult> {
  const issues: InputIssue[] = [];
  const at = (location: SourceLocation | undefined, suffix: string, message: string, severity?: 'warning'): InputIssue =>
    issue(spec.file, location ? `${location.path}${suffix}` : suffix.replace(/^\./, ''), message, {
      ...(location?.line !== undefined ? { line: location.line, column: location.column } : {}),
      ...(severity ? { severity } : {}),
    });

  const coreIds = new Set(accelerator.cores.map((c) => c.id));
  const coreList = accelerator.cores.map((c) => c.id).sort((a, b) => a - b).join(', ');
  const computationNodes = workload.nodes.filter(isComputation);
  const nodesByName = new Map(computationNodes.map((n) => [n.name, n] as const));

  /** Core ids are checked once per entry, and only for entries some node uses (as in the reference). */
  const checkedEntries = new Set<number>();
  const checkEntryCores = (entry: LayerEntry, index: number) => {
    if (checkedEntries.has(index)) return;
    checkedEntries.add(index);
    entry.coreAllocation.forEach((id, k) => {
      if (!coreIds.has(id)) {
        issues.push(at(entry.origin, `.core_allocation[0][${k}]`, `Node with id ${id} not found: layer entry '${entry.name}' allocates core ${id}, which accelerator '${accelerator.name}' does not have (cores: ${coreList}).`));
      }
    });
  };

  const nodes: NodeMapping[] = [];
  for (const node of computationNodes) {
    const matches = spec.layers.map((entry, index) => ({ entry, index })).filter(({ entry }) => entry.name === node.name || entry.name === node.type);
    if (matches.length === 0) {
      issues.push(issue(spec.file, `node ${node.name}`, `No mapping data found for node ${node.name} (type ${node.type}): no layer entry has this name or operator type.`));
      continue;
    }
    const { entry, index } = matches[0];
    if (matches.length > 1) {
      // Q24: first match in file order, as the reference does, but say so.
      issues.push(
        at(
          entry.origin,
          '',
          `node ${node.name} (type ${node.type}) matches layer entries ${matches.map((m) => `${m.entry.origin?.path ?? `#${m.index}`} '${m.entry.name}'`).join(', ')}; the first in file order is used`,
          'warning',
        ),
      );
    }
    checkEntryCores(entry, index);
    const loops = loopCount(node);
    entry.interCoreTiling.forEach((split, s) => {
      if (split.dim >= loops) {
        issues.push(at(entry.origin, `.inter_core_tiling[0][${s}].dim`, `inter_core_tiling dimension D${split.dim} of layer entry '${entry.name}' is out of range for node ${node.name} (type ${node.type}), which has ${loops} loop dimensions (D0..D${loops - 1}).`));
      }
    });
    nodes.push({
      node: node.name,
      nodeType: node.type,
      entryIndex: index,
      coreAllocation: entry.coreAllocation,
      interCoreTiling: entry.interCoreTiling,
      ...(entry.kernel ? { kernel: entry.kernel } : {}),
    });
  }

  for (const group of spec.fusedGroups) {
    for (const tile of group.intraCoreTiling) {
      const node = nodesByName.get(tile.node);
      if (!node) {
        issues.push(at(tile.origin, '.dim', `Fused group '${group.name}' tiles '${tile.node}.D${tile.dim}', but the workload has no computation node named '${tile.node}'.`));
        continue;
      }
      const loops = loopCount(node);
      if (tile.dim >= loops) {
        issues.push(at(tile.origin, '.dim', `Fused group '${group.name}' tiles '${tile.node}.D${tile.dim}', but node ${tile.node} (type ${node.type}) has ${loops} loop dimensions (D0..D${loops - 1}).`));
      }
    }
  }

  const runtimeArgs: ResolvedRuntimeArg[] = [];
  for (const [tensor, arg] of Object.entries(spec.runtimeArgs)) {
    const boundary = findBoundaryTensor(workload, tensor);
    if (arg.layout !== undefined) {
      runtimeArgs.push({ tensor, layout: arg.layout });
      continue;
    }
    if (boundary === undefined) {
      const known = workload.nodes.some((n) => n.name === tensor);
      issues.push(
        at(
          arg.origin,
          '',
          known
            ? `Standard layout inference not implemented for tensor ${tensor}: only graph inputs, initializers and outputs get the identity layout; give a 'layout'.`
            : `No node with name ${tensor} found in workload.`,
        ),
      );
      continue;
    }
    const dims = Array.from({ length: boundary }, (_, i) => `d${i}`).join(', ');
    runtimeArgs.push({ tensor, layout: `(${dims}) -> (${dims})` });
  }

  const errors = issues.filter((i) => i.severity !== 'warning');
  if (errors.length > 0) return left(errors);
  return right({
    mapping: { spec, nodes, fusedGroups: spec.fusedGroups, runtimeArgs },
    warnings: issues.filter((i) => i.severity === 'warning'),
  });
}

/** Rank of the tensor behind a graph input, initializer or output node named `name` (node or tensor name). */
function findBoundaryTensor(workload: Workload, name: string): number | undefined {
  for (const node of workload.nodes) {
    if (node.kind === 'in' && (node.name === name || node.output.name === name)) return node.output.shape.length;
    if (node.kind === 'out' && (node.name === name || node.input.name === name)) return node.input.shape.length;
  }
  return undefined;
}
