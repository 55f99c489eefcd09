/**
 * Linear scales the way d3 (and so vega) makes them: "nice" tick steps of 1, 2 or 5 × 10^k for a
 * requested tick count, domains extended to whole steps, and the tick label formats the charts use:
 * grouped thousands (`14,000`), SI prefixes with one prefix per axis (`0k 0.5k … 5k`), whole numbers.
 */

const E10 = Math.sqrt(50);
const E5 = Math.sqrt(10);
const E2 = Math.sqrt(2);

/** d3's tickIncrement: a positive step, or the negated inverse of a step below one. */
function tickIncrement(start: number, stop: number, count: number): number {
  const step = (stop - start) / Math.max(0, count);
  const power = Math.floor(Math.log10(step));
  const error = step / 10 ** power;
  const factor = error >= E10 ? 10 : error >= E5 ? 5 : error >= E2 ? 2 : 1;
  return power >= 0 ? factor * 10 ** power : -(10 ** -power) / factor;
}

/** The tick step for about `count` ticks over [start, stop]. */
export function tickStep(start: number, stop: number, count: number): number {
  const increment = tickIncrement(start, stop, count);
  return increment >= 0 ? increment : -1 / increment;
}

/** Tick values over [start, stop] (d3's `ticks`), about `count` of them. */
export function ticks(start: number, stop: number, count: number): number[] {
  if (!(count > 0) || !(stop > start)) return start === stop ? [start] : [];
  const increment = tickIncrement(start, stop, count);
  if (!Number.isFinite(increment) || increment === 0) return [];
  const values: number[] = [];
  if (increment > 0) {
    const [first, last] = [Math.ceil(start / increment), Math.floor(stop / increment)];
    for (let i = first; i <= last; i++) values.push(i * increment);
  } else {
    const inverse = -increment;
    const [first, last] = [Math.ceil(start * inverse), Math.floor(stop * inverse)];
    for (let i = first; i <= last; i++) values.push(i / inverse);
  }
  return values;
}

/** [start, stop] extended to whole tick steps (d3's `nice`, for the default ten ticks). */
export function niceDomain(start: number, stop: number, count = 10): [number, number] {
  let previous: number | undefined;
  for (let i = 0; i < 10; i++) {
    const step = tickIncrement(start, stop, count);
    if (step === previous || !Number.isFinite(step) || step === 0) break;
    if (step > 0) [start, stop] = [Math.floor(start / step) * step, Math.ceil(stop / step) * step];
    else [start, stop] = [Math.ceil(start * step) / step, Math.floor(stop * step) / step];
    previous = step;
  }
  return [start, stop];
}

export interface LinearScale {
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  (value: number): number;
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const scale = (value: number) => r0 + ((value - d0) / span) * (r1 - r0);
  return Object.assign(scale, { domain, range });
}

/** Digits after the point that tell ticks `step` apart (d3's precisionFixed). */
function fixedPrecision(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(Math.abs(step)) + 1e-9));
}

function group(integerDigits: string): string {
  return integerDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `value` with `decimals` decimals and grouped thousands: `14,000`, `2.5`. */
export function formatGrouped(value: number, decimals = 0): string {
  const fixed = Math.abs(value).toFixed(decimals);
  const [integer, fraction] = fixed.split('.');
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return `${sign}${group(integer)}${fraction ? `.${fraction}` : ''}`;
}

const SI_PREFIXES = ['y', 'z', 'a', 'f', 'p', 'n', 'µ', 'm', '', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];

export type TickFormat = 'grouped' | 'si' | 'integer';

/**
 * Labels for ticks spaced `step` apart, as vega formats them: `grouped` is d3's default for linear
 * scales (precision from the step, thousands grouped), `si` is `~s` with the prefix of the largest
 * tick for every label and trailing zeros dropped, `integer` is `d`.
 */
export function tickFormatter(format: TickFormat, step: number, largest: number): (value: number) => string {
  if (format === 'integer') return (value) => formatGrouped(Math.round(value)).replace(/,/g, '');
  if (format === 'grouped') {
    const decimals = fixedPrecision(step);
    return (value) => formatGrouped(value, decimals);
  }
  const exponent = largest === 0 ? 0 : Math.max(-8, Math.min(8, Math.floor(Math.log10(Math.abs(largest)) / 3))) * 3;
  const decimals = Math.max(0, exponent - Math.floor(Math.log10(Math.abs(step)) + 1e-9));
  const prefix = SI_PREFIXES[8 + exponent / 3];
  return (value) => {
    const scaled = (value / 10 ** exponent).toFixed(decimals);
    const trimmed = scaled.includes('.') ? scaled.replace(/\.?0+$/, '') : scaled;
    return `${trimmed === '-0' ? '0' : trimmed}${prefix}`;
  };
}
