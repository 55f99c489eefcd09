import * as fs from 'fs';
import * as path from 'path';
import { isLeft, isRight } from 'fp-ts/Either';
import { loadCoreFile, loadCoreFileDetailed, normaliseCoreType, parseCoreSpec } from '../../lib/hardware/core';
import { maxMemoryBandwidth, topLevelMemoryCapacity } from '../../lib/hardware/derived';
import { CoreSpec, ZigzagCoreSpec } from '../../lib/hardware/model';
import { STREAM_INPUTS } from '../support/reference';

const REF = STREAM_INPUTS;
const coreDirs = ['examples/hardware/cores', 'testing/hardware/cores', 'aie/hardware/cores'];
const coreFiles = coreDirs.flatMap((d) =>
  fs.readdirSync(path.join(REF, d)).filter((f) => f.endsWith('.yaml')).map((f) => path.join(d, f)),
);

function load(rel: string): CoreSpec {
  const r = loadCoreFile(path.join(REF, rel));
  if (isLeft(r)) throw new Error(r.left.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return r.right;
}

describe('core files of the reference', () => {
  it('finds the reference core files', () => {
    expect(coreFiles.length).toBeGreaterThanOrEqual(26);
  });

  it.each(coreFiles)('accepts %s', (rel) => {
    const r = loadCoreFile(path.join(REF, rel));
    if (isLeft(r)) throw new Error(JSON.stringify(r.left, null, 2));
    expect(isRight(r)).toBe(true);
  });

  it('normalises types', () => {
    expect(normaliseCoreType(undefined)).toBe('zigzag.compute');
    expect(normaliseCoreType('compute')).toBe('zigzag.compute');
    expect(normaliseCoreType('offchip')).toBe('zigzag.offchip');
    expect(normaliseCoreType('aie2.shim')).toBe('aie2.shim');
    const meta = load('examples/hardware/cores/meta_prototype.yaml');
    expect([meta.namespace, meta.kind]).toEqual(['zigzag', 'compute']);
    const shim = load('aie/hardware/cores/shim_dma.yaml');
    expect([shim.namespace, shim.kind]).toEqual(['aie2', 'shim']);
  });

  it('reads tpu_like with memories in file order and every field', () => {
    const tpu = load('examples/hardware/cores/tpu_like.yaml') as ZigzagCoreSpec;
    expect(tpu.name).toBe('tpu_like');
    expect(tpu.memories.map((m) => m.name)).toEqual(['rf_128B', 'rf_2B', 'sram_2MB']);
    const [rf, acc, sram] = tpu.memories;
    expect(rf).toMatchObject({ size: 1024, rCost: 0.095, wCost: 0.095, area: 0, latency: 1, memType: 'sram', autoCostExtraction: false, operands: ['I2'], servedDimensions: [], forceDoubleBuffering: false });
    expect(rf.ports).toEqual([
      { name: 'r_port_1', type: 'read', bandwidthMin: 8, bandwidthMax: 8, allocation: [{ operand: 'I2', direction: 'tl' }] },
      { name: 'w_port_1', type: 'write', bandwidthMin: 8, bandwidthMax: 8, allocation: [{ operand: 'I2', direction: 'fh' }] },
    ]);
    expect(acc.servedDimensions).toEqual(['D2']);
    expect(acc.ports.map((p) => p.allocation[0].direction)).toEqual(['tl', 'th', 'fh', 'fl']);
    expect(sram).toMatchObject({ size: 16777216, rCost: 416.16, wCost: 378.4, operands: ['I1', 'I2', 'O'], servedDimensions: ['D1', 'D2'] });
    expect(tpu.operationalArray).toEqual({ dimensions: ['D1', 'D2'], sizes: [32, 32], unitEnergy: 0.04, unitArea: 1, isImc: false });
    expect(tpu.dataflows).toBeUndefined();
    expect(tpu.operatorTypes).toBeUndefined();
  });

  it('reads Stream extension fields and YAML 1.1 numbers', () => {
    const pooling = load('examples/hardware/cores/pooling.yaml');
    expect(pooling.operatorTypes).toEqual(['MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool']);
    const mxu = load('examples/hardware/cores/tpu_v7_mxu.yaml');
    expect(mxu.operandPrecision).toEqual({ input: 'bf16', accumulator: 'fp32' });
    // `16_777_216` is an integer in YAML 1.1 (PyYAML), as the reference reads it.
    const vec = load('examples/hardware/cores/fusemax_vec.yaml') as ZigzagCoreSpec;
    expect(vec.memories.find((m) => m.name === 'sram')?.size).toBe(16777216);
    expect(vec.operationalArray.inputPrecision).toEqual([8, 8]);
    const dram = load('examples/hardware/cores/fusemax_dram.yaml') as ZigzagCoreSpec;
    expect(dram.memories[0].rCost).toBe(32000);
    expect(dram.memories[0].size).toBe(1e16);
  });

  it('keeps legacy dataflows and warns that they are ignored (Q66)', () => {
    const r = loadCoreFileDetailed(path.join(REF, 'testing/hardware/cores/testing_core1.yaml'));
    if (isLeft(r)) throw new Error('rejected');
    expect((r.right.spec as ZigzagCoreSpec).dataflows).toEqual({ D1: ['K, 16'], D2: ['C, 16'] });
    expect(r.right.warnings).toHaveLength(1);
    expect(r.right.warnings[0]).toMatchObject({ path: 'dataflows', severity: 'warning', line: 181 });
  });

  it('reads aie2 tiles', () => {
    expect(load('aie/hardware/cores/aie_tile.yaml')).toEqual({
      namespace: 'aie2', kind: 'compute', name: 'aie_tile', maxObjectFifoDepth: 12,
      memory: { capacity: 524288, bandwidthMin: 512, bandwidthMax: 512 }, utilization: 100,
    });
    expect(load('aie/hardware/cores/mem_tile_256KB.yaml')).toMatchObject({ kind: 'memory', name: 'mem_tile', maxObjectFifoDepth: 48, memory: { capacity: 2097152, bandwidthMin: 128, bandwidthMax: 768 } });
  });

  it('derives capacities and bandwidths (reference-co-pipeline §4)', () => {
    const cases: [string, number, number, number][] = [
      ['examples/hardware/cores/tpu_like.yaml', 16777216, 2048, 2048],
      ['examples/hardware/cores/pooling.yaml', 1048576, 576, 512],
      ['examples/hardware/cores/simd.yaml', 1048576, 512, 512],
      ['examples/hardware/cores/offchip.yaml', 1e10, 64, 64],
      ['aie/hardware/cores/aie_tile.yaml', 524288, 512, 512],
      ['aie/hardware/cores/mem_tile_256KB.yaml', 2097152, 768, 768],
    ];
    for (const [rel, capacity, read, write] of cases) {
      const spec = load(rel);
      expect([rel, topLevelMemoryCapacity(spec), maxMemoryBandwidth(spec, 'read'), maxMemoryBandwidth(spec, 'write')]).toEqual([rel, capacity, read, write]);
    }
  });
});

describe('malformed core descriptions', () => {
  const tpuText = fs.readFileSync(path.join(REF, 'examples/hardware/cores/tpu_like.yaml'), 'utf8');
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'core-spec-'));
  });
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const errorsOf = (file: string) => {
    const r = loadCoreFile(file);
    if (!isLeft(r)) throw new Error('expected rejection');
    return r.left;
  };

  it('reports a wrong-typed size with path, line and readable message', () => {
    const file = write('bad_size.yaml', tpuText.replace('size: 1024', "size: abc"));
    const [e] = errorsOf(file);
    expect(e).toMatchObject({ file, path: 'memories.rf_128B.size', message: "expected an integer, got string 'abc'", line: 6, column: 11 });
  });

  it('reports YAML syntax errors with line and column', () => {
    const file = write('syntax.yaml', 'name: x\nmemories: [a, b\n');
    const issues = errorsOf(file);
    expect(issues[0].message).toMatch(/^YAML syntax error/);
    expect(issues[0].file).toBe(file);
    expect(issues[0].line).toBeGreaterThanOrEqual(2);
  });

  it('rejects unknown keys, including utilization on zigzag cores', () => {
    const file = write('unknown.yaml', tpuText.replace('name: tpu_like', 'name: tpu_like\nutilization: 50'));
    expect(errorsOf(file)).toEqual([expect.objectContaining({ path: 'utilization', message: "unknown field 'utilization'", line: 2 })]);
  });

  it('reports a missing required field', () => {
    const file = write('missing.yaml', tpuText.replace(/\n {4}latency: 1\n {4}auto_cost_extraction: False/, '\n    auto_cost_extraction: False'));
    expect(errorsOf(file)).toEqual([expect.objectContaining({ path: 'memories.rf_128B.latency', message: "required field 'latency' is missing" })]);
  });

  it('rejects unsupported types with the reference message', () => {
    const file = write('gpu.yaml', tpuText.replace('type: zigzag.compute', 'type: gpu.compute'));
    const [e] = errorsOf(file);
    expect(e.path).toBe('type');
    expect(e.message).toBe(
      "Core 'gpu.yaml' has unsupported type 'gpu.compute'. Supported types: aie2.compute, aie2.memory, aie2.offchip, aie2.shim, zigzag.compute, zigzag.memory, zigzag.offchip, zigzag.shim",
    );
  });

  it('applies the ZigZag semantic checks', () => {
    const text = tpuText
      .replace('served_dimensions: [D2]', 'served_dimensions: [D3]')
      .replace("    r_cost: 0.095\n", '')
      .replace('sizes: [32, 32]', 'sizes: [32, 32, 4]')
      .replace(/name: r_port_1\n {8}type: read\n {8}bandwidth_min: 64/, 'name: r_port_1\n        type: read\n        bandwidth_min: 4096');
    const file = write('semantic.yaml', text);
    const messages = errorsOf(file).map((i) => `${i.path}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'operational_array: Core dimensions and sizes do not match.',
        'memories.rf_128B.r_cost: r_cost of rf_128B is missing, and is not automatically extracted using CACTI.',
        'memories.rf_2B.served_dimensions[0]: Invalid served dimension D3 in memory rf_2B',
        'memories.sram_2MB.ports[0].bandwidth_min: Minimum bandwidth is greater than maximum bandwidth in sram_2MB',
      ]),
    );
  });

  it('rejects port directions that contradict the port type', () => {
    const file = write('dir.yaml', tpuText.replace('- I2, tl\n      - name: w_port_1', '- I2, fh\n      - name: w_port_1'));
    expect(errorsOf(file).map((i) => i.message)).toEqual(['Read port given for write direction in rf_128B']);
  });

  it('rejects utilization on non-compute aie2 tiles and validates aie2 fields', () => {
    const r = parseCoreSpec({ name: 'm', type: 'aie2.memory', max_object_fifo_depth: 0, utilization: 50, memory: { capacity: 1, bandwidth_min: 1 } }, 'inline.yaml');
    if (!isLeft(r)) throw new Error('expected rejection');
    expect(r.left.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'utilization: utilization is only allowed on aie2.compute cores (this core is aie2.memory)',
      'max_object_fifo_depth: expected an integer ≥ 1, got number 0',
      "memory.bandwidth_max: required field 'bandwidth_max' is missing",
    ]);
  });

  it('validates an AIE file that forgot its type as a ZigZag core (reference behaviour)', () => {
    const r = parseCoreSpec({ name: 'a', max_object_fifo_depth: 1, memory: { capacity: 1, bandwidth_min: 1, bandwidth_max: 1 } }, 'inline.yaml');
    if (!isLeft(r)) throw new Error('expected rejection');
    expect(r.left.map((i) => i.message)).toEqual(
      expect.arrayContaining(["unknown field 'max_object_fifo_depth'", "required field 'memories' is missing"]),
    );
  });

  it('keeps memories in file order even when their names look like integers', () => {
    const text = tpuText.replace('  rf_128B:', '  "7":').replace('  rf_2B:', '  "3":');
    const file = write('numeric_names.yaml', text);
    const r = loadCoreFile(file);
    if (isLeft(r)) throw new Error(JSON.stringify(r.left));
    expect((r.right as ZigzagCoreSpec).memories.map((m) => m.name)).toEqual(['7', '3', 'sram_2MB']);
  });

  it('validates the extension fields', () => {
    const file = write('ext.yaml', tpuText + '\noperator_types: Conv\n');
    expect(errorsOf(file)).toEqual([expect.objectContaining({ path: 'operator_types', message: "expected a list, got string 'Conv'" })]);
  });
});
