/**
 * The ways the reference's per-core model can fail on a (layer, core) pair. Stream catches every
 * one of them and falls back to an ideal-cycle estimate (reference-cost-model §1.4, §3.5); we do the
 * same and keep the reason so reports can show it.
 */
export type CostFailureKind =
  /** Affine index the reference cannot express (bare constant/broadcast, `2·d`, three-term sum). */
  | 'unsupported-index-expression'
  /** Node shape the layer builder does not handle (no single output, too many inputs, ...). */
  | 'unsupported-node'
  /** Layer record that does not parse. */
  | 'invalid-layer'
  /** Core memory operand the layer does not use, or layer operand the core has no memory for (`KeyError`). */
  | 'memory-operand-mismatch'
  /** Generator found no spatial mapping. */
  | 'no-spatial-mapping'
  /** Innermost memory cannot hold one element (`ValueError: max() arg is an empty sequence`). */
  | 'register-too-small'
  /** Every loop ordering was rejected by the allocator (`NoValidLoopOrderingFoundException`). */
  | 'no-valid-loop-ordering'
  /** A transfer needs a port direction that has no allocated port, or a zero bandwidth. */
  | 'missing-port'
  /** Memory-updating-window union with non-dividing periods (numpy reshape error). */
  | 'muw-union-reshape'
  /** Core kind the ZigZag model does not handle. */
  | 'unsupported-core';

export class CostModelError extends Error {
  constructor(
    readonly kind: CostFailureKind,
    message: string,
    /** What the reference raises in this situation, e.g. `KeyError: I2`. */
    readonly referenceError?: string,
  ) {
    super(message);
    this.name = 'CostModelError';
  }
}
