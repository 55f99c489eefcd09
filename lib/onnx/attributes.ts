/**
 * Typed attribute reading with ONNX defaults. Scalar (INT/FLOAT/STRING) attributes are read as well as
 * list-valued ones: the reference only reads INTS, so `axis` was never honoured (reference-surface
 * §10.2 Q14); this port reads them.
 *
 * A reader collects type errors instead of throwing, so a parser can report every problem of a node.
 */
import type { OnnxAttributeValue, OnnxNode } from './model';

export class AttributeReader {
  private readonly problems: string[] = [];

  constructor(private readonly attributes: Readonly<Record<string, OnnxAttributeValue>>) {}

  static of(node: OnnxNode): AttributeReader {
    return new AttributeReader(node.attributes);
  }

  get errors(): readonly string[] {
    return this.problems;
  }

  has(name: string): boolean {
    return name in this.attributes;
  }

  int(name: string, fallback: number): number {
    const a = this.attributes[name];
    if (a === undefined) return fallback;
    if (a.type === 'int') return a.value;
    this.problems.push(`attribute '${name}' must be an INT, got ${describe(a)}`);
    return fallback;
  }

  float(name: string, fallback: number): number {
    const a = this.attributes[name];
    if (a === undefined) return fallback;
    if (a.type === 'float') return a.value;
    if (a.type === 'int') return a.value;
    this.problems.push(`attribute '${name}' must be a FLOAT, got ${describe(a)}`);
    return fallback;
  }

  string(name: string, fallback: string): string {
    const a = this.attributes[name];
    if (a === undefined) return fallback;
    if (a.type === 'string') return a.value;
    this.problems.push(`attribute '${name}' must be a STRING, got ${describe(a)}`);
    return fallback;
  }

  /** `undefined` when absent. */
  ints(name: string): readonly number[] | undefined {
    const a = this.attributes[name];
    if (a === undefined) return undefined;
    if (a.type === 'ints') return a.value;
    this.problems.push(`attribute '${name}' must be INTS, got ${describe(a)}`);
    return undefined;
  }
}

function describe(a: OnnxAttributeValue): string {
  return a.type === 'unsupported' ? a.onnxType : a.type.toUpperCase();
}

/** Normalises a possibly negative axis; `undefined` when out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}
