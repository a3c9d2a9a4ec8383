/**
 * A small seeded PRNG returning floats in [0, 1): a 32-bit state stepped by a Weyl increment and mixed by two
 * multiply-xorshift rounds. Enough for sampling (not for anything secret); unseeded, it starts from a random state.
 */
export function seededRandom(seed?: number): () => number {
  let state = (seed === undefined ? Math.floor(Math.random() * 2 ** 32) : Math.floor(seed)) >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 2 ** 32;
  };
}
