import type { ElementType } from '../workload/model';

/** ONNX `TensorProto.DataType` codes used by the front end. */
export const OnnxDataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
} as const;

const DATA_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'UNDEFINED',
  1: 'FLOAT',
  2: 'UINT8',
  3: 'INT8',
  4: 'UINT16',
  5: 'INT16',
  6: 'INT32',
  7: 'INT64',
  8: 'STRING',
  9: 'BOOL',
  10: 'FLOAT16',
  11: 'DOUBLE',
  12: 'UINT32',
  13: 'UINT64',
  14: 'COMPLEX64',
  15: 'COMPLEX128',
  16: 'BFLOAT16',
  17: 'FLOAT8E4M3FN',
  18: 'FLOAT8E4M3FNUZ',
  19: 'FLOAT8E5M2',
  20: 'FLOAT8E5M2FNUZ',
  21: 'UINT4',
  22: 'INT4',
  23: 'FLOAT4E2M1',
};

export function onnxDataTypeName(code: number): string {
  return DATA_TYPE_NAMES[code] ?? `data type ${code}`;
}

/**
 * The reference maps FLOAT, BFLOAT16, INT8, INT16 and INT32; FLOAT16 and UINT8 are added (the builders
 * already accept f16; see reference-surface §10.2 Q19). Everything else is rejected by the caller.
 */
const ELEMENT_TYPES: Readonly<Record<number, ElementType>> = {
  [OnnxDataType.FLOAT]: 'f32',
  [OnnxDataType.BFLOAT16]: 'bf16',
  [OnnxDataType.FLOAT16]: 'f16',
  [OnnxDataType.INT8]: 'i8',
  [OnnxDataType.UINT8]: 'u8',
  [OnnxDataType.INT16]: 'i16',
  [OnnxDataType.INT32]: 'i32',
};

export function elementTypeOf(code: number): ElementType | undefined {
  return ELEMENT_TYPES[code];
}

const ONNX_DATA_TYPES: Readonly<Record<ElementType, number>> = {
  f32: OnnxDataType.FLOAT,
  bf16: OnnxDataType.BFLOAT16,
  f16: OnnxDataType.FLOAT16,
  i8: OnnxDataType.INT8,
  u8: OnnxDataType.UINT8,
  i16: OnnxDataType.INT16,
  i32: OnnxDataType.INT32,
};

export function onnxDataTypeOf(elementType: ElementType): number {
  return ONNX_DATA_TYPES[elementType];
}

/** Integer initializers are shape/index constants, not data: they never become InEdges. */
export function isIndexDataType(code: number): boolean {
  return code === OnnxDataType.INT64 || code === OnnxDataType.INT32;
}
