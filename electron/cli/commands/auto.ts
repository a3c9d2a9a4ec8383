import type { Command } from 'commander';
import { AutoTarget } from '../../contract/index.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { cliCall, withEngine } from '../withEngine.js';
import { toPositiveInt } from './parse.js';

export function autoCommand(program: Command, io: Output): void {
  program
    .command('auto')
    .description('write unattended toward a number of passages or words (Ctrl-C stops; written passages stay)')
    .argument('<story>', 'story id', toPositiveInt)
    .option('--passages <n>', 'passages to add', toPositiveInt)
    .option('--words <n>', 'words to add', toPositiveInt)
    .action(async (storyId: number, options: { passages?: number; words?: number }) => {
      if ((options.passages === undefined) === (options.words === undefined)) throw new Error('Give exactly one of --passages and --words.');
      const target = AutoTarget.parse(options.passages !== undefined ? { passages: options.passages } : { words: options.words });
      const globals = program.opts<GlobalOptions>();
      await withEngine(globals, async (engine) => {
        let last = { passages: 0, words: 0 };
        const call = cliCall((event) => {
          if (event.kind !== 'progress') return;
          last = { passages: event.passages, words: event.words };
          const goal = event.targetPassages !== null ? `${event.passages}/${event.targetPassages} passages` : `${event.words}/${event.targetWords} words`;
          const eta = event.secondsLeft === null ? '' : `, about ${Math.ceil(event.secondsLeft)} s left`;
          const line = `${bar(event)} ${goal} (${event.words} words${eta})`;
          if (io.interactive) io.err(`\u001b[2K\r${line}\u001b[1A`);
          else io.err(line);
        });
        try {
          const view = await engine.stories.auto(storyId, target, call);
          if (io.interactive) io.err('');
          const summary = { storyId, nodeId: view.currentNodeId, passages: last.passages, words: last.words };
          if (globals.json) io.out(JSON.stringify(summary));
          else io.out(`Wrote ${last.passages} passages, ${last.words} words; story ${storyId} is at passage ${view.currentNodeId}.`);
        } finally {
          call.done();
        }
      });
    });
}

function bar(event: { passages: number; words: number; targetPassages: number | null; targetWords: number | null }): string {
  const fraction = Math.min(1, event.targetPassages !== null ? event.passages / event.targetPassages : event.words / (event.targetWords ?? 1));
  const filled = Math.round(fraction * 20);
  return `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}]`;
}
