import { roundHalfEven, gcd, product } from '../../lib/common/numeric';

describe('roundHalfEven (Python round)', () => {
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [2.4999, 2],
    [2.5001, 3],
    [-0.5, 0],
    [-1.5, -2],
    [7, 7],
  ])('round(%p) = %p', (x, expected) => {
    expect(roundHalfEven(x) + 0).toBe(expected);
  });
});

describe('integer helpers', () => {
  it('gcd and product', () => {
    expect(gcd(12, 18)).toBe(6);
    expect(gcd(0, 5)).toBe(5);
    expect(product([2, 3, 4])).toBe(24);
    expect(product([])).toBe(1);
  });
});
