/**
 * YAML reading that keeps node positions, so every input issue can point at a line and column.
 *
 * The reference reads its inputs with PyYAML, i.e. YAML 1.1: `16_777_216` is an integer and `yes`/`no`
 * are booleans. We parse with the `yaml` package in 1.1 mode so the shipped files mean the same thing.
 */
import * as fs from 'fs';
import { Either, left, right } from 'fp-ts/Either';
import { Document, LineCounter, Node as YamlNode, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { InputIssue, issue } from './errors';

/** One step of a field path: a map key or a list index. */
export type PathSegment = string | number;
export type FieldPath = readonly PathSegment[];

export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * What a validator may ask about the document a value came from. Validators receive it optionally, so
 * that in-memory objects (no positions) go through exactly the same checks as files.
 */
export interface SourceMap {
  /** Position of the node at `path`, or of its deepest existing ancestor when the node itself is absent. */
  position(path: FieldPath): Position | undefined;
  /**
   * Keys of the map at `path` in file order. Plain JS objects put integer-like keys first, so code that
   * depends on file order (ZigZag's memory levels) asks the document instead.
   */
  keyOrder(path: FieldPath): readonly string[] | undefined;
}

export interface ParsedYaml {
  readonly file: string;
  /** The document as plain JS data (maps become objects with string keys). */
  readonly value: unknown;
  readonly sourceMap: SourceMap;
  /**
   * Problems that did not stop parsing: duplicate map keys. PyYAML (the reference) silently keeps the
   * last value; we keep it too, so validation can go on, but report the duplicate as an error.
   */
  readonly issues: readonly InputIssue[];
}

const isIntegerLike = (s: PathSegment): boolean => typeof s === 'number' || /^\d+$/.test(s);

/** `cores[1].memories.sram.size`: list indices and integer map keys (core ids) in brackets. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (isIntegerLike(segment)) out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${segment}`;
  }
  return out;
}

/** Parses YAML text; syntax errors become issues with line and column. */
export function parseYaml(text: string, file: string): Either<InputIssue[], ParsedYaml> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, version: '1.1', prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    return left(
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return issue(file, '', `YAML syntax error: ${firstLine(e.message)}`, { line: pos.line, column: pos.col });
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 10000 });
  } catch (e) {
    return left([issue(file, '', `YAML error: ${(e as Error).message}`)]);
  }
  return right({ file, value: value ?? null, sourceMap: documentSourceMap(doc, lineCounter), issues: duplicateKeyIssues(doc, lineCounter, file) });
}

function duplicateKeyIssues(doc: Document.Parsed, lineCounter: LineCounter, file: string): InputIssue[] {
  const found: InputIssue[] = [];
  const visit = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node)) {
      const firstLine = new Map<string, number>();
      for (const pair of node.items) {
        const key = keyText(pair.key);
        const line = lineCounter.linePos((pair.key as YamlNode | null)?.range?.[0] ?? 0);
        const earlier = firstLine.get(key);
        if (earlier !== undefined) {
          found.push(
            issue(file, formatPath([...path, key]), `duplicate key '${key}' (first defined on line ${earlier}); the reference (PyYAML) silently keeps the last value`, {
              line: line.line,
              column: line.col,
            }),
          );
        } else firstLine.set(key, line.line);
        visit(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i]));
    }
  };
  visit(doc.contents, []);
  return found;
}

/** Reads and parses a YAML file; an unreadable file is an issue, not an exception. */
export function readYamlFile(file: string): Either<InputIssue[], ParsedYaml> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    return left([issue(file, '', `cannot read file: ${reason}`)]);
  }
  return parseYaml(text, file);
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

function documentSourceMap(doc: Document.Parsed, lineCounter: LineCounter): SourceMap {
  const resolve = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);

  /**
   * The nodes along `path`, stopping at the first missing step: `value` is the node found there, `anchor`
   * the node its position is read from. A key without value (`name:`) has no value node, and a nested
   * map or list reads best at its key's line, so both point at the key.
   */
  const walk = (path: FieldPath): { value: unknown; anchor: YamlNode }[] => {
    const chain: { value: unknown; anchor: YamlNode }[] = [];
    let current = resolve(doc.contents);
    if (!current) return chain;
    chain.push({ value: current, anchor: current as YamlNode });
    for (const segment of path) {
      if (isMap(current)) {
        const pair = current.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
        if (!pair) break;
        const valueNode = resolve(pair.value);
        const anchor = (valueNode && !isMap(valueNode) && !isSeq(valueNode) ? valueNode : pair.key) as YamlNode;
        chain.push({ value: valueNode, anchor });
        current = valueNode;
      } else if (isSeq(current) && isIntegerLike(segment)) {
        const item = resolve(current.items[Number(segment)]);
        if (!item) break;
        chain.push({ value: item, anchor: item as YamlNode });
        current = item;
      } else {
        break;
      }
    }
    return chain;
  };

  const positionOf = (node: YamlNode): Position | undefined => {
    const range = node.range;
    if (!range) return undefined;
    const pos = lineCounter.linePos(range[0]);
    return { line: pos.line, column: pos.col };
  };

  return {
    position(path) {
      const chain = walk(path);
      for (let i = chain.length - 1; i >= 0; i--) {
        const pos = positionOf(chain[i].anchor);
        if (pos) return pos;
      }
      return undefined;
    },
    keyOrder(path) {
      const chain = walk(path);
      if (chain.length !== path.length + 1) return undefined;
      const node = chain[chain.length - 1].value;
      if (!isMap(node)) return undefined;
      return node.items.map((p) => keyText(p.key));
    },
  };
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

/**
 * Builds issues for one file, filling in line and column from the source map when there is one.
 * Validators use it so every message names the file, the field and (for files) the position.
 */
export class IssueCollector {
  private readonly collected: InputIssue[] = [];

  constructor(
    readonly file: string,
    readonly sourceMap?: SourceMap,
  ) {}

  error(path: FieldPath, message: string): void {
    this.collected.push(this.make(path, message, 'error'));
  }

  warning(path: FieldPath, message: string): void {
    this.collected.push(this.make(path, message, 'warning'));
  }

  add(issues: readonly InputIssue[]): void {
    this.collected.push(...issues);
  }

  make(path: FieldPath, message: string, severity: 'error' | 'warning' = 'error'): InputIssue {
    const pos = this.sourceMap?.position(path);
    return issue(this.file, formatPath(path), message, {
      ...(pos ? { line: pos.line, column: pos.column } : {}),
      ...(severity === 'warning' ? { severity } : {}),
    });
  }

  get issues(): readonly InputIssue[] {
    return this.collected;
  }

  get errors(): readonly InputIssue[] {
    return this.collected.filter(isError);
  }

  get warnings(): readonly InputIssue[] {
    return this.collected.filter((i) => i.severity === 'warning');
  }

  hasErrors(): boolean {
    return this.collected.some(isError);
  }
}

export const isError = (i: InputIssue): boolean => i.severity !== 'warning';

/** Human-readable description of a decoded value for "expected X, got Y" messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `string '${value.length > 60 ? value.slice(0, 57) + '...' : value}'`;
  if (typeof value === 'number') return `number ${value}`;
  if (typeof value === 'boolean') return `boolean ${value}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return typeof value;
}
