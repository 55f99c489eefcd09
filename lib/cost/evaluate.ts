/**
 * ZigZag's `CostModelEvaluation` for one (spatial, temporal) mapping (reference-cost-model §6):
 * data sizes per operand and arch level, transfer patterns per memory level and direction, word
 * accesses and energy (fractional mapping), memory utilisation and double buffering, and the latency
 * model (allowed vs real cycles, per-port stall/slack combination, on-loading and off-loading) on the
 * integer mapping.
 */
import { roundHalfEven } from '../common/numeric';
import type { CoreModel, MemoryLevelModel, PortModel } from './core-model';
import { DIRECTION_NAMES, RD_OUT_TO_HIGH, RD_OUT_TO_LOW, WR_IN_BY_HIGH, WR_IN_BY_LOW } from './core-model';
import { CostModelError } from './errors';
import type { Layer, LayerOperand } from './layer';
import type { OperandTemporal } from './loma';
import { decoupleLevels, type Loop } from './loops';
import type { OperandSpatial } from './spatial';

/** A transfer pattern of one (operand, memory level, direction). */
export interface TransferPattern {
  readonly period: number;
  readonly count: number;
  /** Elements per period. */
  readonly amount: number;
  readonly precision: number;
  readonly bandwidth: number;
  readonly window: number;
}

const ZERO_PATTERN: TransferPattern = { period: 0, count: 0, amount: 0, precision: 0, bandwidth: 0, window: 0 };

/** Per-operand data of one `Mapping` (fractional or integer spatial mapping + the temporal mapping). */
export interface MappingData {
  /** Arch levels 0..L. */
  readonly dataElemUnrolled: readonly number[];
  readonly precision: readonly number[];
  readonly dataBitUnrolled: readonly number[];
  readonly effectiveDataBit: readonly number[];
  /** Output only: whether memory level ℓ holds partial sums (length L+1). */
  readonly psum: readonly boolean[];
  /** [memory level][direction]. */
  readonly patterns: readonly (readonly TransferPattern[])[];
}

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
  readonly effectiveMemUtilShared: readonly (readonly number[])[];
  /** Per layer operand, arch levels 0..L. */
  readonly doubleBuffer: readonly (readonly boolean[])[];
  readonly portActivities: readonly PortActivity[];
  /** Per memory (file order): port name → value, for ports with activities. */
  readonly muwUnionPerPort: readonly (readonly [string, Readonly<Record<string, number>>])[];
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

export interface EvaluationInput {
  readonly layer: Layer;
  readonly core: CoreModel;
  /** Per layer operand: spatial bookkeeping of the fractional and integer mappings. */
  readonly spatialFractional: readonly OperandSpatial[];
  readonly spatialInteger: readonly OperandSpatial[];
  /** Per layer operand: the stationary temporal mapping data. */
  readonly temporal: readonly OperandTemporal[];
  readonly cyclesPerOp: number;
}

function cumulativeRoundedProduct(perLevel: readonly number[]): number[] {
  const out: number[] = [];
  let acc = 1;
  for (const v of perLevel) {
    acc *= v;
    out.push(roundHalfEven(acc));
  }
  return out;
}

/** §6.1–6.3 for one operand and one spatial mapping. */
export function mappingData(
  layer: Layer,
  op: LayerOperand,
  spatial: OperandSpatial,
  temporal: OperandTemporal,
  totalCycles: number,
): MappingData {
  const L = temporal.levels.length;
  const S = spatial.levels;
  // 1s2t[a]: temporal loops of memory level a−1, then the spatial loops just below it.
  const oneS2T: Loop[][] = [[]];
  for (let a = 1; a <= L; a++) oneS2T.push([...temporal.levels[a - 1], ...S[a - 1]]);
  const s2t = op.hasPr ? decoupleLevels(layer, oneS2T) : oneS2T;
  const r2 = s2t.map((lv) => lv.reduce((p, l) => (op.relevantDecoupled[l.dim] ? p * l.size : p), 1));
  const dataElemUnrolled = cumulativeRoundedProduct(r2).map(roundHalfEven);

  const psum = new Array<boolean>(L + 1).fill(false);
  if (op.isOutput) {
    // 1s1t[a]: temporal loops of memory level a−1, then the spatial loops of arch level a.
    const irFlag: boolean[] = [];
    for (let a = 0; a <= L; a++) {
      const loops = [...(a > 0 ? temporal.levels[a - 1] : []), ...S[a]];
      irFlag.push(loops.some((l) => op.irrelevant[l.dim] && l.size > 1));
    }
    for (let l = 0; l < L; l++) {
      let any = false;
      for (let a = l + 1; a <= L; a++) any ||= irFlag[a];
      psum[l] = any;
    }
  }
  const precision = dataElemUnrolled.map((_, a) => (op.isOutput ? (psum[a] ? op.precision : op.finalPrecision) : op.precision));
  const dataBitUnrolled = dataElemUnrolled.map((e, a) => e * precision[a]);
  const effectiveDataBit = dataBitUnrolled.map((b, a) => Math.floor(b / temporal.topRLoopSize[a]));

  const cyc: number[] = op.isOutput ? [1, ...temporal.cycleCablLevel] : [temporal.macLevelStationaryCycle, ...temporal.cycleCablLevel];
  const boost = [...spatial.memBwBoost, 1];
  const lowRaw = cyc.map((c, a) => (dataElemUnrolled[a] * precision[a]) / c);
  const highRaw = lowRaw.map((v, a) => v * boost[a]);
  const topIr = temporal.topIrLoopSize;
  const patterns: TransferPattern[][] = [];
  for (let l = 0; l < L; l++) {
    const tfLow = Math.trunc(topIr[l]);
    const tfHigh = Math.trunc(topIr[l + 1]);
    const periodLow = Math.trunc(cyc[l]);
    const periodHigh = Math.trunc(cyc[l + 1]);
    const countLow = Math.floor(totalCycles / cyc[l]);
    const countHigh = Math.floor(totalCycles / cyc[l + 1]);
    const low: TransferPattern = {
      period: periodLow,
      count: countLow,
      amount: op.isOutput ? Math.trunc(dataElemUnrolled[l] * boost[l]) : dataElemUnrolled[l] * boost[l],
      precision: op.isOutput ? (psum[l] ? op.precision : op.finalPrecision) : op.precision,
      bandwidth: Math.trunc(highRaw[l]),
      window: Math.trunc(periodLow / tfLow),
    };
    const high: TransferPattern = {
      period: periodHigh,
      count: countHigh,
      amount: dataElemUnrolled[l + 1],
      precision: op.isOutput ? (psum[l + 1] ? op.precision : op.finalPrecision) : op.precision,
      bandwidth: Math.trunc(lowRaw[l + 1]),
      window: Math.trunc(periodHigh / tfHigh),
    };
    const dirs: TransferPattern[] = [ZERO_PATTERN, ZERO_PATTERN, ZERO_PATTERN, ZERO_PATTERN];
    if (op.isOutput) {
      dirs[WR_IN_BY_LOW] = low;
      dirs[RD_OUT_TO_HIGH] = high;
      if (psum[l]) dirs[RD_OUT_TO_LOW] = { ...low, precision: op.precision };
      if (psum[l + 1]) dirs[WR_IN_BY_HIGH] = { ...high, precision: op.precision };
    } else {
      dirs[RD_OUT_TO_LOW] = low;
      dirs[WR_IN_BY_HIGH] = high;
    }
    if (l === L - 1) {
      // Traffic with the outside world is not modelled here (Stream models it separately).
      dirs[RD_OUT_TO_HIGH] = ZERO_PATTERN;
      dirs[WR_IN_BY_HIGH] = ZERO_PATTERN;
    }
    patterns.push(dirs);
  }
  return { dataElemUnrolled, precision, dataBitUnrolled, effectiveDataBit, psum, patterns };
}

/** §6.8.4: the reference's water-filling of the surplus bandwidth over single-shot loads. */
export function reduceBalanced(totals: readonly number[], minimums: readonly number[], surplus: number): number[] {
  const result = totals.slice();
  if (surplus <= 0 || totals.length === 0) return result;
  const order = totals.map((_, i) => i).sort((a, b) => totals[b] - totals[a] || a - b);
  let s = surplus;
  for (let i = 0; i < order.length; i++) {
    const c = totals[order[i]];
    const m = minimums[order[i]];
    const maxReduction = (c - m) * (i + 1);
    if (s >= maxReduction) {
      for (let k = 0; k <= i; k++) result[order[k]] -= c - m;
      s -= maxReduction;
    } else {
      for (let k = 0; k <= i; k++) result[order[k]] -= s / (i + 1);
      break;
    }
  }
  return result;
}

/** §6.7.3: time during which at least one activity of a port may update the memory. */
function memoryUpdatingWindowUnion(activities: readonly PortActivity[]): number {
  for (const a of activities) if (a.period === a.allowedCycles) return a.period * a.count;
  let owner = activities[0];
  for (const a of activities) if (a.period > owner.period) owner = a;
  const pMax = Math.trunc(owner.period);
  const timeline = new Uint8Array(pMax);
  for (const a of activities) {
    const p = Math.trunc(a.period);
    const allowed = Math.trunc(a.allowedCycles);
    if (p <= 0 || pMax % p !== 0) {
      throw new CostModelError('muw-union-reshape', `port activity period ${p} does not divide ${pMax}`, 'ValueError: cannot reshape array');
    }
    for (let k = 0; k < pMax / p; k++) for (let t = k * p; t < k * p + allowed && t < (k + 1) * p; t++) timeline[t] = 1;
  }
  let marked = 0;
  for (let t = 0; t < pMax; t++) marked += timeline[t];
  return marked * Math.trunc(owner.count);
}

function portOf(mem: MemoryLevelModel, memOp: string, dir: number): PortModel | undefined {
  return mem.portFor[memOp]?.[dir];
}

export function evaluateCost(input: EvaluationInput): CostEvaluation {
  const { layer, core, cyclesPerOp: cc } = input;
  const ops = layer.operands;
  const nbOps = ops.length;
  const totalCycles = input.temporal[0].cycleCablLevel[input.temporal[0].cycleCablLevel.length - 1];
  const hier = ops.map((op) => core.hierarchy[op.memoryOperand]);
  const opOfMemOp = new Map<string, number>();
  ops.forEach((op, o) => opOfMemOp.set(op.memoryOperand, o));

  const mf = ops.map((op, o) => mappingData(layer, op, input.spatialFractional[o], input.temporal[o], totalCycles));
  const mi = ops.map((op, o) => mappingData(layer, op, input.spatialInteger[o], input.temporal[o], totalCycles));

  // §6.5 word accesses and energy, on the fractional mapping.
  const wordAccess: number[][][] = [];
  const energyPerDir: number[][][] = [];
  const breakdown: number[][] = [];
  let memEnergy = 0;
  for (let o = 0; o < nbOps; o++) {
    const op = ops[o];
    const unitCount = input.spatialFractional[o].unitCount;
    wordAccess.push([]);
    energyPerDir.push([]);
    breakdown.push([]);
    hier[o].forEach((mem, l) => {
      const acc = [0, 0, 0, 0];
      for (let dir = 0; dir < 4; dir++) {
        const pat = mf[o].patterns[l][dir];
        const port = portOf(mem, op.memoryOperand, dir);
        if (!port) {
          if (pat.amount !== 0) {
            throw new CostModelError('missing-port', `${mem.name} has no port for ${op.memoryOperand} ${DIRECTION_NAMES[dir]}`, 'TypeError');
          }
          continue;
        }
        if (pat.amount === 0 || pat.precision === 0) continue;
        if (port.bandwidthMin === 0) throw new CostModelError('missing-port', `${mem.name} port ${port.name} has zero minimum bandwidth`, 'ZeroDivisionError');
        acc[dir] = Math.trunc(Math.ceil((pat.amount * pat.precision) / port.bandwidthMin) * (port.bandwidthMin / port.bandwidthMax) * pat.count * unitCount[l + 1]);
      }
      const e = [acc[0] * mem.readCost, acc[1] * mem.writeCost, acc[2] * mem.readCost, acc[3] * mem.writeCost];
      const levelEnergy = acc[RD_OUT_TO_HIGH] * mem.readCost + acc[RD_OUT_TO_LOW] * mem.readCost + (acc[WR_IN_BY_HIGH] * mem.writeCost + acc[WR_IN_BY_LOW] * mem.writeCost);
      wordAccess[o].push(acc);
      energyPerDir[o].push(e);
      breakdown[o].push(levelEnergy);
      memEnergy += levelEnergy;
    });
  }
  const macEnergy = core.unitEnergy * layer.totalMacCount;
  const energyTotal = memEnergy + macEnergy;

  // §6.4 utilisation (fractional mapping).
  const indiv = ops.map((_, o) => hier[o].map((mem, l) => mf[o].dataBitUnrolled[l + 1] / mem.sizeBits));
  const effIndiv = ops.map((_, o) => hier[o].map((mem, l) => mf[o].effectiveDataBit[l + 1] / mem.sizeBits));
  const shared = indiv.map((v) => v.slice());
  const effShared = effIndiv.map((v) => v.slice());
  const groupMembers = (memOp: string, level: number): (readonly [number, number])[] | undefined => {
    for (const group of core.sharingGroups) {
      if (!group.some(([m, lv]) => m === memOp && lv === level)) continue;
      const members: [number, number][] = [];
      for (const [m, lv] of group) {
        const o = opOfMemOp.get(m);
        if (o !== undefined) members.push([o, lv]);
      }
      return members;
    }
    return undefined;
  };
  for (const group of core.sharingGroups) {
    const members: [number, number][] = [];
    for (const [m, lv] of group) {
      const o = opOfMemOp.get(m);
      if (o !== undefined) members.push([o, lv]);
    }
    let sum = 0;
    let effSum = 0;
    for (const [o, lv] of members) {
      sum += indiv[o][lv];
      effSum += effIndiv[o][lv];
    }
    for (const [o, lv] of members) {
      shared[o][lv] = sum;
      effShared[o][lv] = effSum;
    }
  }
  // The double-buffer pass below mutates these; the reference reports the mutated values.
  const effSharedLive = effShared;
  const memUtilShared = shared;

  // §6.6 double buffering (mutates the live shared values in operand order).
  const doubleBuffer: boolean[][] = [];
  for (let o = 0; o < nbOps; o++) {
    const flags = [false];
    for (let l = 0; l < hier[o].length; l++) {
      if (effSharedLive[o][l] <= 0.5) flags.push(true);
      else if (effIndiv[o][l] <= 1 - effSharedLive[o][l]) {
        flags.push(true);
        const members = groupMembers(ops[o].memoryOperand, l);
        if (members) for (const [o2, lv2] of members) effSharedLive[o2][lv2] += effIndiv[o][l];
        else effSharedLive[o][l] += effIndiv[o][l];
      } else flags.push(false);
    }
    doubleBuffer.push(flags);
  }

  // Allowed and real cycles on the integer mapping.
  const allowed: number[][][] = [];
  const real: number[][][] = [];
  for (let o = 0; o < nbOps; o++) {
    allowed.push([]);
    real.push([]);
    hier[o].forEach((mem, l) => {
      const a = [0, 0, 0, 0];
      const r = [0, 0, 0, 0];
      for (let dir = 0; dir < 4; dir++) {
        const pat = mi[o].patterns[l][dir];
        const low = dir === RD_OUT_TO_LOW || dir === WR_IN_BY_LOW;
        const db = low ? doubleBuffer[o][l] : doubleBuffer[o][l + 1];
        a[dir] = db ? Math.ceil(pat.period * cc) : Math.ceil(pat.window * cc);
        const port = portOf(mem, ops[o].memoryOperand, dir);
        r[dir] = port ? Math.ceil((pat.amount * pat.precision) / port.bandwidthMax) : 0;
      }
      allowed[o].push(a);
      real[o].push(r);
    });
  }

  // §6.7 port activities and the stall/slack combination.
  const portActivities: PortActivity[] = [];
  const muwUnionPerPort: [string, Record<string, number>][] = [];
  const stallSlackPerPort: [string, Record<string, number>][] = [];
  let stallSlackComb = 0;
  for (const mem of core.memories) {
    const unions: Record<string, number> = {};
    const combined: Record<string, number> = {};
    for (const port of mem.ports) {
      const acts: PortActivity[] = [];
      for (const s of port.served) {
        const o = opOfMemOp.get(s.memoryOperand);
        if (o === undefined) continue;
        const pat = mi[o].patterns[s.level][s.direction];
        if (pat.count === 0) continue;
        const R = real[o][s.level][s.direction];
        const A = allowed[o][s.level][s.direction];
        const act: PortActivity = {
          memory: mem.name,
          port: port.name,
          operand: ops[o].name,
          level: s.level,
          direction: s.direction,
          realCycles: R,
          allowedCycles: A,
          period: Math.ceil(pat.period * cc),
          count: pat.count,
          stallOrSlack: (R - A) * (pat.count - 1),
          memoryUpdatingWindow: A * (pat.count - 1),
        };
        acts.push(act);
        portActivities.push(act);
      }
      if (acts.length === 0) {
        combined[port.name] = 0;
        continue;
      }
      let ss: number;
      if (acts.length === 1) {
        ss = acts[0].stallOrSlack;
        unions[port.name] = acts[0].allowedCycles;
      } else {
        const union = memoryUpdatingWindowUnion(acts);
        unions[port.name] = union;
        let stalls = 0;
        let slacks = 0;
        let windows = 0;
        for (const a of acts) {
          if (a.stallOrSlack > 0) stalls += a.stallOrSlack;
          else slacks += a.stallOrSlack;
          windows += a.memoryUpdatingWindow;
        }
        ss = stalls + Math.max(0, slacks + windows - union);
      }
      combined[port.name] = ss;
      if (ss > stallSlackComb) stallSlackComb = ss;
    }
    if (Object.keys(unions).length > 0) muwUnionPerPort.push([mem.name, unions]);
    if (mem.ports.length > 0) stallSlackPerPort.push([mem.name, combined]);
  }

  // §6.8 on-loading and off-loading.
  const loading: Record<string, Record<string, LoadingRecord>> = {};
  const offloading: Record<string, Record<string, LoadingRecord>> = {};
  const record = (memOp: string, opName: string, key: string, rec: LoadingRecord): void => {
    const table = memOp === 'I1' || memOp === 'I2' ? loading : offloading;
    (table[opName] ??= {})[key] = rec;
  };
  const computeCycles = Math.ceil(totalCycles * cc) + stallSlackComb;
  for (const mem of core.memories) {
    for (const port of mem.ports) {
      const once: { o: number; level: number; dir: number; memOp: string }[] = [];
      let bandwidthDuringCompute = 0;
      const repeated: { o: number; level: number; dir: number; memOp: string }[] = [];
      for (const s of port.served) {
        const o = opOfMemOp.get(s.memoryOperand);
        if (o === undefined) {
          throw new CostModelError('memory-operand-mismatch', `${mem.name} serves ${s.memoryOperand}, which the layer does not use`, `KeyError: ${s.memoryOperand}`);
        }
        if (ops[o].isOutput && (s.direction === RD_OUT_TO_LOW || s.direction === WR_IN_BY_HIGH)) continue;
        const pat = mi[o].patterns[s.level][s.direction];
        if (pat.count === 0) continue;
        if (pat.count === 1) once.push({ o, level: s.level, dir: s.direction, memOp: s.memoryOperand });
        else {
          repeated.push({ o, level: s.level, dir: s.direction, memOp: s.memoryOperand });
          bandwidthDuringCompute += Math.ceil(pat.bandwidth / cc);
        }
      }
      for (const t of repeated) {
        record(t.memOp, ops[t.o].name, `${ops[t.o].name}${t.level}_${DIRECTION_NAMES[t.dir]}`, {
          cycles: real[t.o][t.level][t.dir],
          shared: port.servesBothInputs,
        });
      }
      if (once.length > 0) {
        const totals = once.map((t) => real[t.o][t.level][t.dir]);
        const minimums = once.map((t) => Math.ceil(mi[t.o].dataBitUnrolled[1] / port.bandwidthMax));
        const surplus = Math.max(0, ((port.bandwidthMax - bandwidthDuringCompute) / port.bandwidthMax) * computeCycles);
        const remainders = reduceBalanced(totals, minimums, surplus);
        once.forEach((t, k) => {
          record(t.memOp, ops[t.o].name, `${ops[t.o].name}${t.level}_${DIRECTION_NAMES[t.dir]}`, { cycles: remainders[k], shared: port.servesBothInputs });
        });
      }
    }
  }
  const loadingIndividual: Record<string, number> = {};
  const loadingHalfShared: Record<string, number> = {};
  const loadingShared: Record<string, number> = {};
  const inputs: number[] = [];
  for (let o = 0; o < nbOps; o++) {
    if (ops[o].isOutput) continue;
    inputs.push(o);
    const name = ops[o].name;
    let ind = 0;
    let half = 0;
    let sh = 0;
    const table = loading[name] ?? {};
    for (let l = 0; l + 1 < hier[o].length; l++) {
      const a = table[`${name}${l}_wr_in_by_high`];
      const b = table[`${name}${l + 1}_rd_out_to_low`];
      if (!a || !b) throw new CostModelError('missing-port', `no loading record for ${name} between levels ${l} and ${l + 1}`, 'KeyError');
      const longest = Math.max(a.cycles, b.cycles);
      if (!a.shared && !b.shared) ind += longest;
      else if (a.shared && b.shared) sh += longest;
      else half = longest; // assignment, not accumulation (reference quirk Q71)
    }
    loadingIndividual[name] = ind;
    loadingHalfShared[name] = half;
    loadingShared[name] = sh;
  }
  let onloadingCycle = 0;
  if (inputs.length === 1) onloadingCycle = loadingIndividual[ops[inputs[0]].name];
  else if (inputs.length >= 2) {
    const [x1, x2] = [ops[inputs[0]].name, ops[inputs[1]].name];
    const p1 = loadingShared[x1] + Math.max(loadingShared[x2] + loadingHalfShared[x2] + loadingIndividual[x2], loadingHalfShared[x1] + loadingIndividual[x1]);
    const p2 = loadingShared[x2] + Math.max(loadingShared[x1] + loadingHalfShared[x1] + loadingIndividual[x1], loadingHalfShared[x2] + loadingIndividual[x2]);
    onloadingCycle = Math.min(p1, p2);
  }
  let offloadingCycle = 0;
  const outIndex = ops.findIndex((op) => op.isOutput);
  const outName = ops[outIndex].name;
  const offTable = offloading[outName] ?? {};
  for (let l = 0; l + 1 < hier[outIndex].length; l++) {
    const a = offTable[`${outName}${l}_rd_out_to_high`];
    const b = offTable[`${outName}${l + 1}_wr_in_by_low`];
    if (!a || !b) throw new CostModelError('missing-port', `no off-loading record for ${outName} between levels ${l} and ${l + 1}`, 'KeyError');
    offloadingCycle += Math.max(a.cycles, b.cycles);
  }

  const idealCycle = Math.ceil(Math.ceil(layer.totalMacCount / core.totalUnitCount) * cc);
  const idealTemporalCycle = totalCycles * cc;
  const latencyTotal0 = idealTemporalCycle + stallSlackComb;
  const latencyTotal1 = latencyTotal0 + onloadingCycle;
  const latencyTotal2 = latencyTotal1 + offloadingCycle;
  return {
    cyclesPerOp: cc,
    idealCycle,
    idealTemporalCycle,
    stallSlackComb,
    onloadingCycle,
    offloadingCycle,
    latencyTotal0,
    latencyTotal1,
    latencyTotal2,
    macEnergy,
    memEnergy,
    energyTotal,
    memEnergyBreakdown: breakdown,
    memEnergyPerDirection: energyPerDir,
    memoryWordAccess: wordAccess,
    memUtilIndividual: indiv,
    memUtilShared,
    effectiveMemUtilIndividual: effIndiv,
    effectiveMemUtilShared: effSharedLive,
    doubleBuffer,
    portActivities,
    muwUnionPerPort,
    stallSlackPerPort,
    loading,
    offloading,
    loadingIndividual,
    loadingHalfShared,
    loadingShared,
    macSpatialUtilization: idealCycle / idealTemporalCycle,
    macUtilization0: idealCycle / latencyTotal0,
    macUtilization1: idealCycle / latencyTotal1,
    macUtilization2: idealCycle / latencyTotal2,
  };
}
