/**
 * Mapping and tiling stages: the generic mapper splits the workload into fusion groups and writes a
 * mapping per group; the tiling stage turns a mapping (generated or hand-written) into tiled fusion
 * groups. Mapping and tiling problems are user-input problems (`InputError`).
 */
import { OperatorFunction, map } from 'rxjs';
import { InputError } from '../../lib/common/errors';
import { Accelerator } from '../../lib/hardware';
import { ResolvedMapping } from '../../lib/mapping';
import { GenericMappingOptions, GenericMappingResult, generateGenericMapping } from '../../lib/mapping/generator/generic-generator';
import { MappingGenerationError } from '../../lib/mapping/generator/errors';
import { TilingError } from '../../lib/tiling/errors';
import { tileGenericMapping, tileWithResolvedMapping } from '../../lib/tiling/mapping-resolution';
import { TiledFusionGroup } from '../../lib/tiling/model';
import { expandNormalizations } from '../../lib/workload/analysis/normalization-expansion';
import { Workload } from '../../lib/workload/model';
import { RunSnapshot } from './front-end';

/** Mapping and tiling errors name a node or a loop of the user's mapping: report them as input problems. */
function asInputProblem<T>(source: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof TilingError || err instanceof MappingGenerationError) {
      throw new InputError([{ file: source, path: '', message: err.message }]);
    }
    throw err;
  }
}

export function generateMappingStage<S extends RunSnapshot & { readonly accelerator: Accelerator; readonly workload: Workload }>(
  options: GenericMappingOptions,
): OperatorFunction<S, S & { readonly generated: GenericMappingResult }> {
  return map((s) => {
    const generated = asInputProblem('<auto mapping>', () => generateGenericMapping(expandNormalizations(s.workload), s.accelerator, options));
    const warnings = generated.groups.flatMap((g) => g.plan.warnings.map((message) => ({ file: '<auto mapping>', path: `group ${g.index}`, message, severity: 'warning' as const })));
    return { ...s, generated, warnings: [...s.warnings, ...warnings] };
  });
}

export function tileGeneratedStage<S extends RunSnapshot & { readonly generated: GenericMappingResult }>(): OperatorFunction<
  S,
  S & { readonly groups: readonly TiledFusionGroup[] }
> {
  return map((s) => ({ ...s, groups: asInputProblem('<auto mapping>', () => tileGenericMapping(s.generated)) }));
}

export function tileHandMappingStage<S extends RunSnapshot & { readonly workload: Workload; readonly mapping: ResolvedMapping }>(): OperatorFunction<
  S,
  S & { readonly groups: readonly TiledFusionGroup[] }
> {
  return map((s) => ({ ...s, groups: asInputProblem(s.mapping.spec.file, () => tileWithResolvedMapping(s.workload, s.mapping)) }));
}
