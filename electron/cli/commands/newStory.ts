import type { Command } from 'commander';
import { NewStory } from '../../contract/index.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { cliCall, withEngine } from '../withEngine.js';
import { collect, toPatch } from './settings.js';

export function newCommand(program: Command, io: Output): void {
  program
    .command('new')
    .description('start a story from a premise: title, outline, first passage, memory and three plans')
    .requiredOption('--premise <text>', 'what the story is about')
    .option('--title <title>', 'the title (default: the model proposes one)')
    .option('--genre <genre>', 'genre, e.g. "cozy mystery"')
    .option('--style <style>', 'how it should read, e.g. "terse, present tense"')
    .option('--set <key=value>', "a setting of the story's own from the start (repeatable; see settings --story)", collect, [])
    .action(async (options: { premise: string; title?: string; genre?: string; style?: string; set: string[] }) => {
      const { set, ...story } = options;
      const request = NewStory.parse({ ...story, ...(set.length > 0 ? { settings: toPatch(set) } : {}) });
      const globals = program.opts<GlobalOptions>();
      await withEngine(globals, async (engine) => {
        const call = cliCall((event) => {
          if (!globals.json && event.kind === 'token') io.stream(event.text);
          if (!globals.json && event.kind === 'restart') io.stream('\n[repeating itself: writing again]\n');
        });
        try {
          const view = await engine.stories.create(request, call);
          if (globals.json) {
            const passage = view.path.at(-1)?.passage ?? '';
            return io.out(JSON.stringify({ storyId: view.story.id, nodeId: view.currentNodeId, title: view.story.title, passage }));
          }
          io.out('');
          io.err(`story ${view.story.id} "${view.story.title}", passage ${view.currentNodeId}`);
        } finally {
          call.done();
        }
      });
    });
}
