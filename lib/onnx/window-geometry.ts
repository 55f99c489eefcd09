/**
 * Geometry of sliding-window operators (Conv, MaxPool): strides, dilations and the begin/end padding per
 * spatial axis, resolved from the ONNX attributes (including `auto_pad`), and the resulting output extents.
 * Shared by shape inference and the operator parsers so that both read the attributes the same way.
 */
import { AttributeReader } from './attributes';

export interface WindowGeometry {
  /** Per spatial axis, in ONNX order (height, width for 2-D). */
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly padsBegin: readonly number[];
  readonly padsEnd: readonly number[];
  readonly outputSpatial: readonly number[];
}

export interface WindowRequest {
  readonly inputSpatial: readonly number[];
  readonly kernel: readonly number[];
  readonly ceilMode: boolean;
}

export type WindowResult = { readonly ok: true; readonly geometry: WindowGeometry } | { readonly ok: false; readonly errors: readonly string[] };

export function resolveWindowGeometry(attrs: AttributeReader, request: WindowRequest): WindowResult {
  const rank = request.inputSpatial.length;
  const errors: string[] = [];
  const listOrDefault = (name: string, fallback: number, length: number): readonly number[] => {
    const v = attrs.ints(name);
    if (v === undefined) return Array.from({ length }, () => fallback);
    if (v.length !== length) errors.push(`attribute '${name}' must have ${length} values, got ${v.length}`);
    return v;
  };
  const strides = listOrDefault('strides', 1, rank);
  const dilations = listOrDefault('dilations', 1, rank);
  const autoPad = attrs.string('auto_pad', 'NOTSET');
  let padsBegin: number[];
  let padsEnd: number[];
  if (autoPad === 'NOTSET') {
    const pads = listOrDefault('pads', 0, 2 * rank);
    padsBegin = pads.slice(0, rank);
    padsEnd = pads.slice(rank, 2 * rank);
  } else if (autoPad === 'VALID') {
    padsBegin = Array.from({ length: rank }, () => 0);
    padsEnd = [...padsBegin];
  } else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    padsBegin = [];
    padsEnd = [];
    for (let i = 0; i < rank; i++) {
      const out = Math.ceil(request.inputSpatial[i] / (strides[i] ?? 1));
      const window = ((request.kernel[i] ?? 1) - 1) * (dilations[i] ?? 1) + 1;
      const total = Math.max(0, (out - 1) * (strides[i] ?? 1) + window - request.inputSpatial[i]);
      const small = Math.floor(total / 2);
      padsBegin.push(autoPad === 'SAME_UPPER' ? small : total - small);
      padsEnd.push(autoPad === 'SAME_UPPER' ? total - small : small);
    }
  } else {
    errors.push(`attribute 'auto_pad' has unknown value '${autoPad}'`);
    padsBegin = [];
    padsEnd = [];
  }
  if (strides.some((s) => s < 1)) errors.push(`strides must be positive, got [${strides.join(', ')}]`);
  if (dilations.some((d) => d < 1)) errors.push(`dilations must be positive, got [${dilations.join(', ')}]`);
  if ([...padsBegin, ...padsEnd].some((p) => p < 0)) errors.push('pads must not be negative');
  if (errors.length > 0) return { ok: false, errors };

  const outputSpatial: number[] = [];
  for (let i = 0; i < rank; i++) {
    const window = (request.kernel[i] - 1) * dilations[i] + 1;
    const span = request.inputSpatial[i] + padsBegin[i] + padsEnd[i] - window;
    const out = (request.ceilMode ? Math.ceil(span / strides[i]) : Math.floor(span / strides[i])) + 1;
    if (span < 0 || out < 1) {
      errors.push(
        `window of extent ${window} on spatial axis ${i} does not fit the padded input extent ${request.inputSpatial[i] + padsBegin[i] + padsEnd[i]}`,
      );
    }
    outputSpatial.push(out);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, geometry: { strides, dilations, padsBegin, padsEnd, outputSpatial } };
}
