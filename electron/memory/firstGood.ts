/**
 * The smallest index in (bad, good] for which `isGood` holds, given that it fails at `bad` and holds at `good`
 * (and, as far as it is monotone, in between). Starts at `guess`, a cheap estimate, and gallops away from it, so
 * a good guess costs two or three calls of `isGood` instead of a whole binary search; a poor one costs at most
 * about twice the binary search. The answer always passes `isGood`, monotone or not.
 */
export function firstGood(bad: number, good: number, isGood: (index: number) => boolean, guess?: number): number {
  let lo = bad;
  let hi = good;
  if (guess !== undefined && hi - lo > 1) {
    const start = Math.min(hi - 1, Math.max(lo + 1, guess));
    if (isGood(start)) {
      hi = start;
      for (let step = 1; hi - lo > 1; step *= 2) {
        const probe = Math.max(lo + 1, hi - step);
        if (isGood(probe)) hi = probe;
        else {
          lo = probe;
          break;
        }
      }
    } else {
      lo = start;
      for (let step = 1; hi - lo > 1; step *= 2) {
        const probe = Math.min(hi - 1, lo + step);
        if (isGood(probe)) {
          hi = probe;
          break;
        }
        lo = probe;
      }
    }
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (isGood(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
