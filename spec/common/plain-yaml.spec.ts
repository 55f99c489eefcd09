/**
 * The plain-YAML fast reader (lib/common/plain-yaml.ts) against the `yaml` package: for every YAML
 * file shipped here and with the reference, and for hand-written edge cases, it either declines or
 * gives the same value (key order included), the same position for every field path (and for missing
 * fields below each one) and the same key order for every map.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isLeft } from 'fp-ts/Either';
import { readPlainYaml } from '../../lib/common/plain-yaml';
import { FieldPath, parseYaml, parseYamlDocument } from '../../lib/common/yaml';
import { STREAM_INPUTS } from '../support/reference';

const REPO = path.resolve(__dirname, '..', '..');

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : yamlFiles(file);
    return /\.ya?ml$/.test(entry.name) ? [file] : [];
  });
}

/** Every field path of a value, plus a missing key and a missing index below each. */
function pathsOf(value: unknown, prefix: FieldPath = []): FieldPath[] {
  const out: FieldPath[] = [prefix, [...prefix, 'no_such_field'], [...prefix, 999]];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...pathsOf(item, [...prefix, i]), ...pathsOf(item, [...prefix, String(i)])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

/** Same value, key order, positions and issues as the `yaml` package; true when the fast reader took it. */
function expectSameAsYamlPackage(text: string): boolean {
  const taken = readPlainYaml(text) !== undefined;
  const reference = parseYamlDocument(text, 'x.yaml');
  const ours = parseYaml(text, 'x.yaml');
  if (isLeft(reference) || isLeft(ours)) {
    expect(ours).toEqual(reference);
    return taken;
  }
  const [a, b] = [ours.right, reference.right];
  expect(JSON.stringify(a.value)).toBe(JSON.stringify(b.value));
  expect(a.value).toEqual(b.value);
  expect(a.issues).toEqual(b.issues);
  for (const p of pathsOf(b.value)) {
    expect({ p, position: a.sourceMap.position(p) }).toEqual({ p, position: b.sourceMap.position(p) });
    expect({ p, keys: a.sourceMap.keyOrder(p) }).toEqual({ p, keys: b.sourceMap.keyOrder(p) });
  }
  return taken;
}

describe('plain-YAML reader', () => {
  const shipped = [...yamlFiles(path.join(REPO, 'inputs')), ...yamlFiles(path.join(REPO, 'spec', 'fixtures')), ...yamlFiles(STREAM_INPUTS)];

  it('reads every shipped hardware file itself', () => {
    const hardware = shipped.filter((f) => f.split(path.sep).includes('hardware'));
    expect(hardware.length).toBeGreaterThan(10);
    expect(hardware.filter((f) => readPlainYaml(fs.readFileSync(f, 'utf8')) === undefined)).toEqual([]);
  });

  it.each(shipped.map((f) => [path.relative(REPO, f), f]))('%s: same as the yaml package', (_name, file) => {
    expectSameAsYamlPackage(fs.readFileSync(file, 'utf8'));
  });

  const cases: Record<string, string> = {
    'YAML 1.1 scalars': 'a: 16_777_216\nb: yes\nc: False\nd: 1e10\ne: ~\nf: .inf\ng: 0x1F\nh: 0755\ni: -3\nj: 1.50\nk: on\nm: "quoted # not a comment"\np: \'single\'\n',
    'YAML 1.1 boolean keys': 'y: 1\nn: 2\n',
    timestamps: 'a: 2001-12-14\n',
    'integer and odd keys': '0: a\n1: b\n10: c\n2: d\n1.5: e\nyes: f\n',
    'lists at the key column': 'a:\n- 1\n- x, y\nb: 2\n',
    'nested lists of maps': 'ports:\n  - name: r\n    allocation:\n      - I1, tl\n      - O, fh\n  -   name: w\n      type: write\n',
    'flow collections': 'a: [0, 1, [2, 3], {k: v, l: [x]}]\nb: {}\nc: []\nd: ["I1, tl", \'O, fh\']\ne: [ a , b ]\n',
    comments: '# head\n\na: 1 # one\n  # indented comment\nb: x#y\nc: "#"\n# tail\n',
    'duplicate keys': 'a: 1\na: 2\n',
    'empty value': 'a:\nb: 1\n',
    'multi-line scalar': 'a: one\n  two\nb: 1\n',
    'anchors and aliases': 'a: &x 1\nb: *x\n',
    'merge key': 'base: {a: 1}\nc:\n  <<: {b: 2}\n',
    'block scalar': 'a: |\n  text\n',
    'tabs and CRLF': 'a: 1\r\nb:\t2\n',
    'document markers': '---\na: 1\n...\n',
    'syntax error': 'a: [1, 2\nb: 3\n',
    'escapes in quotes': 'a: "x\\ty"\n',
    'inherited names': 'constructor: 1\ntoString: 2\n',
    'root list': '- a\n- b: 1\n  c: 2\n- [1]\n',
    'colons in scalars': 'a: http://x\nb: "k: v"\nc: x:y\n',
    'trailing comma in flow': 'a: [1, 2, ]\n',
    'no final newline': 'a: 1\nb: [2]',
  };
  it.each(Object.entries(cases))('%s: same as the yaml package', (_name, text) => {
    expectSameAsYamlPackage(text);
  });

  it('takes the plain cases and declines the others', () => {
    const taken = Object.entries(cases)
      .filter(([, text]) => readPlainYaml(text) !== undefined)
      .map(([name]) => name);
    expect(taken).toEqual(
      expect.arrayContaining(['YAML 1.1 scalars', 'lists at the key column', 'nested lists of maps', 'flow collections', 'comments', 'root list', 'no final newline']),
    );
    for (const declined of ['duplicate keys', 'empty value', 'multi-line scalar', 'anchors and aliases', 'block scalar', 'tabs and CRLF', 'syntax error', 'escapes in quotes', 'inherited names', 'timestamps', 'YAML 1.1 boolean keys']) {
      expect(taken).not.toContain(declined);
    }
  });
});
