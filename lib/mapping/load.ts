/**
 * Mapping files (reference-surface §1.3 with the §10.3 recommendations): root forms, layer entries,
 * fused groups, runtime args and kernels. All problems are accumulated; legacy shapes (Q31) are named
 * as such instead of drowning in schema errors.
 */
import * as path from 'path';
import { Either, isLeft, left, right } from 'fp-ts/Either';
import { decodeWith } from '../common/codecs';
import { InputIssue } from '../common/errors';
import { FieldPath, IssueCollector, SourceMap, formatPath, readYamlFile } from '../common/yaml';
import {
  AFFINE_MAP_PATTERN,
  FUSED_GROUP_FIELDS,
  LAYER_ENTRY_FIELDS,
  LOCAL_DIM_PATTERN,
  QUALIFIED_DIM_PATTERN,
  coreGroupCodec,
  kernelCodec,
  runtimeArgCodec,
} from './codecs';
import { FusedGroupSpec, InterCoreSplit, IntraCoreTile, KernelSpec, LayerEntry, MappingSpec, RuntimeArg, SourceLocation } from './model';

export interface LoadedMapping {
  readonly mapping: MappingSpec;
  readonly warnings: readonly InputIssue[];
}

export function loadMapping(file: string): Either<InputIssue[], MappingSpec> {
  const loaded = loadMappingDetailed(file);
  return isLeft(loaded) ? loaded : right(loaded.right.mapping);
}

export function loadMappingDetailed(file: string): Either<InputIssue[], LoadedMapping> {
  const absolute = path.resolve(file);
  const parsed = readYamlFile(absolute);
  if (isLeft(parsed)) return parsed;
  const loaded = parseMapping(parsed.right.value, absolute, parsed.right.sourceMap, absolute);
  const yamlIssues = parsed.right.issues;
  if (yamlIssues.length === 0) return loaded;
  return left([...yamlIssues, ...(isLeft(loaded) ? loaded.left : [])]);
}

const isMap = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/** Python's name for a value's type, as the reference's messages print it. */
function pythonType(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

const pythonRepr = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? 'None');

const isPositiveInt = (u: unknown): u is number => Number.isInteger(u) && (u as number) >= 1;

/** Validates an in-memory mapping; `sourceMap` adds line/column to issues when it came from a file. */
export function parseMapping(data: unknown, file: string, sourceMap?: SourceMap, sourceFile?: string): Either<InputIssue[], LoadedMapping> {
  const issues = new IssueCollector(file, sourceMap);
  const origin = (p: FieldPath): SourceLocation => {
    const pos = sourceMap?.position(p);
    return { path: formatPath(p), ...(pos ? { line: pos.line, column: pos.column } : {}) };
  };

  let rawLayers: unknown;
  let layersPath: FieldPath;
  let rawGroups: unknown = [];
  let rawRuntimeArgs: unknown = {};
  let meta: unknown;
  if (Array.isArray(data)) {
    rawLayers = data;
    layersPath = [];
  } else if (isMap(data)) {
    if (!('layers' in data)) {
      issues.error([], "Mapping file must contain a 'layers' entry.");
      return left([...issues.errors]);
    }
    rawLayers = data.layers;
    layersPath = ['layers'];
    rawGroups = data.fused_groups ?? [];
    rawRuntimeArgs = data.runtime_args ?? {};
    meta = data.meta;
  } else {
    issues.error([], "Mapping file must be a mapping with a top-level 'layers' list.");
    return left([...issues.errors]);
  }
  if (!Array.isArray(rawLayers)) {
    issues.error(layersPath, `'layers' must be a list of layer entries, got ${pythonType(rawLayers)}.`);
    return left([...issues.errors]);
  }

  const layers: LayerEntry[] = [];
  rawLayers.forEach((raw, i) => {
    const entry = validateLayerEntry(raw, [...layersPath, i], issues, origin);
    if (entry) layers.push(entry);
  });

  // A later entry with the same name can never win the first-match selection.
  const firstWithName = new Map<string, number>();
  layers.forEach((entry, i) => {
    const first = firstWithName.get(entry.name);
    if (first === undefined) firstWithName.set(entry.name, i);
    else issues.warning([...layersPath, i, 'name'], `layer entry '${entry.name}' repeats the name of ${formatPath([...layersPath, first])}; only the first one in file order is ever used`);
  });

  const fusedGroups: FusedGroupSpec[] = [];
  const groupsPath: FieldPath = ['fused_groups'];
  if (!Array.isArray(rawGroups)) {
    issues.error(groupsPath, `'fused_groups' must be a list, got ${pythonType(rawGroups)}.`);
  } else {
    const entryNames = new Set(rawLayers.filter(isMap).map((e) => e.name).filter((n): n is string => typeof n === 'string'));
    rawGroups.forEach((raw, g) => {
      const group = validateFusedGroup(raw, [...groupsPath, g], entryNames, issues, origin);
      if (group) fusedGroups.push(group);
    });
  }

  const runtimeArgs: Record<string, RuntimeArg> = {};
  if (!isMap(rawRuntimeArgs)) {
    issues.error(['runtime_args'], `'runtime_args' must be a map from tensor name to arguments, got ${pythonType(rawRuntimeArgs)}.`);
  } else {
    for (const [tensor, args] of Object.entries(rawRuntimeArgs)) {
      const argPath: FieldPath = ['runtime_args', tensor];
      const value = args ?? {};
      if (!isMap(value)) {
        issues.error(argPath, `Runtime args for tensor ${tensor} must be a dict.`);
        continue;
      }
      const decoded = decodeWith(runtimeArgCodec, value, file, sourceMap, argPath);
      if (isLeft(decoded)) {
        issues.add(decoded.left);
        continue;
      }
      const layout = decoded.right.layout;
      if (layout !== undefined) {
        const problem = affineMapProblem(layout);
        if (problem) {
          issues.error([...argPath, 'layout'], `layout '${layout}' of tensor ${tensor} is not a valid affine map: ${problem}`);
          continue;
        }
      }
      runtimeArgs[tensor] = { ...(layout !== undefined ? { layout } : {}), origin: origin(argPath) };
    }
  }

  if (issues.hasErrors()) return left([...issues.errors]);
  const mapping: MappingSpec = {
    file,
    ...(sourceFile !== undefined ? { sourceFile } : {}),
    layers,
    fusedGroups,
    runtimeArgs,
    ...(meta !== undefined ? { meta } : {}),
  };
  return right({ mapping, warnings: issues.warnings });
}

// ---------------------------------------------------------------------------------------------

const LEGACY = 'legacy mapping format:';

/** Q31: shapes of the obsolete format, each named with its field path. Returns true if any was found. */
function reportLegacyShapes(entry: Record<string, unknown>, entryPath: FieldPath, issues: IssueCollector): boolean {
  let legacy = false;
  const allocation = entry.core_allocation;
  if (Array.isArray(allocation) && allocation.some((g) => !Array.isArray(g))) {
    issues.error([...entryPath, 'core_allocation'], `${LEGACY} flat \`core_allocation\` (a list of core ids); the current format is a list with one core group, e.g. \`core_allocation: [[0, 1, 2, 3]]\``);
    legacy = true;
  }
  if ('intra_core_tiling' in entry) {
    issues.error([...entryPath, 'intra_core_tiling'], `${LEGACY} \`intra_core_tiling\` on a layer entry; tiles now belong to \`fused_groups[].intra_core_tiling\` as \`{dim: <Node>.D<n>, tile: <int>}\``);
    legacy = true;
  }
  if ('core_allocation_is_fixed' in entry) {
    issues.error([...entryPath, 'core_allocation_is_fixed'], `${LEGACY} \`core_allocation_is_fixed\` is no longer supported; a layer runs on the cores of its \`core_allocation\``);
    legacy = true;
  }
  const tiling = entry.inter_core_tiling;
  if (Array.isArray(tiling)) {
    tiling.forEach((t, i) => {
      if (typeof t === 'string') {
        issues.error([...entryPath, 'inter_core_tiling', i], `${LEGACY} string tiling '${t}'; write \`inter_core_tiling: [[{dim: D<n>, split: <int>}]]\``);
        legacy = true;
      }
    });
  }
  const kernel = entry.kernel;
  if (isMap(kernel) && !('kwargs' in kernel)) {
    issues.error([...entryPath, 'kernel'], `${LEGACY} \`kernel\` without \`kwargs\`; write \`kernel: {name: <kernel>, kwargs: {...}}\``);
    legacy = true;
  }
  return legacy;
}

function validateLayerEntry(
  raw: unknown,
  entryPath: FieldPath,
  issues: IssueCollector,
  origin: (p: FieldPath) => SourceLocation,
): LayerEntry | undefined {
  if (!isMap(raw)) {
    issues.error(entryPath, `a layer entry must be a map, got ${pythonType(raw)}.`);
    return undefined;
  }
  if (reportLegacyShapes(raw, entryPath, issues)) return undefined;
  const before = issues.errors.length;

  for (const key of Object.keys(raw)) {
    if (!(LAYER_ENTRY_FIELDS as readonly string[]).includes(key)) {
      issues.error([...entryPath, key], `The following layer restrictions apply: unknown field '${key}'`);
    }
  }

  // Q25: required fields are reported, not silently defaulted.
  const name = raw.name;
  if (name === undefined || name === null || name === '') {
    issues.error([...entryPath, 'name'], "layer entry is missing 'name' (a node name or operator type)");
  } else if (typeof name !== 'string') {
    issues.error([...entryPath, 'name'], `expected a string, got ${pythonType(name)}`);
  }
  const label = typeof name === 'string' && name !== '' ? name : formatPath(entryPath);

  let coreAllocation: readonly number[] = [];
  const allocation = raw.core_allocation;
  const allocationPath: FieldPath = [...entryPath, 'core_allocation'];
  if (allocation === undefined || allocation === null) {
    issues.error(allocationPath, `layer '${label}' is missing 'core_allocation' (one core group, e.g. [[0, 1]])`);
  } else if (!Array.isArray(allocation)) {
    issues.error(allocationPath, `expected a list with one core group, got ${pythonType(allocation)}`);
  } else if (allocation.length === 0) {
    issues.error(allocationPath, `layer '${label}' has an empty 'core_allocation'; give one core group, e.g. [[0, 1]]`);
  } else if (allocation.length > 1) {
    // Q26: the reference asserts this deep in cost estimation; we say it at load time.
    issues.error(allocationPath, `layer '${label}' has ${allocation.length} core-allocation groups; only one group per layer is supported`);
  } else {
    const decoded = decodeWith(coreGroupCodec, allocation[0], issues.file, issues.sourceMap, [...allocationPath, 0]);
    if (isLeft(decoded)) issues.add(decoded.left);
    else {
      coreAllocation = decoded.right;
      const duplicates = coreAllocation.filter((id, i) => coreAllocation.indexOf(id) !== i);
      if (duplicates.length > 0) issues.error([...allocationPath, 0], `layer '${label}' lists core ${duplicates[0]} more than once`);
    }
  }

  const interCoreTiling: InterCoreSplit[] = [];
  const tiling = raw.inter_core_tiling;
  const tilingPath: FieldPath = [...entryPath, 'inter_core_tiling'];
  if (tiling !== undefined && tiling !== null) {
    if (!Array.isArray(tiling)) {
      issues.error(tilingPath, `expected a list of tilings, got ${pythonType(tiling)}`);
    } else if (tiling.length > 1) {
      issues.error(tilingPath, `layer '${label}' has ${tiling.length} inter-core tilings; only one (matching its single core group) is supported`);
    } else if (tiling.length === 1) {
      const inner = tiling[0];
      if (!Array.isArray(inner)) {
        issues.error([...tilingPath, 0], `Invalid inter_core_tiling entry type: ${pythonType(inner)}`);
      } else {
        inner.forEach((split, s) => {
          const splitPath: FieldPath = [...tilingPath, 0, s];
          if (!isMap(split)) {
            issues.error(splitPath, `Invalid inter_core_tiling entry type: ${pythonType(split)}. Expected dict.`);
            return;
          }
          for (const key of Object.keys(split)) {
            if (key !== 'dim' && key !== 'split') issues.error([...splitPath, key], `The following layer restrictions apply: unknown field '${key}'`);
          }
          const dim = typeof split.dim === 'string' ? LOCAL_DIM_PATTERN.exec(split.dim) : null;
          if (!dim) {
            issues.error([...splitPath, 'dim'], `Unsupported inter_core_tiling dimension format: ${pythonRepr(split.dim)} for layer '${label}'; expected 'D<n>'`);
          }
          if (!isPositiveInt(split.split)) {
            issues.error([...splitPath, 'split'], `Layer '${label}' split must be a positive integer; got ${pythonRepr(split.split)}.`);
          }
          if (dim && isPositiveInt(split.split)) interCoreTiling.push({ dim: Number(dim[1]), split: split.split });
        });
      }
    }
  }

  let kernel: KernelSpec | undefined;
  if (raw.kernel !== undefined && raw.kernel !== null) {
    const decoded = decodeWith(kernelCodec, raw.kernel, issues.file, issues.sourceMap, [...entryPath, 'kernel']);
    if (isLeft(decoded)) issues.add(decoded.left);
    else kernel = { name: decoded.right.name, kwargs: decoded.right.kwargs };
  }

  if (issues.errors.length > before || typeof name !== 'string') return undefined;
  return { name, coreAllocation, interCoreTiling, ...(kernel ? { kernel } : {}), origin: origin(entryPath) };
}

function validateFusedGroup(
  raw: unknown,
  groupPath: FieldPath,
  entryNames: ReadonlySet<string>,
  issues: IssueCollector,
  origin: (p: FieldPath) => SourceLocation,
): FusedGroupSpec | undefined {
  if (!isMap(raw)) {
    issues.error(groupPath, `a fused group must be a map, got ${pythonType(raw)}.`);
    return undefined;
  }
  const before = issues.errors.length;
  for (const key of Object.keys(raw)) {
    if (!(FUSED_GROUP_FIELDS as readonly string[]).includes(key)) {
      issues.error([...groupPath, key], `The following fused group restrictions apply: unknown field '${key}'`);
    }
  }
  const name = raw.name;
  if (name === undefined || name === null || name === '') issues.error([...groupPath, 'name'], 'FusedGroup name must be provided');
  else if (typeof name !== 'string') issues.error([...groupPath, 'name'], `expected a string, got ${pythonType(name)}`);
  const label = typeof name === 'string' && name !== '' ? name : formatPath(groupPath);

  const layers: string[] = [];
  const rawLayers = raw.layers ?? [];
  if (!Array.isArray(rawLayers)) {
    issues.error([...groupPath, 'layers'], `expected a list of layer names, got ${pythonType(rawLayers)}`);
  } else {
    rawLayers.forEach((layer, i) => {
      if (typeof layer !== 'string') issues.error([...groupPath, 'layers', i], `expected a layer name (string), got ${pythonType(layer)}`);
      else layers.push(layer);
    });
    const unknown = layers.filter((l) => !entryNames.has(l));
    if (unknown.length > 0) {
      issues.error([...groupPath, 'layers'], `Fused group '${label}' references unknown layers [${unknown.map((u) => `'${u}'`).join(', ')}]`);
    }
  }

  const intraCoreTiling: IntraCoreTile[] = [];
  const rawTiling = raw.intra_core_tiling ?? [];
  const tilingPath: FieldPath = [...groupPath, 'intra_core_tiling'];
  if (!Array.isArray(rawTiling)) {
    issues.error(tilingPath, `expected a list of {dim, tile} entries, got ${pythonType(rawTiling)}`);
  } else {
    rawTiling.forEach((tile, t) => {
      const tilePath: FieldPath = [...tilingPath, t];
      if (typeof tile === 'string') {
        issues.error(tilePath, `${LEGACY} string tiling '${tile}'; write \`{dim: <Node>.D<n>, tile: <int>}\``);
        return;
      }
      if (!isMap(tile)) {
        issues.error(tilePath, `expected a {dim, tile} map, got ${pythonType(tile)}`);
        return;
      }
      for (const key of Object.keys(tile)) {
        if (key !== 'dim' && key !== 'tile') issues.error([...tilePath, key], `The following fused group restrictions apply: unknown field '${key}'`);
      }
      const dim = typeof tile.dim === 'string' ? QUALIFIED_DIM_PATTERN.exec(tile.dim) : null;
      if (!dim) {
        issues.error([...tilePath, 'dim'], `Fused group '${label}' intra_core_tiling dim ${pythonRepr(tile.dim)} must be '<NodeName>.D<n>'`);
      }
      if (!isPositiveInt(tile.tile)) {
        issues.error([...tilePath, 'tile'], `Fused group '${label}' tile must be a positive integer; got ${pythonRepr(tile.tile)}.`);
      }
      if (dim && isPositiveInt(tile.tile)) intraCoreTiling.push({ node: dim[1], dim: Number(dim[2]), tile: tile.tile, origin: origin(tilePath) });
    });
  }

  if (issues.errors.length > before || typeof name !== 'string') return undefined;
  return { name, layers, intraCoreTiling, origin: origin(groupPath) };
}

/** Checks that the results of `(d0, ...) -> (...)` only use the declared dims; undefined when valid. */
export function affineMapProblem(layout: string): string | undefined {
  const match = AFFINE_MAP_PATTERN.exec(layout.trim());
  if (!match) return "expected '(d0, d1, ...) -> (<expr>, ...)'";
  const dims = new Set((match[1] ?? '').split(',').map((d) => d.trim()).filter((d) => d !== ''));
  const results = match[2];
  if (results.trim() === '') return 'it has no results';
  if (!/^[\sd0-9+\-*(),a-z_]*$/.test(results)) return 'results may only use dims, integers, +, -, * and floordiv/ceildiv/mod';
  for (const identifier of results.match(/[a-z_][a-z0-9_]*/g) ?? []) {
    if (!dims.has(identifier) && !['floordiv', 'ceildiv', 'mod'].includes(identifier)) return `'${identifier}' is not one of its dims`;
  }
  return undefined;
}
