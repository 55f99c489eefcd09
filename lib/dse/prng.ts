/**
 * A small seeded pseudo-random generator for reproducible DSE samples: sfc32 (Chris Doty-Humphrey's
 * "small fast counting" generator, 128-bit state, passes PractRand/BigCrush) seeded through splitmix32,
 * so nearby seeds give unrelated streams. Same seed → same sequence on every platform (32-bit integer
 * arithmetic only). Not for cryptography.
 */

export interface Random {
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform integer in [0, bound) (bound ≥ 1), without modulo bias. */
  nextBelow(bound: bigint): bigint;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function seededRandom(seed: number): Random {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // Discard the first outputs: sfc32's state needs a few rounds to mix.
  for (let i = 0; i < 12; i++) nextUint32();

  const nextBelow = (bound: bigint): bigint => {
    if (bound <= 1n) return 0n;
    const bits = bound.toString(2).length;
    const words = Math.ceil(bits / 32);
    const excess = BigInt(words * 32 - bits);
    // Rejection sampling on the smallest power of two ≥ bound: at most 2 draws on average.
    for (;;) {
      let value = 0n;
      for (let w = 0; w < words; w++) value = (value << 32n) | BigInt(nextUint32());
      value >>= excess;
      if (value < bound) return value;
    }
  };
  return { nextUint32, nextBelow };
}
