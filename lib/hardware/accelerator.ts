/**
 * Accelerator (system) files (reference-surface §1.1 with the §10.1 recommendations) and the core graph
 * the reference builds from `core_connectivity` (reference-co-pipeline §4, Q53/Q54).
 *
 * Validation accumulates every problem (never fail-fast); each issue names the file, the field path and
 * the YAML position. Warnings (dropped cores, shadowed links, legacy core lookup, ...) accompany a
 * successful result.
 */
import * as path from 'path';
import { Either, isLeft, left, right } from 'fp-ts/Either';
import * as t from 'io-ts';
import { anything, decodeWith, listOf, mapOf, nonNegInt, nonNegNum, str } from '../common/codecs';
import { InputIssue } from '../common/errors';
import { FieldPath, IssueCollector, SourceMap, describeValue, readYamlFile } from '../common/yaml';
import {
  ACCELERATOR_FIELDS,
  ConnectionYaml,
  REQUIRED_ACCELERATOR_FIELDS,
  connectionCodec,
  coordinatesCodec,
  coreReferenceCodec,
  memoryAliasesCodec,
  memorySharingGroupCodec,
} from './codecs';
import { CORE_KINDS, CORE_NAMESPACES, ParsedCore, normaliseCoreType, parseCoreSpecDetailed } from './core';
import { topLevelMemoryCapacity } from './derived';
import { Accelerator, CommunicationLink, Core, CoreEdge, CoreSpec } from './model';
import { CoreResolutionOptions, resolveCoreReference } from './resolve-core';

export type { CoreResolutionOptions } from './resolve-core';

export interface AcceleratorOptions extends CoreResolutionOptions {}

export interface LoadedAccelerator {
  readonly accelerator: Accelerator;
  readonly warnings: readonly InputIssue[];
}

export interface AcceleratorSource {
  /** Name used in issues; for files, the path. */
  readonly file: string;
  /** Directory core references are relative to; undefined for an in-memory object without a home. */
  readonly baseDir?: string;
  /** Absolute path of the accelerator file, when there is one. */
  readonly sourceFile?: string;
  readonly sourceMap?: SourceMap;
}

/** Reads an accelerator file (`.yaml` or `.yml`, Q2) and every core file it references. */
export function loadAccelerator(file: string, options: AcceleratorOptions = {}): Either<InputIssue[], LoadedAccelerator> {
  const absolute = path.resolve(file);
  if (!/\.ya?ml$/i.test(absolute)) {
    return left([{ file, path: '', message: 'expected a YAML accelerator file (.yaml or .yml)' }]);
  }
  const parsed = readYamlFile(absolute);
  if (isLeft(parsed)) return parsed;
  const loaded = parseAccelerator(parsed.right.value, { file: absolute, baseDir: path.dirname(absolute), sourceFile: absolute, sourceMap: parsed.right.sourceMap }, options);
  const yamlIssues = parsed.right.issues;
  if (yamlIssues.length === 0) return loaded;
  return left([...yamlIssues, ...(isLeft(loaded) ? loaded.left : [])]);
}

/**
 * Validates an accelerator description that is already in memory (e.g. built by a DSE sweep). Core
 * references resolve against `source.baseDir` and the search paths; inline core maps need no files.
 */
export function parseAccelerator(
  data: unknown,
  source: AcceleratorSource = { file: '<in-memory accelerator>' },
  options: AcceleratorOptions = {},
): Either<InputIssue[], LoadedAccelerator> {
  const validated = validateAccelerator(data, source, options);
  if (isLeft(validated)) return validated;
  return buildAccelerator(validated.right, source);
}

// ---------------------------------------------------------------------------------------------
// Validation

interface ValidCore {
  readonly id: number;
  readonly spec: CoreSpec;
  readonly sourceFile?: string;
}

interface ValidConnection {
  readonly index: number;
  readonly kind: 'link' | 'bus';
  readonly cores: readonly number[];
  readonly bandwidth: number;
  readonly unitEnergyCost: number;
}

interface ValidAccelerator {
  readonly name: string;
  readonly cores: ReadonlyMap<number, ValidCore>;
  readonly offchipCoreId: number;
  readonly unitEnergyCost: number;
  readonly connections: readonly ValidConnection[];
  readonly memorySharing: readonly (readonly number[])[];
  readonly coordinates: ReadonlyMap<number, readonly [number, number]>;
  readonly technologyNode?: string;
  readonly memoryAliases: readonly (readonly string[])[];
  readonly warnings: readonly InputIssue[];
}

const pyList = (values: readonly (string | number)[]): string =>
  `[${values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}]`;

const isMap = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

function validateAccelerator(data: unknown, source: AcceleratorSource, options: AcceleratorOptions): Either<InputIssue[], ValidAccelerator> {
  const { file, sourceMap } = source;
  const issues = new IssueCollector(file, sourceMap);
  if (!isMap(data)) {
    issues.error([], `an accelerator description must be a map, got ${describeValue(data)}`);
    return left([...issues.issues]);
  }

  // 1. Schema, field by field so that one bad field does not hide the problems of the others.
  for (const key of Object.keys(data)) {
    if (!(ACCELERATOR_FIELDS as readonly string[]).includes(key)) issues.error([key], `unknown field '${key}'`);
  }
  for (const key of REQUIRED_ACCELERATOR_FIELDS) {
    if (data[key] === undefined) issues.error([key], `required field '${key}' is missing`);
  }
  const field = <A>(key: string, codec: t.Type<A, A, unknown>): A | undefined => {
    if (data[key] === undefined) return undefined;
    const r = decodeWith(codec, data[key], file, sourceMap, [key]);
    if (isLeft(r)) {
      issues.add(r.left);
      return undefined;
    }
    return r.right;
  };
  const name = field('name', str);
  const offchipCoreId = field('offchip_core_id', nonNegInt);
  const unitEnergyCost = field('unit_energy_cost', nonNegNum) ?? 0;
  const technologyNode = field('technology_node', str);
  const rawCores = field('cores', mapOf(anything));
  const rawConnectivity = field('core_connectivity', listOf(anything));
  const sharingEntries = field('core_memory_sharing', listOf(anything)) ?? [];
  const rawCoordinates = field('core_coordinates', mapOf(anything)) ?? {};
  const memoryAliases = field('memory_aliases', memoryAliasesCodec) ?? [];

  // 2. Core ids.
  const coreIds = new Set<number>();
  if (rawCores !== undefined) {
    const keys = Object.keys(rawCores);
    if (keys.length === 0) issues.error(['cores'], '`cores` must not be empty');
    let badId = false;
    for (const key of keys) {
      if (/^\d+$/.test(key)) coreIds.add(Number(key));
      else {
        badId = true;
        issues.error(['cores', key], 'Invalid core id in `cores`: id is not a positive integer.');
      }
    }
    if (!badId && keys.length > 0 && [...coreIds].some((id) => id >= coreIds.size)) {
      issues.error(['cores'], 'Invalid core id in `cores`: not all core ids in range are in use.');
    }
    if (offchipCoreId !== undefined && !coreIds.has(offchipCoreId)) {
      issues.error(['offchip_core_id'], 'offchip_core_id does not correspond to any entry in `cores`.');
    }
  }

  // 3. Each core, from its file or inline. A file shared by many ids is read and reported once.
  const cores = new Map<number, ValidCore>();
  const rawTypes = new Map<number, string>();
  const fileCache = new Map<string, CoreFile>();
  for (const [key, value] of Object.entries(rawCores ?? {})) {
    if (!/^\d+$/.test(key)) continue;
    const id = Number(key);
    const corePath: FieldPath = ['cores', id];
    let parsed: Either<InputIssue[], ParsedCore>;
    let label: string;
    let sourceFile: string | undefined;
    let rawType: unknown;
    if (typeof value === 'string') {
      label = value;
      const reference = decodeWith(coreReferenceCodec, value, file, sourceMap, corePath);
      if (isLeft(reference)) {
        issues.add(reference.left);
        continue;
      }
      const resolution = resolveCoreReference(value, source.baseDir, options);
      if (resolution.file === undefined) {
        issues.error(corePath, `Core with filename \`${value}\` not found. Looked in: ${resolution.tried.join(', ') || 'nowhere (no accelerator directory and no search paths)'}.`);
        continue;
      }
      if (resolution.viaLegacyTreeSearch) {
        issues.warning(
          corePath,
          `Core '${value}' was not found next to its accelerator or in the search paths; resolved via input-tree search to '${resolution.file}'. ` +
            'Reference the file explicitly (e.g. ./cores/...) or add its directory to the search paths.',
        );
      }
      sourceFile = resolution.file;
      let cached = fileCache.get(sourceFile);
      if (!cached) {
        cached = readCoreFile(sourceFile, value);
        fileCache.set(sourceFile, cached);
        issues.add(isLeft(cached.parsed) ? cached.parsed.left : cached.parsed.right.warnings);
      }
      parsed = cached.parsed;
      rawType = cached.rawType;
    } else if (isMap(value)) {
      label = `core ${id}`;
      rawType = value.type;
      parsed = parseCoreSpecDetailed(value, file, { sourceMap, basePath: corePath, label });
      issues.add(isLeft(parsed) ? parsed.left : parsed.right.warnings);
    } else {
      issues.error(corePath, `expected a core file reference or an inline core map, got ${describeValue(value)}`);
      continue;
    }
    rawTypes.set(id, normaliseCoreType(rawType));
    if (isLeft(parsed)) {
      issues.error(corePath, `User-given core ${label} cannot be validated.`);
      continue;
    }
    cores.set(id, { id, spec: parsed.right.spec, ...(sourceFile ? { sourceFile } : {}) });
  }

  // 4. Namespaces: a dot, a known namespace and kind, and one namespace for the whole system (Q6).
  const namespaces = new Set<string>();
  for (const [id, type] of rawTypes) {
    if (!type.includes('.')) {
      issues.error(['cores', id], `Core ${id} has type '${type}' without a namespace prefix. Use '<namespace>.<kind>', e.g. 'zigzag.compute'.`);
      continue;
    }
    const [namespace, kind] = [type.slice(0, type.indexOf('.')), type.slice(type.indexOf('.') + 1)];
    if (!(CORE_NAMESPACES as readonly string[]).includes(namespace)) {
      issues.error(['cores', id], `Core ${id} has unknown namespace '${namespace}'. Allowed namespaces: ${pyList([...CORE_NAMESPACES].sort())}`);
      continue;
    }
    if (!(CORE_KINDS as readonly string[]).includes(kind)) {
      issues.error(['cores', id], `Core ${id} has unknown kind '${kind}'. Allowed kinds: ${pyList(CORE_KINDS)}`);
    }
    namespaces.add(namespace);
  }
  if (namespaces.size > 1) {
    issues.error(
      ['cores'],
      `All cores in an accelerator must share the same namespace, but found multiple namespaces: ${pyList([...namespaces].sort())}. Mix-namespace accelerators are not supported.`,
    );
  }

  // 6. Connectivity (before coordinates: Q5 needs the connected cores).
  const connections: ValidConnection[] = [];
  const connectivityPath = (i: number, ...rest: string[]): FieldPath => ['core_connectivity', i, ...rest];
  (rawConnectivity ?? []).forEach((entry, i) => {
    const decoded = decodeWith(connectionCodec, entry, file, sourceMap, connectivityPath(i));
    if (isLeft(decoded)) {
      issues.add(decoded.left);
      return;
    }
    const connection: ConnectionYaml = decoded.right;
    let valid = true;
    const unknown = connection.cores.filter((id) => !coreIds.has(id));
    if (rawCores !== undefined && unknown.length > 0) {
      issues.error(connectivityPath(i, 'cores'), `\`core_connectivity[${i}].cores\` contains unknown core id. (unknown: ${unknown.join(', ')})`);
      valid = false;
    }
    if (new Set(connection.cores).size !== connection.cores.length) {
      issues.error(connectivityPath(i, 'cores'), `\`core_connectivity[${i}].cores\` lists a core more than once: ${pyList(connection.cores)}.`);
      valid = false;
    }
    if (connection.bandwidth <= 0) {
      issues.error(connectivityPath(i, 'bandwidth'), `\`core_connectivity[${i}].bandwidth\` must be > 0.`);
      valid = false;
    }
    if (connection.unit_energy_cost !== undefined && connection.unit_energy_cost < 0) {
      issues.error(connectivityPath(i, 'unit_energy_cost'), `\`core_connectivity[${i}].unit_energy_cost\` must be ≥ 0.`);
      valid = false;
    }
    const kind = connection.type ?? 'link';
    if (kind === 'link' && connection.cores.length !== 2) {
      issues.error(connectivityPath(i, 'cores'), `Invalid connection type 'link' for connection ${pyList(connection.cores)}. Expected exactly 2 cores for a link.`);
      valid = false;
    }
    if (valid) {
      connections.push({ index: i, kind, cores: connection.cores, bandwidth: connection.bandwidth, unitEnergyCost: connection.unit_energy_cost ?? unitEnergyCost });
    }
  });

  // 4 (continued). aie2 systems need coordinates for every connected core (Q5).
  if (namespaces.size === 1 && namespaces.has('aie2')) {
    if (Object.keys(rawCoordinates).length === 0) {
      issues.error(
        ['core_coordinates'],
        "aie2 accelerators require a 'core_coordinates' section that maps every core id to its physical [col, row] position on the AIE array. Add 'core_coordinates' to your hardware YAML.",
      );
    } else {
      const connected = [...new Set(connections.flatMap((c) => c.cores))].sort((a, b) => a - b);
      const missing = connected.filter((id) => rawCoordinates[String(id)] === undefined);
      if (missing.length > 0) {
        issues.error(
          ['core_coordinates'],
          `aie2 cores ${missing.join(', ')} appear in \`core_connectivity\` but have no entry in \`core_coordinates\`; every connected aie2 core needs its [col, row] position.`,
        );
      }
    }
  }

  // 5. Coordinates format.
  const coordinates = new Map<number, readonly [number, number]>();
  for (const [key, value] of Object.entries(rawCoordinates)) {
    const id = /^\d+$/.test(key) ? Number(key) : undefined;
    const decoded = coordinatesCodec.decode(value);
    if (id === undefined || (rawCores !== undefined && !coreIds.has(id)) || isLeft(decoded)) {
      issues.error(['core_coordinates', key], `Invalid coordinates for core id ${key}: ${JSON.stringify(value)}.`);
      continue;
    }
    coordinates.set(id, [decoded.right[0], decoded.right[1]]);
  }

  // 7. Memory sharing.
  const memorySharing: number[][] = [];
  sharingEntries.forEach((entry, g) => {
    const groupPath: FieldPath = ['core_memory_sharing', g];
    const text = decodeWith(memorySharingGroupCodec, entry, file, sourceMap, groupPath);
    if (isLeft(text)) {
      issues.add(text.left);
      return;
    }
    const ids = text.right.split(',').map((s) => Number(s.trim()));
    if (ids.length < 2) {
      issues.error(groupPath, 'Shared memory connection should contain at least 2 core ids.');
      return;
    }
    const unknown = ids.filter((id) => !coreIds.has(id));
    if (rawCores !== undefined && unknown.length > 0) {
      issues.error(groupPath, `\`core_memory_sharing[${g}]\` names unknown core id(s) ${unknown.join(', ')}.`);
      return;
    }
    for (const connection of connections) {
      const together = ids.filter((id) => connection.cores.includes(id));
      if (together.length >= 2) {
        issues.error(
          groupPath,
          `Cores that share memory must not be explicitly connected in \`core_connectivity\`: cores ${together.join(', ')} are connected by core_connectivity[${connection.index}].`,
        );
      }
    }
    const capacities = ids.filter((id) => cores.has(id)).map((id) => topLevelMemoryCapacity(cores.get(id)!.spec));
    if (new Set(capacities).size > 1) {
      issues.error(
        groupPath,
        `Some cores that were specified as having shared memory have non-identical top level memories. Top-level capacities (bits) of cores ${ids.join(', ')}: ${capacities.join(', ')}.`,
      );
    }
    memorySharing.push(ids);
  });

  // 8. Memory aliases.
  memoryAliases.forEach((group, g) =>
    group.forEach((ref, r) => {
      const id = Number(ref.slice(0, ref.indexOf('.')));
      const memory = ref.slice(ref.indexOf('.') + 1);
      const aliasPath: FieldPath = ['memory_aliases', g, r];
      if (!coreIds.has(id)) {
        issues.error(aliasPath, `\`memory_aliases\` entry '${ref}' names core ${id}, which \`cores\` does not declare.`);
        return;
      }
      const core = cores.get(id);
      if (!core) return;
      const known = core.spec.namespace === 'aie2' ? ['memory'] : core.spec.memories.map((m) => m.name);
      if (!known.includes(memory)) {
        issues.error(aliasPath, `\`memory_aliases\` entry '${ref}' names memory '${memory}', which core ${id} does not declare. Known: ${pyList(known)}.`);
      }
    }),
  );

  if (issues.hasErrors() || name === undefined || offchipCoreId === undefined || rawCores === undefined || rawConnectivity === undefined) {
    return left([...issues.errors]);
  }
  return right({
    name,
    cores,
    offchipCoreId,
    unitEnergyCost,
    connections,
    memorySharing,
    coordinates,
    ...(technologyNode !== undefined ? { technologyNode } : {}),
    memoryAliases,
    warnings: issues.warnings,
  });
}

interface CoreFile {
  readonly parsed: Either<InputIssue[], ParsedCore>;
  /** The `type` as written, for the namespace checks even when the core itself is invalid. */
  readonly rawType: unknown;
}

function readCoreFile(file: string, label: string): CoreFile {
  const yaml = readYamlFile(file);
  if (isLeft(yaml)) return { parsed: yaml, rawType: undefined };
  const value = yaml.right.value;
  const rawType = isMap(value) ? value.type : undefined;
  const parsed = parseCoreSpecDetailed(value, file, { sourceMap: yaml.right.sourceMap, label });
  const yamlIssues = yaml.right.issues;
  return { parsed: yamlIssues.length === 0 ? parsed : left([...yamlIssues, ...(isLeft(parsed) ? parsed.left : [])]), rawType };
}

// ---------------------------------------------------------------------------------------------
// Graph construction

interface DraftLink {
  readonly kind: 'link' | 'bus';
  readonly sender?: number;
  readonly receiver?: number;
  readonly cores: readonly number[];
  readonly bandwidth: number;
  readonly unitEnergyCost: number;
  readonly connectivityIndex: number;
  /** Creation order: a link entry creates u→v before v→u. */
  readonly serial: number;
}

/**
 * Builds the directed core graph the way the reference's networkx DiGraph comes out of the edge list:
 * edges in `core_connectivity` order (a link gives u→v then v→u; a bus every ordered pair of its
 * members, row by row), a later definition of an edge replaces the link of the earlier one in place
 * (Q53), and cores are ordered by first appearance as either end of an edge (Q54).
 */
function buildAccelerator(valid: ValidAccelerator, source: AcceleratorSource): Either<InputIssue[], LoadedAccelerator> {
  const issues = new IssueCollector(source.file, source.sourceMap);
  issues.add(valid.warnings);

  const nodeOrder: number[] = [];
  const seen = new Set<number>();
  const edges = new Map<string, { readonly from: number; readonly to: number; link: DraftLink }>();
  /** Per overriding connection: the connections whose edges it replaced. */
  const overrides = new Map<number, Set<number>>();

  const addEdge = (from: number, to: number, link: DraftLink) => {
    for (const id of [from, to]) {
      if (!seen.has(id)) {
        seen.add(id);
        nodeOrder.push(id);
      }
    }
    const key = `${from}->${to}`;
    const previous = edges.get(key);
    if (previous) {
      if (previous.link.connectivityIndex !== link.connectivityIndex) {
        const replaced = overrides.get(link.connectivityIndex) ?? new Set<number>();
        replaced.add(previous.link.connectivityIndex);
        overrides.set(link.connectivityIndex, replaced);
      }
      previous.link = link;
    } else {
      edges.set(key, { from, to, link });
    }
  };

  let serial = 0;
  for (const connection of valid.connections) {
    const common = { bandwidth: connection.bandwidth, unitEnergyCost: connection.unitEnergyCost, connectivityIndex: connection.index };
    if (connection.kind === 'link') {
      const [a, b] = connection.cores;
      addEdge(a, b, { kind: 'link', sender: a, receiver: b, cores: [a, b], ...common, serial: serial++ });
      addEdge(b, a, { kind: 'link', sender: b, receiver: a, cores: [b, a], ...common, serial: serial++ });
    } else {
      const bus: DraftLink = { kind: 'bus', cores: connection.cores, ...common, serial: serial++ };
      for (const a of connection.cores) for (const b of connection.cores) if (a !== b) addEdge(a, b, bus);
    }
  }

  const kindOf = new Map(valid.connections.map((c) => [c.index, c.kind]));
  for (const [winner, replaced] of overrides) {
    const list = [...replaced].sort((a, b) => a - b);
    const shadowedLinks = list.filter((i) => kindOf.get(i) === 'link');
    const message =
      kindOf.get(winner) === 'bus' && shadowedLinks.length === list.length
        ? `bus core_connectivity[${winner}] shadows the link${list.length > 1 ? 's' : ''} ${list.map((i) => `core_connectivity[${i}]`).join(', ')}: ` +
          'a later definition of a core pair replaces the earlier one, so that traffic uses the bus and the links carry nothing (reference behaviour)'
        : `core_connectivity[${winner}] redefines core pairs of ${list.map((i) => `core_connectivity[${i}]`).join(', ')}; the later definition wins (reference behaviour)`;
    issues.warning(['core_connectivity', winner], message);
  }

  // Only links still carried by an edge exist in the built system; they keep their creation order.
  const liveLinks = [...new Set([...edges.values()].map((e) => e.link))].sort((x, y) => x.serial - y.serial);
  const linkIndex = new Map(liveLinks.map((d, i) => [d, i] as const));
  const links: CommunicationLink[] = liveLinks.map((d, index) => ({
    index,
    kind: d.kind,
    ...(d.kind === 'link' ? { sender: d.sender, receiver: d.receiver } : {}),
    cores: d.cores,
    bandwidth: d.bandwidth,
    unitEnergyCost: d.unitEnergyCost,
    bidirectional: d.kind === 'bus',
    connectivityIndex: d.connectivityIndex,
  }));
  const coreEdges: CoreEdge[] = [...edges.values()].map((e) => ({ from: e.from, to: e.to, link: linkIndex.get(e.link)! }));

  const dropped = [...valid.cores.keys()].filter((id) => !seen.has(id)).sort((a, b) => a - b);
  if (dropped.length > 0) {
    issues.warning(
      ['core_connectivity'],
      `core${dropped.length > 1 ? 's' : ''} ${dropped.join(', ')} appear${dropped.length > 1 ? '' : 's'} in no \`core_connectivity\` entry and ${dropped.length > 1 ? 'are' : 'is'} dropped from the core graph (reference behaviour)`,
    );
  }
  if (!seen.has(valid.offchipCoreId)) {
    issues.error(
      ['offchip_core_id'],
      `offchip core ${valid.offchipCoreId} appears in no \`core_connectivity\` entry, so it would be dropped from the core graph; connect it to the cores that use off-chip memory.`,
    );
    return left([...issues.errors]);
  }

  const sharedGroupOf = new Map<number, number>();
  for (const group of valid.memorySharing) for (const id of group) sharedGroupOf.set(id, group[0]);

  const cores: Core[] = nodeOrder.map((id) => {
    const core = valid.cores.get(id)!;
    const coords = valid.coordinates.get(id);
    return {
      id,
      spec: core.spec,
      coreType: `${core.spec.namespace}.${core.spec.kind}`,
      ...(coords ? { col: coords[0], row: coords[1] } : {}),
      sharedMemoryGroupId: sharedGroupOf.get(id) ?? id,
      ...(core.sourceFile ? { sourceFile: core.sourceFile } : {}),
    };
  });

  const accelerator: Accelerator = {
    name: valid.name,
    ...(source.sourceFile !== undefined ? { sourceFile: source.sourceFile } : {}),
    cores,
    droppedCoreIds: dropped,
    offchipCoreId: valid.offchipCoreId,
    unitEnergyCost: valid.unitEnergyCost,
    links,
    edges: coreEdges,
    coreMemorySharing: valid.memorySharing,
    nbSharedMemGroups: new Set(cores.map((c) => c.sharedMemoryGroupId)).size,
    ...(valid.technologyNode !== undefined ? { technologyNode: valid.technologyNode } : {}),
    memoryAliases: valid.memoryAliases,
  };
  return right({ accelerator, warnings: issues.warnings });
}
