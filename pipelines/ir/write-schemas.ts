/**
 * Writes the JSON Schema of every IR document and view to `schemas/` (or the directory given), from the
 * io-ts codecs. Run after `npm run build`: `node dist/pipelines/ir/write-schemas.js [dir]`, or through
 * the spec that checks the committed files: `UPDATE_IR_SCHEMAS=1 npx jest spec/ir/schema-files`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatSchemaFile, irJsonSchemas } from '../../lib/ir';

/** Each schema file's name and committed text. */
export function schemaFiles(): readonly { readonly file: string; readonly text: string }[] {
  return Object.entries(irJsonSchemas()).map(([file, schema]) => ({ file, text: formatSchemaFile(schema) }));
}

/** Writes every schema file into `dir` and removes schema files that no document type produces any more. */
export function writeSchemaFiles(dir: string): readonly string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files = schemaFiles();
  const current = new Set(files.map((f) => f.file));
  for (const stale of fs.readdirSync(dir).filter((f) => f.endsWith('.schema.json') && !current.has(f))) fs.rmSync(path.join(dir, stale));
  for (const { file, text } of files) fs.writeFileSync(path.join(dir, file), text);
  return files.map((f) => f.file);
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? 'schemas');
  for (const file of writeSchemaFiles(dir)) process.stdout.write(`${path.join(dir, file)}\n`);
}
