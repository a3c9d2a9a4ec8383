import type { Command } from 'commander';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { withEngine } from '../withEngine.js';

export function listCommand(program: Command, io: Output): void {
  program
    .command('list')
    .description('list the stories')
    .action(async () => {
      const globals = program.opts<GlobalOptions>();
      await withEngine(globals, (engine) => {
        const stories = engine.stories.list();
        if (globals.json) return io.out(JSON.stringify(stories));
        if (stories.length === 0) return io.out('No stories yet. Start one with: longtale new --premise "..."');
        for (const s of stories) io.out(`${s.id}\t${s.title}\t${plural(s.passageCount, 'passage')}, ${plural(s.wordCount, 'word')}`);
      });
    });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
