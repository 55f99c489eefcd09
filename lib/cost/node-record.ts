/**
 * Reader for the reference's printed affine maps, e.g.
 * `(d0, d1, d2) -> (d0, ((d1 * 2) + d2), ((d1 + d3) + -1))` (the `operand_maps` of the golden
 * records); the inverse of `formatAffineMap` in lib/workload/model.ts. Terms keep tree order.
 */
import type { AffineExpr, AffineMap, ComputationNode, ElementType } from '../workload/model';

/** Parses the reference's printed affine expression, e.g. `((d2 * 2) + d4)` or `((d1 + d3) + -1)`. */
export function parseAffineExpr(text: string): AffineExpr {
  let i = 0;
  const s = text.replace(/\s+/g, '');
  const terms: { dim: number; coef: number }[] = [];
  let constant = 0;
  type Node = { kind: 'dim'; dim: number } | { kind: 'const'; value: number } | { kind: 'mul'; dim: number; coef: number } | { kind: 'sum' };
  const parse = (): Node => {
    if (s[i] === '(') {
      i++;
      const left = parse();
      const op = s[i++];
      const right = parse();
      i++; // ')'
      if (op === '*') {
        if (left.kind === 'dim' && right.kind === 'const') return { kind: 'mul', dim: left.dim, coef: right.value };
        throw new Error(`unsupported product in ${text}`);
      }
      for (const n of [left, right]) {
        if (n.kind === 'dim') terms.push({ dim: n.dim, coef: 1 });
        else if (n.kind === 'mul') terms.push({ dim: n.dim, coef: n.coef });
        else if (n.kind === 'const') constant += n.value;
      }
      return { kind: 'sum' };
    }
    const m = /^(d(\d+)|-?\d+)/.exec(s.slice(i));
    if (!m) throw new Error(`cannot parse ${text} at ${i}`);
    i += m[0].length;
    return m[2] !== undefined ? { kind: 'dim', dim: Number(m[2]) } : { kind: 'const', value: Number(m[1]) };
  };
  const root = parse();
  if (root.kind === 'dim') return { terms: [{ dim: root.dim, coef: 1 }], constant: 0 };
  if (root.kind === 'const') return { terms: [], constant: root.value };
  if (root.kind === 'mul') return { terms: [{ dim: root.dim, coef: root.coef }], constant: 0 };
  return { terms, constant };
}

export function parseAffineMap(text: string): AffineMap {
  const [dimsPart, resultsPart] = text.split('->');
  const numDims = dimsPart.replace(/[()\s]/g, '').split(',').filter((d) => d !== '').length;
  const body = resultsPart.trim().slice(1, -1);
  const results: string[] = [];
  let depth = 0;
  let start = 0;
  for (let k = 0; k < body.length; k++) {
    if (body[k] === '(') depth++;
    else if (body[k] === ')') depth--;
    else if (body[k] === ',' && depth === 0) {
      results.push(body.slice(start, k));
      start = k + 1;
    }
  }
  results.push(body.slice(start));
  return { numDims, results: results.map((r) => parseAffineExpr(r.trim())) };
}

/** A Stream node as the golden records print it (`stream_node`): maps are output first. */
export interface StreamNodeRecord {
  readonly node_type: string;
  readonly inputs: readonly { readonly shape: readonly number[]; readonly dtype: string }[];
  readonly output: { readonly shape: readonly number[]; readonly dtype: string };
  readonly full_dim_sizes?: readonly number[];
  /** `[['d2', 4]]`: node dim and inter-core split factor. */
  readonly inter_core_split?: readonly (readonly [string, number])[];
  readonly operand_maps: readonly string[];
}

const ELEMENT_TYPES: readonly ElementType[] = ['f32', 'f16', 'bf16', 'i8', 'u8', 'i16', 'i32'];

/** One of our computation nodes (maps: inputs first, then the output) from a golden `stream_node`. */
export function computationNodeFromRecord(name: string, record: StreamNodeRecord): ComputationNode {
  const maps = record.operand_maps.map(parseAffineMap);
  const tensor = (t: { shape: readonly number[]; dtype: string }, tensorName: string) => {
    if (!ELEMENT_TYPES.includes(t.dtype as ElementType)) throw new Error(`unknown element type ${t.dtype}`);
    return { name: tensorName, elementType: t.dtype as ElementType, shape: t.shape };
  };
  return {
    kind: 'computation',
    name,
    type: record.node_type,
    inputs: record.inputs.map((t, i) => tensor(t, `${name}.in${i}`)),
    outputs: [tensor(record.output, `${name}.out`)],
    operandMaps: [...maps.slice(1), maps[0]],
  };
}

/** `[['d2', 4]]` → `[[2, 4]]`. */
export function interCoreSplitFromRecord(record: StreamNodeRecord): [number, number][] {
  return (record.inter_core_split ?? []).map(([dim, factor]) => [Number(dim.replace(/^d/, '')), factor]);
}
