/**
 * Core files (reference-surface §1.2): type normalisation, the `zigzag.*` and `aie2.*` schemas with
 * their semantic checks, and Stream's extension fields. Produces the immutable `CoreSpec` of `model.ts`.
 */
import * as path from 'path';
import { Either, isLeft, left, right } from 'fp-ts/Either';
import { decodeWith } from '../common/codecs';
import { InputIssue } from '../common/errors';
import { FieldPath, IssueCollector, SourceMap, readYamlFile } from '../common/yaml';
import {
  Aie2CoreYaml,
  MemoryYaml,
  ZigzagCoreYaml,
  aie2ComputeCoreCodec,
  aie2OtherCoreCodec,
  operandPrecisionCodec,
  operatorTypesCodec,
  zigzagCoreCodec,
} from './codecs';
import {
  Aie2CoreSpec,
  CoreKind,
  CoreNamespace,
  CoreSpec,
  MemoryOperand,
  MemoryPort,
  MemorySpec,
  PortAllocation,
  PortDirection,
  ZigzagCoreSpec,
} from './model';

export const CORE_NAMESPACES: readonly CoreNamespace[] = ['zigzag', 'aie2'];
export const CORE_KINDS: readonly CoreKind[] = ['compute', 'memory', 'shim', 'offchip'];
export const SUPPORTED_CORE_TYPES: readonly string[] = CORE_NAMESPACES.flatMap((ns) => CORE_KINDS.map((k) => `${ns}.${k}`)).sort();

/** Fields Stream adds on top of every namespace schema; validated separately and put back afterwards. */
const EXTENSION_FIELDS = ['operator_types', 'operand_precision'] as const;

/**
 * Missing `type` → `zigzag.compute`; a bare kind → `zigzag.<kind>`. Anything else is returned as written
 * (an AIE file that forgets `type` is thus validated as a ZigZag core, as in the reference).
 */
export function normaliseCoreType(rawType: unknown): string {
  if (rawType === undefined || rawType === null) return 'zigzag.compute';
  const text = String(rawType);
  return (CORE_KINDS as readonly string[]).includes(text) ? `zigzag.${text}` : text;
}

/** Splits a normalised type into namespace and kind when it is one of the supported types. */
export function parseCoreType(type: string): { namespace: CoreNamespace; kind: CoreKind } | undefined {
  if (!SUPPORTED_CORE_TYPES.includes(type)) return undefined;
  const [namespace, kind] = type.split('.') as [CoreNamespace, CoreKind];
  return { namespace, kind };
}

export interface CoreParseOptions {
  /** Positions of the document the data came from (a core file, or the accelerator file for inline cores). */
  readonly sourceMap?: SourceMap;
  /** Where the core sits in that document, e.g. `['cores', 3]` for an inline core. */
  readonly basePath?: FieldPath;
  /** How messages name the core: the file reference, or `core <id>` for an inline core. */
  readonly label?: string;
}

export interface ParsedCore {
  readonly spec: CoreSpec;
  readonly warnings: readonly InputIssue[];
}

/** Validates one core description and builds its `CoreSpec`, keeping warnings (Q7, Q66) separate. */
export function parseCoreSpecDetailed(data: unknown, file: string, options: CoreParseOptions = {}): Either<InputIssue[], ParsedCore> {
  const basePath = options.basePath ?? [];
  const collector = new IssueCollector(file, options.sourceMap);
  const label = options.label ?? file;

  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    collector.error(basePath, `a core description must be a map, got ${data === null ? 'an empty document' : Array.isArray(data) ? 'a list' : typeof data}`);
    return left([...collector.issues]);
  }
  const raw = data as Record<string, unknown>;

  if (raw.type !== undefined && typeof raw.type !== 'string') {
    collector.error([...basePath, 'type'], `expected a string, got ${typeof raw.type}`);
    return left([...collector.issues]);
  }
  const coreType = normaliseCoreType(raw.type);
  const parsedType = parseCoreType(coreType);
  if (!parsedType) {
    collector.error(
      [...basePath, 'type'],
      `Core '${label}' has unsupported type '${coreType}'. Supported types: ${SUPPORTED_CORE_TYPES.join(', ')}`,
    );
    return left([...collector.issues]);
  }

  const schemaPart: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(EXTENSION_FIELDS as readonly string[]).includes(key)) schemaPart[key] = value;
  }
  const extensions = decodeExtensions(raw, file, options.sourceMap, basePath);

  const body =
    parsedType.namespace === 'zigzag'
      ? buildZigzagCore(schemaPart, parsedType.kind, file, options, collector)
      : buildAie2Core(schemaPart, parsedType.kind, file, options, collector);

  if (isLeft(extensions)) collector.add(extensions.left);
  if (collector.hasErrors() || body === undefined || isLeft(extensions)) return left([...collector.errors]);

  const spec: CoreSpec = {
    ...body,
    ...(extensions.right.operatorTypes ? { operatorTypes: extensions.right.operatorTypes } : {}),
    ...(extensions.right.operandPrecision ? { operandPrecision: extensions.right.operandPrecision } : {}),
  };
  return right({ spec, warnings: collector.warnings });
}

export function parseCoreSpec(data: unknown, file: string, sourceMap?: SourceMap, basePath: FieldPath = []): Either<InputIssue[], CoreSpec> {
  const parsed = parseCoreSpecDetailed(data, file, { sourceMap, basePath });
  return isLeft(parsed) ? parsed : right(parsed.right.spec);
}

/** Reads a core file; the label in messages is the file name. */
export function loadCoreFileDetailed(file: string, label: string = path.basename(file)): Either<InputIssue[], ParsedCore> {
  const parsed = readYamlFile(file);
  if (isLeft(parsed)) return parsed;
  const core = parseCoreSpecDetailed(parsed.right.value, file, { sourceMap: parsed.right.sourceMap, label });
  const yamlIssues = parsed.right.issues;
  if (yamlIssues.length === 0) return core;
  return left([...yamlIssues, ...(isLeft(core) ? core.left : [])]);
}

export function loadCoreFile(file: string): Either<InputIssue[], CoreSpec> {
  const parsed = loadCoreFileDetailed(file);
  return isLeft(parsed) ? parsed : right(parsed.right.spec);
}

// ---------------------------------------------------------------------------------------------

interface Extensions {
  readonly operatorTypes?: readonly string[];
  readonly operandPrecision?: Readonly<Record<string, string>>;
}

function decodeExtensions(raw: Record<string, unknown>, file: string, sourceMap: SourceMap | undefined, basePath: FieldPath): Either<InputIssue[], Extensions> {
  const issues: InputIssue[] = [];
  let operatorTypes: readonly string[] | undefined;
  let operandPrecision: Readonly<Record<string, string>> | undefined;
  if (raw.operator_types !== undefined) {
    const r = decodeWith(operatorTypesCodec, raw.operator_types, file, sourceMap, [...basePath, 'operator_types']);
    if (isLeft(r)) issues.push(...r.left);
    else operatorTypes = r.right;
  }
  if (raw.operand_precision !== undefined) {
    const r = decodeWith(operandPrecisionCodec, raw.operand_precision, file, sourceMap, [...basePath, 'operand_precision']);
    if (isLeft(r)) issues.push(...r.left);
    else operandPrecision = r.right;
  }
  return issues.length ? left(issues) : right({ operatorTypes, operandPrecision });
}

type CoreBody = Omit<ZigzagCoreSpec, 'operatorTypes' | 'operandPrecision'> | Omit<Aie2CoreSpec, 'operatorTypes' | 'operandPrecision'>;

const READ_DIRECTIONS: readonly PortDirection[] = ['tl', 'th'];
const WRITE_DIRECTIONS: readonly PortDirection[] = ['fh', 'fl'];

function buildZigzagCore(
  data: Record<string, unknown>,
  kind: CoreKind,
  file: string,
  options: CoreParseOptions,
  collector: IssueCollector,
): CoreBody | undefined {
  const basePath = options.basePath ?? [];
  const decoded = decodeWith(zigzagCoreCodec, data, file, options.sourceMap, basePath);
  if (isLeft(decoded)) {
    collector.add(decoded.left);
    return undefined;
  }
  const core: ZigzagCoreYaml = decoded.right;
  const array = core.operational_array;
  const arrayPath = [...basePath, 'operational_array'];

  if (array.dimensions.length !== array.sizes.length) collector.error(arrayPath, 'Core dimensions and sizes do not match.');
  const isImc = array.is_imc ?? false;
  if (isImc) {
    // The IMC cost model of ZigZag is not part of this port; no shipped core uses it.
    collector.error([...arrayPath, 'is_imc'], 'in-memory-computing (IMC) operational arrays are not supported by this port');
  } else {
    const imcFields: string[] = [];
    if (array.imc_type !== undefined && array.imc_type !== null) imcFields.push('imc_type');
    if (array.adc_resolution !== undefined && array.adc_resolution !== 0) imcFields.push('adc_resolution');
    if (array.bit_serial_precision !== undefined && array.bit_serial_precision !== null) imcFields.push('bit_serial_precision');
    for (const field of imcFields) collector.error([...arrayPath, field], `${field} must be unset for a non-IMC operational array`);
  }

  // File order defines ZigZag's memory levels; ask the document when it is available.
  const documentOrder = options.sourceMap?.keyOrder([...basePath, 'memories']);
  const memoryNames =
    documentOrder && documentOrder.length === Object.keys(core.memories).length ? documentOrder : Object.keys(core.memories);
  const memories = memoryNames.map((name) =>
    buildMemory(name, core.memories[name], array.dimensions, [...basePath, 'memories', name], collector),
  );

  if (core.dataflows !== undefined) {
    // Q66: legacy named loops can never name Stream's D<n> dims, so ZigZag drops them.
    collector.warning(
      [...basePath, 'dataflows'],
      `dataflows name loops ('${core.dataflows.D1.join("', '")}') that no Stream layer dimension (D<n>) matches; ` +
        `the reference ignores them and this core then unrolls nothing spatially (a single PE)`,
    );
  }

  return {
    namespace: 'zigzag',
    kind,
    name: core.name,
    memories,
    operationalArray: {
      dimensions: array.dimensions,
      sizes: array.sizes,
      unitEnergy: array.unit_energy ?? 0,
      unitArea: array.unit_area ?? 0,
      isImc,
      ...(array.input_precision ? { inputPrecision: [array.input_precision[0], array.input_precision[1]] as const } : {}),
    },
    ...(core.dataflows ? { dataflows: dataflowsRecord(core.dataflows) } : {}),
  };
}

function dataflowsRecord(dataflows: NonNullable<ZigzagCoreYaml['dataflows']>): Readonly<Record<string, readonly string[]>> {
  const out: Record<string, readonly string[]> = {};
  for (const [dim, loops] of Object.entries(dataflows)) if (loops !== undefined) out[dim] = loops;
  return out;
}

function buildMemory(
  name: string,
  memory: MemoryYaml,
  arrayDimensions: readonly string[],
  memoryPath: FieldPath,
  collector: IssueCollector,
): MemorySpec {
  const autoCost = memory.auto_cost_extraction ?? false;
  const costs = { r_cost: memory.r_cost, w_cost: memory.w_cost, area: memory.area };
  for (const [field, value] of Object.entries(costs)) {
    if (value === undefined || value === null) {
      if (autoCost) {
        // The reference would run CACTI here; this port has no CACTI.
        collector.error([...memoryPath, field], `${field} of ${name} is missing; auto_cost_extraction (CACTI) is not available in this port, give ${field} explicitly.`);
      } else {
        collector.error([...memoryPath, field], `${field} of ${name} is missing, and is not automatically extracted using CACTI.`);
      }
    }
  }
  if (autoCost) {
    if (memory.size % 8 !== 0) collector.error([...memoryPath, 'size'], `Memory size of ${name} must be a multiple of 8 when automatically extracting costs using CACTI.`);
    collector.warning([...memoryPath, 'auto_cost_extraction'], `auto_cost_extraction is set on ${name}, but CACTI is not available in this port; the given costs are used.`);
  }
  memory.served_dimensions.forEach((dim, i) => {
    if (!arrayDimensions.includes(dim)) collector.error([...memoryPath, 'served_dimensions', i], `Invalid served dimension ${dim} in memory ${name}`);
  });

  const ports: MemoryPort[] = memory.ports.map((port, p) => {
    const portPath = [...memoryPath, 'ports', p];
    const allocation: PortAllocation[] = port.allocation.map((entry) => {
      const [operand, direction] = entry.split(', ') as [MemoryOperand, PortDirection];
      return { operand, direction };
    });
    if (port.type === 'read' && allocation.some((a) => WRITE_DIRECTIONS.includes(a.direction))) {
      collector.error([...portPath, 'allocation'], `Read port given for write direction in ${name}`);
    }
    if (port.type === 'write' && allocation.some((a) => READ_DIRECTIONS.includes(a.direction))) {
      collector.error([...portPath, 'allocation'], `Write port given for read direction in ${name}`);
    }
    if (port.bandwidth_min > port.bandwidth_max) {
      collector.error([...portPath, 'bandwidth_min'], `Minimum bandwidth is greater than maximum bandwidth in ${name}`);
    }
    return { name: port.name, type: port.type, bandwidthMin: port.bandwidth_min, bandwidthMax: port.bandwidth_max, allocation };
  });

  return {
    name,
    size: memory.size,
    rCost: memory.r_cost ?? 0,
    wCost: memory.w_cost ?? 0,
    area: memory.area ?? 0,
    latency: memory.latency,
    memType: memory.mem_type ?? 'sram',
    autoCostExtraction: autoCost,
    operands: memory.operands as readonly MemoryOperand[],
    ports,
    servedDimensions: memory.served_dimensions,
    forceDoubleBuffering: memory.force_double_buffering ?? false,
  };
}

function buildAie2Core(
  data: Record<string, unknown>,
  kind: CoreKind,
  file: string,
  options: CoreParseOptions,
  collector: IssueCollector,
): CoreBody | undefined {
  const basePath = options.basePath ?? [];
  const codec = kind === 'compute' ? aie2ComputeCoreCodec : aie2OtherCoreCodec;
  const decoded = decodeWith(codec, data, file, options.sourceMap, basePath);
  if (isLeft(decoded)) {
    collector.add(
      decoded.left.map((i) =>
        i.message.startsWith("unknown field 'utilization'") ? { ...i, message: `utilization is only allowed on aie2.compute cores (this core is aie2.${kind})` } : i,
      ),
    );
    return undefined;
  }
  const core: Aie2CoreYaml = decoded.right;
  const utilization = core.utilization ?? 100;
  if (utilization !== 100) {
    // Q7: carried into the IR, but the AIE cost model uses the mapping kernel's utilisation.
    collector.warning(
      [...basePath, 'utilization'],
      `utilization ${utilization} of core '${core.name}' has no effect on latency: the AIE cost model uses the mapping kernel's utilization`,
    );
  }
  return {
    namespace: 'aie2',
    kind,
    name: core.name,
    maxObjectFifoDepth: core.max_object_fifo_depth,
    memory: {
      capacity: core.memory.capacity,
      bandwidthMin: core.memory.bandwidth_min,
      bandwidthMax: core.memory.bandwidth_max,
    },
    utilization,
  };
}
