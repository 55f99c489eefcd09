/**
 * io-ts codec → JSON Schema (draft-07), for the combinators the IR codecs use: type, partial, exact,
 * intersection, union, literal, keyof, array, tuple, record, string/number/boolean/null/unknown and
 * refinements (as their base type, plus the keywords of a `KeywordRefinement`), with the descriptions
 * of `DescribedType`. Anything else throws, so a codec the converter cannot express is caught when the
 * schemas are generated, not by a user whose document fails to validate.
 *
 * Objects are left open (no `additionalProperties: false`): under the IR's versioning policy a minor
 * version adds fields, and a consumer validating against an older minor schema must still accept the
 * document. The codecs are exact (`t.exact`/`t.strict`), which strips unknown fields when decoding.
 */
import * as t from 'io-ts';
import { DescribedType, JsonSchema, JsonValue, KeywordRefinement } from './codec-kit';

export const JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

export interface SchemaDocumentInfo {
  /** `$id`, e.g. `stream/workload_ir/v1`. */
  readonly id: string;
  readonly title: string;
  readonly description?: string;
}

export class UnsupportedCodecError extends Error {
  constructor(codec: t.Mixed, path: string) {
    super(`cannot express codec '${codec.name}' (${codec.constructor.name}) at ${path || '<root>'} as JSON Schema`);
    this.name = 'UnsupportedCodecError';
  }
}

function isLiteral(codec: t.Mixed): codec is t.LiteralType<string | number | boolean> {
  return codec instanceof t.LiteralType;
}

function jsonTypeOf(value: string | number | boolean): string {
  return typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'boolean';
}

/** `{type: 'object', properties, required}` with nothing else: the only schemas an intersection may merge. */
function isPlainObjectSchema(schema: JsonSchema): boolean {
  return schema.type === 'object' && Object.keys(schema).every((k) => k === 'type' || k === 'properties' || k === 'required');
}

function objectSchema(props: t.Props, requiredKeys: boolean, path: string): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, codec] of Object.entries(props)) properties[key] = convert(codec, `${path}.${key}`);
  const keys = Object.keys(props);
  return requiredKeys && keys.length > 0 ? { type: 'object', properties, required: keys } : { type: 'object', properties };
}

function mergeObjects(schemas: readonly JsonSchema[]): JsonSchema {
  const properties: Record<string, JsonValue> = {};
  const required: string[] = [];
  for (const s of schemas) {
    Object.assign(properties, s.properties as Record<string, JsonValue> | undefined);
    for (const key of (s.required as readonly string[] | undefined) ?? []) if (!required.includes(key)) required.push(key);
  }
  return required.length > 0 ? { type: 'object', properties, required } : { type: 'object', properties };
}

function convert(codec: t.Mixed, path: string): JsonSchema {
  if (codec instanceof DescribedType) return { ...convert(codec.type, path), description: codec.description };
  if (codec instanceof KeywordRefinement) return { ...convert(codec.type, path), ...codec.keywords };
  if (codec instanceof t.RefinementType) return convert(codec.type, path);
  if (codec instanceof t.ExactType || codec instanceof t.ReadonlyType) return convert(codec.type, path);
  if (codec instanceof t.StringType) return { type: 'string' };
  if (codec instanceof t.NumberType) return { type: 'number' };
  if (codec instanceof t.BooleanType) return { type: 'boolean' };
  if (codec instanceof t.NullType) return { type: 'null' };
  if (codec instanceof t.UnknownType) return {};
  if (isLiteral(codec)) return { type: jsonTypeOf(codec.value), const: codec.value };
  if (codec instanceof t.KeyofType) return { type: 'string', enum: Object.keys(codec.keys) };
  if (codec instanceof t.ArrayType || codec instanceof t.ReadonlyArrayType) return { type: 'array', items: convert(codec.type, `${path}[]`) };
  if (codec instanceof t.TupleType) {
    const items = (codec.types as t.Mixed[]).map((c, i) => convert(c, `${path}[${i}]`));
    return { type: 'array', items, minItems: items.length, maxItems: items.length, additionalItems: false };
  }
  if (codec instanceof t.InterfaceType) return objectSchema(codec.props as t.Props, true, path);
  if (codec instanceof t.PartialType) return objectSchema(codec.props as t.Props, false, path);
  if (codec instanceof t.IntersectionType) {
    const parts = (codec.types as t.Mixed[]).map((c) => convert(c, path));
    return parts.every(isPlainObjectSchema) ? mergeObjects(parts) : { allOf: parts };
  }
  if (codec instanceof t.UnionType) {
    const members = codec.types as t.Mixed[];
    if (members.every(isLiteral)) {
      const values = members.map((m) => m.value);
      const types = [...new Set(values.map(jsonTypeOf))];
      return types.length === 1 ? { type: types[0], enum: values } : { enum: values };
    }
    return { anyOf: members.map((m) => convert(m, path)) };
  }
  if (codec instanceof t.DictionaryType) {
    const domain = codec.domain as t.Mixed;
    const values = convert(codec.codomain as t.Mixed, `${path}{}`);
    if (domain instanceof t.KeyofType) {
      const keys = Object.keys(domain.keys);
      return { type: 'object', properties: Object.fromEntries(keys.map((k) => [k, values])), required: keys };
    }
    if (domain instanceof t.StringType) return { type: 'object', additionalProperties: values };
    if (domain instanceof t.RefinementType && domain.type instanceof t.StringType) return { type: 'object', additionalProperties: values };
  }
  throw new UnsupportedCodecError(codec, path);
}

/** The schema of a codec, without document-level keywords (for embedding). */
export function toJsonSchema(codec: t.Mixed): JsonSchema {
  return convert(codec, '');
}

/** A standalone schema document: dialect, `$id`, title and description, then the codec's schema. */
export function toJsonSchemaDocument(codec: t.Mixed, info: SchemaDocumentInfo): JsonSchema {
  const body = toJsonSchema(codec);
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: info.id,
    title: info.title,
    ...(info.description !== undefined ? { description: info.description } : {}),
    ...body,
  };
}
