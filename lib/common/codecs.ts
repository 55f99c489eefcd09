/**
 * io-ts building blocks for the YAML front ends, named so that a failed decode reads like a sentence
 * ("expected an integer ≥ 0, got string 'abc'"), plus the decoder that turns io-ts errors into
 * `InputIssue`s with field paths and YAML positions.
 *
 * Only generic combinators live here; the schemas themselves live in their front ends
 * (`lib/hardware/codecs.ts`, `lib/mapping/codecs.ts`).
 */
import * as t from 'io-ts';
import { Either, isLeft, left, right } from 'fp-ts/Either';
import { InputIssue } from './errors';
import { FieldPath, IssueCollector, PathSegment, SourceMap, describeValue } from './yaml';

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

function primitive<A>(name: string, is: (u: unknown) => u is A): t.Type<A, A, unknown> {
  return new t.Type<A, A, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity);
}

const isNumber = (u: unknown): u is number => typeof u === 'number' && !Number.isNaN(u);

/** Any YAML number; the reference's Cerberus `float` fields accept integers (Q11). */
export const num = primitive('a number', isNumber);
export const nonNegNum = primitive('a number ≥ 0', (u): u is number => isNumber(u) && u >= 0);
export const int = primitive('an integer', (u): u is number => Number.isInteger(u));
export const nonNegInt = primitive('an integer ≥ 0', (u): u is number => Number.isInteger(u) && (u as number) >= 0);
export const posInt = primitive('a positive integer', (u): u is number => Number.isInteger(u) && (u as number) >= 1);
export const str = primitive('a string', (u): u is string => typeof u === 'string');
export const bool = primitive('a boolean', (u): u is boolean => typeof u === 'boolean');
/** Anything at all: for free-form payloads such as kernel kwargs. */
export const anything = primitive('anything', (_u): _u is unknown => true);

export function nullable<A>(codec: t.Type<A, A, unknown>): t.Type<A | null, A | null, unknown> {
  return new t.Type<A | null, A | null, unknown>(
    `${codec.name} or null`,
    (u): u is A | null => u === null || codec.is(u),
    (u, c) => (u === null ? t.success(null) : codec.validate(u, c)),
    t.identity,
  );
}

/** A string matching `pattern`; `description` is what the message says was expected. */
export function matching(pattern: RegExp, description: string): t.Type<string, string, unknown> {
  return primitive(description, (u): u is string => typeof u === 'string' && pattern.test(u));
}

export function oneOf<L extends string>(values: readonly L[]): t.Type<L, L, unknown> {
  return primitive(`one of ${values.map((v) => `'${v}'`).join(', ')}`, (u): u is L => values.includes(u as L));
}

export function listOf<A>(
  item: t.Type<A, A, unknown>,
  options: { minLength?: number; maxLength?: number } = {},
): t.Type<readonly A[], readonly A[], unknown> {
  const { minLength = 0, maxLength = Infinity } = options;
  const name = 'a list';
  return new t.Type<readonly A[], readonly A[], unknown>(
    name,
    (u): u is readonly A[] => Array.isArray(u) && u.every(item.is),
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c);
      if (u.length < minLength) return t.failure(u, c, `must have at least ${minLength} entr${minLength === 1 ? 'y' : 'ies'}, got ${u.length}`);
      if (u.length > maxLength) return t.failure(u, c, `must have at most ${maxLength} entr${maxLength === 1 ? 'y' : 'ies'}, got ${u.length}`);
      const errors: t.ValidationError[] = [];
      const out: A[] = [];
      u.forEach((v, i) => {
        const r = item.validate(v, t.appendContext(c, String(i), item, v));
        if (isLeft(r)) errors.push(...r.left);
        else out.push(r.right);
      });
      return errors.length ? left(errors) : right(out);
    },
    t.identity,
  );
}

/** A map with free keys and uniformly typed values. */
export function mapOf<A>(value: t.Type<A, A, unknown>): t.Type<Readonly<Record<string, A>>, Readonly<Record<string, A>>, unknown> {
  return new t.Type<Readonly<Record<string, A>>, Readonly<Record<string, A>>, unknown>(
    'a map',
    (u): u is Record<string, A> => isPlainObject(u) && Object.values(u).every(value.is),
    (u, c) => {
      if (!isPlainObject(u)) return t.failure(u, c);
      const errors: t.ValidationError[] = [];
      const out: Record<string, A> = {};
      for (const [k, v] of Object.entries(u)) {
        const r = value.validate(v, t.appendContext(c, k, value, v));
        if (isLeft(r)) errors.push(...r.left);
        else out[k] = r.right;
      }
      return errors.length ? left(errors) : right(out);
    },
    t.identity,
  );
}

type Props = Record<string, t.Mixed>;
type TypeOfProps<P extends Props> = { readonly [K in keyof P]: t.TypeOf<P[K]> };

/**
 * A map with known fields only: unknown keys are rejected (Cerberus' default in the reference) and a
 * missing required field says so instead of "expected a string, got nothing".
 */
export function strictObject<R extends Props, O extends Props>(
  name: string,
  required: R,
  optional: O,
): t.Type<TypeOfProps<R> & Partial<TypeOfProps<O>>, TypeOfProps<R> & Partial<TypeOfProps<O>>, unknown> {
  type Out = TypeOfProps<R> & Partial<TypeOfProps<O>>;
  const known = new Set([...Object.keys(required), ...Object.keys(optional)]);
  const codec: t.Type<Out, Out, unknown> = new t.Type<Out, Out, unknown>(
    name,
    (u): u is Out => isPlainObject(u) && isRight(codec.validate(u, [])),
    (u, c) => {
      if (!isPlainObject(u)) return t.failure(u, c);
      const errors: t.ValidationError[] = [];
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(u)) {
        if (!known.has(key)) {
          errors.push({ value: u[key], context: [...c, { key, type: anything, actual: u[key] }], message: `unknown field '${key}'` });
        }
      }
      for (const [key, fieldCodec] of Object.entries(required)) {
        if (!(key in u) || u[key] === undefined) {
          errors.push({ value: undefined, context: [...c, { key, type: fieldCodec, actual: undefined }], message: `required field '${key}' is missing` });
          continue;
        }
        const r = fieldCodec.validate(u[key], t.appendContext(c, key, fieldCodec, u[key]));
        if (isLeft(r)) errors.push(...r.left);
        else out[key] = r.right;
      }
      for (const [key, fieldCodec] of Object.entries(optional)) {
        if (!(key in u) || u[key] === undefined) continue;
        const r = fieldCodec.validate(u[key], t.appendContext(c, key, fieldCodec, u[key]));
        if (isLeft(r)) errors.push(...r.left);
        else out[key] = r.right;
      }
      return errors.length ? left(errors) : right(out as Out);
    },
    t.identity,
  );
  return codec;
}

function isRight<E, A>(e: Either<E, A>): boolean {
  return !isLeft(e);
}

/** Message for one io-ts error: its own message if it has one, else "expected <type>, got <value>". */
function errorMessage(error: t.ValidationError): string {
  if (error.message) return error.message;
  const last = error.context[error.context.length - 1];
  return `expected ${last?.type.name ?? 'a different value'}, got ${describeValue(error.value)}`;
}

/** Data path of an io-ts context: the keys, without the root entry. */
function contextPath(context: t.Context): PathSegment[] {
  const path: PathSegment[] = [];
  for (let i = 1; i < context.length; i++) {
    const key = context[i].key;
    path.push(/^\d+$/.test(key) && Array.isArray(context[i - 1].actual) ? Number(key) : key);
  }
  return path;
}

/**
 * Decodes `value` with `codec`; every io-ts error becomes an issue naming the file, the field path
 * (prefixed by `basePath`, for values nested in a larger document) and the YAML position.
 */
export function decodeWith<A>(
  codec: t.Type<A, A, unknown> | t.Decoder<unknown, A>,
  value: unknown,
  file: string,
  sourceMap?: SourceMap,
  basePath: FieldPath = [],
): Either<InputIssue[], A> {
  const result = codec.decode(value);
  if (!isLeft(result)) return right(result.right);
  const collector = new IssueCollector(file, sourceMap);
  const seen = new Set<string>();
  for (const error of result.left) {
    const path = [...basePath, ...contextPath(error.context)];
    const message = errorMessage(error);
    const key = `${path.join('\u0000')}\u0001${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    collector.error(path, message);
  }
  return left([...collector.issues]);
}
