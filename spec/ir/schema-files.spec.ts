/**
 * The committed `schemas/*.schema.json` are exactly what the codecs generate (one source of truth). After
 * changing a codec, regenerate them with `UPDATE_IR_SCHEMAS=1 npx jest spec/ir/schema-files`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { schemaFiles, writeSchemaFiles } from '../../pipelines/ir/write-schemas';

const SCHEMA_DIR = path.resolve(__dirname, '..', '..', 'schemas');

if (process.env.UPDATE_IR_SCHEMAS === '1') writeSchemaFiles(SCHEMA_DIR);

describe('schemas/', () => {
  const expected = schemaFiles();

  it('holds one file per IR document and view, and no other schema file', () => {
    const present = fs.existsSync(SCHEMA_DIR) ? fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).sort() : [];
    expect(present).toEqual(expected.map((f) => f.file).sort());
  });

  it.each(expected.map((f) => [f.file, f.text] as const))('%s is current (regenerate with UPDATE_IR_SCHEMAS=1)', (file, text) => {
    expect(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8')).toBe(text);
  });
});
