import { AvoidPhrases, EngineSettingsPatch } from '../../../electron/contract/index.js';
import { BackendError } from '../backend/Backend.js';
import type { FakeBackend } from './FakeBackend.js';
import { storySettingsView } from './fixtures.js';

/**
 * Makes `backend` keep story 1's own settings and phrases to avoid as the engine does: setSettings and setAvoid
 * replace them, checked with the contract's schemas (a bad value is refused with INVALID_INPUT saying why).
 */
export function serveStorySettings(backend: FakeBackend, own: EngineSettingsPatch = {}, appAvoid: string[] = []): FakeBackend {
  let current = own;
  let avoid: string[] = [];
  const view = () => storySettingsView(current, undefined, { avoid, appAvoid });
  return backend
    .on('stories.settings', view)
    .on('stories.setSettings', ({ own: next }) => {
      current = checked(EngineSettingsPatch, next);
      return view();
    })
    .on('stories.setAvoid', ({ phrases }) => {
      avoid = checked(AvoidPhrases, phrases);
      return view();
    });
}

function checked<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BackendError('INVALID_INPUT', parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}
