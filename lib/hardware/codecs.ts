/**
 * Schemas of the hardware YAML files (reference-surface §1.1, §1.2), as io-ts codecs. They check shape
 * and field types only; cross-field rules live in the validators (`core.ts`, `accelerator.ts`).
 */
import * as t from 'io-ts';
import {
  bool,
  int,
  listOf,
  mapOf,
  matching,
  nonNegInt,
  nullable,
  num,
  oneOf,
  str,
  strictObject,
} from '../common/codecs';

// ---------------------------------------------------------------------------------------------
// Core files: `zigzag.*` (ZigZag 3.8.5's schema plus Stream's `type`)

const operandName = matching(/^(I[12]|O)$/, "an operand ('I1', 'I2' or 'O')");
const arrayDimension = matching(/^D\d$/, "an array dimension 'D<digit>'");
const portName = matching(/^r?w?_port_\d+$/, "a port name like 'r_port_1', 'w_port_1' or 'rw_port_1'");
const portAllocation = matching(/^(I[12]|O), (fh|tl|fl|th)$/, "an allocation '<I1|I2|O>, <fh|tl|fl|th>'");
const dataflowLoop = matching(/^[A-Z]+, [0-9]+$/, "a dataflow entry '<LOOP>, <int>' such as 'K, 16'");

export const portCodec = strictObject(
  'a port map',
  {
    name: portName,
    type: oneOf(['read', 'write', 'read_write'] as const),
    bandwidth_min: int,
    bandwidth_max: int,
    allocation: listOf(portAllocation),
  },
  {},
);

export const memoryCodec = strictObject(
  'a memory map',
  {
    size: int,
    latency: int,
    operands: listOf(operandName),
    ports: listOf(portCodec),
    served_dimensions: listOf(arrayDimension),
  },
  {
    r_cost: nullable(num),
    w_cost: nullable(num),
    area: nullable(num),
    mem_type: str,
    auto_cost_extraction: bool,
    force_double_buffering: bool,
  },
);

export const operationalArrayCodec = strictObject(
  'an operational_array map',
  {
    dimensions: listOf(arrayDimension),
    sizes: listOf(nonNegInt),
  },
  {
    unit_energy: num,
    unit_area: num,
    is_imc: bool,
    input_precision: listOf(int, { minLength: 2, maxLength: 2 }),
    imc_type: nullable(oneOf(['analog', 'digital'] as const)),
    adc_resolution: num,
    bit_serial_precision: nullable(num),
  },
);

export const dataflowsCodec = strictObject(
  'a dataflows map',
  { D1: listOf(dataflowLoop) },
  { D2: listOf(dataflowLoop), D3: listOf(dataflowLoop), D4: listOf(dataflowLoop) },
);

export const zigzagCoreCodec = strictObject(
  'a core map',
  {
    name: str,
    memories: mapOf(memoryCodec),
    operational_array: operationalArrayCodec,
  },
  {
    type: str,
    dataflows: dataflowsCodec,
  },
);
export type ZigzagCoreYaml = t.TypeOf<typeof zigzagCoreCodec>;
export type MemoryYaml = t.TypeOf<typeof memoryCodec>;

// ---------------------------------------------------------------------------------------------
// Core files: `aie2.*`

const aieMemoryCodec = strictObject(
  'a memory map',
  { capacity: nonNegInt, bandwidth_min: nonNegInt, bandwidth_max: nonNegInt },
  {},
);

const aieRequired = {
  name: str,
  max_object_fifo_depth: matchingInt(1),
  memory: aieMemoryCodec,
};

/** `utilization` is only allowed on compute tiles; elsewhere it is an unknown field. */
export const aie2ComputeCoreCodec = strictObject('a core map', aieRequired, { type: str, utilization: num });
export const aie2OtherCoreCodec = strictObject('a core map', aieRequired, { type: str });
export type Aie2CoreYaml = t.TypeOf<typeof aie2ComputeCoreCodec>;

function matchingInt(min: number): t.Type<number, number, unknown> {
  return new t.Type<number, number, unknown>(
    `an integer ≥ ${min}`,
    (u): u is number => Number.isInteger(u) && (u as number) >= min,
    (u, c) => (Number.isInteger(u) && (u as number) >= min ? t.success(u as number) : t.failure(u, c)),
    t.identity,
  );
}

// Stream's extension fields, allowed on every core type (validated apart from the namespace schema).
export const operatorTypesCodec = listOf(str);
export const operandPrecisionCodec = mapOf(str);

// ---------------------------------------------------------------------------------------------
// Accelerator files

/** Relative file reference: optional `./`, `dir/` segments and a stem of `[A-Za-z0-9_-]`, optional extension. */
export const CORE_REFERENCE_PATTERN = /^(\.\/)?([A-Za-z0-9_-]+\/)*[A-Za-z0-9_-]+(\.ya?ml)?$/;
export const coreReferenceCodec = matching(
  CORE_REFERENCE_PATTERN,
  'a core file reference (letters, digits, _ and -, optional ./ and dir/ prefixes, optional .yaml/.yml)',
);

export const connectionCodec = strictObject(
  'a connection map',
  {
    cores: listOf(nonNegInt, { minLength: 2 }),
    // Sign rules (> 0, ≥ 0) are semantic checks with the reference's own messages.
    bandwidth: num,
  },
  {
    type: oneOf(['link', 'bus'] as const),
    unit_energy_cost: num,
  },
);
export type ConnectionYaml = t.TypeOf<typeof connectionCodec>;

export const MEMORY_SHARING_PATTERN = /^\d+(\s*,\s*\d+)+$/;
export const memorySharingGroupCodec = matching(MEMORY_SHARING_PATTERN, "a list of core ids like '0, 1'");

export const coordinatesCodec = listOf(int, { minLength: 2, maxLength: 2 });

export const MEMORY_ALIAS_PATTERN = /^\d+\.[A-Za-z0-9_-]+$/;
export const memoryAliasesCodec = listOf(
  listOf(matching(MEMORY_ALIAS_PATTERN, "a memory reference '<core id>.<memory name>'"), { minLength: 2 }),
);

/** Top-level fields, each decoded on its own so that one bad field does not hide the others' problems. */
export const ACCELERATOR_FIELDS = [
  'name',
  'cores',
  'offchip_core_id',
  'unit_energy_cost',
  'core_connectivity',
  'core_memory_sharing',
  'core_coordinates',
  'technology_node',
  'memory_aliases',
] as const;
export const REQUIRED_ACCELERATOR_FIELDS: readonly string[] = ['name', 'cores', 'offchip_core_id', 'core_connectivity'];
