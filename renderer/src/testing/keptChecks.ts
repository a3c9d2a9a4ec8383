import type { ContinuityCheck, SavedCheck } from '../../../electron/contract/index.js';
import type { FakeBackend } from './FakeBackend.js';

/** A check's result at passage `position` whose answer the memory makes `times` as likely as the bible alone. */
export function checkResult(question: string, answer: string, times: number, position = 6): ContinuityCheck {
  return { question, answer, answerTokens: 3, baselineNats: 9, points: [{ nodeId: position, position, nats: 9 - Math.log(times) }], reply: answer };
}

/**
 * Serves the kept checks from a list in memory, as the engine keeps them (the same question and answer once);
 * `checks.run` answers each from `answer`.
 */
export function withKeptChecks(backend: FakeBackend, answer: (kept: SavedCheck) => ContinuityCheck, initial: SavedCheck[] = []): FakeBackend {
  let kept = [...initial];
  let next = Math.max(0, ...kept.map((k) => k.id)) + 1;
  return backend
    .on('checks.list', () => kept)
    .on('checks.save', ({ question, answer: expected }) => {
      if (!kept.some((k) => k.question === question && k.answer === expected)) kept = [...kept, { id: next++, question, answer: expected }];
      return kept;
    })
    .on('checks.forget', ({ checkId }) => (kept = kept.filter((k) => k.id !== checkId)))
    .on('checks.run', () => kept.map((k) => ({ id: k.id, check: answer(k) })));
}
