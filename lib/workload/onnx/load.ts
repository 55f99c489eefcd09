/** The file-reading edge of the ONNX front end; everything else is pure. */
import { Either, left, right } from 'fp-ts/Either';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { InputIssue, issue } from '../../common/errors';
import { ParsedWorkload, parseOnnxModel, WorkloadParseOptions } from './frontend';

/** Reads and parses an ONNX workload; issues name `path` as given. */
export function loadWorkload(path: string, options: WorkloadParseOptions = {}): Either<InputIssue[], ParsedWorkload> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return left([issue(path, '', `cannot read the ONNX file: ${reason}`)]);
  }
  const parsed = parseOnnxModel(bytes, path, options);
  if (parsed._tag === 'Left') return parsed;
  return right({ ...parsed.right, workload: { ...parsed.right.workload, sourceFile: resolve(path) } });
}
