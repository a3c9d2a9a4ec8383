import type { Command } from 'commander';
import { type EngineSettingsPatch, LongtaleError, type SettingsView, settingKeys } from '../../contract/index.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { withEngine } from '../withEngine.js';

/** `longtale settings [--set key=value]... [--reset]`: the generation settings the next step uses, saved. */
export function settingsCommand(program: Command, io: Output): void {
  program
    .command('settings')
    .description('show or change the generation settings (sampling, passage length, memory); changes are saved')
    .option('--set <key=value>', `change one setting (repeatable); keys: ${settingKeys.join(', ')}`, collect, [])
    .option('--reset', 'go back to the defaults before applying any --set')
    .action(async (options: { set: string[]; reset?: boolean }) => {
      const globals = program.opts<GlobalOptions>();
      const patch = toPatch(options.set);
      await withEngine(globals, (engine) => {
        if (options.reset) engine.settings.reset();
        const view = Object.keys(patch).length > 0 ? engine.settings.update(patch) : engine.settings.view();
        if (globals.json) return io.out(JSON.stringify(view));
        for (const line of describeSettings(view)) io.out(line);
      });
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `key=value` pairs as a patch; the values' bounds are the engine's to check (it names the key when refusing). */
function toPatch(pairs: string[]): EngineSettingsPatch {
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

function describeSettings(view: SettingsView): string[] {
  return settingKeys.map((key) => {
    const value = view.settings[key];
    const bound = view.bounds[key];
    const note = value === view.defaults[key] ? '' : ` (default ${view.defaults[key]})`;
    return `${key}\t${value}${note}\t[${bound?.min}–${bound?.max}]`;
  });
}
