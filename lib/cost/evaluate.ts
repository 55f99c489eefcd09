/**
 * ZigZag's `CostModelEvaluation` (reference-cost-model §6) as a reusable kernel: everything that
 * depends only on the layer, the core and the spatial mapping is prepared once; `evaluate` then
 * costs one temporal mapping (given as level bounds in an ordering, see loma.ts) with typed-array
 * scratch space and no allocation. It computes, per operand and arch level, the data sizes of the
 * fractional mapping (energy, utilisation) and the integer mapping (latency), the transfer pattern
 * of every (memory level, direction), word accesses and energy, memory utilisation and double
 * buffering, allowed vs real cycles, the per-port stall/slack combination and on/off-loading.
 *
 * `describe` re-runs the same code with collection switched on to build the report objects of one
 * mapping (the winner), so the search and the report can never disagree.
 */
import { roundHalfEven } from '../common/numeric';
import type { CoreModel } from './core-model';
import { DIRECTION_NAMES, RD_OUT_TO_HIGH, RD_OUT_TO_LOW, WR_IN_BY_HIGH, WR_IN_BY_LOW } from './core-model';
import { CostModelError } from './errors';
import type { Layer } from './layer';
import type { OrderingBuffers } from './loma';
import { prExtent, type Loop } from './loops';
import type { OperandSpatial } from './spatial';

export interface PortActivity {
  readonly memory: string;
  readonly port: string;
  readonly operand: string;
  readonly level: number;
  readonly direction: number;
  readonly realCycles: number;
  readonly allowedCycles: number;
  readonly period: number;
  readonly count: number;
  readonly stallOrSlack: number;
  readonly memoryUpdatingWindow: number;
}

export interface LoadingRecord {
  readonly cycles: number;
  readonly shared: boolean;
}

/** The cost of one (spatial, temporal) mapping, with the reference's intermediates. */
export interface CostEvaluation {
  readonly cyclesPerOp: number;
  readonly idealCycle: number;
  readonly idealTemporalCycle: number;
  readonly stallSlackComb: number;
  readonly onloadingCycle: number;
  readonly offloadingCycle: number;
  readonly latencyTotal0: number;
  readonly latencyTotal1: number;
  readonly latencyTotal2: number;
  readonly macEnergy: number;
  readonly memEnergy: number;
  readonly energyTotal: number;
  /** Per layer operand (layer-operand order), per memory level. */
  readonly memEnergyBreakdown: readonly (readonly number[])[];
  /** Per layer operand, per memory level, per direction. */
  readonly memEnergyPerDirection: readonly (readonly (readonly number[])[])[];
  readonly memoryWordAccess: readonly (readonly (readonly number[])[])[];
  readonly memUtilIndividual: readonly (readonly number[])[];
  readonly memUtilShared: readonly (readonly number[])[];
  readonly effectiveMemUtilIndividual: readonly (readonly number[])[];
  /** As the reference reports it: after the double-buffering pass added to it. */
  readonly effectiveMemUtilShared: readonly (readonly number[])[];
  /** Per layer operand, arch levels 0..L. */
  readonly doubleBuffer: readonly (readonly boolean[])[];
  readonly portActivities: readonly PortActivity[];
  /** Per memory (file order): port name → memory-updating-window union, for ports with activities. */
  readonly muwUnionPerPort: readonly (readonly [string, Readonly<Record<string, number>>])[];
  /** Per memory (file order): port name → combined stall (+) or slack (−). */
  readonly stallSlackPerPort: readonly (readonly [string, Readonly<Record<string, number>>])[];
  /** Per layer operand name: key `A0_rd_out_to_low` → record. */
  readonly loading: Readonly<Record<string, Readonly<Record<string, LoadingRecord>>>>;
  readonly offloading: Readonly<Record<string, Readonly<Record<string, LoadingRecord>>>>;
  readonly loadingIndividual: Readonly<Record<string, number>>;
  readonly loadingHalfShared: Readonly<Record<string, number>>;
  readonly loadingShared: Readonly<Record<string, number>>;
  readonly macSpatialUtilization: number;
  readonly macUtilization0: number;
  readonly macUtilization1: number;
  readonly macUtilization2: number;
}

/**
 * §6.8.4: the reference's water-filling of surplus bandwidth over single-shot loads, in place.
 * Visits the values by decreasing size (stable); step i may take (c_i − m_i) from each of the i+1
 * largest, where c_i is the i-th value *before* any reduction (a quirk kept on purpose).
 */
export function reduceBalanced(values: Float64Array, minimums: Float64Array, count: number, surplus: number, order: Int32Array, original: Float64Array): void {
  if (surplus <= 0 || count === 0) return;
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = 1; i < count; i++) {
    const x = order[i];
    let j = i - 1;
    while (j >= 0 && values[order[j]] < values[x]) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = x;
  }
  for (let i = 0; i < count; i++) original[i] = values[order[i]];
  let s = surplus;
  for (let i = 0; i < count; i++) {
    const c = original[i];
    const m = minimums[order[i]];
    const maxReduction = (c - m) * (i + 1);
    if (s >= maxReduction) {
      for (let k = 0; k <= i; k++) values[order[k]] -= c - m;
      s -= maxReduction;
    } else {
      for (let k = 0; k <= i; k++) values[order[k]] -= s / (i + 1);
      break;
    }
  }
}

/**
 * §6.7.3: cycles during which at least one of a port's activities may update the memory, over the
 * largest period. The periods form a divisibility chain in practice (they are prefix products of
 * one loop ordering); the measure of the union of the windows `[k·P, k·P + A)` is computed from the
 * chain instead of a timeline. A period that does not divide the largest raises, as numpy's reshape
 * does in the reference.
 */
export function memoryUpdatingWindowUnion(periods: Float64Array, allowed: Float64Array, counts: Float64Array, n: number, order: Int32Array): number {
  for (let i = 0; i < n; i++) if (periods[i] === allowed[i]) return periods[i] * counts[i];
  let owner = 0;
  for (let i = 1; i < n; i++) if (periods[i] > periods[owner]) owner = i;
  const pMax = Math.trunc(periods[owner]);
  for (let i = 0; i < n; i++) {
    const p = Math.trunc(periods[i]);
    if (p <= 0 || pMax % p !== 0) {
      throw new CostModelError('muw-union-reshape', `port activity period ${p} does not divide ${pMax}`, 'ValueError: cannot reshape array');
    }
    order[i] = i;
  }
  // Ascending period (then any order): each period divides the next.
  for (let i = 1; i < n; i++) {
    const x = order[i];
    let j = i - 1;
    while (j >= 0 && periods[order[j]] > periods[x]) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = x;
  }
  for (let i = 1; i < n; i++) {
    if (Math.trunc(periods[order[i]]) % Math.trunc(periods[order[i - 1]]) !== 0) return timelineUnion(periods, allowed, n, pMax) * Math.trunc(counts[owner]);
  }
  return chainMeasure(periods, allowed, order, n - 1, pMax) * Math.trunc(counts[owner]);
}

/** Marked cycles in [0, x) of the union of the windows of activities order[0..j], for x ≤ their largest period. */
function chainMeasure(periods: Float64Array, allowed: Float64Array, order: Int32Array, j: number, x: number): number {
  if (j < 0 || x <= 0) return 0;
  const p = Math.trunc(periods[order[j]]);
  const a = Math.min(Math.trunc(allowed[order[j]]), p);
  if (x <= a) return x;
  return a + chainPeriodic(periods, allowed, order, j - 1, x) - chainPeriodic(periods, allowed, order, j - 1, a);
}

/** The same measure for the (periodic) union of activities order[0..j] over [0, x), any x. */
function chainPeriodic(periods: Float64Array, allowed: Float64Array, order: Int32Array, j: number, x: number): number {
  if (j < 0) return 0;
  const p = Math.trunc(periods[order[j]]);
  return Math.floor(x / p) * chainMeasure(periods, allowed, order, j, p) + chainMeasure(periods, allowed, order, j, x % p);
}

/** The reference's timeline form, for periods that all divide the largest but are not nested. */
function timelineUnion(periods: Float64Array, allowed: Float64Array, n: number, pMax: number): number {
  const marked = new Uint8Array(pMax);
  for (let i = 0; i < n; i++) {
    const p = Math.trunc(periods[i]);
    const a = Math.trunc(allowed[i]);
    for (let k = 0; k < pMax; k += p) for (let t = k; t < k + Math.min(a, p); t++) marked[t] = 1;
  }
  let count = 0;
  for (let t = 0; t < pMax; t++) count += marked[t];
  return count;
}

// Slots of CostKernel.scalars.
const S_LATENCY2 = 0;
const S_ENERGY = 1;
const S_CC = 2;
const S_IDEAL_TEMPORAL = 3;
const S_STALL_SLACK = 4;
const S_ONLOADING = 5;
const S_OFFLOADING = 6;
const S_LATENCY0 = 7;
const S_LATENCY1 = 8;
const S_MEM_ENERGY = 9;
const S_IDEAL_CYCLE_BASE = 10;
const S_MAC_ENERGY = 11;

interface OperandPlan {
  readonly levels: number;
  readonly isOutput: boolean;
  readonly hasPr: boolean;
  readonly isLoadingTable: boolean;
  readonly precision: number;
  readonly finalPrecision: number;
  readonly relevantD: Uint8Array;
  readonly relevant: Uint8Array;
  readonly irrelevant: Uint8Array;
  /** Per arch level a = 0..L, fractional (f) and integer (i) spatial loops. */
  readonly spatialDimsF: Int32Array[];
  readonly spatialSizesF: Float64Array[];
  readonly spatialDimsI: Int32Array[];
  readonly spatialSizesI: Float64Array[];
  readonly unitCountF: Float64Array;
  readonly boostF: Float64Array;
  readonly boostI: Float64Array;
  /** Output: arch level a has a spatial output-irrelevant loop of size > 1. */
  readonly irSpatialF: Uint8Array;
  readonly irSpatialI: Uint8Array;
  /** Per memory level. */
  readonly sizeBits: Float64Array;
  readonly readCost: Float64Array;
  readonly writeCost: Float64Array;
  /** Per (level, direction): port bandwidths; NaN when no port. */
  readonly bwMin: Float64Array;
  readonly bwMax: Float64Array;
  /** Offsets into the flat (operand, level, direction) and (operand, arch level) arrays. */
  readonly dirBase: number;
  readonly levelBase: number;
  readonly archBase: number;
}

interface PortPlan {
  readonly memory: string;
  readonly memoryIndex: number;
  readonly name: string;
  readonly bandwidthMax: number;
  readonly servesBothInputs: boolean;
  /** Served transfers whose memory operand the layer uses: operand, level, direction. */
  readonly ops: Int32Array;
  readonly levels: Int32Array;
  readonly dirs: Int32Array;
}

/**
 * The cost model for one (layer, core, spatial mapping), reused across every temporal mapping the
 * search tries. `cc` is the cycles per op: 1 during the search, the node type's factor for the
 * winner's re-costing (reference-cost-model §1.3).
 */
export class CostKernel {
  private readonly plans: OperandPlan[];
  private readonly ports: PortPlan[];
  private readonly sharingMembers: Int32Array[];
  /** Per (operand, level): index into `sharingMembers`, or −1. */
  private readonly groupOf: Int32Array;
  private readonly inputs: number[];
  private readonly output: number;
  private readonly sameSpatial: boolean;
  private readonly individual: Float64Array;
  private readonly half: Float64Array;
  private readonly sharedPart: Float64Array;
  // Scratch, flat per (operand, arch level) or (operand, level, direction).
  private readonly dueF: Float64Array;
  private readonly dueI: Float64Array;
  private readonly precF: Float64Array;
  private readonly precI: Float64Array;
  private readonly psumF: Uint8Array;
  private readonly psumI: Uint8Array;
  private readonly topR: Float64Array;
  private readonly topIr: Float64Array;
  private readonly cyc: Float64Array;
  private readonly tempIrFlag: Uint8Array;
  private readonly countF: Float64Array;
  private readonly amountF: Float64Array;
  private readonly precisionF: Float64Array;
  private readonly periodI: Float64Array;
  private readonly countI: Float64Array;
  private readonly amountI: Float64Array;
  private readonly precisionI: Float64Array;
  private readonly bandwidthI: Float64Array;
  private readonly windowI: Float64Array;
  private readonly allowed: Float64Array;
  private readonly real: Float64Array;
  private readonly access: Float64Array;
  private readonly levelEnergy: Float64Array;
  private readonly indiv: Float64Array;
  private readonly effIndiv: Float64Array;
  private readonly shared: Float64Array;
  private readonly effShared: Float64Array;
  private readonly doubleBuffer: Uint8Array;
  private readonly loadCycles: Float64Array;
  private readonly loadShared: Uint8Array;
  private readonly loadSet: Uint8Array;
  private readonly prefix: Float64Array;
  private readonly runU: Float64Array;
  private readonly runV: Float64Array;
  private readonly prevR: Float64Array;
  private readonly prevIr: Float64Array;
  private readonly actPeriod: Float64Array;
  private readonly actAllowed: Float64Array;
  private readonly actCount: Float64Array;
  private readonly actOrder: Int32Array;
  private readonly onceValues: Float64Array;
  private readonly onceMin: Float64Array;
  private readonly onceIndex: Int32Array;
  private readonly onceOriginal: Float64Array;

  /**
   * Numeric results live in a typed array rather than in fields: a field first holding a small
   * integer and later a fraction changes the object's hidden class, which throws V8's optimised
   * code away mid-search.
   */
  private readonly scalars = new Float64Array(12);

  constructor(
    private readonly layer: Layer,
    private readonly core: CoreModel,
    spatialF: readonly OperandSpatial[],
    spatialI: readonly OperandSpatial[],
    maxLoops: number,
  ) {
    const ops = layer.operands;
    const flag = (xs: readonly boolean[]) => Uint8Array.from(xs.map((x) => (x ? 1 : 0)));
    let dirBase = 0;
    let levelBase = 0;
    let archBase = 0;
    let widestPort = 1;
    this.plans = ops.map((op, o) => {
      const hier = core.hierarchy[op.memoryOperand];
      const L = hier.length;
      const bwMin = new Float64Array(L * 4).fill(NaN);
      const bwMax = new Float64Array(L * 4).fill(NaN);
      hier.forEach((mem, l) => {
        for (let dir = 0; dir < 4; dir++) {
          const port = mem.portFor[op.memoryOperand][dir];
          if (port) {
            bwMin[l * 4 + dir] = port.bandwidthMin;
            bwMax[l * 4 + dir] = port.bandwidthMax;
          }
        }
      });
      const split = (levels: readonly (readonly Loop[])[]) => ({
        dims: levels.map((ls) => Int32Array.from(ls.map((l) => l.dim))),
        sizes: levels.map((ls) => Float64Array.from(ls.map((l) => l.size))),
        ir: Uint8Array.from(levels.map((ls) => (op.isOutput && ls.some((l) => op.irrelevant[l.dim] && l.size > 1) ? 1 : 0))),
      });
      const f = split(spatialF[o].levels);
      const i = split(spatialI[o].levels);
      const plan: OperandPlan = {
        levels: L,
        isOutput: op.isOutput,
        hasPr: op.hasPr,
        isLoadingTable: op.memoryOperand === 'I1' || op.memoryOperand === 'I2',
        precision: op.precision,
        finalPrecision: op.finalPrecision,
        relevantD: flag(op.relevantDecoupled),
        relevant: flag(op.relevant),
        irrelevant: flag(op.irrelevant),
        spatialDimsF: f.dims,
        spatialSizesF: f.sizes,
        spatialDimsI: i.dims,
        spatialSizesI: i.sizes,
        unitCountF: Float64Array.from(spatialF[o].unitCount),
        boostF: Float64Array.from([...spatialF[o].memBwBoost, 1]),
        boostI: Float64Array.from([...spatialI[o].memBwBoost, 1]),
        irSpatialF: f.ir,
        irSpatialI: i.ir,
        sizeBits: Float64Array.from(hier.map((m) => m.sizeBits)),
        readCost: Float64Array.from(hier.map((m) => m.readCost)),
        writeCost: Float64Array.from(hier.map((m) => m.writeCost)),
        bwMin,
        bwMax,
        dirBase,
        levelBase,
        archBase,
      };
      dirBase += L * 4;
      levelBase += L;
      archBase += L + 1;
      return plan;
    });
    const opOfMemOp = new Map<string, number>();
    ops.forEach((op, o) => opOfMemOp.set(op.memoryOperand, o));
    this.ports = [];
    core.memories.forEach((mem, memoryIndex) => {
      for (const port of mem.ports) {
        const served = port.served.filter((s) => opOfMemOp.has(s.memoryOperand));
        if (served.length !== port.served.length) {
          // The reference looks up every served memory operand while on-loading (§6.8.1).
          const missing = port.served.find((s) => !opOfMemOp.has(s.memoryOperand));
          throw new CostModelError('memory-operand-mismatch', `${mem.name} serves ${missing?.memoryOperand}, which the layer does not use`, `KeyError: ${missing?.memoryOperand}`);
        }
        widestPort = Math.max(widestPort, served.length);
        this.ports.push({
          memory: mem.name,
          memoryIndex,
          name: port.name,
          bandwidthMax: port.bandwidthMax,
          servesBothInputs: port.servesBothInputs,
          ops: Int32Array.from(served.map((s) => opOfMemOp.get(s.memoryOperand) as number)),
          levels: Int32Array.from(served.map((s) => s.level)),
          dirs: Int32Array.from(served.map((s) => s.direction)),
        });
      }
    });
    this.sharingMembers = [];
    this.groupOf = new Int32Array(levelBase).fill(-1);
    for (const group of core.sharingGroups) {
      const members: number[] = [];
      for (const [memOp, lv] of group) {
        const o = opOfMemOp.get(memOp);
        if (o !== undefined) members.push(this.plans[o].levelBase + lv);
      }
      const g = this.sharingMembers.length;
      this.sharingMembers.push(Int32Array.from(members));
      for (const m of members) if (this.groupOf[m] < 0) this.groupOf[m] = g;
    }
    this.scalars[S_IDEAL_CYCLE_BASE] = Math.ceil(layer.totalMacCount / core.totalUnitCount);
    this.scalars[S_MAC_ENERGY] = core.unitEnergy * layer.totalMacCount;
    this.inputs = ops.flatMap((op, o) => (op.isOutput ? [] : [o]));
    this.output = ops.findIndex((op) => op.isOutput);

    // With no fractional unrolling the two mappings coincide: compute once, read twice.
    this.sameSpatial = spatialF.every((sf, o) => JSON.stringify(sf.levels) === JSON.stringify(spatialI[o].levels));
    this.dueI = new Float64Array(archBase);
    this.precI = new Float64Array(archBase);
    this.psumI = new Uint8Array(archBase);
    this.dueF = this.sameSpatial ? this.dueI : new Float64Array(archBase);
    this.precF = this.sameSpatial ? this.precI : new Float64Array(archBase);
    this.psumF = this.sameSpatial ? this.psumI : new Uint8Array(archBase);
    this.topR = new Float64Array(archBase);
    this.topIr = new Float64Array(archBase);
    this.cyc = new Float64Array(archBase);
    this.tempIrFlag = new Uint8Array(archBase);
    this.periodI = new Float64Array(dirBase);
    this.countI = new Float64Array(dirBase);
    this.amountI = new Float64Array(dirBase);
    this.precisionI = new Float64Array(dirBase);
    this.countF = this.sameSpatial ? this.countI : new Float64Array(dirBase);
    this.amountF = this.sameSpatial ? this.amountI : new Float64Array(dirBase);
    this.precisionF = this.sameSpatial ? this.precisionI : new Float64Array(dirBase);
    this.bandwidthI = new Float64Array(dirBase);
    this.windowI = new Float64Array(dirBase);
    this.allowed = new Float64Array(dirBase);
    this.real = new Float64Array(dirBase);
    this.access = new Float64Array(dirBase);
    this.levelEnergy = new Float64Array(levelBase);
    this.indiv = new Float64Array(levelBase);
    this.effIndiv = new Float64Array(levelBase);
    this.shared = new Float64Array(levelBase);
    this.effShared = new Float64Array(levelBase);
    this.doubleBuffer = new Uint8Array(archBase);
    this.loadCycles = new Float64Array(dirBase);
    this.loadShared = new Uint8Array(dirBase);
    this.loadSet = new Uint8Array(dirBase);
    this.prefix = new Float64Array(maxLoops + 1);
    const m = layer.prRelations.length;
    this.runU = new Float64Array(m);
    this.runV = new Float64Array(m);
    this.prevR = new Float64Array(m);
    this.prevIr = new Float64Array(m);
    this.actPeriod = new Float64Array(widestPort);
    this.actAllowed = new Float64Array(widestPort);
    this.actCount = new Float64Array(widestPort);
    this.actOrder = new Int32Array(widestPort);
    this.onceValues = new Float64Array(widestPort);
    this.onceMin = new Float64Array(widestPort);
    this.onceIndex = new Int32Array(widestPort);
    this.onceOriginal = new Float64Array(widestPort);
    this.individual = new Float64Array(ops.length);
    this.half = new Float64Array(ops.length);
    this.sharedPart = new Float64Array(ops.length);
  }

  /** latency_total2 of the last `evaluate`. */
  get latencyTotal2(): number {
    return this.scalars[S_LATENCY2];
  }

  /** energy_total of the last `evaluate`. */
  get energyTotal(): number {
    return this.scalars[S_ENERGY];
  }

  /**
   * §6.2: `data_elem_unrolled` per arch level of one operand for one spatial mapping (1s2t loops:
   * the temporal loops of memory level a−1 followed by the spatial loops just below it), with the
   * pr loops decoupled into their distinct (`P_R`) and reused (`P_IR`) parts.
   */
  private dataElemUnrolled(
    plan: OperandPlan,
    ordering: OrderingBuffers,
    bounds: Int32Array,
    spatialDims: Int32Array[],
    spatialSizes: Float64Array[],
    out: Float64Array,
  ): void {
    const { dims, sizes } = ordering;
    const base = plan.archBase;
    const rel = plan.relevantD;
    out[base] = 1;
    let acc = 1;
    if (!plan.hasPr) {
      for (let a = 1; a <= plan.levels; a++) {
        let r2 = 1;
        const start = a === 1 ? 0 : bounds[a - 2];
        const end = bounds[a - 1];
        for (let x = start; x < end; x++) if (rel[dims[x]]) r2 *= sizes[x];
        const sd = spatialDims[a - 1];
        const ss = spatialSizes[a - 1];
        for (let x = 0; x < sd.length; x++) if (rel[sd[x]]) r2 *= ss[x];
        acc *= r2;
        out[base + a] = roundHalfEven(acc);
      }
      return;
    }
    this.runU.fill(1);
    this.runV.fill(1);
    this.prevR.fill(1);
    this.prevIr.fill(1);
    for (let a = 1; a <= plan.levels; a++) {
      let r2 = 1;
      const start = a === 1 ? 0 : bounds[a - 2];
      const end = bounds[a - 1];
      for (let x = start; x < end; x++) r2 = this.decoupledStep(rel, dims[x], sizes[x], r2);
      const sd = spatialDims[a - 1];
      const ss = spatialSizes[a - 1];
      for (let x = 0; x < sd.length; x++) r2 = this.decoupledStep(rel, sd[x], ss[x], r2);
      acc *= r2;
      out[base + a] = roundHalfEven(acc);
    }
  }

  /**
   * One loop of the pr-decoupled walk (§4.6): a loop on a dim related to pr dim P becomes
   * (`P_R`, r-ratio) then (`P_IR`, ir-ratio); returns r2 times the relevant factors.
   */
  private decoupledStep(rel: Uint8Array, dim: number, size: number, r2: number): number {
    const relations = this.layer.prRelations;
    const m = relations.length;
    const n = this.layer.nbBaseDims;
    for (let j = 0; j < m; j++) {
      const relation = relations[j];
      if (dim !== relation.dimU && dim !== relation.dimV) continue;
      if (dim === relation.dimU) this.runU[j] *= size;
      else this.runV[j] *= size;
      const rNow = prExtent(relation, this.runU[j], this.runV[j]);
      const irNow = (this.runU[j] * this.runV[j]) / rNow;
      const rRatio = rNow / this.prevR[j];
      const irRatio = irNow / this.prevIr[j];
      this.prevR[j] = rNow;
      this.prevIr[j] = irNow;
      if (rel[n + m + 2 * j]) r2 *= rRatio;
      if (rel[n + m + 2 * j + 1]) r2 *= irRatio;
      return r2;
    }
    return rel[dim] ? r2 * size : r2;
  }

  /** psum flags and per-arch-level precisions of one operand for one spatial mapping. */
  private precisions(plan: OperandPlan, irSpatial: Uint8Array, psum: Uint8Array, prec: Float64Array): void {
    const base = plan.archBase;
    const L = plan.levels;
    if (!plan.isOutput) {
      for (let a = 0; a <= L; a++) {
        psum[base + a] = 0;
        prec[base + a] = plan.precision;
      }
      return;
    }
    // psum[ℓ] = any output-irrelevant loop (size > 1) in 1s1t[a] for some a > ℓ.
    let any = 0;
    psum[base + L] = 0;
    for (let l = L - 1; l >= 0; l--) {
      const a = l + 1;
      if (this.tempIrFlag[base + a] || irSpatial[a]) any = 1;
      psum[base + l] = any;
    }
    for (let a = 0; a <= L; a++) prec[base + a] = psum[base + a] ? plan.precision : plan.finalPrecision;
  }

  /**
   * Costs one temporal mapping: `bounds[o][ℓ]` is the end of operand o's stationary level ℓ in the
   * ordering, `stationary[o]` its `mac_level_data_stationary_cycle`. Sets `latencyTotal2` and
   * `energyTotal`; throws `CostModelError` where the reference raises.
   */
  evaluate(ordering: OrderingBuffers, bounds: readonly Int32Array[], stationary: Float64Array, cc: number): void {
    this.run(ordering, bounds, stationary, cc, undefined);
  }

  /** Evaluates and returns every intermediate of the mapping (for the winner's report). */
  describe(ordering: OrderingBuffers, bounds: readonly Int32Array[], stationary: Float64Array, cc: number): CostEvaluation {
    const sink: Collected = { activities: [], unions: new Map(), stallSlack: new Map() };
    this.run(ordering, bounds, stationary, cc, sink);
    return this.report(sink);
  }

  private run(ordering: OrderingBuffers, bounds: readonly Int32Array[], stationary: Float64Array, cc: number, sink: Collected | undefined): void {
    // One small method per phase: V8 compiles (and, after a deoptimisation, recompiles) each quickly.
    const total = this.operandData(ordering, bounds, stationary);
    const memEnergy = this.energy();
    const energyTotal = memEnergy + this.scalars[S_MAC_ENERGY];
    this.doubleBuffering();
    this.allowedAndRealCycles(cc);
    const stallSlackComb = this.stallSlack(cc, sink);
    this.loadingRecords(total, cc, stallSlackComb);
    const onloadingCycle = this.onloading();
    const offloadingCycle = this.offloading();
    const idealTemporalCycle = total * cc;
    const latencyTotal0 = idealTemporalCycle + stallSlackComb;
    const latencyTotal1 = latencyTotal0 + onloadingCycle;
    const latencyTotal2 = latencyTotal1 + offloadingCycle;
    const r = this.scalars;
    r[S_LATENCY2] = latencyTotal2;
    r[S_ENERGY] = energyTotal;
    r[S_CC] = cc;
    r[S_IDEAL_TEMPORAL] = idealTemporalCycle;
    r[S_STALL_SLACK] = stallSlackComb;
    r[S_ONLOADING] = onloadingCycle;
    r[S_OFFLOADING] = offloadingCycle;
    r[S_LATENCY0] = latencyTotal0;
    r[S_LATENCY1] = latencyTotal1;
    r[S_MEM_ENERGY] = memEnergy;
  }

  /** §5.5, §6.1–6.3 per operand: top loops, cycle counts, data sizes, precisions, transfer patterns. Returns the total cycles. */
  private operandData(ordering: OrderingBuffers, bounds: readonly Int32Array[], stationary: Float64Array): number {
    const { dims, sizes, length: nLoops } = ordering;
    const prefix = this.prefix;
    prefix[0] = 1;
    for (let k = 0; k < nLoops; k++) prefix[k + 1] = prefix[k] * sizes[k];
    const total = prefix[nLoops];
    const plans = this.plans;
    const nbOps = plans.length;
    for (let o = 0; o < nbOps; o++) {
      const plan = plans[o];
      const b = bounds[o];
      const L = plan.levels;
      const base = plan.archBase;
      this.topR[base] = 1;
      this.topIr[base] = 1;
      this.tempIrFlag[base] = 0;
      for (let l = 0; l < L; l++) {
        const start = l === 0 ? 0 : b[l - 1];
        const end = b[l];
        let r = 1;
        for (let x = end - 1; x >= start && plan.relevant[dims[x]]; x--) r *= sizes[x];
        let ir = 1;
        for (let x = end - 1; x >= start && plan.irrelevant[dims[x]]; x--) ir *= sizes[x];
        this.topR[base + l + 1] = r;
        this.topIr[base + l + 1] = ir;
        let flag = 0;
        if (plan.isOutput) for (let x = start; x < end; x++) if (plan.irrelevant[dims[x]] && sizes[x] > 1) flag = 1;
        this.tempIrFlag[base + l + 1] = flag;
        this.cyc[base + l + 1] = prefix[end];
      }
      this.cyc[base] = plan.isOutput ? 1 : stationary[o];
      this.dataElemUnrolled(plan, ordering, b, plan.spatialDimsI, plan.spatialSizesI, this.dueI);
      this.precisions(plan, plan.irSpatialI, this.psumI, this.precI);
      this.patterns(plan, total, this.dueI, this.precI, this.psumI, plan.boostI, false);
      if (!this.sameSpatial) {
        this.dataElemUnrolled(plan, ordering, b, plan.spatialDimsF, plan.spatialSizesF, this.dueF);
        this.precisions(plan, plan.irSpatialF, this.psumF, this.precF);
        this.patterns(plan, total, this.dueF, this.precF, this.psumF, plan.boostF, true);
      }
    }

    return total;
  }

  /** §6.5 word accesses and energy (fractional mapping); returns the memory energy. */
  private energy(): number {
    const plans = this.plans;
    const nbOps = plans.length;
    let memEnergy = 0;
    for (let o = 0; o < nbOps; o++) {
      const plan = plans[o];
      for (let l = 0; l < plan.levels; l++) {
        const k = plan.dirBase + l * 4;
        for (let dir = 0; dir < 4; dir++) {
          const amount = this.amountF[k + dir];
          const precision = this.precisionF[k + dir];
          const bwMin = plan.bwMin[l * 4 + dir];
          let acc = 0;
          if (Number.isNaN(bwMin)) {
            if (amount !== 0) throw this.missingPort(o, l, dir);
          } else if (amount !== 0 && precision !== 0) {
            if (bwMin === 0) throw new CostModelError('missing-port', `zero minimum bandwidth for ${this.layer.operands[o].name} level ${l}`, 'ZeroDivisionError');
            acc = Math.trunc(Math.ceil((amount * precision) / bwMin) * (bwMin / plan.bwMax[l * 4 + dir]) * this.countF[k + dir] * plan.unitCountF[l + 1]);
          }
          this.access[k + dir] = acc;
        }
        const r = plan.readCost[l];
        const w = plan.writeCost[l];
        const e = this.access[k + RD_OUT_TO_HIGH] * r + this.access[k + RD_OUT_TO_LOW] * r + (this.access[k + WR_IN_BY_HIGH] * w + this.access[k + WR_IN_BY_LOW] * w);
        this.levelEnergy[plan.levelBase + l] = e;
        memEnergy += e;
      }
    }
    return memEnergy;
  }

  /** §6.4 utilisation (fractional mapping) and §6.6 double-buffer flags. */
  private doubleBuffering(): void {
    const plans = this.plans;
    const nbOps = plans.length;
    for (let o = 0; o < nbOps; o++) {
      const plan = plans[o];
      for (let l = 0; l < plan.levels; l++) {
        const bits = this.dueF[plan.archBase + l + 1] * this.precF[plan.archBase + l + 1];
        const effBits = Math.floor(bits / this.topR[plan.archBase + l + 1]);
        this.indiv[plan.levelBase + l] = bits / plan.sizeBits[l];
        this.effIndiv[plan.levelBase + l] = effBits / plan.sizeBits[l];
      }
    }
    this.shared.set(this.indiv);
    this.effShared.set(this.effIndiv);
    for (const members of this.sharingMembers) {
      let sum = 0;
      let effSum = 0;
      for (let x = 0; x < members.length; x++) {
        sum += this.indiv[members[x]];
        effSum += this.effIndiv[members[x]];
      }
      for (let x = 0; x < members.length; x++) {
        this.shared[members[x]] = sum;
        this.effShared[members[x]] = effSum;
      }
    }
    for (let o = 0; o < nbOps; o++) {
      const plan = plans[o];
      this.doubleBuffer[plan.archBase] = 0;
      for (let l = 0; l < plan.levels; l++) {
        const at = plan.levelBase + l;
        let db = 0;
        if (this.effShared[at] <= 0.5) db = 1;
        else if (this.effIndiv[at] <= 1 - this.effShared[at]) {
          db = 1;
          // The free half is now partly used: the reference adds to every sharer's value.
          const g = this.groupOf[at];
          if (g >= 0) {
            const members = this.sharingMembers[g];
            for (let x = 0; x < members.length; x++) this.effShared[members[x]] += this.effIndiv[at];
          } else this.effShared[at] += this.effIndiv[at];
        }
        this.doubleBuffer[plan.archBase + l + 1] = db;
      }
    }

  }

  /** §6.6 allowed and real cycles (integer mapping). */
  private allowedAndRealCycles(cc: number): void {
    const plans = this.plans;
    const nbOps = plans.length;
    for (let o = 0; o < nbOps; o++) {
      const plan = plans[o];
      for (let l = 0; l < plan.levels; l++) {
        const k = plan.dirBase + l * 4;
        for (let dir = 0; dir < 4; dir++) {
          const low = dir === RD_OUT_TO_LOW || dir === WR_IN_BY_LOW;
          const db = this.doubleBuffer[plan.archBase + (low ? l : l + 1)];
          this.allowed[k + dir] = db ? Math.ceil(this.periodI[k + dir] * cc) : Math.ceil(this.windowI[k + dir] * cc);
          const bwMax = plan.bwMax[l * 4 + dir];
          this.real[k + dir] = Number.isNaN(bwMax) ? 0 : Math.ceil((this.amountI[k + dir] * this.precisionI[k + dir]) / bwMax);
        }
      }
    }

  }

  /** §6.7 port activities and the stall/slack combination; returns stall_slack_comb. */
  private stallSlack(cc: number, sink: Collected | undefined): number {
    const plans = this.plans;
    let stallSlackComb = 0;
    for (const port of this.ports) {
      let n = 0;
      let single = 0;
      let stalls = 0;
      let slacks = 0;
      let windows = 0;
      for (let s = 0; s < port.ops.length; s++) {
        const plan = plans[port.ops[s]];
        const k = plan.dirBase + port.levels[s] * 4 + port.dirs[s];
        const count = this.countI[k];
        if (count === 0) continue;
        const R = this.real[k];
        const A = this.allowed[k];
        const ss = (R - A) * (count - 1);
        const muw = A * (count - 1);
        this.actPeriod[n] = Math.ceil(this.periodI[k] * cc);
        this.actAllowed[n] = A;
        this.actCount[n] = count;
        n++;
        single = ss;
        if (ss > 0) stalls += ss;
        else slacks += ss;
        windows += muw;
        if (sink) {
          sink.activities.push({
            memory: port.memory,
            port: port.name,
            operand: this.layer.operands[port.ops[s]].name,
            level: port.levels[s],
            direction: port.dirs[s],
            realCycles: R,
            allowedCycles: A,
            period: this.actPeriod[n - 1],
            count,
            stallOrSlack: ss,
            memoryUpdatingWindow: muw,
          });
        }
      }
      let combined = 0;
      if (n === 1) {
        combined = single;
        if (sink) record(sink.unions, port, this.actAllowed[0]);
      } else if (n > 1) {
        const union = memoryUpdatingWindowUnion(this.actPeriod, this.actAllowed, this.actCount, n, this.actOrder);
        combined = stalls + Math.max(0, slacks + windows - union);
        if (sink) record(sink.unions, port, union);
      }
      if (sink) record(sink.stallSlack, port, combined);
      if (combined > stallSlackComb) stallSlackComb = combined;
    }

    return stallSlackComb;
  }

  /** §6.8.1–6.8.4: the loading/off-loading records of every port. */
  private loadingRecords(total: number, cc: number, stallSlackComb: number): void {
    const plans = this.plans;
    this.loadSet.fill(0);
    const computeCycles = Math.ceil(total * cc) + stallSlackComb;
    for (const port of this.ports) {
      let bandwidthDuringCompute = 0;
      let once = 0;
      for (let s = 0; s < port.ops.length; s++) {
        const o = port.ops[s];
        const plan = plans[o];
        const dir = port.dirs[s];
        if (plan.isOutput && (dir === RD_OUT_TO_LOW || dir === WR_IN_BY_HIGH)) continue;
        const k = plan.dirBase + port.levels[s] * 4 + dir;
        const count = this.countI[k];
        if (count === 0) continue;
        if (count === 1) {
          this.onceIndex[once] = s;
          this.onceValues[once] = this.real[k];
          this.onceMin[once] = Math.ceil((this.dueI[plan.archBase + 1] * this.precI[plan.archBase + 1]) / port.bandwidthMax);
          once++;
        } else {
          bandwidthDuringCompute += Math.ceil(this.bandwidthI[k] / cc);
          this.loadCycles[k] = this.real[k];
          this.loadShared[k] = port.servesBothInputs ? 1 : 0;
          this.loadSet[k] = 1;
        }
      }
      if (once > 0) {
        const surplus = Math.max(0, ((port.bandwidthMax - bandwidthDuringCompute) / port.bandwidthMax) * computeCycles);
        reduceBalanced(this.onceValues, this.onceMin, once, surplus, this.actOrder, this.onceOriginal);
        for (let q = 0; q < once; q++) {
          const s = this.onceIndex[q];
          const k = plans[port.ops[s]].dirBase + port.levels[s] * 4 + port.dirs[s];
          this.loadCycles[k] = this.onceValues[q];
          this.loadShared[k] = port.servesBothInputs ? 1 : 0;
          this.loadSet[k] = 1;
        }
      }
    }
  }

  /** §6.8.5 on-loading. */
  private onloading(): number {
    const plans = this.plans;
    const { individual, half, sharedPart } = this;
    individual.fill(0);
    half.fill(0);
    sharedPart.fill(0);
    for (const o of this.inputs) {
      const plan = plans[o];
      for (let l = 0; l + 1 < plan.levels; l++) {
        const a = plan.dirBase + l * 4 + WR_IN_BY_HIGH;
        const b = plan.dirBase + (l + 1) * 4 + RD_OUT_TO_LOW;
        if (!this.loadSet[a] || !this.loadSet[b] || !plan.isLoadingTable) throw this.missingLoad(o, l);
        const longest = Math.max(this.loadCycles[a], this.loadCycles[b]);
        if (!this.loadShared[a] && !this.loadShared[b]) individual[o] += longest;
        else if (this.loadShared[a] && this.loadShared[b]) sharedPart[o] += longest;
        else half[o] = longest; // assignment, not accumulation (reference quirk Q71)
      }
    }
    let onloadingCycle = 0;
    if (this.inputs.length === 1) onloadingCycle = individual[this.inputs[0]];
    else if (this.inputs.length >= 2) {
      const x1 = this.inputs[0];
      const x2 = this.inputs[1];
      const p1 = sharedPart[x1] + Math.max(sharedPart[x2] + half[x2] + individual[x2], half[x1] + individual[x1]);
      const p2 = sharedPart[x2] + Math.max(sharedPart[x1] + half[x1] + individual[x1], half[x2] + individual[x2]);
      onloadingCycle = Math.min(p1, p2);
    }
    return onloadingCycle;
  }

  /** §6.8.6 off-loading. */
  private offloading(): number {
    const plans = this.plans;
    let offloadingCycle = 0;
    {
      const o = this.output;
      const plan = plans[o];
      for (let l = 0; l + 1 < plan.levels; l++) {
        const a = plan.dirBase + l * 4 + RD_OUT_TO_HIGH;
        const b = plan.dirBase + (l + 1) * 4 + WR_IN_BY_LOW;
        if (!this.loadSet[a] || !this.loadSet[b] || plan.isLoadingTable) throw this.missingLoad(o, l);
        offloadingCycle += Math.max(this.loadCycles[a], this.loadCycles[b]);
      }
    }

    return offloadingCycle;
  }

  /** Builds the report of the last `run` (kept out of `run`, whose locals then stay in registers). */
  private report(sink: Collected): CostEvaluation {
    const r = this.scalars;
    const cc = r[S_CC];
    const idealTemporalCycle = r[S_IDEAL_TEMPORAL];
    const latencyTotal0 = r[S_LATENCY0];
    const latencyTotal1 = r[S_LATENCY1];
    const latencyTotal2 = r[S_LATENCY2];
    const plans = this.plans;
    const idealCycle = Math.ceil(r[S_IDEAL_CYCLE_BASE] * cc);
    const ops = this.layer.operands;
    const perLevel = (arr: Float64Array, o: number) => Array.from(arr.subarray(plans[o].levelBase, plans[o].levelBase + plans[o].levels));
    const perDir = (arr: Float64Array, o: number) =>
      Array.from({ length: plans[o].levels }, (_, l) => Array.from(arr.subarray(plans[o].dirBase + l * 4, plans[o].dirBase + l * 4 + 4)));
    const loadingTables = (loading: boolean) => {
      const tables: Record<string, Record<string, LoadingRecord>> = {};
      // Key insertion follows the reference: memories and ports in file order.
      for (const port of this.ports) {
        for (let s = 0; s < port.ops.length; s++) {
          const o = port.ops[s];
          const k = plans[o].dirBase + port.levels[s] * 4 + port.dirs[s];
          if (!this.loadSet[k] || plans[o].isLoadingTable !== loading) continue;
          const name = ops[o].name;
          (tables[name] ??= {})[`${name}${port.levels[s]}_${DIRECTION_NAMES[port.dirs[s]]}`] = { cycles: this.loadCycles[k], shared: this.loadShared[k] === 1 };
        }
      }
      return tables;
    };
    const byOperand = (values: Float64Array) => Object.fromEntries(this.inputs.map((o) => [ops[o].name, values[o]]));
    return {
      cyclesPerOp: cc,
      idealCycle,
      idealTemporalCycle,
      stallSlackComb: r[S_STALL_SLACK],
      onloadingCycle: r[S_ONLOADING],
      offloadingCycle: r[S_OFFLOADING],
      latencyTotal0,
      latencyTotal1,
      latencyTotal2,
      macEnergy: r[S_MAC_ENERGY],
      memEnergy: r[S_MEM_ENERGY],
      energyTotal: r[S_ENERGY],
      memEnergyBreakdown: ops.map((_, o) => perLevel(this.levelEnergy, o)),
      memEnergyPerDirection: ops.map((_, o) =>
        perDir(this.access, o).map((acc, l) => [acc[0] * plans[o].readCost[l], acc[1] * plans[o].writeCost[l], acc[2] * plans[o].readCost[l], acc[3] * plans[o].writeCost[l]]),
      ),
      memoryWordAccess: ops.map((_, o) => perDir(this.access, o)),
      memUtilIndividual: ops.map((_, o) => perLevel(this.indiv, o)),
      // Not touched by the double-buffering pass (only the effective values are).
      memUtilShared: ops.map((_, o) => perLevel(this.shared, o)),
      effectiveMemUtilIndividual: ops.map((_, o) => perLevel(this.effIndiv, o)),
      effectiveMemUtilShared: ops.map((_, o) => perLevel(this.effShared, o)),
      doubleBuffer: ops.map((_, o) => Array.from(this.doubleBuffer.subarray(plans[o].archBase, plans[o].archBase + plans[o].levels + 1), (x) => x === 1)),
      portActivities: sink.activities,
      muwUnionPerPort: groupByMemory(this.core, sink.unions),
      stallSlackPerPort: groupByMemory(this.core, sink.stallSlack),
      loading: loadingTables(true),
      offloading: loadingTables(false),
      loadingIndividual: byOperand(this.individual),
      loadingHalfShared: byOperand(this.half),
      loadingShared: byOperand(this.sharedPart),
      macSpatialUtilization: idealCycle / idealTemporalCycle,
      macUtilization0: idealCycle / latencyTotal0,
      macUtilization1: idealCycle / latencyTotal1,
      macUtilization2: idealCycle / latencyTotal2,
    };
  }

  /** §6.3: transfer pattern of every (memory level, direction) of one operand for one mapping. */
  private patterns(plan: OperandPlan, total: number, due: Float64Array, prec: Float64Array, psum: Uint8Array, boost: Float64Array, fractional: boolean): void {
    const base = plan.archBase;
    const L = plan.levels;
    for (let l = 0; l < L; l++) {
      const cycLow = this.cyc[base + l];
      const cycHigh = this.cyc[base + l + 1];
      const dueLow = due[base + l];
      const dueHigh = due[base + l + 1];
      const lowRawLow = (dueLow * prec[base + l]) / cycLow;
      const lowRawHigh = (dueHigh * prec[base + l + 1]) / cycHigh;
      const highRawLow = lowRawLow * boost[l];
      const periodLow = Math.trunc(cycLow);
      const periodHigh = Math.trunc(cycHigh);
      const countLow = Math.floor(total / cycLow);
      const countHigh = Math.floor(total / cycHigh);
      const amountLow = plan.isOutput ? Math.trunc(dueLow * boost[l]) : dueLow * boost[l];
      const precLow = plan.isOutput ? (psum[base + l] ? plan.precision : plan.finalPrecision) : plan.precision;
      const precHigh = plan.isOutput ? (psum[base + l + 1] ? plan.precision : plan.finalPrecision) : plan.precision;
      const top = l === L - 1;
      const k = plan.dirBase + l * 4;
      // [RD_OUT_TO_LOW, WR_IN_BY_LOW, RD_OUT_TO_HIGH, WR_IN_BY_HIGH]: 0 = off, 1 = low pattern, 2 = high pattern.
      let rtl: number;
      let wil: number;
      let rth: number;
      let wih: number;
      let rtlPrec = precLow;
      let wihPrec = precHigh;
      if (plan.isOutput) {
        wil = 1;
        rth = top ? 0 : 2;
        rtl = psum[base + l] ? 1 : 0;
        wih = !top && psum[base + l + 1] ? 2 : 0;
        rtlPrec = plan.precision;
        wihPrec = plan.precision;
      } else {
        rtl = 1;
        wih = top ? 0 : 2;
        wil = 0;
        rth = 0;
      }
      for (let dir = 0; dir < 4; dir++) {
        const kind = dir === RD_OUT_TO_LOW ? rtl : dir === WR_IN_BY_LOW ? wil : dir === RD_OUT_TO_HIGH ? rth : wih;
        const at = k + dir;
        const precision = kind === 0 ? 0 : dir === RD_OUT_TO_LOW ? rtlPrec : dir === WR_IN_BY_HIGH ? wihPrec : kind === 1 ? precLow : precHigh;
        const count = kind === 0 ? 0 : kind === 1 ? countLow : countHigh;
        const amount = kind === 0 ? 0 : kind === 1 ? amountLow : dueHigh;
        if (fractional) {
          this.countF[at] = count;
          this.amountF[at] = amount;
          this.precisionF[at] = precision;
          continue;
        }
        this.countI[at] = count;
        this.amountI[at] = amount;
        this.precisionI[at] = precision;
        this.periodI[at] = kind === 0 ? 0 : kind === 1 ? periodLow : periodHigh;
        this.bandwidthI[at] = kind === 0 ? 0 : kind === 1 ? Math.trunc(highRawLow) : Math.trunc(lowRawHigh);
        const tf = kind === 2 ? Math.trunc(this.topIr[base + l + 1]) : Math.trunc(this.topIr[base + l]);
        this.windowI[at] = kind === 0 ? 0 : Math.trunc((kind === 1 ? periodLow : periodHigh) / tf);
      }
    }
  }

  private missingPort(o: number, l: number, dir: number): CostModelError {
    const op = this.layer.operands[o];
    return new CostModelError('missing-port', `no port for ${op.memoryOperand} ${DIRECTION_NAMES[dir]} at level ${l}`, 'TypeError');
  }

  private missingLoad(o: number, l: number): CostModelError {
    const op = this.layer.operands[o];
    return new CostModelError('missing-port', `no loading record for ${op.name} between levels ${l} and ${l + 1}`, 'KeyError');
  }
}

interface Collected {
  readonly activities: PortActivity[];
  readonly unions: Map<number, Map<string, number>>;
  readonly stallSlack: Map<number, Map<string, number>>;
}

function record(table: Map<number, Map<string, number>>, port: PortPlan, value: number): void {
  let m = table.get(port.memoryIndex);
  if (!m) {
    m = new Map();
    table.set(port.memoryIndex, m);
  }
  m.set(port.name, value);
}

function groupByMemory(core: CoreModel, table: Map<number, Map<string, number>>): [string, Record<string, number>][] {
  return [...table.entries()].sort((a, b) => a[0] - b[0]).map(([i, m]) => [core.memories[i].name, Object.fromEntries(m)]);
}
