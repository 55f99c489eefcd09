/**
 * What a sweep reports per variant, and the sweep table built from it (`sweep.csv`, `sweep.json`).
 * Everything here is a function of the variants and their outcomes only (no wall times), so the same
 * sweep gives byte-identical tables for any concurrency.
 */
import { MappingYamlData } from '../mapping/generator/model';
import { mappingSummary, toMappingData } from './mapping-data';
import { Variant } from './model';
import { RankedOutcome, VariantStatus, paretoFront } from './ranking';

/** The outcome of evaluating one variant. */
export interface VariantResult extends RankedOutcome {
  readonly variant: Variant;
  /** Per fusion group (ok only). */
  readonly groupLatencies?: readonly number[];
  /** Why the variant has no schedule (not ok). */
  readonly reason?: string;
}

export interface SweepRow {
  readonly variant: number;
  readonly status: VariantStatus;
  readonly latency: number | null;
  readonly energy: number | null;
  readonly pareto: boolean;
  readonly best: boolean;
  /** Departures from the auto mapping (`;`-separated in the CSV). */
  readonly changes: readonly string[];
  readonly mapping_summary: string;
  readonly reason: string | null;
}

export interface SweepTable {
  readonly rows: readonly SweepRow[];
  readonly bestVariant: number | null;
}

/** Rows in variant order; `best` is the reducer's winner (or none when every variant failed). */
export function sweepTable(results: readonly VariantResult[], best: number | undefined): SweepTable {
  const front = paretoFront(results);
  const rows = [...results]
    .sort((a, b) => a.index - b.index)
    .map(
      (r): SweepRow => ({
        variant: r.index,
        status: r.status,
        latency: r.latency ?? null,
        energy: r.energy ?? null,
        pareto: front.has(r.index),
        best: r.index === best,
        changes: r.variant.changes,
        mapping_summary: mappingSummary(r.variant.mapping),
        reason: r.reason ?? null,
      }),
    );
  return { rows, bestVariant: best ?? null };
}

const CSV_COLUMNS = ['variant', 'status', 'latency', 'energy', 'pareto', 'best', 'changes', 'mapping_summary', 'reason'] as const;

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function sweepCsv(table: SweepTable): string {
  const cell = (row: SweepRow, column: (typeof CSV_COLUMNS)[number]): string => {
    const v = row[column];
    if (v === null) return '';
    if (Array.isArray(v)) return csvField(v.join('; '));
    return csvField(String(v));
  };
  return [CSV_COLUMNS.join(','), ...table.rows.map((row) => CSV_COLUMNS.map((c) => cell(row, c)).join(','))].join('\n') + '\n';
}

export interface SweepJson {
  readonly best_variant: number | null;
  readonly best_latency: number | null;
  readonly best_energy: number | null;
  readonly variants_evaluated: number;
  readonly failed: number;
  readonly variants: readonly (SweepRow & { readonly mapping: MappingYamlData })[];
}

export function sweepJson(table: SweepTable, results: readonly VariantResult[]): SweepJson {
  const byIndex = new Map(results.map((r) => [r.index, r]));
  const best = table.rows.find((r) => r.best);
  return {
    best_variant: table.bestVariant,
    best_latency: best?.latency ?? null,
    best_energy: best?.energy ?? null,
    variants_evaluated: table.rows.length,
    failed: table.rows.filter((r) => r.status !== 'ok').length,
    variants: table.rows.map((row) => ({ ...row, mapping: toMappingData(byIndex.get(row.variant)!.variant.mapping) })),
  };
}
