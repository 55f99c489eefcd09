/**
 * ZigZag's view of one core (reference-cost-model §2): memory levels in file order with their
 * per-operand level numbers, the port serving each (memory operand, direction), served OA dims and
 * replication, the inner memories, the operational array and the sharing groups.
 */
import type { MemoryPort, PortDirection, ZigzagCoreSpec } from '../hardware/model';
import { pythonSetOrder } from './python-set-order';

/** Data directions, in ZigZag's enum order (energy summation and reports follow it). */
export const DIRECTION_NAMES = ['rd_out_to_low', 'wr_in_by_low', 'rd_out_to_high', 'wr_in_by_high'] as const;
export type DirectionName = (typeof DIRECTION_NAMES)[number];
export const RD_OUT_TO_LOW = 0;
export const WR_IN_BY_LOW = 1;
export const RD_OUT_TO_HIGH = 2;
export const WR_IN_BY_HIGH = 3;

const DIRECTION_OF_TAG: Readonly<Record<PortDirection, number>> = { tl: RD_OUT_TO_LOW, fl: WR_IN_BY_LOW, th: RD_OUT_TO_HIGH, fh: WR_IN_BY_HIGH };

export interface ServedTransfer {
  readonly memoryOperand: string;
  /** Level of that memory operand at this memory. */
  readonly level: number;
  readonly direction: number;
}

export interface PortModel {
  readonly name: string;
  readonly type: MemoryPort['type'];
  readonly bandwidthMin: number;
  readonly bandwidthMax: number;
  /** In allocation order. */
  readonly served: readonly ServedTransfer[];
  /** True when the port serves both I1 and I2 (whether or not the layer uses both). */
  readonly servesBothInputs: boolean;
}

export interface MemoryLevelModel {
  /** Position in the core file. */
  readonly index: number;
  readonly name: string;
  readonly sizeBits: number;
  readonly readCost: number;
  readonly writeCost: number;
  /** Memory operands in YAML order. */
  readonly operands: readonly string[];
  /** Level of each of its operands (how many earlier memories hold that operand). */
  readonly levelOf: Readonly<Record<string, number>>;
  /** Ports that serve something, in YAML order. */
  readonly ports: readonly PortModel[];
  /** Port per memory operand and direction; undefined when that direction has no port. */
  readonly portFor: Readonly<Record<string, readonly (PortModel | undefined)[]>>;
  /** OA dims this memory spans, in the reference's set iteration order. */
  readonly servedDimensions: readonly string[];
  /** Number of physical copies: product of the sizes of the OA dims it does not serve. */
  readonly unrollCount: number;
  /** In-degree 0 in the memory graph: none of its operands is held by an earlier memory. */
  readonly isInner: boolean;
}

export interface CoreModel {
  readonly name: string;
  readonly memories: readonly MemoryLevelModel[];
  /** Memory levels per memory operand, innermost first. */
  readonly hierarchy: Readonly<Record<string, readonly MemoryLevelModel[]>>;
  readonly memoryOperands: readonly string[];
  readonly oaDims: readonly string[];
  readonly oaSizes: readonly number[];
  readonly totalUnitCount: number;
  readonly unitEnergy: number;
  /** `mem_level_of_operands` of every memory holding several operands, de-duplicated. */
  readonly sharingGroups: readonly (readonly (readonly [string, number])[])[];
  /** Legacy `dataflows` (OA dim → `['K, 16', ...]`), if the core has them. */
  readonly dataflows?: Readonly<Record<string, readonly string[]>>;
}

export function buildCoreModel(spec: ZigzagCoreSpec): CoreModel {
  const oaDims = spec.operationalArray.dimensions.slice();
  const oaSizes = spec.operationalArray.sizes.slice();
  const oaSizeOf = new Map(oaDims.map((d, i) => [d, oaSizes[i]] as const));
  const countSoFar = new Map<string, number>();
  const hierarchy: Record<string, MemoryLevelModel[]> = {};
  const memoryOperands: string[] = [];
  const memories: MemoryLevelModel[] = spec.memories.map((mem, index) => {
    const levelOf: Record<string, number> = {};
    let isInner = true;
    for (const op of mem.operands) {
      const seen = countSoFar.get(op) ?? 0;
      levelOf[op] = seen;
      if (seen > 0) isInner = false;
    }
    const ports: PortModel[] = [];
    const portFor: Record<string, (PortModel | undefined)[]> = {};
    for (const op of mem.operands) portFor[op] = [undefined, undefined, undefined, undefined];
    for (const p of mem.ports) {
      const served: ServedTransfer[] = [];
      for (const a of p.allocation) {
        if (levelOf[a.operand] === undefined) continue;
        served.push({ memoryOperand: a.operand, level: levelOf[a.operand], direction: DIRECTION_OF_TAG[a.direction] });
      }
      if (served.length === 0) continue;
      const ops = new Set(served.map((s) => s.memoryOperand));
      const port: PortModel = {
        name: p.name,
        type: p.type,
        bandwidthMin: p.bandwidthMin,
        bandwidthMax: p.bandwidthMax,
        served,
        servesBothInputs: ops.has('I1') && ops.has('I2'),
      };
      ports.push(port);
      for (const s of served) portFor[s.memoryOperand][s.direction] = port;
    }
    let unrollCount = 1;
    oaDims.forEach((d, i) => {
      if (!mem.servedDimensions.includes(d)) unrollCount *= oaSizes[i];
    });
    const model: MemoryLevelModel = {
      index,
      name: mem.name,
      sizeBits: mem.size,
      readCost: mem.rCost,
      writeCost: mem.wCost,
      operands: mem.operands.slice(),
      levelOf,
      ports,
      portFor,
      servedDimensions: pythonSetOrder(mem.servedDimensions.filter((d) => oaSizeOf.has(d)), 'OADimension'),
      unrollCount,
      isInner,
    };
    for (const op of mem.operands) {
      countSoFar.set(op, (countSoFar.get(op) ?? 0) + 1);
      if (!hierarchy[op]) {
        hierarchy[op] = [];
        memoryOperands.push(op);
      }
      hierarchy[op].push(model);
    }
    return model;
  });
  const sharingGroups: (readonly [string, number])[][] = [];
  const seenGroups = new Set<string>();
  for (const m of memories) {
    if (m.operands.length < 2) continue;
    const group = m.operands.map((op) => [op, m.levelOf[op]] as const);
    const key = JSON.stringify([...group].sort());
    if (seenGroups.has(key)) continue;
    seenGroups.add(key);
    sharingGroups.push(group);
  }
  return {
    name: spec.name,
    memories,
    hierarchy,
    memoryOperands,
    oaDims,
    oaSizes,
    totalUnitCount: oaSizes.reduce((p, s) => p * s, 1),
    unitEnergy: spec.operationalArray.unitEnergy,
    sharingGroups,
    dataflows: spec.dataflows,
  };
}
