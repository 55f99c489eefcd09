/**
 * The io-ts → JSON Schema converter: one schema per combinator the IR codecs use, descriptions and
 * refinement keywords carried over, unsupported codecs rejected; and the assertions the other IR specs
 * rely on catch what they should.
 */
import * as t from 'io-ts';
import Ajv from 'ajv';
import {
  JSON_SCHEMA_DIALECT,
  UnsupportedCodecError,
  described,
  finiteNumber,
  integer,
  nonNegativeInteger,
  nullable,
  oneOfLiterals,
  toJsonSchema,
  toJsonSchemaDocument,
} from '../../lib/ir';
import { documentProblems, documentType } from './support';

describe('toJsonSchema', () => {
  it.each([
    ['string', t.string, { type: 'string' }],
    ['number', t.number, { type: 'number' }],
    ['boolean', t.boolean, { type: 'boolean' }],
    ['null', t.null, { type: 'null' }],
    ['unknown', t.unknown, {}],
    ['string literal', t.literal('1.1'), { type: 'string', const: '1.1' }],
    ['boolean literal', t.literal(false), { type: 'boolean', const: false }],
    ['keyof', t.keyof({ a: null, b: null }), { type: 'string', enum: ['a', 'b'] }],
    ['union of literals', oneOfLiterals(['core', 'link']), { type: 'string', enum: ['core', 'link'] }],
    ['mixed literals', t.union([t.literal('x'), t.literal(1)]), { enum: ['x', 1] }],
    ['nullable', nullable(t.string), { anyOf: [{ type: 'string' }, { type: 'null' }] }],
    ['array', t.array(t.string), { type: 'array', items: { type: 'string' } }],
    ['readonly array', t.readonlyArray(t.number), { type: 'array', items: { type: 'number' } }],
    ['tuple', t.tuple([t.string, t.number]), { type: 'array', items: [{ type: 'string' }, { type: 'number' }], minItems: 2, maxItems: 2, additionalItems: false }],
    ['record', t.record(t.string, t.boolean), { type: 'object', additionalProperties: { type: 'boolean' } }],
    ['record over keys', t.record(t.keyof({ x: null }), t.number), { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] }],
    ['type', t.type({ a: t.string }), { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }],
    ['partial', t.partial({ a: t.string }), { type: 'object', properties: { a: { type: 'string' } } }],
    ['empty type', t.type({}), { type: 'object', properties: {} }],
    ['strict', t.strict({ a: t.string }), { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }],
    [
      'intersection of objects (merged)',
      t.intersection([t.type({ a: t.string }), t.partial({ b: t.number })]),
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a'] },
    ],
    ['intersection of other schemas (allOf)', t.intersection([t.string, t.type({})]), { allOf: [{ type: 'string' }, { type: 'object', properties: {} }] }],
    ['plain refinement = its base type', t.Int, { type: 'number' }],
    ['keyword refinement', nonNegativeInteger, { type: 'integer', minimum: 0 }],
    ['finite number', finiteNumber, { type: 'number' }],
    ['description', described(integer, 'cycles'), { type: 'integer', description: 'cycles' }],
  ] as const)('%s', (_name, codec, schema) => {
    expect(toJsonSchema(codec)).toEqual(schema);
  });

  it('rejects a codec it cannot express, naming where it sits', () => {
    expect(() => toJsonSchema(t.type({ when: t.type({ at: t.undefined }) }))).toThrow(UnsupportedCodecError);
    expect(() => toJsonSchema(t.type({ when: t.type({ at: t.undefined }) }))).toThrow(/'undefined'.*\.when\.at/);
  });

  it('a document schema carries the dialect, $id, title and description', () => {
    expect(toJsonSchemaDocument(t.type({}), { id: 'stream/x/v1', title: 'X', description: 'an x' })).toEqual({
      $schema: JSON_SCHEMA_DIALECT,
      $id: 'stream/x/v1',
      title: 'X',
      description: 'an x',
      type: 'object',
      properties: {},
    });
  });

  it('the generated schemas accept exactly what the codec accepts on sample values', () => {
    const codec = t.strict({
      n: nonNegativeInteger,
      kind: oneOfLiterals(['a', 'b']),
      pair: t.tuple([t.string, integer]),
      maybe: nullable(t.record(t.string, t.array(finiteNumber))),
    });
    const validate = new Ajv({ strict: true }).compile(toJsonSchema(codec));
    const samples: unknown[] = [
      { n: 0, kind: 'a', pair: ['z1', 4], maybe: null },
      { n: 3, kind: 'b', pair: ['z1', -2], maybe: { x: [1.5, 2] } },
      { n: -1, kind: 'a', pair: ['z1', 4], maybe: null },
      { n: 1.5, kind: 'a', pair: ['z1', 4], maybe: null },
      { n: 1, kind: 'c', pair: ['z1', 4], maybe: null },
      { n: 1, kind: 'a', pair: ['z1', 4, 5], maybe: null },
      { n: 1, kind: 'a', pair: ['z1', 4] },
      { n: 1, kind: 'a', pair: ['z1', 4], maybe: { x: ['1'] } },
    ];
    for (const sample of samples) expect({ sample, schema: validate(sample) }).toEqual({ sample, schema: codec.is(sample) });
  });
});

describe('documentProblems (the check the golden IR spec applies to every document)', () => {
  const type = documentType('workload', 'algorithmic');
  const valid = { schema_version: '1.1', num_nodes: 2, num_edges: 1, num_unique_dimensions: 1, dimension_expressions: ['z0'] };

  it('accepts a valid document', () => {
    expect(documentProblems(type, valid)).toEqual([]);
  });

  it.each([
    ['a field the codec does not know', { ...valid, extra: 1 }, /fields the codec does not know/],
    ['a value JSON cannot carry', { ...valid, dimension_expressions: ['z0'], num_nodes: 2, num_edges: NaN }, /./],
    ['an undefined field', { ...valid, num_nodes: undefined }, /./],
    ['a wrong schema version', { ...valid, schema_version: '1.0' }, /schema_version/],
    ['a negative count', { ...valid, num_nodes: -1 }, /num_nodes/],
  ])('reports %s', (_name, document, problem) => {
    const problems = documentProblems(type, document);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(problem);
  });
});
