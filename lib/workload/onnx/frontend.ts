/**
 * ONNX -> affine Workload (reference-co-pipeline §3.1): decode, infer shapes, then build the node list
 * in the reference's order — one InEdge per graph input, one per non-integer initializer, the parsed
 * nodes in file order, one OutEdge per graph output — and the edges from each tensor's unique producer.
 *
 * Pure: the caller supplies the bytes (see `loadWorkload` for the file-reading wrapper).
 */
import { Either, left, right } from 'fp-ts/Either';
import { basename, extname } from 'path';
import { InputIssue, issue } from '../../common/errors';
import {
  decodeOnnxModel,
  elementTypeOf,
  inferShapes,
  InferredGraph,
  isIndexDataType,
  OnnxModel,
  OnnxNode,
  onnxDataTypeName,
} from '../../onnx';
import { edgesOf } from '../analysis/graph';
import { InEdgeNode, nodeInputs, nodeOutputs, OutEdgeNode, Tensor, Workload, WorkloadNode } from '../model';
import type { GemmTransposeMode, OperatorParseContext } from './context';
import { defaultOperatorParsers, OperatorParserRegistry } from './parser-registry';

export interface WorkloadParseOptions {
  /** Gemm transA/transB handling; default `reference` (reproduce + warn, reference-surface Q17). */
  readonly gemmTranspose?: GemmTransposeMode;
  /** Parser registry to use instead of the process-wide one. */
  readonly parsers?: OperatorParserRegistry;
  /** Workload name; default the graph name, else the file's base name. */
  readonly name?: string;
}

export interface ParsedWorkload {
  readonly workload: Workload;
  /** Issues with severity `warning`: reproduced reference quirks and dropped operands worth knowing about. */
  readonly warnings: readonly InputIssue[];
}

/** Decodes and parses ONNX bytes; `file` names the file in issues. */
export function parseOnnxModel(bytes: Uint8Array, file: string, options: WorkloadParseOptions = {}): Either<InputIssue[], ParsedWorkload> {
  const model = decodeOnnxModel(bytes, file);
  return model._tag === 'Left' ? model : workloadFromOnnxModel(model.right, file, options);
}

function typedTensor(inferred: InferredGraph, name: string): Either<string, Tensor> {
  const shape = inferred.tensors.get(name);
  if (!shape) {
    const why = inferred.uninferred.get(name);
    return left(
      why
        ? `the shape of tensor '${name}' cannot be inferred${why.node ? ` (output of node ${why.node})` : ''}: ${why.reason}`
        : `tensor '${name}' is not defined in the graph`,
    );
  }
  const elementType = elementTypeOf(shape.elemType);
  if (!elementType) return left(`tensor '${name}' has unsupported element type ${onnxDataTypeName(shape.elemType)}`);
  return right({ name, elementType, shape: shape.shape });
}

class WorkloadAssembly {
  readonly nodes: WorkloadNode[] = [];
  readonly issues: InputIssue[] = [];
  readonly warnings: InputIssue[] = [];
  /** Tensors whose producer already failed: consumers are skipped instead of repeating the error. */
  readonly failedTensors = new Set<string>();
  private readonly inEdgeNames = new Set<string>();

  constructor(readonly file: string) {}

  error(path: string, message: string): void {
    this.issues.push(issue(this.file, path, message));
  }

  warn(path: string, message: string): void {
    this.warnings.push(issue(this.file, path, message, { severity: 'warning' }));
  }

  addInEdge(tensor: Either<string, Tensor>, name: string, isInitializer: boolean): void {
    if (this.inEdgeNames.has(name)) return; // an initializer also listed as a graph input is one boundary (Q20)
    this.inEdgeNames.add(name);
    if (tensor._tag === 'Left') {
      this.error(`tensor ${name}`, tensor.left);
      this.failedTensors.add(name);
      return;
    }
    const node: InEdgeNode = { kind: 'in', name, output: tensor.right, isInitializer };
    this.nodes.push(node);
  }
}

export function workloadFromOnnxModel(model: OnnxModel, file: string, options: WorkloadParseOptions = {}): Either<InputIssue[], ParsedWorkload> {
  const registry = options.parsers ?? defaultOperatorParsers;
  const inference = inferShapes(model, { file, shapeFunctions: registry.shapeFunctions() });
  if (inference._tag === 'Left') return inference;
  const inferred = inference.right;
  const graph = model.graph;
  const assembly = new WorkloadAssembly(file);
  const tensor = (name: string) => typedTensor(inferred, name);
  const initializerNames = new Set(graph.initializers.map((t) => t.name));

  for (const input of graph.inputs) {
    const init = graph.initializers.find((t) => t.name === input.name);
    if (init && isIndexDataType(init.elemType)) continue; // a shape/index constant, not data
    if (inferred.uninferred.has(input.name)) {
      assembly.failedTensors.add(input.name); // already reported by shape inference
      continue;
    }
    assembly.addInEdge(tensor(input.name), input.name, initializerNames.has(input.name));
  }
  for (const init of graph.initializers) {
    if (!isIndexDataType(init.elemType)) assembly.addInEdge(tensor(init.name), init.name, true);
  }

  const parseOptions = { gemmTranspose: options.gemmTranspose ?? 'reference' } as const;
  graph.nodes.forEach((node, index) => {
    const name = inferred.nodeNames[index];
    const outputs = node.outputs.filter((o) => o !== '');
    const fail = () => outputs.forEach((o) => assembly.failedTensors.add(o));
    if (node.inputs.some((t) => t !== '' && (assembly.failedTensors.has(t) || inferred.uninferred.get(t)?.derived === true))) {
      fail();
      return;
    }
    if (node.opType === 'Constant') {
      addConstant(node, name, tensor, inferred, assembly);
      return;
    }
    const parse = registry.lookup(node.opType);
    if (!parse) {
      assembly.error(`node ${name}`, `No parser registered for ONNX op type '${node.opType}'.`);
      fail();
      return;
    }
    const context: OperatorParseContext = {
      name,
      node,
      opsetVersion: inferred.opsetVersion,
      options: parseOptions,
      tensor,
      constant: (t) => inferred.constants.get(t),
    };
    const parsed = parse(context);
    if (parsed._tag === 'Left') {
      for (const message of parsed.left) assembly.error(`node ${name}`, `${node.opType} node ${name}: ${message}`);
      fail();
      return;
    }
    for (const message of parsed.right.warnings ?? []) assembly.warn(`node ${name}`, `${node.opType} node ${name}: ${message}`);
    assembly.nodes.push(...parsed.right.nodes);
  });

  // One OutEdge per graph output (the reference keeps only the first, Q13).
  const outEdgeNames = new Set<string>();
  for (const output of graph.outputs) {
    if (outEdgeNames.has(output.name) || assembly.failedTensors.has(output.name)) continue;
    outEdgeNames.add(output.name);
    const t = tensor(output.name);
    if (t._tag === 'Left') {
      if (inferred.uninferred.get(output.name)?.derived !== true) assembly.error(`tensor ${output.name}`, `graph output: ${t.left}`);
      continue;
    }
    const node: OutEdgeNode = { kind: 'out', name: output.name, input: t.right };
    assembly.nodes.push(node);
  }

  checkGraph(assembly, inferred);
  if (assembly.issues.length > 0) return left(assembly.issues);
  const name = options.name ?? (graph.name !== '' ? graph.name : basename(file, extname(file)));
  return right({ workload: { name, nodes: assembly.nodes, edges: edgesOf(assembly.nodes) }, warnings: assembly.warnings });
}

/** A Constant's output is a constant input like an initializer (Q21): an InEdge unless it is an integer constant. */
function addConstant(
  node: OnnxNode,
  name: string,
  tensor: (name: string) => Either<string, Tensor>,
  inferred: InferredGraph,
  assembly: WorkloadAssembly,
): void {
  const output = node.outputs[0];
  if (output === undefined || output === '') return;
  const shape = inferred.tensors.get(output);
  if (shape && isIndexDataType(shape.elemType)) return;
  const t = tensor(output);
  if (t._tag === 'Left') {
    assembly.error(`node ${name}`, `Constant node ${name}: ${t.left}`);
    assembly.failedTensors.add(output);
    return;
  }
  assembly.addInEdge(t, output, true);
}

/** Unique node names, unique producers, a producer for every operand, no cycles. */
function checkGraph(assembly: WorkloadAssembly, inferred: InferredGraph): void {
  const seen = new Set<string>();
  for (const n of assembly.nodes) {
    if (seen.has(n.name)) assembly.error(`node ${n.name}`, `two workload nodes are named '${n.name}'; node, graph input and graph output names must be distinct`);
    seen.add(n.name);
  }
  const producer = new Map<string, string>();
  for (const n of assembly.nodes) {
    for (const t of nodeOutputs(n)) {
      const other = producer.get(t.name);
      if (other !== undefined && other !== n.name) assembly.error(`node ${n.name}`, `tensor '${t.name}' is produced by both ${other} and ${n.name}`);
      else producer.set(t.name, n.name);
    }
  }
  for (const n of assembly.nodes) {
    for (const t of nodeInputs(n)) {
      if (producer.has(t.name)) continue;
      if (inferred.constants.has(t.name)) {
        assembly.warn(`node ${n.name}`, `operand '${t.name}' of node ${n.name} is an integer constant; it has no InEdge and no edge`);
      } else {
        assembly.error(`node ${n.name}`, `operand '${t.name}' of node ${n.name} has no producer in the workload`);
      }
    }
  }
  const cycle = findCycle(assembly.nodes, producer);
  if (cycle) assembly.error(`node ${cycle[0]}`, `the workload graph has a cycle: ${[...cycle, cycle[0]].join(' -> ')}`);
}

function findCycle(nodes: readonly WorkloadNode[], producer: ReadonlyMap<string, string>): readonly string[] | undefined {
  const predecessors = new Map(nodes.map((n) => [n.name, [...new Set(nodeInputs(n).flatMap((t) => producer.get(t.name) ?? []))]]));
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): readonly string[] | undefined => {
    const s = state.get(name);
    if (s === 'done') return undefined;
    if (s === 'active') return stack.slice(stack.indexOf(name)).reverse();
    state.set(name, 'active');
    stack.push(name);
    for (const p of predecessors.get(name) ?? []) {
      const found = visit(p);
      if (found) return found;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const n of nodes) {
    const found = visit(n.name);
    if (found) return found;
  }
  return undefined;
}
