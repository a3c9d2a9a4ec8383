import type { Command } from 'commander';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { withEngine } from '../withEngine.js';
import { toPositiveInt } from './parse.js';

/** delete, trash, duplicate: the library's housekeeping from the command line. */
export function libraryCommands(program: Command, io: Output): void {
  const globals = () => program.opts<GlobalOptions>();
  const done = (json: unknown, text: string) => (globals().json ? io.out(JSON.stringify(json)) : io.err(text));

  program
    .command('delete')
    .description('move a story to the trash (kept 30 days; see "longtale trash")')
    .argument('<story>', 'story id', toPositiveInt)
    .action((storyId: number) =>
      withEngine(globals(), (engine) => {
        engine.library.delete(storyId);
        done({ trashed: storyId }, `story ${storyId} is in the trash; "longtale trash --restore ${storyId}" brings it back`);
      }),
    );

  program
    .command('trash')
    .description('list the trash, or restore or purge a story from it')
    .option('--restore <story>', 'bring a story back to the library', toPositiveInt)
    .option('--purge <story>', 'delete a story in the trash for good', toPositiveInt)
    .action((options: { restore?: number; purge?: number }) =>
      withEngine(globals(), (engine) => {
        if (options.restore !== undefined) {
          engine.library.restore(options.restore);
          return done({ restored: options.restore }, `story ${options.restore} is back in the library`);
        }
        if (options.purge !== undefined) {
          engine.library.purge(options.purge);
          return done({ purged: options.purge }, `story ${options.purge} is deleted for good`);
        }
        const trashed = engine.library.trash();
        if (globals().json) return io.out(JSON.stringify(trashed));
        if (trashed.length === 0) return io.out('The trash is empty.');
        for (const s of trashed) io.out(`${s.id}\t${s.title}\t${s.passageCount} passages`);
      }),
    );

  program
    .command('duplicate')
    .description('copy a story with every branch, its memory and its facts')
    .argument('<story>', 'story id', toPositiveInt)
    .action((storyId: number) =>
      withEngine(globals(), (engine) => {
        const copy = engine.library.duplicate(storyId);
        done({ storyId: copy.story.id }, `story ${copy.story.id} "${copy.story.title}"`);
      }),
    );
}
