/**
 * AcceleratorIR (reference-surface §5.2): the cores of the core graph with their kind-specific hardware
 * description, and the connectivity (each bus once, each link once per direction); plus the hardware
 * and compiler views.
 *
 * Version 1.1 = the reference's 1.0 with the Q43 fix (`row_id`/`col_id` nullable, so hardware without
 * full `core_coordinates` has an IR) and the Q45 fix of the `utilization` description (a percentage).
 */
import * as t from 'io-ts';
import { Accelerator, Core, MemorySpec, ZigzagCoreSpec } from '../hardware/model';
import { described, finiteNumber, nonNegativeInteger, nonNegativeNumber, nullable, oneOfLiterals } from './codec-kit';

export const ACCELERATOR_IR_SCHEMA_VERSION = '1.1';
export const ACCELERATOR_IR_ID = 'stream/accelerator_ir/v1';

const schemaVersion = described(t.literal(ACCELERATOR_IR_SCHEMA_VERSION), 'AcceleratorIR schema version (minor bump = fields added).');

const bandwidthsPerOperand = described(
  t.record(t.string, t.record(t.string, nonNegativeNumber)),
  'Memory operand (I1, I2, O) → port direction (fh = write from higher level, tl = read to lower, fl = write from lower, th = read to higher) → bits/cycle.',
);

export const MemoryLevelIRCodec = t.strict({
  name: t.string,
  size_bits: nonNegativeNumber,
  read_cost: described(finiteNumber, 'Energy per read access of one port word.'),
  write_cost: described(finiteNumber, 'Energy per write access of one port word.'),
  area: finiteNumber,
  latency: finiteNumber,
  operands: t.array(t.string),
  level_per_operand: described(t.record(t.string, nonNegativeInteger), 'Memory operand → level of this memory in that operand’s hierarchy (0 = innermost).'),
  served_dimensions: described(t.array(t.string), 'Operational-array dimensions this memory spans.'),
  bandwidths_max: bandwidthsPerOperand,
  bandwidths_min: bandwidthsPerOperand,
});

export const ZigzagCoreExtraIRCodec = t.strict({
  operational_array: t.strict({
    dimension_sizes: described(t.record(t.string, nonNegativeInteger), 'Array dimension (D1, D2, ...) → size.'),
    total_unit_count: nonNegativeInteger,
    unit_energy_cost: finiteNumber,
    unit_area: finiteNumber,
  }),
  memory_hierarchy: described(t.array(MemoryLevelIRCodec), 'Memory levels in topological order (innermost first, the core file’s order).'),
  dataflows: described(nullable(t.record(t.string, t.array(t.string))), 'Legacy named-loop dataflows, or null.'),
});

export const AieCoreExtraIRCodec = t.strict({
  memory: t.strict({ capacity_bits: nonNegativeNumber, bandwidth_min: nonNegativeNumber, bandwidth_max: nonNegativeNumber }),
  max_object_fifo_depth: nonNegativeInteger,
});

export const CoreIRCodec = t.strict({
  id: nonNegativeInteger,
  name: t.string,
  core_type: described(t.string, "'<namespace>.<kind>', e.g. 'zigzag.compute'."),
  type: described(oneOfLiterals(['compute', 'memory', 'shim', 'offchip']), 'Core kind.'),
  row_id: described(nullable(nonNegativeInteger), 'Row from core_coordinates; null when the hardware gives no coordinates.'),
  col_id: described(nullable(nonNegativeInteger), 'Column from core_coordinates; null when the hardware gives no coordinates.'),
  utilization: described(
    nonNegativeNumber,
    'Declared compute utilisation as a percentage (100 = full); ZigZag cores declare none and report 100.',
  ),
  extra_fields: described(t.union([ZigzagCoreExtraIRCodec, AieCoreExtraIRCodec]), 'Namespace-specific description: ZigZag array and memory hierarchy, or AIE tile memory.'),
});

export const BusIRCodec = t.strict({
  type: t.literal('bus'),
  cores: described(t.array(nonNegativeInteger), 'Member core ids, ascending.'),
  bandwidth: described(nonNegativeNumber, 'Bits per cycle, shared by all members.'),
  unit_energy_cost: finiteNumber,
});

export const LinkIRCodec = t.strict({
  type: t.literal('link'),
  from_core: nonNegativeInteger,
  to_core: nonNegativeInteger,
  bandwidth: described(nonNegativeNumber, 'Bits per cycle of this direction.'),
  unit_energy_cost: finiteNumber,
});

export const ConnectionIRCodec = t.union([BusIRCodec, LinkIRCodec]);

const hardwareParts = {
  name: t.string,
  num_cores: described(nonNegativeInteger, 'Cores of the core graph (cores in no connection are dropped).'),
};
const coreParts = {
  cores: described(t.array(CoreIRCodec), 'Cores in core-graph order.'),
  core_connectivity: described(t.array(ConnectionIRCodec), 'Each bus once; each link once per direction, as the core graph uses them.'),
};

export const AcceleratorIRCodec = t.strict({
  schema_version: schemaVersion,
  ...hardwareParts,
  offchip_core_id: nonNegativeInteger,
  nb_shared_mem_groups: nonNegativeInteger,
  ...coreParts,
});

export const AcceleratorHardwareViewCodec = t.strict({ schema_version: schemaVersion, ...hardwareParts, ...coreParts });
export const AcceleratorCompilerViewCodec = t.strict({ schema_version: schemaVersion, name: t.string, ...coreParts });

export type MemoryLevelIR = t.TypeOf<typeof MemoryLevelIRCodec>;
export type CoreIR = t.TypeOf<typeof CoreIRCodec>;
export type ConnectionIR = t.TypeOf<typeof ConnectionIRCodec>;
export type AcceleratorIR = t.TypeOf<typeof AcceleratorIRCodec>;
export type AcceleratorHardwareView = t.TypeOf<typeof AcceleratorHardwareViewCodec>;
export type AcceleratorCompilerView = t.TypeOf<typeof AcceleratorCompilerViewCodec>;

export const ACCELERATOR_VIEWS = ['hardware', 'compiler'] as const;
export type AcceleratorViewName = (typeof ACCELERATOR_VIEWS)[number];

/** ZigZag cores have no declared utilisation; the reference reports the full array. */
const FULL_UTILIZATION_PERCENT = 100;

function bandwidths(memory: MemorySpec, pick: 'bandwidthMin' | 'bandwidthMax'): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const port of memory.ports) {
    for (const a of port.allocation) (out[a.operand] ??= {})[a.direction] = port[pick];
  }
  return out;
}

function memoryHierarchy(spec: ZigzagCoreSpec): MemoryLevelIR[] {
  const levelsSoFar = new Map<string, number>();
  return spec.memories.map((m) => {
    const level_per_operand: Record<string, number> = {};
    for (const op of m.operands) {
      level_per_operand[op] = levelsSoFar.get(op) ?? 0;
      levelsSoFar.set(op, level_per_operand[op] + 1);
    }
    return {
      name: m.name,
      size_bits: m.size,
      read_cost: m.rCost,
      write_cost: m.wCost,
      area: m.area,
      latency: m.latency,
      operands: [...m.operands],
      level_per_operand,
      served_dimensions: [...m.servedDimensions],
      bandwidths_max: bandwidths(m, 'bandwidthMax'),
      bandwidths_min: bandwidths(m, 'bandwidthMin'),
    };
  });
}

function coreIR(core: Core): CoreIR {
  const spec = core.spec;
  const extra: CoreIR['extra_fields'] =
    spec.namespace === 'zigzag'
      ? {
          operational_array: {
            dimension_sizes: Object.fromEntries(spec.operationalArray.dimensions.map((d, i) => [d, spec.operationalArray.sizes[i]])),
            total_unit_count: spec.operationalArray.sizes.reduce((p, s) => p * s, 1),
            unit_energy_cost: spec.operationalArray.unitEnergy,
            unit_area: spec.operationalArray.unitArea,
          },
          memory_hierarchy: memoryHierarchy(spec),
          dataflows: spec.dataflows ? Object.fromEntries(Object.entries(spec.dataflows).map(([d, loops]) => [d, [...loops]])) : null,
        }
      : {
          memory: { capacity_bits: spec.memory.capacity, bandwidth_min: spec.memory.bandwidthMin, bandwidth_max: spec.memory.bandwidthMax },
          max_object_fifo_depth: spec.maxObjectFifoDepth,
        };
  return {
    id: core.id,
    name: spec.name,
    core_type: core.coreType,
    type: spec.kind,
    row_id: core.row ?? null,
    col_id: core.col ?? null,
    utilization: spec.namespace === 'aie2' ? spec.utilization : FULL_UTILIZATION_PERCENT,
    extra_fields: extra,
  };
}

/** The physical links the core graph uses, in the order its edges first use them. */
function connectivity(accelerator: Accelerator): ConnectionIR[] {
  const used = [...new Set(accelerator.edges.map((e) => e.link))];
  return used.map((index): ConnectionIR => {
    const link = accelerator.links[index];
    if (link.kind === 'bus') {
      return { type: 'bus', cores: [...link.cores].sort((a, b) => a - b), bandwidth: link.bandwidth, unit_energy_cost: link.unitEnergyCost };
    }
    return {
      type: 'link',
      from_core: link.sender ?? link.cores[0],
      to_core: link.receiver ?? link.cores[1],
      bandwidth: link.bandwidth,
      unit_energy_cost: link.unitEnergyCost,
    };
  });
}

export function acceleratorIR(accelerator: Accelerator): AcceleratorIR {
  return {
    schema_version: ACCELERATOR_IR_SCHEMA_VERSION,
    name: accelerator.name,
    num_cores: accelerator.cores.length,
    offchip_core_id: accelerator.offchipCoreId,
    nb_shared_mem_groups: accelerator.nbSharedMemGroups,
    cores: accelerator.cores.map(coreIR),
    core_connectivity: connectivity(accelerator),
  };
}

export function acceleratorHardwareView(ir: AcceleratorIR): AcceleratorHardwareView {
  const { schema_version, name, num_cores, cores, core_connectivity } = ir;
  return { schema_version, name, num_cores, cores, core_connectivity };
}

export function acceleratorCompilerView(ir: AcceleratorIR): AcceleratorCompilerView {
  const { schema_version, name, cores, core_connectivity } = ir;
  return { schema_version, name, cores, core_connectivity };
}

export function acceleratorView(ir: AcceleratorIR, view: AcceleratorViewName): AcceleratorHardwareView | AcceleratorCompilerView {
  return view === 'hardware' ? acceleratorHardwareView(ir) : acceleratorCompilerView(ir);
}
