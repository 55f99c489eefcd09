/** Number formatting shared by every chart, so the pictures of a run read as one set. */

export interface ByteUnit {
  readonly label: 'B' | 'KiB' | 'MiB' | 'GiB';
  /** Bits per unit. */
  readonly bits: number;
}

const BYTE_UNITS: readonly ByteUnit[] = [
  { label: 'B', bits: 8 },
  { label: 'KiB', bits: 8 * 1024 },
  { label: 'MiB', bits: 8 * 1024 ** 2 },
  { label: 'GiB', bits: 8 * 1024 ** 3 },
];

/** The largest binary byte unit in which `maxBits` is at least 1. */
export function byteUnitFor(maxBits: number): ByteUnit {
  return [...BYTE_UNITS].reverse().find((u) => maxBits >= u.bits) ?? BYTE_UNITS[0];
}

/** `681984` bits → `83.3 KiB`. */
export function formatBits(bits: number): string {
  const unit = byteUnitFor(bits);
  const value = bits / unit.bits;
  return `${value >= 100 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${unit.label}`;
}

/** `103546916` → `103,546,916` (by hand: the first `toLocaleString` call loads ICU data, ~10 ms). */
export function formatCycles(cycles: number): string {
  const digits = String(Math.abs(Math.round(cycles)));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return cycles < 0 ? `-${grouped}` : grouped;
}

/** `0`, `950`, `12k`, `2.5M`: the value with an SI prefix and at most 3 significant digits (axis ticks). */
export function formatSi(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const prefixes = ['', 'k', 'M', 'G', 'T', 'P'];
  let group = Math.max(0, Math.min(prefixes.length - 1, Math.floor(Math.log10(Math.abs(value)) / 3)));
  let mantissa = Number((value / 1000 ** group).toPrecision(3));
  if (Math.abs(mantissa) >= 1000 && group + 1 < prefixes.length) [group, mantissa] = [group + 1, mantissa / 1000];
  return `${mantissa}${prefixes[group]}`;
}

/** The smallest step of 1, 2 or 5 times a power of ten that is at least `raw` (> 0). */
export function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
}
