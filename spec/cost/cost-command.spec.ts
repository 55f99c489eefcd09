import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../pipelines/cli/main';
import { STREAM_INPUTS_DIR, zigzagCases } from '../fixtures/cost/golden';

function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  return main(args, { out: (t) => (out += t), err: (t) => (err += `${t}\n`) }).then((code) => ({ code, out, err }));
}

describe('stream-dse cost', () => {
  let dir: string;
  const core = path.join(STREAM_INPUTS_DIR, 'examples/hardware/cores/tpu_like.yaml');
  const byId = (id: string) => zigzagCases().find((c) => c.id === id)!;
  const writeLayer = (id: string): string => {
    const file = path.join(dir, `${id.replace(/[^a-z0-9]+/gi, '_')}.json`);
    fs.writeFileSync(file, JSON.stringify(byId(id).layer));
    return file;
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the mappings, latency terms, energy and the fallback flag', async () => {
    const { code, out } = await run(['cost', '--core', core, '--layer', writeLayer('golden3.8.5:tpu_like/conv_k16_c8_32x32_f3_s1_p1_16b')]);
    expect(code).toBe(0);
    expect(out).toContain('spatial mapping: D1 <- D1 32, D2 <- D5 8');
    expect(out).toContain('total0 9215, total1 9287, total2 9288');
    expect(out).toContain('ideal 1152');
    expect(out).toContain('energy: 2168620.704');
    expect(out).toContain('B: rf_128B [D6 4, D2 4, D4 3, D3 3, D2 8]  sram_2MB [D6 4]');
    expect(out).toContain('fallback: no');
  });

  it('--json prints one object keyed like the golden records', async () => {
    const c = byId('golden3.8.5:tpu_like/gemm_m64_k64_n64_16b');
    const { code, out } = await run(['cost', '--core', core, '--layer', writeLayer(c.id), '--json']);
    expect(code).toBe(0);
    const record = JSON.parse(out);
    expect(record.latency_total).toBe(576);
    expect(record.energy_total).toBeCloseTo(203322.368, 6);
    expect(record.fallback).toBe(false);
    expect(record.stream_core_cost_entry).toEqual(c.stream_core_cost_entry);
    expect(record.spatial_mapping_selected).toEqual(c.spatial_mapping_selected);
    expect(record.result.latency_total2).toBe(c.result!.latency_total2);
  });

  it('--mapping-type even gives the 3.8.5 EVEN result', async () => {
    const { out } = await run(['cost', '--core', core, '--layer', writeLayer('golden3.8.5:tpu_like/conv_k16_c8_32x32_f3_s1_p1_16b'), '--mapping-type', 'even', '--json']);
    expect(JSON.parse(out).latency_total).toBe(9248);
  });

  it('flags the ideal-cycle fallback', async () => {
    const { code, out } = await run(['cost', '--core', core, '--layer', writeLayer('golden3.8.5:tpu_like/relu_1x64x32x32_16b'), '--json']);
    expect(code).toBe(0);
    const record = JSON.parse(out);
    expect(record).toMatchObject({ latency_total: 64, energy_total: 0, fallback: true, backend: 'ideal-cycle' });
    expect(record.failure.reference_error).toBe('KeyError: I2');
  });

  it('reuses --cost-cache on a second run', async () => {
    const layer = writeLayer('golden3.8.5:tpu_like/gemm_m64_k64_n64_8b');
    const cache = path.join(dir, 'cache');
    const first = await run(['cost', '--core', core, '--layer', layer, '--json', '--cost-cache', cache]);
    const files = fs.readdirSync(cache).filter((f) => f !== 'version.json');
    expect(files).toHaveLength(1);
    const second = await run(['cost', '--core', core, '--layer', layer, '--json', '--cost-cache', cache]);
    expect(second.out).toBe(first.out);
  });

  it('exits 2 with a clear message and no stack trace on bad input files', async () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"equation": "O[d0] = A[d0] * B[d0]"}');
    const missing = await run(['cost', '--core', core, '--layer', bad]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('missing field at layer_dim_sizes');
    expect(missing.err).not.toMatch(/\n\s+at /);

    fs.writeFileSync(bad, '{not json');
    const invalid = await run(['cost', '--core', core, '--layer', bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.err).toContain('not valid JSON');

    const noCore = await run(['cost', '--core', path.join(dir, 'nope.yaml'), '--layer', bad]);
    expect(noCore.code).toBe(2);
    expect(noCore.err).not.toMatch(/\n\s+at /);
  });
});
