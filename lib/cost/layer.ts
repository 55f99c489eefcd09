/**
 * The layer view the cost model works on: ZigZag's `LayerNode` as Stream's `ZigZagCostEstimator`
 * builds it (reference-cost-model §3). Two front doors:
 *  - `layerFromRecord`: the golden/CLI `layer` record (equation, dim sizes, relations, pr sizes,
 *    precisions, operand links);
 *  - `layerFromComputationNode`: one of our workload nodes (affine maps), built exactly like the
 *    reference (D-naming, pr dims for two-term index sums, clipped pr extents).
 *
 * Dimension ids are small integers so the hot loops can index typed arrays: base dims 0..n−1, pr
 * dims n..n+m−1, and the pr-decoupled pseudo dims `P_R` = n+m+2j, `P_IR` = n+m+2j+1.
 */
import type { AffineExpr, ComputationNode } from '../workload/model';
import { ELEMENT_BITS } from '../workload/model';
import { CostModelError } from './errors';

export type MemoryOperandName = string; // 'I1' | 'I2' | 'O' in practice

/** The golden record / CLI input form of a layer. */
export interface LayerRecord {
  readonly equation: string;
  readonly layer_type?: string;
  readonly layer_dim_sizes: Readonly<Record<string, number>>;
  readonly dimension_relations?: readonly string[];
  readonly pr_layer_dim_sizes?: Readonly<Record<string, number>>;
  readonly padding?: Readonly<Record<string, readonly number[]>>;
  readonly operand_precision: Readonly<Record<string, number>>;
  readonly memory_operand_links: Readonly<Record<string, string>>;
}

/** `P = a·U + b·V`, with U/V in the relation's own order (scaled output dim first). */
export interface PrRelation {
  readonly dim: number;
  readonly coefA: number;
  readonly coefB: number;
  readonly dimU: number;
  readonly dimV: number;
  /** Clipped tensor extent along P (`pr_layer_dim_sizes`). */
  readonly size: number;
}

export interface LayerOperand {
  /** Layer operand name: `O`, `A`, `B`, ... */
  readonly name: string;
  readonly memoryOperand: MemoryOperandName;
  readonly isOutput: boolean;
  /** Input precision, or the partial-sum precision for the output. */
  readonly precision: number;
  /** Final-output precision (equals `precision` for inputs). */
  readonly finalPrecision: number;
  /** Dim ids written in the operand's brackets (base and pr dims). */
  readonly bracketDims: readonly number[];
  /** Whether the brackets contain a pr dim (the conv input). */
  readonly hasPr: boolean;
  /** Non-decoupled relevancy flags, indexed by dim id (only base dims can be set). */
  readonly relevant: readonly boolean[];
  readonly irrelevant: readonly boolean[];
  /** pr-decoupled relevancy, indexed by dim id (base dims plus the `P_R`/`P_IR` pseudo dims). */
  readonly relevantDecoupled: readonly boolean[];
  readonly irrelevantDecoupled: readonly boolean[];
}

export interface Layer {
  readonly layerType: string;
  readonly equation: string;
  /** Names of every dim id: base dims, pr dims, then `P_R`, `P_IR` per pr dim. */
  readonly dimNames: readonly string[];
  /** Number of base (loop) dims. */
  readonly nbBaseDims: number;
  /** Base dim sizes (`layer_dim_sizes`, in its order). */
  readonly dimSizes: readonly number[];
  readonly prRelations: readonly PrRelation[];
  /** In `layer_operands` order: output first, then inputs in equation order. */
  readonly operands: readonly LayerOperand[];
  /** Indices into `operands`, in `memory_operand_links` order (the allocator's operand order). */
  readonly linkOrder: readonly number[];
  readonly totalMacCount: number;
  /** Padding per pr dim (informational). */
  readonly padding: Readonly<Record<string, readonly [number, number]>>;
}

const OPERAND_NAMES = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

export function prDecoupledRId(layer: Pick<Layer, 'nbBaseDims' | 'prRelations'>, j: number): number {
  return layer.nbBaseDims + layer.prRelations.length + 2 * j;
}

export function operandByName(layer: Layer, name: string): LayerOperand | undefined {
  return layer.operands.find((o) => o.name === name);
}

export function operandForMemoryOperand(layer: Layer, memOp: string): LayerOperand | undefined {
  return layer.operands.find((o) => o.memoryOperand === memOp);
}

// ---------------------------------------------------------------------------------------------
// Building from the record form

const RELATION_RE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(-?\d+)\s*\*\s*([A-Za-z_][A-Za-z0-9_]*)\s*\+\s*(-?\d+)\s*\*\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;

interface ParsedOperand {
  readonly name: string;
  readonly dims: readonly string[];
}

function parseEquation(equation: string): ParsedOperand[] {
  const [lhs, rhs] = equation.split('=');
  if (rhs === undefined) throw new CostModelError('invalid-layer', `equation has no '=': ${equation}`);
  const parts = [lhs, ...rhs.split('*')];
  return parts.map((part) => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*((?:\[[^\]]*\]\s*)*)$/.exec(part);
    if (!m) throw new CostModelError('invalid-layer', `cannot parse operand '${part.trim()}' in ${equation}`);
    const dims = [...m[2].matchAll(/\[([^\]]*)\]/g)].map((b) => b[1].trim().toUpperCase()).filter((d) => d !== '');
    return { name: m[1], dims };
  });
}

/** Builds the layer view from the golden `layer` record form (also the CLI's LAYER.json). */
export function layerFromRecord(record: LayerRecord): Layer {
  const baseNames = Object.keys(record.layer_dim_sizes).map((d) => d.toUpperCase());
  const baseSizes = Object.values(record.layer_dim_sizes);
  for (const s of baseSizes) {
    if (!Number.isFinite(s) || s < 1) throw new CostModelError('invalid-layer', `layer dim sizes must be positive numbers`);
  }
  const relations = (record.dimension_relations ?? []).map((text) => {
    const m = RELATION_RE.exec(text);
    if (!m) throw new CostModelError('invalid-layer', `cannot parse dimension relation '${text}'`);
    return { dim: m[1].toUpperCase(), a: Number(m[2]), u: m[3].toUpperCase(), b: Number(m[4]), v: m[5].toUpperCase() };
  });
  const prSizes: Record<string, number> = {};
  for (const [k, v] of Object.entries(record.pr_layer_dim_sizes ?? {})) prSizes[k.toUpperCase()] = v;
  const padding: Record<string, readonly [number, number]> = {};
  for (const [k, v] of Object.entries(record.padding ?? {})) padding[k.toUpperCase()] = [v[0] ?? 0, v[1] ?? 0];
  const parsed = parseEquation(record.equation);
  const links = Object.entries(record.memory_operand_links);
  return assembleLayer({
    layerType: record.layer_type ?? '',
    equation: record.equation,
    baseNames,
    baseSizes,
    relations,
    prSizes,
    padding,
    operands: parsed,
    precision: record.operand_precision,
    links,
  });
}

interface AssembleInput {
  readonly layerType: string;
  readonly equation: string;
  readonly baseNames: readonly string[];
  readonly baseSizes: readonly number[];
  readonly relations: readonly { dim: string; a: number; u: string; b: number; v: string }[];
  readonly prSizes: Readonly<Record<string, number>>;
  readonly padding: Readonly<Record<string, readonly [number, number]>>;
  readonly operands: readonly ParsedOperand[];
  readonly precision: Readonly<Record<string, number>>;
  readonly links: readonly (readonly [string, string])[];
}

function assembleLayer(input: AssembleInput): Layer {
  const n = input.baseNames.length;
  const m = input.relations.length;
  const dimNames: string[] = [...input.baseNames, ...input.relations.map((r) => r.dim)];
  for (const r of input.relations) dimNames.push(`${r.dim}_R`, `${r.dim}_IR`);
  const idOf = new Map<string, number>();
  dimNames.forEach((name, i) => {
    if (idOf.has(name)) throw new CostModelError('invalid-layer', `duplicate dim name ${name}`);
    idOf.set(name, i);
  });
  const baseId = (name: string): number => {
    const id = idOf.get(name);
    if (id === undefined || id >= n) throw new CostModelError('invalid-layer', `relation names unknown layer dim ${name}`);
    return id;
  };
  const prRelations: PrRelation[] = input.relations.map((r, j) => {
    const size = input.prSizes[r.dim];
    if (size === undefined) throw new CostModelError('invalid-layer', `no pr_layer_dim_sizes entry for ${r.dim}`);
    return { dim: n + j, coefA: r.a, coefB: r.b, dimU: baseId(r.u), dimV: baseId(r.v), size };
  });
  const inRelation = new Array<boolean>(n + m).fill(false);
  for (const r of prRelations) {
    inRelation[r.dim] = true;
    inRelation[r.dimU] = true;
    inRelation[r.dimV] = true;
  }
  const totalDims = n + 3 * m;
  const output = input.operands[0];
  const outPrecision = input.precision[output.name];
  if (outPrecision === undefined) throw new CostModelError('invalid-layer', `no precision for operand ${output.name}`);
  const finalPrecision = input.precision[`${output.name}_final`] ?? outPrecision;

  const operands: LayerOperand[] = input.operands.map((op, idx) => {
    const isOutput = idx === 0;
    const precision = input.precision[op.name];
    if (precision === undefined) throw new CostModelError('invalid-layer', `no precision for operand ${op.name}`);
    const bracketDims = op.dims.map((d) => {
      const id = idOf.get(d);
      if (id === undefined || id >= n + m) throw new CostModelError('invalid-layer', `operand ${op.name} indexes unknown dim ${d}`);
      return id;
    });
    const hasPr = bracketDims.some((d) => d >= n);
    const inBrackets = new Array<boolean>(n + m).fill(false);
    for (const d of bracketDims) inBrackets[d] = true;
    const relevant = new Array<boolean>(totalDims).fill(false);
    const irrelevant = new Array<boolean>(totalDims).fill(false);
    for (let d = 0; d < n; d++) {
      const sizeOne = input.baseSizes[d] === 1;
      if (hasPr) {
        // Quirk kept on purpose: size-1 bracket dims stay relevant for the pr operand (§3.2).
        if (inBrackets[d] && !inRelation[d]) relevant[d] = true;
        else if (!inBrackets[d] && !inRelation[d] && !sizeOne) irrelevant[d] = true;
      } else if (!sizeOne) {
        if (inBrackets[d]) relevant[d] = true;
        else irrelevant[d] = true;
      }
    }
    const relevantDecoupled = relevant.slice();
    const irrelevantDecoupled = irrelevant.slice();
    for (let j = 0; j < m; j++) {
      relevantDecoupled[n + m + 2 * j] = true;
      irrelevantDecoupled[n + m + 2 * j + 1] = true;
    }
    const memoryOperand = input.links.find(([layerOp]) => layerOp === op.name)?.[1];
    if (memoryOperand === undefined) throw new CostModelError('invalid-layer', `operand ${op.name} has no memory operand link`);
    return {
      name: op.name,
      memoryOperand,
      isOutput,
      precision,
      finalPrecision: isOutput ? finalPrecision : precision,
      bracketDims,
      hasPr,
      relevant,
      irrelevant,
      relevantDecoupled,
      irrelevantDecoupled,
    };
  });
  const linkOrder = input.links.map(([layerOp]) => {
    const idx = operands.findIndex((o) => o.name === layerOp);
    if (idx < 0) throw new CostModelError('invalid-layer', `memory_operand_links names unknown operand ${layerOp}`);
    return idx;
  });
  let totalMacCount = 1;
  for (const s of input.baseSizes) totalMacCount *= s;
  return {
    layerType: input.layerType,
    equation: input.equation,
    dimNames,
    nbBaseDims: n,
    dimSizes: input.baseSizes.slice(),
    prRelations,
    operands,
    linkOrder,
    totalMacCount,
    padding: input.padding,
  };
}

/** The golden record form of a layer (round trip for reports, CLI output and cache keys). */
export function layerToRecord(layer: Layer): LayerRecord & { readonly total_mac_count: number } {
  const n = layer.nbBaseDims;
  const sizes: Record<string, number> = {};
  for (let d = 0; d < n; d++) sizes[layer.dimNames[d]] = layer.dimSizes[d];
  const prSizes: Record<string, number> = {};
  const padding: Record<string, number[]> = {};
  for (const r of layer.prRelations) {
    prSizes[layer.dimNames[r.dim]] = r.size;
    const pad = layer.padding[layer.dimNames[r.dim]];
    if (pad) padding[layer.dimNames[r.dim]] = [pad[0], pad[1]];
  }
  const precision: Record<string, number> = {};
  const out = layer.operands[0];
  for (const op of layer.operands) precision[op.name] = op.precision;
  precision[`${out.name}_final`] = out.finalPrecision;
  const links: Record<string, string> = {};
  for (const i of layer.linkOrder) links[layer.operands[i].name] = layer.operands[i].memoryOperand;
  return {
    equation: layer.equation,
    layer_type: layer.layerType,
    layer_dim_sizes: sizes,
    dimension_relations: layer.prRelations.map(
      (r) => `${layer.dimNames[r.dim]} = ${r.coefA}*${layer.dimNames[r.dimU]} + ${r.coefB}*${layer.dimNames[r.dimV]}`,
    ),
    pr_layer_dim_sizes: prSizes,
    padding,
    operand_precision: precision,
    memory_operand_links: links,
    total_mac_count: layer.totalMacCount,
  };
}

// ---------------------------------------------------------------------------------------------
// Building from a workload ComputationNode

export interface NodeLayerOptions {
  /**
   * Size of every iteration dim of the node (tiled, before the inter-core split). When absent they
   * are derived from the tensor shapes the way Stream's `get_dimension_sizes` does.
   */
  readonly dimSizes?: readonly number[];
  /** Inter-core split `(dim, factor)`: a dim is divided only when the factor divides it. */
  readonly interCoreSplit?: readonly (readonly [number, number])[];
  /**
   * Extents of the pr tensor axes (per pr dim, in creation order) when the caller knows better
   * (Stream takes the maximum over all accessors of the tensor); default: this node's own extent.
   */
  readonly prSizes?: readonly number[];
}

function exprRange(e: AffineExpr, sizes: readonly number[]): [number, number] {
  let lo = e.constant;
  let hi = e.constant;
  for (const t of e.terms) {
    const span = t.coef * (sizes[t.dim] - 1);
    if (span >= 0) hi += span;
    else lo += span;
  }
  return [lo, hi];
}

/**
 * Stream's `get_dimension_sizes` for one node: bare-dim axes first (inputs then outputs, first hit
 * wins), then dims that only occur inside compound index expressions are probed from the axis size.
 */
export function deriveNodeDimSizes(node: ComputationNode): number[] {
  const numDims = node.operandMaps[0]?.numDims ?? 0;
  const sizes = new Array<number | undefined>(numDims).fill(undefined);
  const tensors = [...node.inputs, ...node.outputs];
  node.operandMaps.forEach((map, t) => {
    map.results.forEach((e, axis) => {
      if (e.terms.length === 1 && e.terms[0].coef === 1 && e.constant === 0 && sizes[e.terms[0].dim] === undefined) {
        sizes[e.terms[0].dim] = tensors[t].shape[axis];
      }
    });
  });
  node.operandMaps.forEach((map, t) => {
    map.results.forEach((e, axis) => {
      for (const term of e.terms) {
        if (sizes[term.dim] !== undefined || term.coef <= 0) continue;
        const others = e.terms.filter((o) => o !== term);
        if (others.some((o) => sizes[o.dim] === undefined)) continue;
        const otherMax = others.reduce((acc, o) => acc + Math.max(0, o.coef * ((sizes[o.dim] as number) - 1)), 0);
        sizes[term.dim] = Math.floor((tensors[t].shape[axis] - 1 - e.constant - otherMax) / term.coef) + 1;
      }
    });
  });
  return sizes.map((s, i) => {
    if (s === undefined) throw new CostModelError('unsupported-node', `cannot derive the size of dim d${i} of ${node.name}`);
    return s;
  });
}

/**
 * ZigZag layer of one Stream computation node (reference-cost-model §3.1). Throws
 * `CostModelError('unsupported-index-expression')` where the reference raises (bare constants,
 * `2·d` alone, three-term sums, positive constants in a two-term sum).
 */
export function layerFromComputationNode(node: ComputationNode, options: NodeLayerOptions = {}): Layer {
  if (node.outputs.length !== 1) throw new CostModelError('unsupported-node', `${node.name}: expected one output`);
  if (node.inputs.length > OPERAND_NAMES.length) throw new CostModelError('unsupported-node', `${node.name}: too many inputs`);
  if (node.operandMaps.length !== node.inputs.length + 1) {
    throw new CostModelError('unsupported-node', `${node.name}: one affine map per operand expected`);
  }
  const numDims = node.operandMaps[0].numDims;
  const fullSizes = options.dimSizes ?? deriveNodeDimSizes(node);
  if (fullSizes.length !== numDims) throw new CostModelError('unsupported-node', `${node.name}: ${numDims} dim sizes expected`);
  const sizes = fullSizes.slice();
  for (const [dim, factor] of options.interCoreSplit ?? []) {
    if (factor > 0 && sizes[dim] % factor === 0) sizes[dim] = sizes[dim] / factor;
  }
  const baseNames = sizes.map((_, i) => `D${i}`);
  const relations: { dim: string; a: number; u: string; b: number; v: string }[] = [];
  const prSizes: Record<string, number> = {};
  const padding: Record<string, readonly [number, number]> = {};
  const output = node.outputs[0];
  // Output first, then the inputs in order: this is the order the reference numbers pr dims in.
  const ordered = [
    { name: 'O', tensor: output, map: node.operandMaps[node.inputs.length] },
    ...node.inputs.map((tensor, i) => ({ name: OPERAND_NAMES[i], tensor, map: node.operandMaps[i] })),
  ];
  const operands: ParsedOperand[] = ordered.map(({ name, tensor, map }) => {
    const dims = map.results.map((e, axis) => {
      if (e.terms.length === 1 && e.terms[0].coef === 1) return `D${e.terms[0].dim}`;
      if (e.terms.length === 2) {
        if (e.constant > 0) {
          throw new CostModelError('unsupported-index-expression', `${node.name}: positive offset in ${name} index ${axis}`);
        }
        const j = relations.length;
        const dim = `D${numDims + j}`;
        const [t1, t2] = e.terms;
        relations.push({ dim, a: t1.coef, u: `D${t1.dim}`, b: t2.coef, v: `D${t2.dim}` });
        const given = options.prSizes?.[j];
        if (given !== undefined) prSizes[dim] = given;
        else {
          const [lo, hi] = exprRange(e, sizes);
          const clippedLo = Math.max(lo, 0);
          const clippedHi = Math.min(hi, tensor.shape[axis] - 1);
          prSizes[dim] = Math.max(0, clippedHi - clippedLo + 1);
        }
        padding[dim] = [-e.constant, -e.constant];
        return dim;
      }
      throw new CostModelError(
        'unsupported-index-expression',
        `${node.name}: unsupported index expression for operand ${name} axis ${axis} (bare constant, scaled single dim or more than two terms)`,
      );
    });
    return { name, dims };
  });
  const precision: Record<string, number> = { O: ELEMENT_BITS[output.elementType], O_final: ELEMENT_BITS[output.elementType] };
  node.inputs.forEach((t, i) => {
    precision[OPERAND_NAMES[i]] = ELEMENT_BITS[t.elementType];
  });
  const links: [string, string][] = node.inputs.map((_, i) => [OPERAND_NAMES[i], `I${i + 1}`]);
  links.push(['O', 'O']);
  const equation = `${formatOperand(operands[0])} = ${operands.slice(1).map(formatOperand).join(' * ')}`;
  return assembleLayer({
    layerType: node.type,
    equation,
    baseNames,
    baseSizes: sizes,
    relations,
    prSizes,
    padding,
    operands,
    precision,
    links,
  });
}

function formatOperand(op: ParsedOperand): string {
  return `${op.name}${op.dims.map((d) => `[${d.toLowerCase()}]`).join('')}`;
}
