/**
 * A fast reader for the plain YAML that hardware and mapping files are written in: block maps and
 * lists, one-line flow lists and maps, plain and simply quoted scalars, comments. It reads a file
 * the way the `yaml` package does (same values, same key order, same node positions) and gives up
 * (returns undefined) on anything else, which then goes through the `yaml` package: anchors, tags,
 * block scalars, multi-line scalars or flow collections, escapes, duplicate keys, empty values, tabs,
 * syntax errors.
 *
 * Why: a CLI run reads 3-40 small YAML files once each, and the `yaml` package's general parser runs
 * them with cold code (≈ 8 ms per core file, ≈ 45 ms for simba's 37-core system file); this reader is
 * a small fraction of that. Scalars resolve through the `yaml` package's own YAML 1.1 tags, so `yes`,
 * `16_777_216` or `.inf` mean exactly what they mean there.
 */
import { Scalar, Schema } from 'yaml';

export interface PlainScalarNode {
  readonly kind: 'scalar';
  /** Offset of the scalar's first character (its quote, for a quoted scalar). */
  readonly offset: number;
  readonly value: string | number | boolean | null;
}

export interface PlainPair {
  readonly key: PlainScalarNode;
  readonly value: PlainNode;
}

export interface PlainMapNode {
  readonly kind: 'map';
  /** Offset of the first key (of the `{` for a flow map). */
  readonly offset: number;
  readonly pairs: readonly PlainPair[];
}

export interface PlainSeqNode {
  readonly kind: 'seq';
  /** Offset of the first `-` (of the `[` for a flow list). */
  readonly offset: number;
  readonly items: readonly PlainNode[];
}

export type PlainNode = PlainScalarNode | PlainMapNode | PlainSeqNode;

export interface PlainDocument {
  readonly root: PlainNode;
  /** The document as plain JS data, as the `yaml` package's `toJS` gives it. */
  readonly value: unknown;
}

/** Thrown inside the reader when the text is not in the supported subset. */
class Unsupported extends Error {}

const unsupported = (): never => {
  throw new Unsupported();
};

/** The `yaml` package's YAML 1.1 schema (as `parseDocument(…, { version: '1.1' })` builds it). */
let yaml11: Schema | undefined;

interface ScalarTag {
  readonly default?: boolean | 'key';
  readonly test?: RegExp;
  readonly collection?: string;
  resolve(value: string, onError: (message: string) => void, options: object): unknown;
}

/** Resolves a plain scalar as the `yaml` package's composer does (first default tag whose test matches). */
function resolvePlain(source: string, atKey: boolean): string | number | boolean | null {
  yaml11 ??= new Schema({ resolveKnownTags: false, schema: 'yaml-1.1' });
  const tags = yaml11.tags as unknown as readonly ScalarTag[];
  const tag = tags.find((t) => (t.default === true || (atKey && t.default === 'key')) && t.test?.test(source));
  if (!tag) return source;
  let failed = false;
  const resolved = tag.resolve(source, () => (failed = true), {});
  const value = resolved instanceof Scalar ? resolved.value : resolved;
  if (failed) unsupported();
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return unsupported();
}

/** Characters that start something other than a plain scalar (indicators), or need the full parser. */
const NOT_PLAIN_START = /^[-?:,[\]{}#&*!|>'"%@`]/;

interface Line {
  /** Offset of the line's first character. */
  readonly start: number;
  readonly indent: number;
  /** The line without its comment and trailing spaces, from `start`. */
  readonly text: string;
}

/** Where a `#` starts a comment: at the line start or after a space, outside quotes. */
function commentStart(line: string): number {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      // Only a quote that starts a scalar opens a quoted string; one inside a plain scalar is text.
      const before = i === 0 ? ' ' : line[i - 1];
      if (before === ' ' || before === '[' || before === '{' || before === ',' || before === ':') quote = c;
    } else if (c === '#' && (i === 0 || line[i - 1] === ' ')) {
      return i;
    }
  }
  if (quote) unsupported();
  return line.length;
}

function contentLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end);
    const content = raw.slice(0, commentStart(raw)).trimEnd();
    if (content.trim() !== '') {
      const indent = content.length - content.trimStart().length;
      lines.push({ start, indent, text: content });
    }
    start = end + 1;
  }
  return lines;
}

/** Offset of the `:` that ends a map key in `text` from `from` (a `:` before a space or the end), or −1. */
function keyColon(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === ':' && (i + 1 === text.length || text[i + 1] === ' ')) return i;
    if (c === '"' || c === "'" || c === '[' || c === ']' || c === '{' || c === '}' || c === ',' || c === '#') return -1;
  }
  return -1;
}

class Reader {
  private index = 0;

  constructor(private readonly lines: readonly Line[]) {}

  done(): boolean {
    return this.index >= this.lines.length;
  }

  private peek(): Line | undefined {
    return this.lines[this.index];
  }

  /** A block map or list starting at the current line, whose entries sit at `indent`. */
  block(indent: number): PlainNode {
    const line = this.peek() ?? unsupported();
    if (line.indent !== indent) unsupported();
    return isListEntry(line.text, indent) ? this.list(indent) : this.map(indent, line.start + indent, line.text.slice(indent));
  }

  /** Block list: `- item` lines at `indent`. */
  private list(indent: number): PlainSeqNode {
    const items: PlainNode[] = [];
    const offset = this.lines[this.index].start + indent;
    for (let line = this.peek(); line && line.indent === indent && isListEntry(line.text, indent); line = this.peek()) {
      let column = indent + 1;
      while (line.text[column] === ' ') column++;
      if (column >= line.text.length) unsupported();
      const rest = line.text.slice(column);
      if (rest.startsWith('- ') || rest === '-') unsupported();
      if (rest[0] !== '[' && rest[0] !== '{' && rest[0] !== '"' && rest[0] !== "'" && keyColon(rest, 0) >= 0) {
        // `- key: value` opens a map whose keys line up with `key`.
        items.push(this.map(column, line.start + column, rest));
      } else {
        this.index++;
        items.push(this.inlineValue(line.text, column, line.start));
      }
    }
    if (items.length === 0) unsupported();
    return { kind: 'seq', offset, items };
  }

  /**
   * Block map whose keys sit at column `column`; its first entry is `first` (the current line from the
   * key on), the following ones are whole lines indented by `column`.
   */
  private map(column: number, offset: number, first: string): PlainMapNode {
    const pairs: PlainPair[] = [];
    let entry: string | undefined = first;
    let entryStart = offset;
    for (;;) {
      const line = this.lines[this.index];
      this.index++;
      const colon = keyColon(entry, 0);
      if (colon <= 0) unsupported();
      const keySource = entry.slice(0, colon).trimEnd();
      const key: PlainScalarNode = { kind: 'scalar', offset: entryStart, value: plainScalar(keySource, true) };
      const afterColon = entry.slice(colon + 1);
      let value: PlainNode;
      if (afterColon.trim() === '') {
        const next = this.peek();
        if (next && next.indent > column) value = this.block(next.indent);
        else if (next && next.indent === column && isListEntry(next.text, column)) value = this.block(column);
        else value = unsupported();
      } else {
        const valueColumn = line.text.length - entry.length + colon + 1 + (afterColon.length - afterColon.trimStart().length);
        value = this.inlineValue(line.text, valueColumn, line.start);
      }
      pairs.push({ key, value });
      const next = this.peek();
      if (!next || next.indent < column) break;
      if (next.indent > column || isListEntry(next.text, column)) {
        // A list at the same column as the keys belongs to the previous key only directly after it.
        if (next.indent === column) break;
        unsupported();
      }
      entry = next.text.slice(column);
      entryStart = next.start + column;
    }
    return { kind: 'map', offset, pairs };
  }

  /**
   * The value that fills the rest of a line from `column`: a flow collection or a scalar. A more
   * indented line after it (a multi-line scalar) is left unread, which makes the caller give up.
   */
  private inlineValue(text: string, column: number, lineStart: number): PlainNode {
    const flow = new FlowReader(text, column, lineStart);
    const node = flow.value(false);
    if (flow.position !== text.length) unsupported();
    return node;
  }
}

function isListEntry(text: string, column: number): boolean {
  return text[column] === '-' && (column + 1 === text.length || text[column + 1] === ' ');
}

/** A plain scalar's value; `source` is trimmed. */
function plainScalar(source: string, atKey: boolean): string | number | boolean | null {
  if (source === '' || NOT_PLAIN_START.test(source) && !/^-[0-9.]/.test(source)) unsupported();
  if (source.includes(': ') || source.includes(' #') || source.endsWith(':')) unsupported();
  return resolvePlain(source, atKey);
}

/** One line's scalar or flow collection, from `position`. */
class FlowReader {
  constructor(
    private readonly text: string,
    public position: number,
    private readonly lineStart: number,
  ) {}

  private skipSpaces(): void {
    while (this.text[this.position] === ' ') this.position++;
  }

  value(inFlow: boolean): PlainNode {
    this.skipSpaces();
    const c = this.text[this.position];
    const offset = this.lineStart + this.position;
    if (c === '[') return this.list(offset);
    if (c === '{') return this.map(offset);
    if (c === '"' || c === "'") return this.quoted(c, offset);
    const end = inFlow ? this.plainEndInFlow() : this.text.length;
    const source = this.text.slice(this.position, end).trimEnd();
    this.position = end;
    return { kind: 'scalar', offset, value: plainScalar(source, false) };
  }

  private plainEndInFlow(): number {
    let i = this.position;
    while (i < this.text.length && !',[]{}'.includes(this.text[i])) {
      if (this.text[i] === ':' && (i + 1 === this.text.length || ' ,[]{}'.includes(this.text[i + 1]))) unsupported();
      i++;
    }
    return i;
  }

  private quoted(quote: string, offset: number): PlainScalarNode {
    const close = this.text.indexOf(quote, this.position + 1);
    if (close < 0) unsupported();
    const value = this.text.slice(this.position + 1, close);
    if (value.includes('\\') || (quote === "'" && this.text[close + 1] === "'")) unsupported();
    this.position = close + 1;
    return { kind: 'scalar', offset, value };
  }

  private list(offset: number): PlainSeqNode {
    this.position++;
    const items: PlainNode[] = [];
    this.skipSpaces();
    if (this.text[this.position] === ']') {
      this.position++;
      return { kind: 'seq', offset, items };
    }
    for (;;) {
      items.push(this.value(true));
      this.skipSpaces();
      const c = this.text[this.position++];
      if (c === ']') return { kind: 'seq', offset, items };
      if (c !== ',') unsupported();
      this.skipSpaces();
      if (this.text[this.position] === ']') unsupported();
    }
  }

  private map(offset: number): PlainMapNode {
    this.position++;
    const pairs: PlainPair[] = [];
    this.skipSpaces();
    if (this.text[this.position] === '}') {
      this.position++;
      return { kind: 'map', offset, pairs };
    }
    for (;;) {
      this.skipSpaces();
      const keyOffset = this.lineStart + this.position;
      const colon = keyColon(this.text, this.position);
      if (colon < 0) unsupported();
      const key: PlainScalarNode = { kind: 'scalar', offset: keyOffset, value: plainScalar(this.text.slice(this.position, colon).trimEnd(), true) };
      this.position = colon + 1;
      pairs.push({ key, value: this.value(true) });
      this.skipSpaces();
      const c = this.text[this.position++];
      if (c === '}') return { kind: 'map', offset, pairs };
      if (c !== ',') unsupported();
      this.skipSpaces();
      if (this.text[this.position] === '}') unsupported();
    }
  }
}

/** Plain JS data of a node, as `toJS` builds it (maps become objects with string keys). */
function toJS(node: PlainNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toJS);
  const out: Record<string, unknown> = {};
  for (const { key, value } of node.pairs) {
    if (typeof key.value !== 'string' && typeof key.value !== 'number') unsupported();
    const name = String(key.value);
    // Duplicates are reported by the full parser; inherited names would need its defineProperty path.
    if (name in out) unsupported();
    out[name] = toJS(value);
  }
  return out;
}

/** The document, or undefined when it is not in the subset this reader handles exactly. */
export function readPlainYaml(text: string): PlainDocument | undefined {
  if (/[\t\r\f\v\u0085\u2028\u2029\ufeff]/.test(text) || /^(---|\.\.\.|%)/m.test(text)) return undefined;
  try {
    const lines = contentLines(text);
    if (lines.length === 0 || lines[0].indent !== 0) return undefined;
    const reader = new Reader(lines);
    const root = reader.block(0);
    if (!reader.done()) return undefined;
    return { root, value: toJS(root) };
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}
