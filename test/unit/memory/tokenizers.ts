/** Stand-in tokenizers for the prompt-assembly tests: the real one is a black box, so several shapes are used. */

/** One token per whitespace-separated word: exact and monotone, so tests can compute the expected cut. */
export function words(text: string): number {
  return text.split(/\s+/u).filter((w) => w !== '').length;
}

/** Roughly what a BPE tokenizer does to English. */
export function charsOver4(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Not additive: a newline costs a token of its own, so joining sections costs more than their parts. */
export function wordsPlusNewlines(text: string): number {
  return words(text) + (text.match(/\n/gu)?.length ?? 0);
}

/** Not even monotone: a text-dependent jitter of up to two tokens on top of chars/4. */
export function jittery(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i += 97) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return charsOver4(text) + (Math.abs(hash) % 3);
}

/** Wraps a tokenizer to count how often it is called. */
export function countingTokenizer(count: (text: string) => number): { count: (text: string) => number; calls: number } {
  const tokenizer = {
    calls: 0,
    count: (text: string): number => {
      tokenizer.calls += 1;
      return count(text);
    },
  };
  return tokenizer;
}
