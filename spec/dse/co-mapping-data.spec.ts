/**
 * The CO pipeline's `mappingData` option (a mapping given as data instead of a file, which the DSE uses
 * for its variants) and the on-core energy the summary reports.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { InputError } from '../../lib/common/errors';
import { toMappingYamlData } from '../../lib/mapping/generator/model';
import { runCo } from '../../pipelines/co';
import { STREAM_INPUTS } from '../support/reference';

const REPO = path.resolve(__dirname, '..', '..');
const TPU = path.join(REPO, 'inputs', 'hardware', 'tpu_like_quad_core.yaml');
const TWO_CONV = path.join(REPO, 'inputs', 'workloads', '2conv_1_8_32_32_16_32_3.onnx');
const HAND_MAPPING = path.join(STREAM_INPUTS, 'testing', 'mapping', '2conv_1_32_32_8_16_32_3.yaml');

describe('CO with mappingData', () => {
  it('the generated mapping given back as data reproduces the generic run (quick start, 14344)', async () => {
    const generic = await runCo({ hardware: TPU, workload: TWO_CONV });
    const data = toMappingYamlData(generic.generatedMapping!.groups[0].plan.mapping);
    const handed = await runCo({ hardware: TPU, workload: TWO_CONV, mappingData: data });
    expect(generic.totalLatency).toBe(14344);
    expect(handed.totalLatency).toBe(14344);
    expect(handed.summary.total_energy).toBe(generic.summary.total_energy);
  });

  it('a mapping file and its parsed data give the same result', async () => {
    const fromFile = await runCo({ hardware: TPU, workload: TWO_CONV, mapping: HAND_MAPPING });
    const fromData = await runCo({ hardware: TPU, workload: TWO_CONV, mappingData: parse(fs.readFileSync(HAND_MAPPING, 'utf8')) });
    expect(fromData.groupLatencies).toEqual(fromFile.groupLatencies);
    expect(fromData.summary.total_energy).toBe(fromFile.summary.total_energy);
  });

  it('invalid data is an InputError that names the in-memory mapping', async () => {
    const data = { layers: [{ name: 'Conv', core_allocation: [[0]], inter_core_tiling: [[{ dim: 'X1', split: 2 }]] }] };
    const error = await runCo({ hardware: TPU, workload: TWO_CONV, mappingData: data }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues[0].file).toBe('<mapping data>');
  });

  it('mapping and mappingData together are rejected', async () => {
    await expect(runCo({ hardware: TPU, workload: TWO_CONV, mapping: HAND_MAPPING, mappingData: {} })).rejects.toThrow(InputError);
  });
});

describe('on-core energy in the summary', () => {
  it('is the sum of the group energies and positive for a costed run', async () => {
    const r = await runCo({ hardware: TPU, workload: TWO_CONV });
    const groups = Object.values(r.summary.groups).map((g) => g.energy ?? NaN);
    expect(r.summary.total_energy).toBeGreaterThan(0);
    expect(r.summary.total_energy).toBe(groups.reduce((s, e) => s + e, 0));
  });
});
