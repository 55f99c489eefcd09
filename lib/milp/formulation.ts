/**
 * The TETRA MILP (reference-co-pipeline.md §10) built from a `SteadyStateProblem` onto the solver
 * facade. Section numbers below refer to that document.
 *
 * Everything fixed before the MILP stays a constant here: a tensor with one placement, a transfer
 * with one route or a tensor with one reuse level gets no variable, and rows whose every term is
 * constant are checked at build time instead of being sent to the solver. A constant row that is
 * violated is a *structural conflict* (the model is infeasible whatever the solver does); it is
 * recorded for the infeasibility report. So the model is smaller than the reference's (which keeps
 * those as fixed variables) but has the same optimum.
 */
import {
  LinearExpressionBuilder,
  SolverModel,
  type ConstraintSense,
  type LinearExpression,
  type LinearProgram,
  type Variable,
} from '../solver/model';
import {
  DEFAULT_CONSTRAINT_SELECTION,
  coreLabel,
  type ConstraintSelection,
  type CoreResource,
  type LinkResource,
  type SlotComputeMember,
  type SlotTransferMember,
  type SteadyStateProblem,
  type SteadyStateTensor,
} from './problem';
import {
  activeCycles,
  activeFraction,
  outermostIrrelevantIndex,
  reuseTable,
  temporalInsideSpatialIndex,
  transferCycles,
  type Fraction,
  type ReuseTable,
} from './tables';

const EPSILON = 1e-9;

export const LEVEL_NAMES = {
  latency: 'latency (total_latency + maxCoreDmaIn + maxCoreDmaOut)',
  offchipTraffic: 'offchip_traffic',
  buffering: 'buffering',
} as const;

const CONSTANT_ONE: LinearExpression = { indices: [], coefficients: [], constant: 1 };
const CONSTANT_ZERO: LinearExpression = { indices: [], coefficients: [], constant: 0 };

function constantOf(expression: LinearExpression): number | undefined {
  return expression.indices.length === 0 ? expression.constant : undefined;
}

/**
 * Exactly one of `count` options: binaries with Σ = 1, or a constant when there is a single option
 * (placement `x`, route `y` and reuse-stop `z` of §10.3).
 */
export class OneHotChoice {
  private constructor(
    readonly count: number,
    readonly variables: readonly Variable[],
  ) {}

  static create(model: SolverModel, name: string, labels: readonly string[]): OneHotChoice {
    if (labels.length === 0) throw new Error(`${name}: a choice needs at least one option`);
    if (labels.length === 1) return new OneHotChoice(1, []);
    const variables = labels.map((label) => model.addBinary(`${name}[${label}]`));
    const sum = new LinearExpressionBuilder();
    for (const v of variables) sum.add(v);
    model.addConstraint(`one_of_${name}`, sum.build(), '==', 1);
    return new OneHotChoice(labels.length, variables);
  }

  get isFixed(): boolean {
    return this.count === 1;
  }

  /** 0/1 indicator of option i. */
  indicator(option: number): LinearExpression {
    if (this.isFixed) return option === 0 ? CONSTANT_ONE : CONSTANT_ZERO;
    return { indices: [this.variables[option]!.index], coefficients: [1], constant: 0 };
  }

  variable(option: number): Variable | undefined {
    return this.variables[option];
  }

  /** Index of the chosen option in a (rounded) solution. */
  chosen(values: ArrayLike<number>): number {
    if (this.isFixed) return 0;
    let best = 0;
    for (let i = 1; i < this.count; i++) if (values[this.variables[i]!.index]! > values[this.variables[best]!.index]!) best = i;
    return best;
  }
}

/** Why a family of rows exists; used by the infeasibility report (reference-surface §5.6). */
export type ConstraintFamily =
  | 'placement'
  | 'route_coherence'
  | 'link_contention'
  | 'memory_capacity'
  | 'reuse_rule'
  | 'slot_latency'
  | 'overlap'
  | 'dma';

export interface StructuralConflict {
  readonly family: ConstraintFamily;
  readonly constraint: string;
  readonly title: string;
  readonly explanation: string;
  readonly cores: readonly number[];
  readonly links: readonly number[];
}

export interface TensorModel {
  readonly tensor: SteadyStateTensor;
  readonly table: ReuseTable;
  readonly placement: OneHotChoice;
  readonly stop: OneHotChoice;
  /** Lowest stop level the reuse rules allow (−1 = unconstrained), and the rule that set it. */
  readonly minimumStop: { level: number; rule?: string };
}

export interface TransferModel {
  readonly transfer: SlotTransferMember;
  readonly route: OneHotChoice;
  readonly fraction: Fraction;
  /** Per route: raw cycles R and active cycles A = round(R·f) (§10.4.6). */
  readonly rawCycles: readonly number[];
  readonly activeCycles: readonly number[];
}

export interface ComputeModel {
  readonly node: SlotComputeMember;
  readonly fraction: Fraction;
  /** A_n = round(ceil(LUT)·f_n) (§10.4.6). */
  readonly activeCycles: number;
}

/** One term of a core's memory load (§10.4.4). */
export interface MemoryDemandTerm {
  readonly tensor: string;
  readonly placement: number;
  readonly stop: number;
  readonly tiles: number;
  readonly tileBits: number;
  /** ceil(tiles · tileBits). */
  readonly bits: number;
}

export interface CoreMemoryDemand {
  readonly core: CoreResource;
  readonly terms: readonly MemoryDemandTerm[];
}

/** A resource of the overlap model (§10.4.8) with its activity per slot. */
export interface OverlapResource {
  readonly kind: 'core' | 'link';
  readonly id: number;
  readonly label: string;
  /** Activity expression per slot (Σ y of routes using the link; 1 for a core running a compute node). */
  readonly activity: readonly LinearExpression[];
}

export interface DmaAccounting {
  readonly core: CoreResource;
  readonly dmaIn: LinearExpression;
  readonly dmaOut: LinearExpression;
}

export interface TetraFormulation {
  readonly problem: SteadyStateProblem;
  readonly selection: ConstraintSelection;
  readonly program: LinearProgram;
  readonly tensors: ReadonlyMap<string, TensorModel>;
  readonly transfers: readonly TransferModel[];
  readonly computeNodes: readonly ComputeModel[];
  readonly slotLatency: readonly Variable[];
  readonly overlap: Variable;
  readonly maxDmaIn?: Variable;
  readonly maxDmaOut?: Variable;
  readonly dma: readonly DmaAccounting[];
  readonly overlapResources: readonly OverlapResource[];
  readonly memoryDemands: readonly CoreMemoryDemand[];
  /** Upper bound on any slot latency (§10.6): max ceil(LUT) and max raw transfer cycles. */
  readonly slotLatencyBound: number;
  readonly conflicts: readonly StructuralConflict[];
}

function validateProblem(problem: SteadyStateProblem): void {
  const fail = (message: string): never => {
    throw new Error(`SteadyStateProblem '${problem.label}': ${message}`);
  };
  if (!Number.isInteger(problem.iterations) || problem.iterations < 1) fail(`iterations must be a positive integer`);
  if (!Number.isInteger(problem.slotCount) || problem.slotCount < 1) fail(`slotCount must be a positive integer`);
  const cores = new Set(problem.cores.map((c) => c.id));
  const links = new Set(problem.links.map((l) => l.index));
  const tensors = new Set<string>();
  for (const t of problem.tensors) {
    if (tensors.has(t.name)) fail(`tensor ${t.name} listed twice`);
    tensors.add(t.name);
    if (t.placements.length === 0) fail(`tensor ${t.name} has no placement`);
    for (const p of t.placements) for (const c of p.cores) if (!cores.has(c)) fail(`tensor ${t.name} placed on unknown core ${c}`);
  }
  const checkSlot = (name: string, slot: number): void => {
    if (!Number.isInteger(slot) || slot < 0 || slot >= problem.slotCount) fail(`${name} sits in slot ${slot} outside 0..${problem.slotCount - 1}`);
  };
  for (const n of problem.computeNodes) {
    checkSlot(n.name, n.slot);
    for (const c of n.cores) if (!cores.has(c)) fail(`compute node ${n.name} runs on unknown core ${c}`);
  }
  for (const tr of problem.transfers) {
    checkSlot(tr.name, tr.slot);
    if (tr.inputs.length === 0 || tr.outputs.length === 0) fail(`transfer ${tr.name} needs an input and an output tensor`);
    for (const t of [...tr.inputs, ...tr.outputs]) if (!tensors.has(t)) fail(`transfer ${tr.name} refers to unknown tensor ${t}`);
    if (tr.routes.length === 0) fail(`transfer ${tr.name} has no route`);
    for (const r of tr.routes) {
      for (const l of r.linksUsed) if (!links.has(l)) fail(`transfer ${tr.name} uses unknown link ${l}`);
      for (const c of [...r.sources, ...r.targets]) if (!cores.has(c)) fail(`transfer ${tr.name} routes through unknown core ${c}`);
    }
  }
}

/** Builds the MILP; pure and synchronous. */
export function buildTetraModel(problem: SteadyStateProblem): TetraFormulation {
  validateProblem(problem);
  const selection: ConstraintSelection = { ...DEFAULT_CONSTRAINT_SELECTION, ...problem.constraints };
  const model = new SolverModel(`tetra ${problem.label}`);
  const conflicts: StructuralConflict[] = [];
  const coreById = new Map(problem.cores.map((c) => [c.id, c]));
  const linkByIndex = new Map<number, LinkResource>(problem.links.map((l) => [l.index, l]));
  const N = problem.iterations;

  /** Adds a row, or checks it when every term is constant. */
  const addRow = (
    family: ConstraintFamily,
    name: string,
    expression: LinearExpression,
    sense: ConstraintSense,
    rhs: number,
    conflict: () => Omit<StructuralConflict, 'family' | 'constraint'>,
  ): void => {
    const constant = constantOf(expression);
    if (constant === undefined) {
      model.addConstraint(name, expression, sense, rhs);
      return;
    }
    const satisfied =
      sense === '<=' ? constant <= rhs + EPSILON : sense === '>=' ? constant >= rhs - EPSILON : Math.abs(constant - rhs) <= EPSILON;
    if (!satisfied) conflicts.push({ family, constraint: name, ...conflict() });
  };

  /** `variable ≥ expression`: a bound when the expression is constant, else a row. */
  const requireAtLeast = (family: ConstraintFamily, name: string, variable: Variable, expression: LinearExpression): void => {
    const constant = constantOf(expression);
    if (constant !== undefined) {
      const bound = model.bounds(variable);
      const needed = variable.kind === 'continuous' ? constant : Math.ceil(constant - EPSILON);
      if (needed > bound.upper + EPSILON) {
        conflicts.push({
          family,
          constraint: name,
          title: 'Bound exceeded',
          explanation: `${variable.name} must be at least ${needed} but is bounded by ${bound.upper}.`,
          cores: [],
          links: [],
        });
      }
      model.tightenLowerBound(variable, needed);
      return;
    }
    model.addConstraint(name, new LinearExpressionBuilder().add(variable).addExpression(expression, -1).build(), '>=', 0);
  };

  /** 0/1 expression for a AND b, both 0/1-valued (standard three-inequality product). */
  const andIndicator = (name: string, a: LinearExpression, b: LinearExpression): LinearExpression => {
    const ca = constantOf(a);
    const cb = constantOf(b);
    if (ca === 0 || cb === 0) return CONSTANT_ZERO;
    if (ca === 1) return b;
    if (cb === 1) return a;
    const w = model.addBinary(name);
    const wExpr: LinearExpression = { indices: [w.index], coefficients: [1], constant: 0 };
    model.addConstraint(`${name}_le_a`, new LinearExpressionBuilder().add(w).addExpression(a, -1).build(), '<=', 0);
    model.addConstraint(`${name}_le_b`, new LinearExpressionBuilder().add(w).addExpression(b, -1).build(), '<=', 0);
    model.addConstraint(
      `${name}_ge_ab`,
      new LinearExpressionBuilder().add(w).addExpression(a, -1).addExpression(b, -1).build(),
      '>=',
      -1,
    );
    return wExpr;
  };

  // --- Tensors: placement x (§10.3, §10.4.1) and reuse stop z (§10.2, §10.3) -------------------------
  const tensors = new Map<string, TensorModel>();
  const minimumStops = new Map<string, { level: number; rule?: string }>();
  for (const tensor of problem.tensors) {
    const table = reuseTable(tensor.loops);
    const placement = OneHotChoice.create(
      model,
      `x[${tensor.name}]`,
      tensor.placements.map((p) => p.cores.join('_')),
    );
    const stop = OneHotChoice.create(
      model,
      `z[${tensor.name}]`,
      table.stops.map((s) => String(s)),
    );
    minimumStops.set(tensor.name, { level: -1 });
    tensors.set(tensor.name, {
      tensor,
      table,
      placement,
      stop,
      get minimumStop() {
        return minimumStops.get(tensor.name)!;
      },
    });
  }
  const tensorModel = (name: string): TensorModel => tensors.get(name)!;

  /** on(t, c) of §10.3: 1 if the tensor sits on core c. */
  const onCore = (name: string, core: number): LinearExpression => {
    const t = tensorModel(name);
    const sum = new LinearExpressionBuilder();
    t.tensor.placements.forEach((p, i) => {
      if (p.cores.includes(core)) sum.addExpression(t.placement.indicator(i));
    });
    return sum.build();
  };
  const candidateCores = (name: string): number[] => {
    const cores = new Set<number>();
    for (const p of tensorModel(name).tensor.placements) for (const c of p.cores) cores.add(c);
    return [...cores];
  };
  const levelExpression = (name: string): LinearExpression => {
    const t = tensorModel(name);
    const sum = new LinearExpressionBuilder();
    t.table.stops.forEach((s, i) => sum.addExpression(t.stop.indicator(i), s));
    return sum.build();
  };

  /** z[t, s] = 0 for s < level (§10.4.7). */
  const forbidStopsBelow = (name: string, level: number, rule: string, involvedCores: readonly number[]): void => {
    if (level < 0) return;
    const t = tensorModel(name);
    const current = minimumStops.get(name)!;
    if (level > current.level) minimumStops.set(name, { level, rule });
    const maxStop = t.table.stops[t.table.stops.length - 1]!;
    if (level > maxStop) {
      conflicts.push({
        family: 'reuse_rule',
        constraint: `min_stop[${name}]`,
        title: rule,
        explanation: `${name} must be reused at least up to level ${level}, but it only has levels up to ${maxStop}.`,
        cores: involvedCores,
        links: [],
      });
      return;
    }
    t.table.stops.forEach((s, i) => {
      if (s >= level) return;
      const v = t.stop.variable(i);
      if (v) model.tightenUpperBound(v, 0);
    });
  };

  // --- Routes y (§10.3) with route coherence (§10.4.2) -------------------------------------------------
  const transfers: TransferModel[] = [];
  for (const tr of problem.transfers) {
    const route = OneHotChoice.create(
      model,
      `y[${tr.name}]`,
      tr.routes.map((_route, i) => `${i}`),
    );
    const fraction = activeFraction(tr.loops);
    const inputBits = tensorModel(tr.inputs[0]!).tensor.bits;
    const rawCycles = tr.routes.map((r) =>
      r.linksUsed.length === 0 ? 0 : transferCycles(inputBits, Math.min(...r.linksUsed.map((l) => linkByIndex.get(l)!.bandwidth))),
    );
    transfers.push({ transfer: tr, route, fraction, rawCycles, activeCycles: rawCycles.map((R) => activeCycles(R, fraction)) });

    tr.routes.forEach((r, p) => {
      const y = route.indicator(p);
      const endpoint = (side: 'source' | 'target', tensorName: string, core: number): void =>
        addRow(
          'route_coherence',
          `route_${side}[${tr.name},${p},${tensorName},${core}]`,
          new LinearExpressionBuilder().addExpression(y).addExpression(onCore(tensorName, core), -1).build(),
          '<=',
          0,
          () => ({
            title: 'Route endpoint cannot hold the tensor',
            explanation: `${tr.name} must use a route whose ${side} Core ${core} never holds ${tensorName}.`,
            cores: [core],
            links: r.linksUsed,
          }),
        );
      for (const c of r.sources) for (const t of tr.inputs) endpoint('source', t, c);
      for (const c of r.targets) for (const t of tr.outputs) endpoint('target', t, c);
      if (r.linksUsed.length === 0) {
        const source = tr.inputs[0]!;
        for (const target of tr.outputs) {
          const common = candidateCores(source).filter((c) => candidateCores(target).includes(c));
          const colocated = new LinearExpressionBuilder();
          for (const c of common) colocated.addExpression(andIndicator(`coloc[${tr.name},${target},${c}]`, onCore(source, c), onCore(target, c)));
          addRow(
            'route_coherence',
            `route_colocated[${tr.name},${p},${target}]`,
            new LinearExpressionBuilder().addExpression(y).addExpression(colocated.build(), -1).build(),
            '<=',
            0,
            () => ({
              title: 'Empty route between cores that share no tensor',
              explanation: `${tr.name} needs ${source} and ${target} on a common core, but they have none.`,
              cores: common,
              links: [],
            }),
          );
        }
      }
    });
  }

  // --- Link contention (§10.4.3) ------------------------------------------------------------------------
  const transfersBySlot = new Map<number, TransferModel[]>();
  for (const t of transfers) {
    const list = transfersBySlot.get(t.transfer.slot) ?? [];
    list.push(t);
    transfersBySlot.set(t.transfer.slot, list);
  }
  const linkActivity = (link: number, slot: number): LinearExpression => {
    const sum = new LinearExpressionBuilder();
    for (const t of transfersBySlot.get(slot) ?? []) {
      t.transfer.routes.forEach((r, p) => {
        if (r.linksUsed.includes(link)) sum.addExpression(t.route.indicator(p));
      });
    }
    return sum.build();
  };
  const usedLinks: number[] = [];
  {
    const seen = new Set<number>();
    for (const t of transfers) for (const r of t.transfer.routes) for (const l of r.linksUsed) if (!seen.has(l)) {
      seen.add(l);
      usedLinks.push(l);
    }
  }
  for (const [slot, list] of [...transfersBySlot.entries()].sort((a, b) => a[0] - b[0])) {
    const linksInSlot = new Set<number>();
    for (const t of list) for (const r of t.transfer.routes) for (const l of r.linksUsed) linksInSlot.add(l);
    for (const link of linksInSlot) {
      addRow('link_contention', `link[${link},${slot}]`, linkActivity(link, slot), '<=', 1, () => ({
        title: 'Link over-subscribed',
        explanation: `${linkByIndex.get(link)!.label} carries more than one transfer in slot ${slot}: ${list
          .filter((t) => t.transfer.routes.some((r) => r.linksUsed.includes(link)))
          .map((t) => t.transfer.name)
          .join(', ')}.`,
        cores: [],
        links: [link],
      }));
    }
  }

  // --- Reuse-level rules (§10.4.7) ------------------------------------------------------------------------
  for (const t of transfers) {
    const tr = t.transfer;
    switch (tr.transferType) {
      case 'COMPUTE_TO_COMPUTE': {
        // Intermediates stay resident across the transfer's outermost irrelevant loop.
        const k = outermostIrrelevantIndex(reuseTable(tr.loops));
        for (const out of tr.outputs) forbidStopsBelow(out, k, 'Fused intermediate must stay resident', candidateCores(out));
        break;
      }
      case 'COMPUTE_TO_MEM': {
        for (const input of tr.inputs) {
          const k = outermostIrrelevantIndex(tensorModel(input).table);
          forbidStopsBelow(input, k, 'Output must stay resident', candidateCores(input));
        }
        const input = tensorModel(tr.inputs[0]!);
        for (const outName of tr.outputs) {
          const output = tensorModel(outName);
          const levels = new Set([...input.table.stops, ...output.table.stops]);
          for (const s of [...levels].sort((a, b) => a - b)) {
            const zIn = input.table.stops.indexOf(s);
            const zOut = output.table.stops.indexOf(s);
            const e = new LinearExpressionBuilder();
            if (zIn >= 0) e.addExpression(input.stop.indicator(zIn));
            if (zOut >= 0) e.addExpression(output.stop.indicator(zOut), -1);
            addRow('reuse_rule', `equal_stop[${tr.name},${outName},${s}]`, e.build(), '==', 0, () => ({
              title: 'No consistent reuse schedule',
              explanation: `${tr.name} moves ${input.tensor.name} to ${outName}; both must stop reuse at the same level, but level ${s} exists for only one of them.`,
              cores: [],
              links: [],
            }));
          }
        }
        break;
      }
      case 'MEM_TO_COMPUTE': {
        const inputLevel = levelExpression(tr.inputs[0]!);
        for (const out of tr.outputs) {
          addRow(
            'reuse_rule',
            `level_order[${tr.name},${out}]`,
            new LinearExpressionBuilder().addExpression(inputLevel).addExpression(levelExpression(out), -1).build(),
            '>=',
            0,
            () => ({
              title: 'No consistent reuse schedule',
              explanation: `${tr.name}: the source ${tr.inputs[0]} cannot be reused at least as long as ${out}.`,
              cores: [],
              links: [],
            }),
          );
        }
        break;
      }
      case 'MEM_TO_MEM':
        break;
    }
  }
  for (const tensor of problem.tensors) {
    const t = tensorModel(tensor.name);
    forbidStopsBelow(tensor.name, temporalInsideSpatialIndex(tensor.loops, t.table), 'Reuse must cover the spatial unrolling', candidateCores(tensor.name));
  }

  // --- Memory capacity (§10.4.4, Q58) ---------------------------------------------------------------------
  const memoryDemands: CoreMemoryDemand[] = [];
  if (selection.memoryCapacity) {
    const coresInOrder = [...problem.cores].sort((a, b) => a.id - b.id);
    for (const core of coresInOrder) {
      const load = new LinearExpressionBuilder();
      const terms: MemoryDemandTerm[] = [];
      for (const tensor of problem.tensors) {
        if (tensor.producer === 'in_edge') continue;
        const t = tensorModel(tensor.name);
        tensor.placements.forEach((placement, i) => {
          if (!placement.cores.includes(core.id)) return;
          t.table.stops.forEach((s, k) => {
            const tiles = t.table.tiles[k]!;
            const bits = Math.ceil(tiles * placement.tileBits);
            terms.push({ tensor: tensor.name, placement: i, stop: s, tiles, tileBits: placement.tileBits, bits });
            const indicator = andIndicator(`mem[${core.id},${tensor.name},${i},${s}]`, t.placement.indicator(i), t.stop.indicator(k));
            load.addExpression(indicator, bits);
          });
        });
      }
      if (terms.length === 0) continue;
      memoryDemands.push({ core, terms });
      addRow('memory_capacity', `memory[${core.id}]`, load.build(), '<=', core.capacityBits, () => ({
        title: 'Memory capacity exceeded',
        explanation: `the tensors fixed on ${coreLabel(core)} need more than its ${core.capacityBits} bits.`,
        cores: [core.id],
        links: [],
      }));
    }
  }

  // --- Slot latency (§10.4.6) ------------------------------------------------------------------------------
  const computeNodes: ComputeModel[] = problem.computeNodes.map((node) => {
    const fraction = activeFraction(node.loops);
    return { node, fraction, activeCycles: activeCycles(Math.ceil(node.lutLatency), fraction) };
  });
  let slotLatencyBound = 0;
  for (const c of computeNodes) slotLatencyBound = Math.max(slotLatencyBound, Math.ceil(c.node.lutLatency));
  for (const t of transfers) for (const R of t.rawCycles) slotLatencyBound = Math.max(slotLatencyBound, R);
  const U = Math.max(slotLatencyBound, 1);

  const slotLatency: Variable[] = [];
  for (let s = 0; s < problem.slotCount; s++) slotLatency.push(model.addInteger(`L[${s}]`));
  for (const c of computeNodes) {
    requireAtLeast('slot_latency', `compute[${c.node.name}]`, slotLatency[c.node.slot]!, {
      indices: [],
      coefficients: [],
      constant: c.activeCycles,
    });
  }
  for (const t of transfers) {
    const out = tensorModel(t.transfer.outputs[0]!);
    const L = slotLatency[t.transfer.slot]!;
    t.transfer.routes.forEach((_, p) => {
      const A = t.activeCycles[p]!;
      if (A === 0) return;
      const y = t.route.indicator(p);
      if (constantOf(y) === 0) return;
      // Amortised over the reuse of the output tile: Q = Σ_s z[t_out,s]·A/reuse[s] (exact division).
      const amortised = new LinearExpressionBuilder();
      out.table.stops.forEach((_s, k) => amortised.addExpression(out.stop.indicator(k), A / out.table.reuse[k]!));
      const Q = amortised.build();
      if (constantOf(y) === 1) {
        requireAtLeast('slot_latency', `transfer[${t.transfer.name},${p}]`, L, Q);
      } else {
        // Gated by the route choice: L ≥ Q − U·(1 − y) (the big-M form of L ≥ y·Q with Q ≤ U).
        model.addConstraint(
          `transfer[${t.transfer.name},${p}]`,
          new LinearExpressionBuilder().add(L).addExpression(Q, -1).addExpression(y, -U).build(),
          '>=',
          -U,
        );
      }
    });
  }

  // --- Overlap between iterations (§10.4.8) -----------------------------------------------------------------
  const overlap = model.addInteger('overlap');
  const overlapResources: OverlapResource[] = [];
  for (const link of usedLinks) {
    const activity: LinearExpression[] = [];
    for (let s = 0; s < problem.slotCount; s++) activity.push(linkActivity(link, s));
    overlapResources.push({ kind: 'link', id: link, label: linkByIndex.get(link)!.label, activity });
  }
  const computeCores: number[] = [];
  for (const c of problem.computeNodes) for (const core of c.cores) if (!computeCores.includes(core)) computeCores.push(core);
  for (const core of computeCores.sort((a, b) => a - b)) {
    const activity: LinearExpression[] = [];
    for (let s = 0; s < problem.slotCount; s++) {
      const busy = problem.computeNodes.some((n) => n.slot === s && n.cores.includes(core));
      activity.push(busy ? CONSTANT_ONE : CONSTANT_ZERO);
    }
    overlapResources.push({ kind: 'core', id: core, label: coreLabel(coreById.get(core)!), activity });
  }
  const bigM = problem.computeNodes.length + problem.transfers.length + 5;
  const idleTimesLatency = (name: string, idle: LinearExpression, s: number): LinearExpression => {
    const c = constantOf(idle);
    if (c === 0) return CONSTANT_ZERO;
    if (c === 1) return { indices: [slotLatency[s]!.index], coefficients: [1], constant: 0 };
    // P = idle·L_s; overlap only pushes P up, so the two upper bounds suffice.
    const P = model.addContinuous(name, 0, U);
    model.addConstraint(`${name}_le_L`, new LinearExpressionBuilder().add(P).add(slotLatency[s]!, -1).build(), '<=', 0);
    model.addConstraint(`${name}_le_idle`, new LinearExpressionBuilder().add(P).addExpression(idle, -U).build(), '<=', 0);
    return { indices: [P.index], coefficients: [1], constant: 0 };
  };
  for (const resource of overlapResources) {
    const key = `${resource.kind}${resource.id}`;
    const idle: LinearExpression[] = resource.activity.map((act, s) => {
      const c = constantOf(act);
      if (c !== undefined) return c > EPSILON ? CONSTANT_ZERO : CONSTANT_ONE;
      const v = model.addBinary(`idle[${key},${s}]`);
      // idle = 1 ⇔ activity = 0
      model.addConstraint(`idle_off[${key},${s}]`, new LinearExpressionBuilder().addExpression(act).add(v, bigM).build(), '<=', bigM);
      model.addConstraint(`idle_on[${key},${s}]`, new LinearExpressionBuilder().addExpression(act).add(v).build(), '>=', 1);
      return { indices: [v.index], coefficients: [1], constant: 0 };
    });
    const counted = selection.overlapModel === 'occupancy' ? idle : spanIndicators(model, key, idle);
    const idleLatency = new LinearExpressionBuilder();
    counted.forEach((ind, s) => idleLatency.addExpression(idleTimesLatency(`idleLat[${key},${s}]`, ind, s)));
    addRow(
      'overlap',
      `overlap_le_idle[${key}]`,
      new LinearExpressionBuilder().add(overlap).addExpression(idleLatency.build(), -1).build(),
      '<=',
      0,
      () => ({ title: 'Overlap bound', explanation: '', cores: [], links: [] }),
    );
  }
  const sumLatency = new LinearExpressionBuilder();
  for (const L of slotLatency) sumLatency.add(L);
  if (overlapResources.length === 0) {
    // Without any resource the overlap would be unbounded; no iteration can overlap more than itself.
    model.addConstraint('overlap_le_period', new LinearExpressionBuilder().add(overlap).addExpression(sumLatency.build(), -1).build(), '<=', 0);
  }
  const recurrence = problem.recurrenceBoundCycles ?? 0;
  if (recurrence > 0) {
    model.addConstraint(
      'overlap_recurrence',
      new LinearExpressionBuilder().add(overlap).addExpression(sumLatency.build(), -1).build(),
      '<=',
      -recurrence,
    );
  }

  // --- DMA accounting (§10.5) ---------------------------------------------------------------------------------
  const dma: DmaAccounting[] = [];
  let maxDmaIn: Variable | undefined;
  let maxDmaOut: Variable | undefined;
  if (selection.dmaChannels) {
    maxDmaIn = model.addInteger('maxCoreDmaIn');
    maxDmaOut = model.addInteger('maxCoreDmaOut');
    const candidate = new Set<number>();
    for (const t of problem.tensors) for (const p of t.placements) for (const c of p.cores) candidate.add(c);
    for (const coreId of [...candidate].sort((a, b) => a - b)) {
      const core = coreById.get(coreId)!;
      if (core.kind === 'offchip') continue;
      const dmaIn = new LinearExpressionBuilder();
      const dmaOut = new LinearExpressionBuilder();
      for (const tr of problem.transfers) {
        for (const out of tr.outputs) dmaIn.addExpression(onCore(out, coreId));
        for (const input of tr.inputs) dmaOut.addExpression(onCore(input, coreId));
      }
      const entry = { core, dmaIn: dmaIn.build(), dmaOut: dmaOut.build() };
      dma.push(entry);
      requireAtLeast('dma', `dma_in[${coreId}]`, maxDmaIn, entry.dmaIn);
      requireAtLeast('dma', `dma_out[${coreId}]`, maxDmaOut, entry.dmaOut);
    }
  }

  // --- Lexicographic objective (§10.7) -------------------------------------------------------------------------
  const latencyLevel = new LinearExpressionBuilder();
  for (const L of slotLatency) latencyLevel.add(L, N);
  latencyLevel.add(overlap, -(N - 1));
  if (maxDmaIn) latencyLevel.add(maxDmaIn);
  if (maxDmaOut) latencyLevel.add(maxDmaOut);
  model.addObjective(LEVEL_NAMES.latency, latencyLevel.build());
  const traffic = new LinearExpressionBuilder();
  const buffering = new LinearExpressionBuilder();
  for (const t of tensors.values()) {
    t.table.stops.forEach((_s, k) => {
      traffic.addExpression(t.stop.indicator(k), t.tensor.bits / t.table.reuse[k]!);
      buffering.addExpression(t.stop.indicator(k), t.table.tiles[k]!);
    });
  }
  model.addObjective(LEVEL_NAMES.offchipTraffic, traffic.build());
  model.addObjective(LEVEL_NAMES.buffering, buffering.build());

  return {
    problem,
    selection,
    program: model.toProgram(),
    tensors,
    transfers,
    computeNodes,
    slotLatency,
    overlap,
    ...(maxDmaIn ? { maxDmaIn } : {}),
    ...(maxDmaOut ? { maxDmaOut } : {}),
    dma,
    overlapResources,
    memoryDemands,
    slotLatencyBound,
    conflicts,
  };
}

/**
 * SPAN overlap model (§10.4.8): only idle slots before a resource's first activity or after its last
 * one count. `before[s]` may be 1 only if the resource is idle in every slot ≤ s, `after[s]` likewise
 * for slots ≥ s; a slot counts once even when both hold (a resource that is never active).
 */
function spanIndicators(model: SolverModel, key: string, idle: readonly LinearExpression[]): LinearExpression[] {
  const constants = idle.map(constantOf);
  if (constants.every((c) => c !== undefined)) {
    const active = constants.map((c) => c === 0);
    const first = active.indexOf(true);
    const last = active.lastIndexOf(true);
    return idle.map((_, s) => (first < 0 || s < first || s > last ? CONSTANT_ONE : CONSTANT_ZERO));
  }
  const chain = (order: readonly number[], tag: string): Variable[] => {
    const vars: Variable[] = [];
    order.forEach((s, i) => {
      const v = model.addBinary(`${tag}[${key},${s}]`);
      model.addConstraint(`${tag}_idle[${key},${s}]`, new LinearExpressionBuilder().add(v).addExpression(idle[s]!, -1).build(), '<=', 0);
      if (i > 0) model.addConstraint(`${tag}_chain[${key},${s}]`, new LinearExpressionBuilder().add(v).add(vars[i - 1]!, -1).build(), '<=', 0);
      vars.push(v);
    });
    return vars;
  };
  const slots = idle.map((_, s) => s);
  const before = chain(slots, 'before');
  const after = chain([...slots].reverse(), 'after').reverse();
  return slots.map((s) => {
    const w = model.addBinary(`span[${key},${s}]`);
    model.addConstraint(`span_le[${key},${s}]`, new LinearExpressionBuilder().add(w).add(before[s]!, -1).add(after[s]!, -1).build(), '<=', 0);
    return { indices: [w.index], coefficients: [1], constant: 0 };
  });
}
