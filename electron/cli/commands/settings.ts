import type { Command } from 'commander';
import {
  type EngineSettings,
  type EngineSettingsPatch,
  isSettingKey,
  LongtaleError,
  type SettingKey,
  type SettingsView,
  settingKeys,
  type StorySettingsView,
} from '../../contract/index.js';
import type { Engine } from '../../engine/Engine.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { withEngine } from '../withEngine.js';
import { toPositiveInt } from './parse.js';

/**
 * `longtale settings [--story ID] [--set key=value]... [--clear key]... [--reset] [--avoid phrase]... [--avoid-none]`:
 * the generation settings the next step uses, and the phrases no passage may contain, saved. With --story, that
 * story's own values, which win over the app's for it alone, and its own phrases besides the app's.
 */
export function settingsCommand(program: Command, io: Output): void {
  program
    .command('settings')
    .description('show or change the generation settings (sampling, passage length, memory); changes are saved')
    .option('--story <id>', "a story's own settings instead of the app's (it follows the app's for every key it does not set)", toPositiveInt)
    .option('--set <key=value>', `change one setting (repeatable); keys: ${settingKeys.join(', ')}`, collect, [])
    .option('--clear <key>', "with --story: follow the app's value of this key again (repeatable)", collect, [])
    .option('--reset', "go back to the defaults (with --story: to the app's settings) before applying any --set")
    .option('--avoid <phrase>', 'a phrase no passage may contain (repeatable; the phrases given replace the list)', collect, [])
    .option('--avoid-none', 'empty the list of phrases to avoid')
    .action(async (options: { story?: number; set: string[]; clear: string[]; reset?: boolean; avoid: string[]; avoidNone?: boolean }) => {
      const globals = program.opts<GlobalOptions>();
      const patch = toPatch(options.set);
      if (options.story === undefined && options.clear.length > 0) throw new LongtaleError('INVALID_INPUT', '--clear needs --story.');
      const avoid = options.avoidNone ? [] : options.avoid.length > 0 ? options.avoid : undefined;
      await withEngine(globals, (engine) => {
        if (options.story !== undefined) {
          if (avoid) engine.settings.setStoryAvoid(options.story, avoid);
          const view = storySettings(engine, options.story, patch, options);
          if (globals.json) return io.out(JSON.stringify(view));
          for (const line of describeSettings(view.settings, view.bounds, (key) => (key in view.own ? ` (this story; app ${view.app[key]})` : ''))) io.out(line);
          io.out(`avoid\t${describeAvoid(view.avoid)}\t(besides the app's: ${describeAvoid(view.appAvoid)})`);
          return;
        }
        if (options.reset) engine.settings.reset();
        if (avoid) engine.settings.setAvoid(avoid);
        const view = Object.keys(patch).length > 0 ? engine.settings.update(patch) : engine.settings.view();
        if (globals.json) return io.out(JSON.stringify(view));
        for (const line of describeSettings(view.settings, view.bounds, (key) => (view.settings[key] === view.defaults[key] ? '' : ` (default ${view.defaults[key]})`))) io.out(line);
        io.out(`avoid\t${describeAvoid(view.avoid)}`);
      });
    });
}

/** The story's own values after --reset, --clear and --set, in that order; saved only when something changed. */
function storySettings(engine: Engine, storyId: number, patch: EngineSettingsPatch, options: { clear: string[]; reset?: boolean }): StorySettingsView {
  const current = engine.settings.ofStory(storyId);
  if (!options.reset && options.clear.length === 0 && Object.keys(patch).length === 0) return current;
  for (const key of options.clear) if (!isSettingKey(key)) throw new LongtaleError('INVALID_INPUT', `There is no setting "${key}"; keys: ${settingKeys.join(', ')}.`);
  const kept = Object.entries(options.reset ? {} : current.own).filter(([key]) => !options.clear.includes(key));
  return engine.settings.setStory(storyId, { ...Object.fromEntries(kept), ...patch });
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `key=value` pairs as a patch; the values' bounds are the engine's to check (it names the key when refusing). */
export function toPatch(pairs: string[]): EngineSettingsPatch {
  const patch: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new LongtaleError('INVALID_INPUT', `--set expects key=value, got "${pair}".`);
    const raw = pair.slice(at + 1).trim();
    const value = Number(raw);
    // A value that is not a number is passed as text so the refusal says which key wanted a number.
    patch[pair.slice(0, at).trim()] = raw !== '' && Number.isFinite(value) ? value : raw;
  }
  return patch as EngineSettingsPatch;
}

function describeAvoid(phrases: readonly string[]): string {
  return phrases.length === 0 ? '(none)' : phrases.map((p) => JSON.stringify(p)).join(', ');
}

function describeSettings(settings: EngineSettings, bounds: SettingsView['bounds'], note: (key: SettingKey) => string): string[] {
  return settingKeys.map((key) => {
    const bound = bounds[key];
    return `${key}\t${settings[key]}${note(key)}\t[${bound?.min}–${bound?.max}]`;
  });
}
