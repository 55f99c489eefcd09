/**
 * io-ts building blocks for the IR codecs: codecs that carry what the JSON Schema needs beyond the
 * shape (a field description, the keywords of a refinement) so that the codecs stay the one source of
 * truth for both the TypeScript types and the exported schemas (`json-schema.ts`).
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';

/** A JSON value, as JSON Schema keywords hold them. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface JsonSchema {
  readonly [keyword: string]: JsonValue;
}

/** A codec plus the human description its schema shows; decodes and encodes exactly like the wrapped codec. */
export class DescribedType<C extends t.Mixed> extends t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> {
  readonly _tag = 'DescribedType' as const;

  constructor(
    readonly type: C,
    readonly description: string,
  ) {
    super(type.name, type.is, type.validate, type.encode);
  }
}

export function described<C extends t.Mixed>(type: C, description: string): DescribedType<C> {
  return new DescribedType(type, description);
}

/**
 * A refinement that also says how a JSON Schema expresses it (e.g. `{type: 'integer', minimum: 0}`);
 * plain io-ts refinements convert to their base type only.
 */
export class KeywordRefinement<C extends t.Mixed> extends t.RefinementType<C, t.TypeOf<C>, t.OutputOf<C>, unknown> {
  constructor(
    name: string,
    type: C,
    predicate: (value: t.TypeOf<C>) => boolean,
    readonly keywords: JsonSchema,
  ) {
    super(
      name,
      (u): u is t.TypeOf<C> => type.is(u) && predicate(u),
      (u, context) => {
        const base = type.validate(u, context);
        if (isLeft(base)) return base;
        return predicate(base.right) ? t.success(base.right) : t.failure(u, context);
      },
      type.encode,
      type,
      predicate,
    );
  }
}

/** JSON has no NaN or ±Infinity (JSON.stringify would print `null`), so every IR number is finite. */
export const finiteNumber = new KeywordRefinement('number', t.number, Number.isFinite, { type: 'number' });
export const nonNegativeNumber = new KeywordRefinement('number ≥ 0', t.number, (n) => Number.isFinite(n) && n >= 0, { type: 'number', minimum: 0 });
export const integer = new KeywordRefinement('integer', t.number, Number.isSafeInteger, { type: 'integer' });
export const nonNegativeInteger = new KeywordRefinement('integer ≥ 0', t.number, (n) => Number.isSafeInteger(n) && n >= 0, {
  type: 'integer',
  minimum: 0,
});
export const positiveInteger = new KeywordRefinement('integer ≥ 1', t.number, (n) => Number.isSafeInteger(n) && n >= 1, {
  type: 'integer',
  minimum: 1,
});

export function nullable<C extends t.Mixed>(type: C): t.UnionC<[C, t.NullC]> {
  return t.union([type, t.null]);
}

/** A union of string literals (an `enum` in the schema). */
export function oneOfLiterals<L extends string>(values: readonly [L, ...L[]]): t.Type<L, L, unknown> {
  const [first, second, ...rest] = values.map((v) => t.literal(v));
  return second === undefined ? first : t.union([first, second, ...rest]);
}
