import type { TokenSurprisal } from '../../../electron/contract/index.js';

/**
 * The heatmap's tokens with the byte tokens of a split character joined to the token that completes it. On
 * byte-fallback vocabularies an emoji or a CJK character is written as several tokens, and all but the last carry
 * no text: shown alone they could be neither seen nor hovered. Joined, the character's surprisal is their sum,
 * −ln p of the whole character (the chain rule). A run of empty tokens at the very end stays as it is.
 */
export function wholeCharacters(tokens: readonly TokenSurprisal[]): TokenSurprisal[] {
  const joined: TokenSurprisal[] = [];
  let carried = 0;
  let pending = 0;
  for (const token of tokens) {
    if (token.text === '') {
      carried += token.surprisal;
      pending++;
      continue;
    }
    joined.push(pending > 0 ? { ...token, surprisal: token.surprisal + carried } : token);
    carried = 0;
    pending = 0;
  }
  if (pending > 0) joined.push(...tokens.slice(tokens.length - pending));
  return joined;
}
