import type { Command } from 'commander';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { cliCall, withEngine } from '../withEngine.js';
import { toInt, toPositiveInt } from './parse.js';

export function alternativesCommand(program: Command, io: Output): void {
  program
    .command('alternatives')
    .description('what else the model might have written at a point of a passage: its likeliest next tokens there')
    .argument('<story>', 'story id', toPositiveInt)
    .argument('<node>', 'passage id', toPositiveInt)
    .requiredOption('--at <offset>', 'character offset in the passage (where a token starts: see show --json)', toInt)
    .action(async (storyId: number, nodeId: number, options: { at: number }) => {
      const globals = program.opts<GlobalOptions>();
      await withEngine(globals, async (engine) => {
        const call = cliCall(() => undefined);
        try {
          const candidates = await engine.stories.alternatives(storyId, nodeId, options.at, call);
          if (globals.json) return io.out(JSON.stringify({ nodeId, offset: options.at, candidates }));
          for (const c of candidates) io.out(`${(c.probability * 100).toFixed(1).padStart(5)}%  ${JSON.stringify(c.text)}`);
        } finally {
          call.done();
        }
      });
    });
}
