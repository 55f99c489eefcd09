/**
 * WorkloadIR (reference-surface §5.1): the workload graph with its unique dims, tensors and resource-
 * unaware generations, plus the algorithmic and compiler views.
 *
 * Version 1.1 = the reference's 1.0 with the Q45 fixes: `operand_type` is described as what it is (the
 * element type), and NodeIR keeps the FusionEdge's `fusion_op_type` that the reference's typed model
 * drops (an added field, hence the minor bump).
 */
import * as t from 'io-ts';
import { UniqueDimSlot, UniqueDimensions, uniqueDimName, uniqueDimensions } from '../workload/analysis/unique-dimensions';
import { tensorAccessors, uniqueDimForm } from '../workload/analysis/tensor-shape';
import { dataflowOrder } from '../workload/analysis/graph';
import { Tensor, Workload, WorkloadNode, hasIterationSpace, nodeInputs, nodeOutputs } from '../workload/model';
import { described, integer, nonNegativeInteger, nullable, oneOfLiterals } from './codec-kit';

export const WORKLOAD_IR_SCHEMA_VERSION = '1.1';
export const WORKLOAD_IR_ID = 'stream/workload_ir/v1';

const schemaVersion = described(t.literal(WORKLOAD_IR_SCHEMA_VERSION), 'WorkloadIR schema version (minor bump = fields added).');

export const TensorRefIRCodec = t.strict({
  name: t.string,
  shape: t.array(nonNegativeInteger),
  operand_type: described(t.string, "Element type of the tensor, e.g. 'bf16' or 'i8' (not the operand role)."),
});

export const NODE_TYPES = ['InEdge', 'OutEdge', 'FusionEdge', 'ComputationNode', 'NormalizationNode', 'TransferNode'] as const;
export const TRANSFER_TYPES = ['COMPUTE_TO_COMPUTE', 'COMPUTE_TO_MEM', 'MEM_TO_COMPUTE', 'MEM_TO_MEM'] as const;

export const NodeIRCodec = t.strict({
  name: t.string,
  node_type: described(oneOfLiterals(NODE_TYPES), 'Node class: graph input/output, layout-only op, computation, normalisation or scheduler-inserted transfer.'),
  dimensions: described(
    nullable(t.record(t.string, nonNegativeInteger)),
    'Local loop D<i> → size, for nodes with an iteration space (computation, normalisation, transfer); null otherwise.',
  ),
  global_dim_indices: described(nullable(t.array(nonNegativeInteger)), 'Global loop slot of each local loop D<i>; null without an iteration space.'),
  inputs: t.array(TensorRefIRCodec),
  outputs: t.array(TensorRefIRCodec),
  computation_type: described(nullable(t.string), 'Operator type (ONNX op or decomposition sub-op) of a computation/normalisation node.'),
  transfer_type: described(nullable(oneOfLiterals(TRANSFER_TYPES)), 'Kind of a transfer node.'),
  fusion_op_type: described(nullable(t.string), 'Original ONNX op type of a FusionEdge (Reshape, Flatten, Transpose, ...).'),
});

export const WorkloadEdgeIRCodec = t.strict({
  source: t.string,
  target: t.string,
  shared_tensors: described(t.array(t.string), 'Tensors the target reads from the source.'),
});

export const TensorIRCodec = t.strict({
  shape: t.array(nonNegativeInteger),
  relevant_dimensions: described(t.array(t.string), 'Unique dims z<i> that index the tensor, ascending.'),
  strides_per_dimension: described(
    t.record(t.string, t.array(integer)),
    'Unique dim z<i> → its coefficient in each tensor axis (0 where it does not appear), read off the last accessor in dataflow order.',
  ),
});

export const UniqueDimensionIRCodec = t.strict({
  index: described(nonNegativeInteger, 'i of z<i>.'),
  size: described(nullable(nonNegativeInteger), 'Size of the loop slot that is this free variable; null if no slot equals it without offset.'),
});

const counts = {
  num_nodes: nonNegativeInteger,
  num_edges: described(nonNegativeInteger, 'Distinct (source, target) pairs.'),
  num_unique_dimensions: nonNegativeInteger,
};
const dimensionExpressions = described(t.array(t.string), "Expression of every global loop slot in unique dims, e.g. 'z3' or 'z3 + 1'.");
const graphParts = {
  nodes: described(t.array(NodeIRCodec), 'Nodes in dataflow order.'),
  edges: t.array(WorkloadEdgeIRCodec),
  tensors: t.record(t.string, TensorIRCodec),
  generations: described(t.record(t.string, nonNegativeInteger), 'Node → topological generation (resource-unaware timeslot).'),
};

export const WorkloadIRCodec = t.strict({
  schema_version: schemaVersion,
  ...counts,
  unique_dimensions: t.record(t.string, UniqueDimensionIRCodec),
  dimension_expressions: dimensionExpressions,
  dimension_relations: described(
    t.array(t.string),
    "Identity relations between global loop slots that merged them into unique dims, one per merged slot: 'd7 = d0' (or 'd7 = d0 + 1').",
  ),
  ...graphParts,
});

export const WorkloadAlgorithmicViewCodec = t.strict({ schema_version: schemaVersion, ...counts, dimension_expressions: dimensionExpressions });
export const WorkloadCompilerViewCodec = t.strict({ schema_version: schemaVersion, ...graphParts });

export type TensorRefIR = t.TypeOf<typeof TensorRefIRCodec>;
export type NodeIR = t.TypeOf<typeof NodeIRCodec>;
export type WorkloadEdgeIR = t.TypeOf<typeof WorkloadEdgeIRCodec>;
export type TensorIR = t.TypeOf<typeof TensorIRCodec>;
export type WorkloadIR = t.TypeOf<typeof WorkloadIRCodec>;
export type WorkloadAlgorithmicView = t.TypeOf<typeof WorkloadAlgorithmicViewCodec>;
export type WorkloadCompilerView = t.TypeOf<typeof WorkloadCompilerViewCodec>;

export const WORKLOAD_VIEWS = ['algorithmic', 'compiler'] as const;
export type WorkloadViewName = (typeof WORKLOAD_VIEWS)[number];

const tensorRef = (tensor: Tensor): TensorRefIR => ({ name: tensor.name, shape: [...tensor.shape], operand_type: tensor.elementType });

function nodeType(node: WorkloadNode): NodeIR['node_type'] {
  switch (node.kind) {
    case 'in':
      return 'InEdge';
    case 'out':
      return 'OutEdge';
    case 'fusion-edge':
      return 'FusionEdge';
    case 'computation':
      return node.reductionAxes !== undefined ? 'NormalizationNode' : 'ComputationNode';
    case 'transfer':
      return 'TransferNode';
  }
}

function formatSlot(slot: UniqueDimSlot): string {
  const z = uniqueDimName(slot.dim);
  return slot.offset === 0 ? z : slot.offset > 0 ? `${z} + ${slot.offset}` : `${z} - ${-slot.offset}`;
}

/** One relation per global slot merged into an earlier one: the same equivalence classes as the solved system. */
function dimensionRelations(dims: UniqueDimensions): string[] {
  const relations: string[] = [];
  dims.slots.forEach((slot, i) => {
    const anchor = dims.firstSlotOfDim[slot.dim] >= 0 ? dims.firstSlotOfDim[slot.dim] : dims.slots.findIndex((s) => s.dim === slot.dim);
    if (anchor === i) return;
    const offset = slot.offset - dims.slots[anchor].offset;
    relations.push(offset === 0 ? `d${i} = d${anchor}` : `d${i} = d${anchor} ${offset > 0 ? '+' : '-'} ${Math.abs(offset)}`);
  });
  return relations;
}

function nodeIR(node: WorkloadNode, dims: UniqueDimensions): NodeIR {
  const first = hasIterationSpace(node) ? dims.firstSlot.get(node.name) : undefined;
  const numDims = hasIterationSpace(node) ? (node.operandMaps[0]?.numDims ?? 0) : 0;
  const slots = first === undefined ? null : Array.from({ length: numDims }, (_, i) => first + i);
  return {
    name: node.name,
    node_type: nodeType(node),
    dimensions: slots === null ? null : Object.fromEntries(slots.map((slot, i) => [`D${i}`, dims.slotSizes[slot]])),
    global_dim_indices: slots,
    inputs: nodeInputs(node).map(tensorRef),
    outputs: nodeOutputs(node).map(tensorRef),
    computation_type: node.kind === 'computation' ? node.type : null,
    transfer_type: node.kind === 'transfer' ? node.transferType : null,
    fusion_op_type: node.kind === 'fusion-edge' ? node.opType : null,
  };
}

function tensorIR(tensor: Tensor, dims: UniqueDimensions): TensorIR {
  const accessors = tensorAccessors(dims, tensor.name);
  const last = accessors[accessors.length - 1];
  const strides = new Map<number, number[]>();
  if (last) {
    last.map.results.forEach((expr, axis) => {
      for (const [z, coef] of uniqueDimForm(dims, last.node, expr).coefs) {
        const row = strides.get(z) ?? new Array<number>(tensor.shape.length).fill(0);
        row[axis] = coef;
        strides.set(z, row);
      }
    });
  }
  const relevant = [...strides.keys()].sort((a, b) => a - b);
  return {
    shape: [...tensor.shape],
    relevant_dimensions: relevant.map(uniqueDimName),
    strides_per_dimension: Object.fromEntries(relevant.map((z) => [uniqueDimName(z), strides.get(z) ?? []])),
  };
}

function edgesIR(workload: Workload): WorkloadEdgeIR[] {
  const byPair = new Map<string, WorkloadEdgeIR>();
  for (const e of workload.edges) {
    const key = `${e.from}\u0000${e.to}`;
    const edge = byPair.get(key) ?? { source: e.from, target: e.to, shared_tensors: [] };
    if (!edge.shared_tensors.includes(e.tensor)) edge.shared_tensors.push(e.tensor);
    byPair.set(key, edge);
  }
  return [...byPair.values()];
}

/** Topological generations: a node's generation is one past the latest of its producers. */
function generations(workload: Workload, order: readonly WorkloadNode[]): Record<string, number> {
  const producers = new Map<string, string[]>();
  for (const e of workload.edges) producers.set(e.to, [...(producers.get(e.to) ?? []), e.from]);
  const generation = new Map<string, number>();
  for (const node of order) {
    const before = (producers.get(node.name) ?? []).map((p) => generation.get(p) ?? 0);
    generation.set(node.name, before.length === 0 ? 0 : Math.max(...before) + 1);
  }
  return Object.fromEntries(workload.nodes.map((n) => [n.name, generation.get(n.name) ?? 0]));
}

/** The WorkloadIR of any workload (an ONNX graph, a fusion group, or a steady-state graph with transfers). */
export function workloadIR(workload: Workload): WorkloadIR {
  const dims = uniqueDimensions(workload);
  const order = dataflowOrder(workload);
  const edges = edgesIR(workload);
  const tensors = new Map<string, Tensor>();
  for (const node of order) for (const tensor of [...nodeInputs(node), ...nodeOutputs(node)]) if (!tensors.has(tensor.name)) tensors.set(tensor.name, tensor);
  return {
    schema_version: WORKLOAD_IR_SCHEMA_VERSION,
    num_nodes: workload.nodes.length,
    num_edges: edges.length,
    num_unique_dimensions: dims.count,
    unique_dimensions: Object.fromEntries(
      dims.sizes.map((size, z) => [uniqueDimName(z), { index: z, size: dims.firstSlotOfDim[z] >= 0 && size !== undefined ? size : null }]),
    ),
    dimension_expressions: dims.slots.map(formatSlot),
    dimension_relations: dimensionRelations(dims),
    nodes: order.map((n) => nodeIR(n, dims)),
    edges,
    tensors: Object.fromEntries([...tensors.values()].map((tensor) => [tensor.name, tensorIR(tensor, dims)])),
    generations: generations(workload, order),
  };
}

export function workloadAlgorithmicView(ir: WorkloadIR): WorkloadAlgorithmicView {
  const { schema_version, num_nodes, num_edges, num_unique_dimensions, dimension_expressions } = ir;
  return { schema_version, num_nodes, num_edges, num_unique_dimensions, dimension_expressions };
}

export function workloadCompilerView(ir: WorkloadIR): WorkloadCompilerView {
  const { schema_version, nodes, edges, tensors, generations: slots } = ir;
  return { schema_version, nodes, edges, tensors, generations: slots };
}

export function workloadView(ir: WorkloadIR, view: WorkloadViewName): WorkloadAlgorithmicView | WorkloadCompilerView {
  return view === 'algorithmic' ? workloadAlgorithmicView(ir) : workloadCompilerView(ir);
}
