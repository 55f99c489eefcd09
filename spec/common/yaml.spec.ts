/** YAML reading with positions, and io-ts decoding into InputIssues (lib/common/yaml.ts, codecs.ts). */
import { isLeft, isRight } from 'fp-ts/Either';
import { decodeWith, int, listOf, mapOf, nonNegNum, num, oneOf, str, strictObject } from '../../lib/common/codecs';
import { formatIssue } from '../../lib/common/errors';
import { ParsedYaml, formatPath, parseYaml } from '../../lib/common/yaml';

function parse(text: string): ParsedYaml {
  const r = parseYaml(text, 'x.yaml');
  if (isLeft(r)) throw new Error(JSON.stringify(r.left));
  return r.right;
}

describe('formatPath', () => {
  it('brackets list indices and integer map keys, dots the rest', () => {
    expect(formatPath(['cores', 1, 'memories', 'sram', 'size'])).toBe('cores[1].memories.sram.size');
    expect(formatPath(['cores', '12'])).toBe('cores[12]');
    expect(formatPath([0, 'core_allocation'])).toBe('[0].core_allocation');
    expect(formatPath([])).toBe('');
  });
});

describe('parseYaml', () => {
  it('reads YAML 1.1 like PyYAML: underscores in numbers, yes/no booleans', () => {
    expect(parse('a: 16_777_216\nb: yes\nc: False\nd: 1e10\n').value).toEqual({ a: 16777216, b: true, c: false, d: 1e10 });
  });

  it('turns syntax errors into issues with line and column', () => {
    const r = parseYaml('a: [1, 2\nb: 3\n', 'bad.yaml');
    if (!isLeft(r)) throw new Error('accepted');
    expect(r.left[0].file).toBe('bad.yaml');
    expect(r.left[0].message).toMatch(/^YAML syntax error: /);
    expect(r.left[0].line).toBeGreaterThanOrEqual(1);
    expect(formatIssue(r.left[0])).toMatch(/^bad\.yaml:\d+:\d+: YAML syntax error/);
  });

  it('locates values, keys of nested collections, and the nearest ancestor of missing fields', () => {
    const { sourceMap } = parse('cores:\n  0: a.yaml\n  1:\n    memories:\n      sram: {size: abc}\nlist:\n  - x\n  - {k: v}\n');
    expect(sourceMap.position(['cores', 0])).toEqual({ line: 2, column: 6 });
    expect(sourceMap.position(['cores', '1', 'memories'])).toEqual({ line: 4, column: 5 });
    expect(sourceMap.position(['cores', 1, 'memories', 'sram', 'size'])).toEqual({ line: 5, column: 20 });
    expect(sourceMap.position(['cores', 1, 'memories', 'sram', 'latency'])).toEqual({ line: 5, column: 7 });
    expect(sourceMap.position(['list', 1, 'k'])).toEqual({ line: 8, column: 9 });
    expect(sourceMap.position(['nope'])).toEqual({ line: 1, column: 1 });
  });

  it('follows aliases', () => {
    const { value, sourceMap } = parse('a: &x\n  - 1\n  - 2\nb: *x\n');
    expect(value).toEqual({ a: [1, 2], b: [1, 2] });
    expect(sourceMap.position(['b', 1])).toEqual({ line: 3, column: 5 });
  });

  it('gives map keys in file order, even integer-like ones', () => {
    const { value, sourceMap } = parse('memories:\n  b: 1\n  10: 2\n  a: 3\n');
    expect(Object.keys((value as { memories: object }).memories)).toEqual(['10', 'b', 'a']);
    expect(sourceMap.keyOrder(['memories'])).toEqual(['b', '10', 'a']);
  });

  it('keeps the last of duplicate keys (as PyYAML) but reports each duplicate', () => {
    const r = parse('a: 1\nb:\n  c: 1\n  c: 2\na: 3\n');
    expect(r.value).toEqual({ a: 3, b: { c: 2 } });
    expect(r.issues.map((i) => `${i.line} ${i.path}: ${i.message}`)).toEqual([
      "4 b.c: duplicate key 'c' (first defined on line 3); the reference (PyYAML) silently keeps the last value",
      "5 a: duplicate key 'a' (first defined on line 1); the reference (PyYAML) silently keeps the last value",
    ]);
  });
});

describe('decodeWith', () => {
  const codec = strictObject(
    'a core map',
    { name: str, memories: mapOf(strictObject('a memory map', { size: int }, { r_cost: num })) },
    { type: oneOf(['a', 'b'] as const), bandwidth: nonNegNum, list: listOf(int, { minLength: 2 }) },
  );

  it('maps io-ts errors to readable messages with field paths and positions', () => {
    const { value, sourceMap } = parse('name: 3\nmemories:\n  sram:\n    size: abc\n    r_cost: 1\n    extra: true\ntype: c\nbandwidth: -1\nlist: [1]\n');
    const r = decodeWith(codec, value, 'core.yaml', sourceMap, []);
    if (!isLeft(r)) throw new Error('accepted');
    expect(r.left.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      '1:7 name: expected a string, got number 3',
      "6:12 memories.sram.extra: unknown field 'extra'",
      "4:11 memories.sram.size: expected an integer, got string 'abc'",
      "7:7 type: expected one of 'a', 'b', got string 'c'",
      '8:12 bandwidth: expected a number ≥ 0, got number -1',
      '9:1 list: must have at least 2 entries, got 1',
    ]);
    expect(r.left.every((i) => i.file === 'core.yaml')).toBe(true);
  });

  it('accepts integers where numbers are expected and reports missing required fields', () => {
    expect(isRight(decodeWith(codec, { name: 'x', memories: { m: { size: 8, r_cost: 1 } } }, 'f'))).toBe(true);
    const r = decodeWith(codec, { memories: {} }, 'f', undefined, ['cores', 2]);
    expect(isLeft(r) && r.left).toEqual([{ file: 'f', path: 'cores[2].name', message: "required field 'name' is missing" }]);
  });
});
