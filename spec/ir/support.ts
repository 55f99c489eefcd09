/**
 * Helpers of the IR specs: the JSON Schemas compiled once with ajv (strict mode), and assertions that a
 * document decodes with its own codec, re-encodes to itself and validates against its schema.
 */
import Ajv, { ValidateFunction } from 'ajv';
import { isLeft } from 'fp-ts/Either';
import { isDeepStrictEqual } from 'util';
import { PathReporter } from 'io-ts/PathReporter';
import { IR_DOCUMENT_TYPES, IrDocumentType, IrKind, irDocumentType, irJsonSchema } from '../../lib/ir';

const ajv = new Ajv({ strict: true, allErrors: true });
const validators = new Map<IrDocumentType, ValidateFunction>(IR_DOCUMENT_TYPES.map((type) => [type, ajv.compile(irJsonSchema(type))]));

export function documentType(kind: IrKind, view: string | null = null): IrDocumentType {
  const type = irDocumentType(kind, view);
  if (!type) throw new Error(`no IR document type ${kind}${view ? `/${view}` : ''}`);
  return type;
}

/** What a consumer sees: the document after JSON serialisation. */
export const asJson = (document: unknown): unknown => JSON.parse(JSON.stringify(document));

/** Problems of `document` as a `type` document: decode errors, round-trip differences, schema violations. */
export function documentProblems(type: IrDocumentType, document: unknown): string[] {
  const json = asJson(document);
  const decoded = type.codec.decode(json);
  if (isLeft(decoded)) return PathReporter.report(decoded).slice(0, 10);
  const problems: string[] = [];
  if (!isDeepStrictEqual(type.codec.encode(decoded.right), json)) problems.push('encode(decode(document)) differs from the document (fields the codec does not know)');
  if (!isDeepStrictEqual(json, document)) problems.push('the document does not survive JSON serialisation (undefined, NaN or Infinity values)');
  const validate = validators.get(type)!;
  if (!validate(json)) problems.push(...(validate.errors ?? []).slice(0, 10).map((e) => `schema: ${e.instancePath} ${e.message}`));
  return problems;
}
