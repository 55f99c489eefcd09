import { pythonSetOrder, zigzagDimHash } from '../../lib/cost/python-set-order';
import { pythonSetOrderGolden } from '../fixtures/cost/golden';

describe('CPython set order of ZigZag dims', () => {
  it('matches the documented hash sanity check', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => Number(zigzagDimHash(`D${i}`) & 31n))).toEqual([9, 14, 18, 11, 0, 21, 29, 13]);
  });

  it('reproduces python-set-order.json for every n', () => {
    const golden = pythonSetOrderGolden();
    for (const [n, order] of Object.entries(golden)) {
      expect(pythonSetOrder(Array.from({ length: Number(n) }, (_, i) => `D${i}`))).toEqual(order);
    }
  });

  it('orders served OA dims as the reference does', () => {
    expect(pythonSetOrder(['D1', 'D2'], 'OADimension')).toEqual(['D1', 'D2']);
    expect(pythonSetOrder(['D1', 'D2', 'D3'], 'OADimension')).toEqual(['D1', 'D2', 'D3']);
    expect(pythonSetOrder(['D1', 'D2', 'D3', 'D4'], 'OADimension')).toEqual(['D1', 'D2', 'D4', 'D3']);
    expect(pythonSetOrder(['D3', 'D4'], 'OADimension')).toEqual(['D3', 'D4']);
  });
});
