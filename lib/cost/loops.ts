/**
 * Loops and the partially-relevant (pr) bookkeeping shared by the spatial, temporal and cost
 * stages: tensor footprints (reference-cost-model §3.3) and pr decoupling (§4.6).
 */
import { gcd } from '../common/numeric';
import type { Layer, LayerOperand, PrRelation } from './layer';

/** A loop: (dim id, size). Temporal sizes are integers; fractional spatial unrolls are floats. */
export interface Loop {
  readonly dim: number;
  size: number;
}

/**
 * Extent of a pr dim `P = a·U + b·V` for loop sizes u, v of U, V (§3.3): sizes truncated to int,
 * then `u·v − max(0, v − a//g)·(u − b//g)`, clipped to the tensor extent.
 */
export function prExtent(rel: PrRelation, sizeU: number, sizeV: number): number {
  const u = Math.trunc(sizeU);
  const v = Math.trunc(sizeV);
  const g = gcd(rel.coefA, rel.coefB);
  const raw = u * v - Math.max(0, v - Math.floor(rel.coefA / g)) * (u - Math.floor(rel.coefB / g));
  return Math.min(raw, rel.size);
}

/**
 * Number of distinct elements of an operand touched by loops of the given per-dim sizes (base dim
 * ids; a missing dim has size 1): product of the relevant sizes and of the pr extents.
 */
export function tensorSize(layer: Layer, op: LayerOperand, dimSizes: ArrayLike<number>): number {
  let size = 1;
  const n = layer.nbBaseDims;
  for (let d = 0; d < n; d++) if (op.relevant[d]) size *= dimSizes[d];
  if (op.hasPr) {
    for (const rel of layer.prRelations) size *= prExtent(rel, dimSizes[rel.dimU], dimSizes[rel.dimV]);
  }
  return size;
}

/**
 * §4.6: replace every loop on a dim related to a pr dim P by (`P_R`, r-ratio), (`P_IR`, ir-ratio),
 * walking the levels bottom-up with running related sizes that carry across levels. The cumulative
 * products of the ratios are the distinct (r) and reused (ir) parts of P so far.
 */
export function decoupleLevels(layer: Layer, levels: readonly (readonly Loop[])[]): Loop[][] {
  const n = layer.nbBaseDims;
  const m = layer.prRelations.length;
  const relOfDim = new Int32Array(n).fill(-1);
  layer.prRelations.forEach((rel, j) => {
    relOfDim[rel.dimU] = j;
    relOfDim[rel.dimV] = j;
  });
  const runU = new Float64Array(m).fill(1);
  const runV = new Float64Array(m).fill(1);
  const prevR = new Float64Array(m).fill(1);
  const prevIr = new Float64Array(m).fill(1);
  return levels.map((level) => {
    const out: Loop[] = [];
    for (const loop of level) {
      const j = loop.dim < n ? relOfDim[loop.dim] : -1;
      if (j < 0) {
        out.push({ dim: loop.dim, size: loop.size });
        continue;
      }
      const rel = layer.prRelations[j];
      if (loop.dim === rel.dimU) runU[j] *= loop.size;
      else runV[j] *= loop.size;
      const rNow = prExtent(rel, runU[j], runV[j]);
      const irNow = (runU[j] * runV[j]) / rNow;
      out.push({ dim: n + m + 2 * j, size: rNow / prevR[j] }, { dim: n + m + 2 * j + 1, size: irNow / prevIr[j] });
      prevR[j] = rNow;
      prevIr[j] = irNow;
    }
    return out;
  });
}
