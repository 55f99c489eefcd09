/** Small constructors for the affine maps the operator parsers emit. */
import type { AffineExpr, AffineMap, AffineTerm } from '../model';

export const term = (dim: number, coef = 1): AffineTerm => ({ dim, coef });

/** Terms in expression-tree order (left operand first); zero coefficients are dropped. */
export const sum = (terms: readonly AffineTerm[], constant = 0): AffineExpr => ({ terms: terms.filter((t) => t.coef !== 0), constant });

export const dimExpr = (dim: number): AffineExpr => sum([term(dim)]);

export const constantExpr = (value: number): AffineExpr => sum([], value);

export const affineMap = (numDims: number, results: readonly AffineExpr[]): AffineMap => ({ numDims, results });

/** `(d0, ..., d{n-1}) -> (d0, ..., d{n-1})`. */
export const identityMap = (numDims: number): AffineMap =>
  affineMap(
    numDims,
    Array.from({ length: numDims }, (_, i) => dimExpr(i)),
  );
