import type { ContinuityCheck } from '../../../electron/contract/index.js';

export interface Verdict {
  /** kept: the memory makes the answer much likelier; bible: the fixed parts give it anyway; faint: little change; against: less likely. */
  tone: 'kept' | 'bible' | 'faint' | 'against';
  text: string;
}

/** How many times likelier the memory at a point makes the answer than the bible alone. */
export function timesAsLikely(check: ContinuityCheck, nats: number): number {
  return Math.exp(check.baselineNats - nats);
}

/** "14× as likely", "2.3× less likely". */
export function describeTimes(times: number): string {
  return times >= 1 ? `${formatTimes(times)} as likely` : `${formatTimes(1 / times)} less likely`;
}

/** "14×", "2.3×", "1,200×". */
export function formatTimes(times: number): string {
  return times >= 100 ? `${Math.round(times).toLocaleString('en')}×` : `${times.toFixed(1)}×`;
}

/** Below this many nats a token, the answer is already plain from the bible (e^-0.7: a one-in-two guess or better). */
const PLAIN_PER_TOKEN = 0.7;
/** A factor of 3 either way is a clear change; less is within what rewording alone moves. */
const CLEAR = 3;

/** What the check says, in words, at the passage asked about (the last point). */
export function verdictOf(check: ContinuityCheck): Verdict {
  const last = check.points.at(-1);
  if (!last) return { tone: 'faint', text: 'Nothing was checked.' };
  const times = timesAsLikely(check, last.nats);
  const at = `§ ${last.position}`;
  if (check.baselineNats / Math.max(1, check.answerTokens) < PLAIN_PER_TOKEN) {
    return { tone: 'bible', text: `The bible alone already gives this answer; at ${at} it is ${formatTimes(times)} as likely.` };
  }
  if (times >= CLEAR) return { tone: 'kept', text: `At ${at} the story still carries it: the answer is ${formatTimes(times)} as likely as from the bible alone.` };
  if (times <= 1 / CLEAR) {
    return { tone: 'against', text: `At ${at} the answer is ${formatTimes(1 / times)} less likely than from the bible alone: the story may say otherwise.` };
  }
  return { tone: 'faint', text: `At ${at} the memory barely changes it (${describeTimes(times)}): the story may have lost this. Pin it as a fact to keep it.` };
}

/** How each tone is counted in a summary of several checks, in this order. */
const COUNTED: Record<Verdict['tone'], string> = { kept: 'carried', bible: 'from the bible', faint: 'faded', against: 'maybe contradicted' };

/** One line for several checks at one passage: "4 kept checks at § 12: 3 carried, 1 faded". */
export function summarize(checks: readonly ContinuityCheck[]): string {
  if (checks.length === 0) return 'There were no kept checks to put to the story.';
  const tones = checks.map((check) => verdictOf(check).tone);
  const parts = (Object.keys(COUNTED) as Verdict['tone'][])
    .map((tone) => [tone, tones.filter((t) => t === tone).length] as const)
    .filter(([, count]) => count > 0)
    .map(([tone, count]) => `${count} ${COUNTED[tone]}`);
  const at = checks[0]?.points.at(-1)?.position ?? '?';
  return `${checks.length} kept ${checks.length === 1 ? 'check' : 'checks'} at § ${at}: ${parts.join(', ')}`;
}
