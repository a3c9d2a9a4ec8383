/**
 * The premise of the benches' stories: short, so that a 512-token context on a toy model (the generated test GGUF
 * reads about a token per character) still has room for the opening's outline and instruction.
 */
export const BENCH_PREMISE = 'A keeper finds a letter.';
