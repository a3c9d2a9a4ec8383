import type { Command } from 'commander';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { cliCall, withEngine } from '../withEngine.js';
import { toPositiveInt } from './parse.js';

export function reindexCommand(program: Command, io: Output): void {
  program
    .command('reindex')
    .description('embed every passage of a story that has no vector for the embedding model yet (needs --embedding-model)')
    .argument('<story>', 'story id', toPositiveInt)
    .action(async (storyId: number) => {
      const globals = program.opts<GlobalOptions>();
      await withEngine(globals, async (engine) => {
        const call = cliCall(() => undefined);
        try {
          const result = await engine.stories.reindex(storyId, call);
          if (globals.json) return io.out(JSON.stringify(result));
          io.out(`Embedded ${result.embedded} passage${result.embedded === 1 ? '' : 's'} of story ${storyId}.`);
        } finally {
          call.done();
        }
      });
    });
}
