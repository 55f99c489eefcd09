/**
 * Every IR document and view with its codec and the JSON Schema generated from it: the registry the
 * public API, the CLI (`--schema`) and the committed `schemas/*.schema.json` files are built from.
 */
import * as t from 'io-ts';
import { ACCELERATOR_IR_ID, AcceleratorCompilerViewCodec, AcceleratorHardwareViewCodec, AcceleratorIRCodec } from './accelerator-ir';
import {
  ALLOCATION_IR_ID,
  AllocationAlgorithmicViewCodec,
  AllocationCompilerViewCodec,
  AllocationHardwareViewCodec,
  AllocationIRCodec,
} from './allocation-ir';
import { JsonSchema } from './codec-kit';
import { INFEASIBILITY_IR_ID, InfeasibilityIRCodec } from './infeasibility-ir';
import { toJsonSchemaDocument } from './json-schema';
import { PerformanceViewCodec } from './performance-view';
import { WORKLOAD_IR_ID, WorkloadAlgorithmicViewCodec, WorkloadCompilerViewCodec, WorkloadIRCodec } from './workload-ir';

export type IrKind = 'workload' | 'accelerator' | 'allocation' | 'infeasibility';

export interface IrDocumentType {
  readonly kind: IrKind;
  /** Null for the full document. */
  readonly view: string | null;
  readonly codec: t.Mixed;
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** File name under `schemas/`. */
  readonly file: string;
}

function documentType(kind: IrKind, baseId: string, title: string, codec: t.Mixed, description: string, view: string | null = null): IrDocumentType {
  const stem = `${kind}_ir`;
  return {
    kind,
    view,
    codec,
    id: view === null ? baseId : `${baseId}/${view}_view`,
    title: view === null ? title : `${title} ${view} view`,
    description,
    file: view === null ? `${stem}.schema.json` : `${stem}.${view}_view.schema.json`,
  };
}

export const IR_DOCUMENT_TYPES: readonly IrDocumentType[] = [
  documentType('workload', WORKLOAD_IR_ID, 'WorkloadIR', WorkloadIRCodec, 'A workload graph: nodes, edges, tensors, unique dims and generations.'),
  documentType('workload', WORKLOAD_IR_ID, 'WorkloadIR', WorkloadAlgorithmicViewCodec, 'Graph counts and the unique-dim expression of every loop slot.', 'algorithmic'),
  documentType('workload', WORKLOAD_IR_ID, 'WorkloadIR', WorkloadCompilerViewCodec, 'Nodes, edges, tensors and generations.', 'compiler'),
  documentType('accelerator', ACCELERATOR_IR_ID, 'AcceleratorIR', AcceleratorIRCodec, 'An accelerator: cores with their hardware description and the connectivity.'),
  documentType('accelerator', ACCELERATOR_IR_ID, 'AcceleratorIR', AcceleratorHardwareViewCodec, 'Cores, core count and connectivity.', 'hardware'),
  documentType('accelerator', ACCELERATOR_IR_ID, 'AcceleratorIR', AcceleratorCompilerViewCodec, 'Cores and connectivity.', 'compiler'),
  documentType('allocation', ALLOCATION_IR_ID, 'AllocationIR', AllocationIRCodec, 'One solved fusion group: latency, solve, mapping of every node, steady state, tiling and performance.'),
  documentType('allocation', ALLOCATION_IR_ID, 'AllocationIR', AllocationAlgorithmicViewCodec, 'Latency, backend, solve statistics, constraint selection and fusion splits.', 'algorithmic'),
  documentType('allocation', ALLOCATION_IR_ID, 'AllocationIR', AllocationHardwareViewCodec, 'Resource and memory allocation of every node.', 'hardware'),
  documentType('allocation', ALLOCATION_IR_ID, 'AllocationIR', AllocationCompilerViewCodec, 'Node mapping, fused groups and runtime arguments.', 'compiler'),
  documentType(
    'allocation',
    ALLOCATION_IR_ID,
    'AllocationIR',
    PerformanceViewCodec,
    'Latency, compute- vs transfer-bound cycles, MAC utilisation per node and overall, overlap, tensor reuse and memory occupancy.',
    'performance',
  ),
  documentType('infeasibility', INFEASIBILITY_IR_ID, 'Infeasibility IR', InfeasibilityIRCodec, 'Why a fusion group’s allocation MILP has no solution.'),
];

export function irDocumentType(kind: IrKind, view: string | null = null): IrDocumentType | undefined {
  return IR_DOCUMENT_TYPES.find((d) => d.kind === kind && d.view === view);
}

/** The views a kind offers (besides the full document). */
export function irViews(kind: IrKind): readonly string[] {
  return IR_DOCUMENT_TYPES.filter((d) => d.kind === kind && d.view !== null).map((d) => d.view as string);
}

export function irJsonSchema(type: IrDocumentType): JsonSchema {
  return toJsonSchemaDocument(type.codec, { id: type.id, title: type.title, description: type.description });
}

/** File name → JSON Schema of every IR document and view. */
export function irJsonSchemas(): Readonly<Record<string, JsonSchema>> {
  return Object.fromEntries(IR_DOCUMENT_TYPES.map((type) => [type.file, irJsonSchema(type)]));
}

/** The committed form of a schema file: two-space JSON and a final newline. */
export function formatSchemaFile(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
