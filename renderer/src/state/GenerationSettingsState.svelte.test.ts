import { describe, expect, it } from 'vitest';
import { type EngineSettingsPatch, EngineSettingsPatch as PatchSchema } from '../../../electron/contract/index.js';
import { BackendError } from '../backend/Backend.js';
import { FakeBackend } from '../testing/FakeBackend.js';
import { DEFAULT_SETTINGS as DEFAULTS, settingsView } from '../testing/fixtures.js';
import { GenerationSettingsState } from './GenerationSettingsState.svelte.js';
import { checkValue } from './SettingsForm.svelte.js';

/** A backend that keeps settings as the engine does, validating with the contract's own schema. */
function setup() {
  let current = { ...DEFAULTS };
  const view = () => settingsView(current);
  const backend = new FakeBackend()
    .on('settings.get', view)
    .on('settings.update', (patch: EngineSettingsPatch) => {
      const parsed = PatchSchema.safeParse(patch);
      if (!parsed.success) throw new BackendError('INVALID_INPUT', parsed.error.issues[0]?.message ?? 'invalid');
      current = { ...current, ...parsed.data };
      return view();
    })
    .on('settings.reset', () => {
      current = { ...DEFAULTS };
      return view();
    });
  return { backend, state: new GenerationSettingsState(backend) };
}

describe('GenerationSettingsState', () => {
  it('loads the settings, then sends one changed field and shows the engine’s answer', async () => {
    const { backend, state } = setup();
    expect(state.settings).toBeNull();
    await state.load();
    expect(state.settings?.passageTokens).toBe(400);
    expect(await state.change('passageTokens', '120')).toBe(true);
    expect(backend.callsOf('settings.update')).toEqual([{ passageTokens: 120 }]);
    expect(state.settings?.passageTokens).toBe(120);
    expect(state.savedKey).toBe('passageTokens');
    expect(state.fieldError('passageTokens')).toBeNull();
  });

  it('refuses empty, out-of-range and fractional values beside the field without calling the engine', async () => {
    const { backend, state } = setup();
    await state.load();
    expect(await state.change('temperature', '')).toBe(false);
    expect(state.fieldError('temperature')).toBe('Enter a number from 0 to 2.');
    expect(await state.change('passageTokens', '120.5')).toBe(false);
    expect(state.fieldError('passageTokens')).toBe('Enter a whole number.');
    expect(await state.change('decayPlot', '1.5')).toBe(false);
    expect(backend.callsOf('settings.update')).toEqual([]);
    expect(state.settings).toEqual(DEFAULTS);
    // A good value clears that field's error only.
    expect(await state.change('temperature', '1.2')).toBe(true);
    expect(state.fieldError('temperature')).toBeNull();
    expect(state.fieldError('decayPlot')).not.toBeNull();
  });

  it('shows the engine’s refusal beside the field and a lost connection at the top; reset clears both', async () => {
    const { backend, state } = setup();
    await state.load();
    backend.fail('settings.update', 'INVALID_INPUT', 'topK must be between 0 and 500.');
    expect(await state.change('topK', '50')).toBe(false);
    expect(state.fieldError('topK')).toContain('topK must be between 0 and 500.');
    expect(state.error).toBeNull();
    backend.fail('settings.update', 'DISCONNECTED', '');
    expect(await state.change('minP', '0.1')).toBe(false);
    expect(state.error).toBe('Lost the connection to the engine.');
    expect(await state.reset()).toBe(true);
    expect(state.fieldError('topK')).toBeNull();
    expect(state.settings).toEqual(DEFAULTS);
  });

  it('checks values against the contract bounds', () => {
    expect(checkValue('minP', '0')).toBeNull();
    expect(checkValue('minP', 'abc')).toBe('Enter a number from 0 to 1.');
    expect(checkValue('relatedPassages', '11')).toBe('Enter a number from 0 to 10.');
  });
});
