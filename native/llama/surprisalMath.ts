/**
 * Surprisal from the probability maps llama.cpp returns, in nats. Pure arithmetic, kept apart from the model so it
 * can be tested against known distributions.
 */

/** Largest surprisal reported: a probability that underflowed to 0 (or a token far outside the top K) scores this. */
export const MAX_SURPRISAL = 60;

/** `-ln p` from a full-vocabulary map; a token missing from it (probability 0 in float32) scores MAX_SURPRISAL. */
export function exactSurprisal(probabilities: ReadonlyMap<number, number>, token: number): number {
  const p = probabilities.get(token) ?? 0;
  return p > 0 ? Math.min(MAX_SURPRISAL, -Math.log(p)) : MAX_SURPRISAL;
}

/**
 * Surprisal of `token` from a top-K map computed with `bias` nats added to that token's logit (and nothing else
 * changed: temperature 1, top-p 1, min-p 0), for a vocabulary of `vocabularySize`.
 *
 * The map is a softmax over the K best *biased* logits, so for any other entry j, ln p_j − ln p_x + bias is exactly
 * l_j − l_x: the target's weight relative to every top candidate is known, and so is its place among them. What the
 * map cannot show is the mass of the V − K tokens below it; that tail is estimated by fitting a power law to the
 * lower half of the map's ranks (Zipf-like on trained models, nearly flat on random ones) and summing it to rank
 * V, capped by the flat bound (V − K) · p_K since no tail token can beat the K-th (logTail). So
 *
 *     s_x = ln(1 + Σ_j exp(l_j − l_x) + tail / exp(l_x)).
 *
 * The bias only decides whether the target makes it into the map. If it is still outside (it is more than `bias`
 * nats below the K-th candidate), it scores the K-th candidate's own surprisal plus `bias`: a lower bound,
 * documented as the cap for tokens outside the top K. Both are clamped to MAX_SURPRISAL.
 */
export function topKSurprisal(
  probabilities: ReadonlyMap<number, number>,
  token: number,
  bias: number,
  vocabularySize: number,
): { surprisal: number; inTopK: boolean } {
  const target = probabilities.get(token);
  if (target === undefined || !(target > 0)) {
    // Every entry is an ordinary (unbiased) candidate: score the least likely one and add the bias as the cap.
    const logs = [...probabilities.values()].filter((p) => p > 0).map(Math.log).sort((a, b) => b - a);
    const lowest = logs.at(-1);
    if (lowest === undefined) return { surprisal: MAX_SURPRISAL, inTopK: false };
    const tail = logTail(logs, vocabularySize - logs.length);
    const sK = logSumExp([...logs, tail]) - lowest;
    return { surprisal: Math.min(MAX_SURPRISAL, sK + bias), inTopK: false };
  }
  const logTarget = Math.log(target);
  // Log-weights of the other candidates relative to the target's unbiased weight (which is exp(0)).
  const others: number[] = [];
  for (const [candidate, p] of probabilities) {
    if (candidate !== token && p > 0) others.push(Math.log(p) - logTarget + bias);
  }
  others.sort((a, b) => b - a);
  const tail = logTail(others, vocabularySize - others.length - 1);
  const surprisal = logSumExp([0, ...others, tail]);
  return { surprisal: Math.min(MAX_SURPRISAL, Math.max(0, surprisal)), inTopK: true };
}

/**
 * topKSurprisal for the entry at `index` of an unbiased top-K map (temperature 1, no truncation) given as its
 * log-probabilities best first: the same value without building arrays, since generation scores every token it
 * writes this way. With p the map's probabilities (summing to S, 1 up to float error) and T the tail beyond the
 * other entries, s = ln(S + e^T) − ln p_index.
 */
export function sortedMapSurprisal(logsDesc: Float64Array, count: number, index: number, vocabularySize: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += Math.exp(logsDesc[i] as number);
  const tail = logTail(logsDesc, vocabularySize - count, count, index);
  const surprisal = Math.log(sum + Math.exp(tail)) - (logsDesc[index] as number);
  return Math.min(MAX_SURPRISAL, Math.max(0, surprisal));
}

/** Below this fitted exponent the tail is taken as flat (see logTail). */
const FLAT_BELOW = 0.5;

/**
 * ln of the estimated total weight of `count` tokens ranked below the given log-weights (sorted high to low):
 * a power law p_r = p_n (r/n)^−α fitted on the lower half of the ranks, summed as an integral, capped by count · p_n
 * (and equal to it when α < 0.5). On stories260K with K = 16 of 512 this puts two thirds of tokens within 0.05 nats
 * of exact where the flat bound alone puts a fifth; on the random 32k model the flat bound is within 0.16 nats.
 */
export function logTail(logWeightsDesc: ArrayLike<number>, count: number, length = logWeightsDesc.length, skip = -1): number {
  // The weights are logWeightsDesc[0, length) without index `skip` (the scored token, when it is among them).
  const n = skip >= 0 && skip < length ? length - 1 : length;
  const at = (rank: number) => logWeightsDesc[skip < 0 || rank < skip ? rank : rank + 1] as number;
  if (n === 0 || count <= 0) return -Infinity;
  const last = at(n - 1);
  const flat = last + Math.log(count);
  const from = Math.floor(n / 2);
  if (n - from < 2) return flat;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  const m = n - from;
  for (let i = from; i < n; i++) {
    const x = Math.log(i + 1);
    const y = at(i);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const denominator = m * sxx - sx * sx;
  const alpha = denominator > 0 ? Math.max(0, -(m * sxy - sx * sy) / denominator) : 0;
  // Candidates that barely thin out (random or very uncertain models): the tail is as flat as they are, and a
  // fitted exponent near 0 would only add the noise of the last few ranks.
  if (alpha < FLAT_BELOW) return flat;
  // ∫ from n+½ to n+count+½ of (r/n)^−α dr, in logs.
  const a = n + 0.5;
  const b = n + count + 0.5;
  const logIntegral =
    Math.abs(1 - alpha) < 1e-6
      ? Math.log(n) + Math.log(Math.log(b / a))
      : alpha * Math.log(n) + Math.log(Math.abs(b ** (1 - alpha) - a ** (1 - alpha)) / Math.abs(1 - alpha));
  return Math.min(flat, last + logIntegral);
}

export function logSumExp(values: readonly number[]): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  return max + Math.log(sum);
}
