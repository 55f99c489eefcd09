/**
 * The TETRA formulation on small synthetic problems whose optimum is known by hand: real route and
 * placement choices (which the golden cases never exercise), link contention, memory capacity against
 * reuse, the reuse rules, the overlap models, DMA accounting, and the infeasibility report.
 */
import {
  buildTetraModel,
  parseLoopNestOuterToInner,
  solveSteadyState,
  type InfeasibilityReport,
  type SlotTransferMember,
  type SteadyStateOutcome,
  type SteadyStateProblem,
  type SteadyStateSolution,
  type SteadyStateTensor,
} from '../../lib/milp';
import { loadSolverBackend, type SolverBackend } from '../../lib/solver';

let highs: SolverBackend;
beforeAll(async () => {
  highs = await loadSolverBackend('highs');
});

const loops = (...printed: string[]) => parseLoopNestOuterToInner(printed);
/** One temporal loop of size N the tensor varies with: no reuse possible, double-buffered when N > 1. */
const streaming = (n = 1) => loops(`T(z0,${n},V)`, 'K(z1,8,V)');

function tensor(name: string, producer: SteadyStateTensor['producer'], cores: number[], bits = 1024, nest = streaming()): SteadyStateTensor {
  return { name, bits, producer, loops: nest, placements: [{ cores, tileBits: bits }] };
}

function transfer(
  name: string,
  slot: number,
  input: string,
  output: string,
  routes: SlotTransferMember['routes'],
  transferType: SlotTransferMember['transferType'] = 'MEM_TO_COMPUTE',
  nest = streaming(),
): SlotTransferMember {
  return { name, slot, transferType, inputs: [input], outputs: [output], loops: nest, routes };
}

/** Off-chip core 9, compute cores 0 and 1, memory cores 3 and 4; link 0 is slow (16), link 1 fast (64). */
function problem(parts: Partial<SteadyStateProblem> & Pick<SteadyStateProblem, 'tensors' | 'transfers' | 'slotCount'>): SteadyStateProblem {
  return {
    label: 'synthetic',
    iterations: 1,
    cores: [
      { id: 0, kind: 'compute', capacityBits: 1 << 20 },
      { id: 1, kind: 'compute', capacityBits: 1 << 20 },
      { id: 3, kind: 'memory', capacityBits: 1 << 20 },
      { id: 4, kind: 'memory', capacityBits: 1 << 20 },
      { id: 9, kind: 'offchip', capacityBits: 1e10 },
    ],
    links: [
      { index: 0, bandwidth: 16, label: 'slow' },
      { index: 1, bandwidth: 64, label: 'fast' },
    ],
    computeNodes: [],
    ...parts,
  };
}

function feasible(outcome: SteadyStateOutcome): SteadyStateSolution {
  if (!outcome.feasible) throw new Error(outcome.summary);
  return outcome;
}

function infeasible(outcome: SteadyStateOutcome): InfeasibilityReport {
  if (outcome.feasible) throw new Error(`expected infeasible, got latency ${outcome.latencyTotal}`);
  return outcome;
}

describe('route choice and link contention', () => {
  it('picks the faster of two routes', () => {
    const p = problem({
      slotCount: 2,
      tensors: [tensor('in', 'in_edge', [9]), tensor('in_1', 'transfer', [0])],
      transfers: [
        transfer('Transfer(in)', 1, 'in', 'in_1', [
          { sources: [9], targets: [0], linksUsed: [0] },
          { sources: [9], targets: [0], linksUsed: [1] },
        ]),
      ],
    });
    const r = feasible(solveSteadyState(p, highs));
    expect(r.transfers[0]).toMatchObject({ routeIndex: 1, rawCycles: 16, contribution: 16 });
    expect(r.slotLatencies).toEqual([0, 16]);
    expect(r.latencyTotal).toBe(16);
  });

  it('gives two transfers in one slot disjoint links', () => {
    const routes = [
      { sources: [9], targets: [0], linksUsed: [0] },
      { sources: [9], targets: [0], linksUsed: [1] },
    ];
    const p = problem({
      slotCount: 1,
      tensors: [
        tensor('a', 'in_edge', [9], 1024),
        tensor('a_1', 'transfer', [0], 1024),
        tensor('b', 'in_edge', [9], 256),
        tensor('b_1', 'transfer', [0], 256),
      ],
      transfers: [transfer('Transfer(a)', 0, 'a', 'a_1', routes), transfer('Transfer(b)', 0, 'b', 'b_1', routes)],
    });
    const r = feasible(solveSteadyState(p, highs));
    // a on the fast link (16 cycles) and b on the slow one (16 cycles) beats the reverse (64).
    expect(r.transfers.map((t) => t.routeIndex)).toEqual([1, 0]);
    expect(r.slotLatencies).toEqual([16]);
  });

  it('reports fixed routes sharing a link in one slot as a structural conflict', () => {
    const onFast = [{ sources: [9], targets: [0], linksUsed: [1] }];
    const p = problem({
      slotCount: 1,
      tensors: [tensor('a', 'in_edge', [9]), tensor('a_1', 'transfer', [0]), tensor('b', 'in_edge', [9]), tensor('b_1', 'transfer', [0])],
      transfers: [transfer('Transfer(a)', 0, 'a', 'a_1', onFast), transfer('Transfer(b)', 0, 'b', 'b_1', onFast)],
    });
    const r = infeasible(solveSteadyState(p, highs));
    expect(r.nature).toBe('structural');
    expect(r.level).toBe('build');
    expect(r.resources[0]).toMatchObject({ resource: { kind: 'link', id: 1, label: 'fast' }, reason: 'link over-subscribed' });
    expect(r.summary).toBe(
      'Infeasible mapping — structural conflict: Link over-subscribed. fast carries more than one transfer in slot 0: Transfer(a), Transfer(b). Involves fast.',
    );
  });
});

describe('placement choice (memory tiles)', () => {
  it('places a tensor on the memory core that can hold it and routes to it', () => {
    const big = 1 << 19;
    const p = problem({
      slotCount: 2,
      cores: [
        { id: 3, kind: 'memory', capacityBits: big / 2 },
        { id: 4, kind: 'memory', capacityBits: 4 * big },
        { id: 9, kind: 'offchip', capacityBits: 1e10 },
      ],
      tensors: [
        tensor('w', 'in_edge', [9], big),
        {
          name: 'w_1',
          bits: big,
          producer: 'transfer',
          loops: streaming(),
          placements: [
            { cores: [3], tileBits: big },
            { cores: [4], tileBits: big },
          ],
        },
      ],
      transfers: [
        transfer(
          'Transfer(w)',
          1,
          'w',
          'w_1',
          [
            { sources: [9], targets: [3], linksUsed: [1] },
            { sources: [9], targets: [4], linksUsed: [0] },
          ],
          'MEM_TO_MEM',
        ),
      ],
    });
    const r = feasible(solveSteadyState(p, highs));
    expect(r.tensors.find((t) => t.name === 'w_1')).toMatchObject({ placementIndex: 1, cores: [4] });
    // route coherence: the only route ending on core 4 is the slow one
    expect(r.transfers[0]!.routeIndex).toBe(1);
    expect(r.slotLatencies[1]).toBe(big / 16);
    expect(buildTetraModel(p).program.variables.some((v) => v.name.startsWith('x[w_1]'))).toBe(true);
  });
});

describe('memory capacity against reuse (§10.4.4)', () => {
  // AT (innermost first): V 4, then I 8. Stop −1: 2 tiles, reuse 1; stop 0: 4 tiles; stop 1: 4 tiles, reuse 8.
  const reusable = loops('T(z2,8,I)', 'T(z1,4,V)', 'K(z3,8,V)');
  const build = (capacityBits: number, memoryCapacity = true) =>
    problem({
      slotCount: 2,
      iterations: 32,
      cores: [
        { id: 0, kind: 'compute', capacityBits },
        { id: 9, kind: 'offchip', capacityBits: 1e10 },
      ],
      constraints: { memoryCapacity },
      tensors: [tensor('w', 'in_edge', [9], 1024, reusable), tensor('w_1', 'transfer', [0], 1024, reusable)],
      transfers: [transfer('Transfer(w)', 1, 'w', 'w_1', [{ sources: [9], targets: [0], linksUsed: [1] }], 'MEM_TO_COMPUTE', reusable)],
    });

  it('reuses across the irrelevant loop when four tiles fit', () => {
    const r = feasible(solveSteadyState(build(4 * 1024), highs));
    expect(r.tensors.find((t) => t.name === 'w_1')).toMatchObject({ reuseStop: 1, reuseFactor: 8, tiles: 4, residentBitsPerCore: 4096 });
    expect(r.slotLatencies[1]).toBe(2); // ceil(16 / 8)
  });

  it('falls back to double buffering when only three tiles fit', () => {
    const r = feasible(solveSteadyState(build(3 * 1024), highs));
    expect(r.tensors.find((t) => t.name === 'w_1')).toMatchObject({ reuseStop: -1, reuseFactor: 1, tiles: 2 });
    expect(r.slotLatencies[1]).toBe(16);
  });

  it('ignores capacity when the constraint group is off', () => {
    const r = feasible(solveSteadyState(build(1024, false), highs));
    expect(r.tensors.find((t) => t.name === 'w_1')!.reuseStop).toBe(1);
  });

  it('reports the core, the demand with its terms and the shortfall when nothing fits', () => {
    const r = infeasible(solveSteadyState(build(1024), highs));
    expect(r.nature).toBe('capacity');
    expect(r.status).toMatch(/infeasible/);
    expect(r.level).toBe('latency (total_latency + maxCoreDmaIn + maxCoreDmaOut)');
    expect(r.summary).toBe(
      'Infeasible mapping — Core 0: tensors resident on Core 0 need 256.0 B, but the on-chip memory of Core 0 is 128.0 B (short by 128.0 B)',
    );
    const unmet = r.resources[0]!.unmet!;
    expect(unmet).toMatchObject({
      family: 'memory_capacity',
      demandLabel: 'tensors resident on',
      boundLabel: 'on-chip memory of',
      demandValue: 256,
      boundValue: 128,
      gap: 128,
      unit: 'bytes',
      demandBits: 2048,
      boundBits: 1024,
      gapBits: 1024,
      operator: '<=',
    });
    expect(unmet.terms).toEqual([
      { label: 'w_1', value: 256, bits: 2048, detail: '2 tile(s) × 1024 bits at reuse stop -1', dims: [] },
    ]);
    expect(unmet.levers).toHaveLength(3);
    expect(unmet.levers[0]).toBe('Increase Core 0 on-chip memory (hardware spec)');
  });

  it('states a tensor’s demand at its shallowest admissible stop, not its smallest footprint (ResNet-18 group 0)', () => {
    // Innermost loop irrelevant: stop −1 holds 2 tiles (double buffering), stop 0 a single one, stop 1 four.
    const innerIrrelevant = loops('T(z1,4,V)', 'T(z2,8,I)', 'K(z3,8,V)');
    const p = problem({
      slotCount: 2,
      iterations: 32,
      cores: [
        { id: 0, kind: 'compute', capacityBits: 512 },
        { id: 9, kind: 'offchip', capacityBits: 1e10 },
      ],
      tensors: [tensor('w', 'in_edge', [9], 1024, innerIrrelevant), tensor('w_1', 'transfer', [0], 1024, innerIrrelevant)],
      transfers: [transfer('Transfer(w)', 1, 'w', 'w_1', [{ sources: [9], targets: [0], linksUsed: [1] }], 'MEM_TO_COMPUTE', innerIrrelevant)],
    });
    const unmet = infeasible(solveSteadyState(p, highs)).resources[0]!.unmet!;
    expect(unmet.demandBits).toBe(2048);
    expect(unmet.terms[0]!.detail).toBe('2 tile(s) × 1024 bits at reuse stop -1');
  });
});

describe('reuse-level rules (§10.4.7)', () => {
  it('keeps a fused intermediate resident across the transfer’s outermost irrelevant loop', () => {
    // Transfer loops (innermost first): V 2, I 3 → k = 1; stop 1 costs 2 tiles = stop −1, so only the rule decides.
    const nest = loops('T(z2,3,I)', 'T(z1,2,V)', 'K(z3,8,V)');
    const p = problem({
      slotCount: 3,
      iterations: 6,
      tensors: [tensor('a', 'compute', [0], 512, nest), tensor('a_1', 'transfer', [1], 512, nest)],
      computeNodes: [{ name: 'Producer', slot: 0, cores: [0], lutLatency: 10, loops: nest }],
      transfers: [transfer('Transfer(a)', 1, 'a', 'a_1', [{ sources: [0], targets: [1], linksUsed: [1] }], 'COMPUTE_TO_COMPUTE', nest)],
    });
    const r = feasible(solveSteadyState(p, highs));
    expect(r.tensors.find((t) => t.name === 'a_1')!.reuseStop).toBeGreaterThanOrEqual(1);
    const f = buildTetraModel(p);
    const z = f.tensors.get('a_1')!.stop;
    expect(f.program.variables[z.variable(0)!.index]!.upper).toBe(0);
    expect(f.program.variables[z.variable(1)!.index]!.upper).toBe(0);
  });

  it('makes the two ends of a COMPUTE_TO_MEM transfer stop at the same level', () => {
    const nest = loops('T(z2,4,I)', 'T(z1,2,V)', 'K(z3,8,V)');
    const p = problem({
      slotCount: 2,
      iterations: 8,
      tensors: [tensor('o_1', 'compute', [0], 512, nest), tensor('o', 'transfer', [9], 512, nest)],
      computeNodes: [{ name: 'Producer', slot: 0, cores: [0], lutLatency: 10, loops: nest }],
      transfers: [transfer('Transfer(o_1)', 1, 'o_1', 'o', [{ sources: [0], targets: [9], linksUsed: [1] }], 'COMPUTE_TO_MEM', nest)],
    });
    const r = feasible(solveSteadyState(p, highs));
    const stops = r.tensors.map((t) => t.reuseStop);
    expect(stops[0]).toBe(stops[1]);
    expect(stops[0]).toBe(1); // the producer's output stays resident across its outermost irrelevant loop
  });
});

describe('overlap between iterations (§10.4.8) and the total (§10.8)', () => {
  // Slots: 0 transfer A (10 cycles on the fast link), 1 compute on core 0 (20), 2 transfer B (10), 3 compute (5).
  const build = (extra: Partial<SteadyStateProblem> = {}) =>
    problem({
      slotCount: 4,
      iterations: 4,
      tensors: [
        tensor('a', 'in_edge', [9], 640),
        tensor('a_1', 'transfer', [0], 640),
        tensor('b', 'in_edge', [9], 640),
        tensor('b_1', 'transfer', [0], 640),
      ],
      computeNodes: [
        { name: 'C1', slot: 1, cores: [0], lutLatency: 20, loops: streaming() },
        { name: 'C2', slot: 3, cores: [0], lutLatency: 4.2, loops: streaming() },
      ],
      transfers: [
        transfer('Transfer(a)', 0, 'a', 'a_1', [{ sources: [9], targets: [0], linksUsed: [1] }]),
        transfer('Transfer(b)', 2, 'b', 'b_1', [{ sources: [9], targets: [0], linksUsed: [1] }]),
      ],
      ...extra,
    });

  it('occupancy: the overlap is the smallest idle latency over links and cores', () => {
    const r = feasible(solveSteadyState(build(), highs));
    expect(r.slotLatencies).toEqual([10, 20, 10, 5]); // ceil(4.2) = 5
    expect(r.resourceSlack.map((s) => [s.label, s.idleCycles])).toEqual([
      ['Core 0', 20],
      ['fast', 25],
    ]);
    expect(r.overlap).toBe(20);
    expect(r.bindingResources).toEqual(['Core 0']);
    expect(r.latencyTotal).toBe(4 * 45 - 3 * 20);
  });

  it('span: only idle slots before the first and after the last activity count', () => {
    const r = feasible(solveSteadyState(build({ constraints: { overlapModel: 'span' } }), highs));
    expect(r.overlap).toBe(5); // link idle after slot 2: 5; core idle before slot 1: 10
    expect(r.latencyTotal).toBe(4 * 45 - 3 * 5);
  });

  it('links whose activity depends on the route choice get idle indicators', () => {
    // Transfer(a) may take the slow link (40 cycles) or the fast one (10); the fast one wins:
    // L = [10, 20, 10], fast idle 20, slow never active (40), core idle 20 → O = 20.
    const p = build({
      slotCount: 3,
      computeNodes: [{ name: 'C1', slot: 1, cores: [0], lutLatency: 20, loops: streaming() }],
      transfers: [
        transfer('Transfer(a)', 0, 'a', 'a_1', [
          { sources: [9], targets: [0], linksUsed: [0] },
          { sources: [9], targets: [0], linksUsed: [1] },
        ]),
        transfer('Transfer(b)', 2, 'b', 'b_1', [{ sources: [9], targets: [0], linksUsed: [1] }]),
      ],
    });
    expect(buildTetraModel(p).program.variables.filter((v) => v.name.startsWith('idle[')).length).toBeGreaterThan(0);
    for (const overlapModel of ['occupancy', 'span'] as const) {
      const r = feasible(solveSteadyState({ ...p, constraints: { overlapModel } }, highs));
      expect(r.transfers[0]!.routeIndex).toBe(1);
      expect(r.slotLatencies).toEqual([10, 20, 10]);
      // span: the fast link is busy in the first and the last slot, so nothing counts for it
      expect(r.overlap).toBe(overlapModel === 'occupancy' ? 20 : 0);
      expect(r.overlap).toBe(r.resourceSlack[0]!.idleCycles);
    }
  });

  it('a recurrence bound caps the overlap at Σ L − RecMII', () => {
    const r = feasible(solveSteadyState(build({ recurrenceBoundCycles: 40 }), highs));
    expect(r.overlap).toBe(5);
  });
});

describe('DMA accounting (§10.5) and the objective levels (§10.7)', () => {
  const build = (dmaChannels: boolean) =>
    problem({
      slotCount: 2,
      constraints: { dmaChannels },
      tensors: [tensor('in', 'in_edge', [9]), tensor('in_1', 'transfer', [0, 1]), tensor('out', 'compute', [0, 1])],
      computeNodes: [{ name: 'C', slot: 1, cores: [0, 1], lutLatency: 7, loops: streaming() }],
      transfers: [transfer('Transfer(in)', 0, 'in', 'in_1', [{ sources: [9], targets: [0, 1], linksUsed: [1] }])],
    });

  it('adds the largest per-core DMA-in and DMA-out counts to the latency level (off-chip cores excluded)', () => {
    const r = feasible(solveSteadyState(build(true), highs));
    expect(r.dmaPerCore).toEqual([
      { core: 0, dmaIn: 1, dmaOut: 0 },
      { core: 1, dmaIn: 1, dmaOut: 0 },
    ]);
    expect(r.objectives).toEqual({ latency: 16 + 7 + 1, offchipTraffic: 3 * 1024, buffering: 3 });
    expect(r.solve.levels.map((l) => l.name)).toEqual([
      'latency (total_latency + maxCoreDmaIn + maxCoreDmaOut)',
      'offchip_traffic',
      'buffering',
    ]);
  });

  it('leaves the DMA terms out when dma_channels is off', () => {
    const r = feasible(solveSteadyState(build(false), highs));
    expect(r.objectives.latency).toBe(23);
    expect(r.dmaPerCore).toEqual([]);
  });
});

describe('input validation', () => {
  it('rejects references to unknown tensors, cores and links with a clear message', () => {
    const p = problem({
      slotCount: 1,
      tensors: [tensor('in', 'in_edge', [9])],
      transfers: [transfer('T', 0, 'in', 'missing', [{ sources: [9], targets: [0], linksUsed: [1] }])],
    });
    expect(() => buildTetraModel(p)).toThrow("SteadyStateProblem 'synthetic': transfer T refers to unknown tensor missing");
    expect(() => buildTetraModel({ ...p, slotCount: 0 })).toThrow(/slotCount must be a positive integer/);
  });
});
