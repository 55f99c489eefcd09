/**
 * Infeasibility IR (reference-surface §5.6): why a fusion group's MILP has no solution — the resources
 * whose demand exceeds their bound (with the quantified inequality and the levers to pull), structural
 * conflicts, and a one-line summary.
 *
 * Version 1.1 = the reference's 1.0 plus what our report knows beyond it: the lexicographic `level` that
 * failed, the `model_size`, the bit-exact demand/bound/gap of memory-capacity inequalities and each
 * term's bits.
 */
import * as t from 'io-ts';
import { DemandTerm, InfeasibilityReport, InfeasibleResource, UnmetInequality } from '../milp/result';
import { described, finiteNumber, nonNegativeInteger, nullable, oneOfLiterals } from './codec-kit';

export const INFEASIBILITY_IR_SCHEMA_VERSION = '1.1';
export const INFEASIBILITY_IR_ID = 'stream/infeasibility/v1';

const DemandTermIRCodec = t.strict({
  label: t.string,
  value: described(finiteNumber, 'In the inequality’s unit.'),
  bits: finiteNumber,
  detail: t.string,
  dtype: nullable(t.string),
  dims: t.array(t.strict({ label: t.string, size: nonNegativeInteger })),
});

export const UnmetInequalityIRCodec = t.strict({
  family: oneOfLiterals(['memory_capacity', 'object_fifo_depth', 'buffer_descriptors']),
  statement: described(t.string, "e.g. 'tensors resident on Core 0 need 256.0 B, but the on-chip memory of Core 0 is 128.0 B (short by 128.0 B)'."),
  demand_label: t.string,
  demand_value: finiteNumber,
  demand_input: described(t.string, 'Which input sets the demand (workload, mapping).'),
  bound_label: t.string,
  bound_value: finiteNumber,
  bound_input: described(t.string, 'Which input sets the bound (hardware spec).'),
  operator: t.literal('<='),
  gap: described(finiteNumber, 'demand − bound, in `unit`.'),
  unit: oneOfLiterals(['bytes', 'FIFO slots', 'descriptors']),
  demand_bits: described(nullable(finiteNumber), 'Memory capacity only: the demand in bits (null otherwise).'),
  bound_bits: nullable(finiteNumber),
  gap_bits: nullable(finiteNumber),
  terms: t.array(DemandTermIRCodec),
  levers: described(t.array(t.string), 'What to change to close the gap (hardware, mapping, workload).'),
});

export const InfeasibleResourceIRCodec = t.strict({
  resource: t.strict({ kind: oneOfLiterals(['core', 'link']), id: nonNegativeInteger, label: t.string, detail: t.string }),
  constraint_kinds: t.array(t.string),
  reason: t.string,
  constraints: described(t.array(t.string), 'Constraint names involved (the rows the demand analysis looked at; no IIS).'),
  unmet: nullable(UnmetInequalityIRCodec),
});

export const InfeasibilityIRCodec = t.strict({
  schema_version: described(t.literal(INFEASIBILITY_IR_SCHEMA_VERSION), 'Infeasibility IR schema version (minor bump = fields added).'),
  feasible: t.literal(false),
  status: described(t.string, "Solver status of the failing level, or 'infeasible' for conflicts found while building the model."),
  backend: t.string,
  solver: t.string,
  group: described(t.string, "The failing fusion group, e.g. 'group 0'."),
  level: described(t.string, "Lexicographic level that failed ('build' when detected before solving)."),
  iis_available: described(t.boolean, 'Whether an irreducible infeasible subsystem was computed (never, with the solvers in use).'),
  nature: oneOfLiterals(['capacity', 'structural', 'unknown']),
  resources: t.array(InfeasibleResourceIRCodec),
  conflicts: t.array(t.strict({ title: t.string, explanation: t.string, constraints: t.array(t.string) })),
  unbound_constraints: t.array(t.string),
  summary: t.string,
  model_size: t.strict({ variables: nonNegativeInteger, constraints: nonNegativeInteger, binaries: nonNegativeInteger, integers: nonNegativeInteger }),
});

export type InfeasibilityIR = t.TypeOf<typeof InfeasibilityIRCodec>;

function termIR(term: DemandTerm): t.TypeOf<typeof DemandTermIRCodec> {
  return {
    label: term.label,
    value: term.value,
    bits: term.bits,
    detail: term.detail,
    dtype: term.dtype ?? null,
    dims: term.dims.map((d) => ({ label: d.label, size: d.size })),
  };
}

function unmetIR(unmet: UnmetInequality): t.TypeOf<typeof UnmetInequalityIRCodec> {
  return {
    family: unmet.family,
    statement: unmet.statement,
    demand_label: unmet.demandLabel,
    demand_value: unmet.demandValue,
    demand_input: unmet.demandInput,
    bound_label: unmet.boundLabel,
    bound_value: unmet.boundValue,
    bound_input: unmet.boundInput,
    operator: unmet.operator,
    gap: unmet.gap,
    unit: unmet.unit,
    demand_bits: unmet.demandBits ?? null,
    bound_bits: unmet.boundBits ?? null,
    gap_bits: unmet.gapBits ?? null,
    terms: unmet.terms.map(termIR),
    levers: [...unmet.levers],
  };
}

function resourceIR(r: InfeasibleResource): t.TypeOf<typeof InfeasibleResourceIRCodec> {
  return {
    resource: { kind: r.resource.kind, id: r.resource.id, label: r.resource.label, detail: r.resource.detail },
    constraint_kinds: [...r.constraintKinds],
    reason: r.reason,
    constraints: [...r.constraints],
    unmet: r.unmet ? unmetIR(r.unmet) : null,
  };
}

export function infeasibilityIR(report: InfeasibilityReport): InfeasibilityIR {
  return {
    schema_version: INFEASIBILITY_IR_SCHEMA_VERSION,
    feasible: false,
    status: report.status,
    backend: report.backend,
    solver: report.solver,
    group: report.group,
    level: report.level,
    iis_available: report.iisAvailable,
    nature: report.nature,
    resources: report.resources.map(resourceIR),
    conflicts: report.conflicts.map((c) => ({ title: c.title, explanation: c.explanation, constraints: [...c.constraints] })),
    unbound_constraints: [...report.unboundConstraints],
    summary: report.summary,
    model_size: { ...report.modelSize },
  };
}
