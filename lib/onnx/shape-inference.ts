/**
 * Graph-level shape inference: walks the nodes in topological order and applies the shape function of
 * each operator (a registered one, the body of a model-local function, or a built-in), then cross-checks
 * every inferred shape against the shapes declared in value_info and graph outputs.
 *
 * Hard errors (cycles, missing producers, declared/inferred mismatches, bad graph inputs) are issues.
 * Tensors whose shape cannot be inferred are recorded with the reason instead, so that the consumer can
 * report them in context (an unknown operator is better reported as "no parser" than as "no shape").
 */
import { Either, left, right } from 'fp-ts/Either';
import { InputIssue, issue } from '../common/errors';
import { MinHeap } from '../workload/priority-queue';
import { isIndexDataType, OnnxDataType, onnxDataTypeName } from './element-types';
import { defaultOpsetVersion, OnnxFunction, OnnxModel, OnnxNode, OnnxValueInfo, resolvedNodeNames } from './model';
import { BUILT_IN_SHAPE_FUNCTIONS, ShapeFunction, TypedShape } from './shape-functions';

/** Opset assumed when a model does not import the default domain (newest semantics). */
export const DEFAULT_OPSET_VERSION = 21;

export interface ShapeInferenceOptions {
  /** Names the file in issues. */
  readonly file: string;
  /** Shape functions by op type that take precedence over model functions and built-ins. */
  readonly shapeFunctions?: ReadonlyMap<string, ShapeFunction>;
}

export interface UninferredTensor {
  /** Resolved name of the producing node. */
  readonly node: string;
  readonly reason: string;
  /** True when the cause lies upstream (an input of the producer was itself not inferred). */
  readonly derived: boolean;
}

export interface InferredGraph {
  /** Type and shape of every inferred tensor: graph inputs, initializers and node outputs. */
  readonly tensors: ReadonlyMap<string, TypedShape>;
  /** Values of integer constants: INT64/INT32 initializers and integer `Constant` outputs. */
  readonly constants: ReadonlyMap<string, readonly number[]>;
  readonly uninferred: ReadonlyMap<string, UninferredTensor>;
  /** Indices into `graph.nodes`, topologically sorted, ties by file position. */
  readonly nodeOrder: readonly number[];
  /** Resolved node names (`Op<k>` for unnamed nodes), by file position. */
  readonly nodeNames: readonly string[];
  readonly opsetVersion: number;
}

const fmt = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
const MAX_FUNCTION_DEPTH = 8;

function functionKey(domain: string, name: string): string {
  return `${domain === 'ai.onnx' ? '' : domain}::${name}`;
}

function constantValues(node: OnnxNode): readonly number[] | undefined {
  const value = node.attributes['value'];
  if (value?.type === 'tensor') return isIndexDataType(value.value.elemType) ? value.value.integerValues : undefined;
  const int = node.attributes['value_int'];
  if (int?.type === 'int') return [int.value];
  const ints = node.attributes['value_ints'];
  if (ints?.type === 'ints') return ints.value;
  return undefined;
}

interface Scope {
  readonly shapes: Map<string, TypedShape>;
  readonly constants: Map<string, readonly number[]>;
}

class ShapeEngine {
  private readonly functions: ReadonlyMap<string, OnnxFunction>;

  constructor(
    model: OnnxModel,
    private readonly extra: ReadonlyMap<string, ShapeFunction>,
  ) {
    this.functions = new Map(model.functions.map((f) => [functionKey(f.domain, f.name), f]));
  }

  /** Infers the outputs of one node whose inputs are all known in `scope`. */
  inferNode(node: OnnxNode, scope: Scope, opsetVersion: number, depth: number): Either<string, readonly TypedShape[]> {
    const inputs = node.inputs.map((name) => (name === '' ? undefined : scope.shapes.get(name)));
    const constants = node.inputs.map((name) => (name === '' ? undefined : scope.constants.get(name)));
    const registered = this.extra.get(node.opType);
    if (registered) return registered({ node, opsetVersion, inputs, constants });
    const fn = this.functions.get(functionKey(node.domain, node.opType));
    if (fn) return this.inferThroughFunction(fn, node, scope, opsetVersion, depth);
    const builtIn = BUILT_IN_SHAPE_FUNCTIONS.get(node.opType);
    if (builtIn) return builtIn({ node, opsetVersion, inputs, constants });
    return left(`no shape inference is known for op type '${node.opType}'`);
  }

  private inferThroughFunction(
    fn: OnnxFunction,
    call: OnnxNode,
    outer: Scope,
    opsetVersion: number,
    depth: number,
  ): Either<string, readonly TypedShape[]> {
    const where = `in the body of function ${fn.domain}.${fn.name}`;
    if (depth >= MAX_FUNCTION_DEPTH) return left(`${where}: functions nest deeper than ${MAX_FUNCTION_DEPTH} levels`);
    const scope: Scope = { shapes: new Map(), constants: new Map() };
    fn.inputs.forEach((formal, i) => {
      const actual = call.inputs[i];
      if (actual === undefined || actual === '') return;
      const shape = outer.shapes.get(actual);
      if (shape) scope.shapes.set(formal, shape);
      const value = outer.constants.get(actual);
      if (value) scope.constants.set(formal, value);
    });
    const bodyOpset = defaultOpsetVersion(fn.opsetImports) ?? opsetVersion;
    for (const node of fn.nodes) {
      const missing = node.inputs.find((name) => name !== '' && !scope.shapes.has(name));
      if (missing !== undefined) return left(`${where}: node ${node.name || node.opType} reads '${missing}', which is not defined`);
      const outputs = this.inferNode(node, scope, bodyOpset, depth + 1);
      if (outputs._tag === 'Left') return left(`${where}: node ${node.name || node.opType}: ${outputs.left}`);
      node.outputs.forEach((name, i) => {
        if (name !== '' && outputs.right[i]) scope.shapes.set(name, outputs.right[i]);
      });
      if (node.opType === 'Constant') {
        const value = constantValues(node);
        if (value && node.outputs[0]) scope.constants.set(node.outputs[0], value);
      }
    }
    const results: TypedShape[] = [];
    for (const formal of fn.outputs.slice(0, call.outputs.length)) {
      const shape = scope.shapes.get(formal);
      if (!shape) return left(`${where}: output '${formal}' is never produced`);
      results.push(shape);
    }
    return right(results);
  }
}

function declaredShape(v: OnnxValueInfo): TypedShape | undefined {
  if (v.elemType === undefined || v.dims === undefined) return undefined;
  if (!v.dims.every((d): d is number => typeof d === 'number')) return undefined;
  return { elemType: v.elemType, shape: v.dims };
}

function mismatch(declared: OnnxValueInfo, inferred: TypedShape): string | undefined {
  if (declared.elemType !== undefined && declared.elemType !== OnnxDataType.UNDEFINED && declared.elemType !== inferred.elemType) {
    return `element type ${onnxDataTypeName(inferred.elemType)} differs from the declared ${onnxDataTypeName(declared.elemType)}`;
  }
  if (declared.dims === undefined) return undefined;
  const differs =
    declared.dims.length !== inferred.shape.length || declared.dims.some((d, i) => typeof d === 'number' && d !== inferred.shape[i]);
  if (!differs) return undefined;
  return `inferred shape ${fmt(inferred.shape)} differs from the declared shape [${declared.dims.map((d) => d ?? '?').join(', ')}]`;
}

/** Topological order of the nodes (ties by file position); `Left` names a cycle. */
function topologicalNodeOrder(
  nodes: readonly OnnxNode[],
  producerOf: ReadonlyMap<string, number>,
): { readonly order: readonly number[]; readonly cycle?: readonly number[] } {
  const predecessors = nodes.map((n) => [...new Set(n.inputs.map((t) => producerOf.get(t)).filter((p): p is number => p !== undefined))]);
  const successors: number[][] = nodes.map(() => []);
  predecessors.forEach((preds, i) => preds.forEach((p) => successors[p].push(i)));
  const remaining = predecessors.map((p) => p.length);
  const ready = new MinHeap<number>((a, b) => a - b);
  remaining.forEach((count, i) => count === 0 && ready.push(i));
  const order: number[] = [];
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    order.push(next);
    for (const s of successors[next]) if (--remaining[s] === 0) ready.push(s);
  }
  if (order.length === nodes.length) return { order };
  // Every unsorted node still has an unsorted predecessor: walking predecessors must revisit a node.
  const unsorted = new Set(nodes.map((_, i) => i).filter((i) => remaining[i] > 0));
  const path: number[] = [];
  const seen = new Map<number, number>();
  let current = Math.min(...unsorted);
  while (!seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    current = predecessors[current].find((p) => unsorted.has(p)) as number;
  }
  // Predecessor walk runs against the dataflow; reverse it, then start at the earliest node in the file.
  const cycle = path.slice(seen.get(current)).reverse();
  const start = cycle.indexOf(Math.min(...cycle));
  return { order, cycle: [...cycle.slice(start), ...cycle.slice(0, start)] };
}

export function inferShapes(model: OnnxModel, options: ShapeInferenceOptions): Either<InputIssue[], InferredGraph> {
  const { file } = options;
  const graph = model.graph;
  const issues: InputIssue[] = [];
  const nodeNames = resolvedNodeNames(graph.nodes);
  const opsetVersion = defaultOpsetVersion(model.opsetImports) ?? DEFAULT_OPSET_VERSION;
  const scope: Scope = { shapes: new Map(), constants: new Map() };
  const uninferred = new Map<string, UninferredTensor>();

  for (const init of graph.initializers) {
    scope.shapes.set(init.name, { elemType: init.elemType, shape: init.dims });
    if (isIndexDataType(init.elemType) && init.integerValues) scope.constants.set(init.name, init.integerValues);
  }
  for (const v of graph.inputs) {
    if (scope.shapes.has(v.name)) continue;
    const reject = (message: string) => {
      issues.push(issue(file, `tensor ${v.name}`, message));
      uninferred.set(v.name, { node: '', reason: message, derived: true });
    };
    if (v.elemType === undefined || v.dims === undefined) {
      reject(`graph input '${v.name}' has no tensor type or shape`);
      continue;
    }
    const symbolic = v.dims.filter((d) => typeof d !== 'number');
    if (symbolic.length > 0) {
      reject(`graph input '${v.name}' has symbolic or unknown dimensions [${v.dims.map((d) => d ?? '?').join(', ')}]; give every dimension a number`);
      continue;
    }
    scope.shapes.set(v.name, { elemType: v.elemType, shape: v.dims as number[] });
  }

  const producerOf = new Map<string, number>();
  graph.nodes.forEach((node, i) => {
    for (const out of node.outputs) {
      if (out === '') continue;
      const other = producerOf.get(out);
      if (other !== undefined) {
        issues.push(issue(file, `node ${nodeNames[i]}`, `tensor '${out}' is produced by both node ${nodeNames[other]} and node ${nodeNames[i]}`));
      } else if (scope.shapes.has(out)) {
        issues.push(issue(file, `node ${nodeNames[i]}`, `node output '${out}' redefines a graph input or initializer`));
      } else {
        producerOf.set(out, i);
      }
    }
  });

  const { order, cycle } = topologicalNodeOrder(graph.nodes, producerOf);
  if (cycle) {
    const names = cycle.map((i) => nodeNames[i]);
    issues.push(issue(file, `node ${names[0]}`, `the graph has a cycle: ${[...names, names[0]].join(' -> ')}`));
    return left(issues);
  }

  const declared = new Map<string, OnnxValueInfo>();
  for (const v of [...graph.valueInfo, ...graph.outputs]) declared.set(v.name, v);
  const engine = new ShapeEngine(model, options.shapeFunctions ?? new Map());

  for (const index of order) {
    const node = graph.nodes[index];
    const name = nodeNames[index];
    const outputs = node.outputs.filter((o) => o !== '');
    const markUninferred = (reason: string, derived: boolean) => outputs.forEach((o) => uninferred.set(o, { node: name, reason, derived }));

    let blocked = false;
    for (const t of node.inputs) {
      if (t === '' || scope.shapes.has(t)) continue;
      blocked = true;
      if (!producerOf.has(t) && !uninferred.has(t)) {
        issues.push(
          issue(file, `node ${name}`, `input tensor '${t}' of node ${name} has no producer (it is not a graph input, an initializer or a node output)`),
        );
      }
    }
    if (blocked) {
      markUninferred('an input shape is unknown', true);
      continue;
    }

    const inferred = engine.inferNode(node, scope, opsetVersion, 0);
    if (inferred._tag === 'Left') {
      const fallback = outputs.map((o) => declared.get(o)).map((d) => (d ? declaredShape(d) : undefined));
      if (fallback.every((s): s is TypedShape => s !== undefined) && outputs.length > 0) {
        outputs.forEach((o, i) => scope.shapes.set(o, fallback[i]));
      } else {
        markUninferred(inferred.left, false);
      }
      continue;
    }
    node.outputs.forEach((o, i) => {
      if (o === '') return;
      const shape = inferred.right[i];
      if (!shape) {
        uninferred.set(o, { node: name, reason: `op type '${node.opType}' does not define output ${i}`, derived: false });
        return;
      }
      const d = declared.get(o);
      const problem = d ? mismatch(d, shape) : undefined;
      if (problem) issues.push(issue(file, `node ${name}`, `output tensor '${o}' of node ${name}: ${problem}`));
      scope.shapes.set(o, shape);
    });
    if (node.opType === 'Constant') {
      const value = constantValues(node);
      if (value && outputs[0]) scope.constants.set(outputs[0], value);
    }
  }

  if (issues.length > 0) return left(issues);
  return right({ tensors: scope.shapes, constants: scope.constants, uninferred, nodeOrder: order, nodeNames, opsetVersion });
}
