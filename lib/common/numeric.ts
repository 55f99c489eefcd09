/** Python's `round()`: round half to even. Exact parity with the reference depends on it. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export function product(values: Iterable<number>): number {
  let p = 1;
  for (const v of values) p *= v;
  return p;
}

export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

export function ceilDiv(a: number, b: number): number {
  return Math.ceil(a / b);
}
