import type { Command } from 'commander';
import type { Fact } from '../../contract/index.js';
import type { Engine } from '../../engine/Engine.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { withEngine } from '../withEngine.js';
import { toPositiveInt } from './parse.js';

/** `longtale facts …`: the story bible's pinned facts (always in the prompt, never forgotten), and names suggested for it. */
export function factsCommand(program: Command, io: Output): void {
  const facts = program.command('facts').description('list, pin, edit or remove facts of the story bible; suggest some from the story');
  const story = ['<story>', 'story id', toPositiveInt] as const;
  const fact = ['<fact>', 'fact id (see facts list)', toPositiveInt] as const;

  facts
    .command('list')
    .description('the pinned facts')
    .argument(...story)
    .action((storyId: number) => change(program, io, (engine) => engine.stories.facts.list(storyId)));

  facts
    .command('add')
    .description('pin a fact')
    .argument(...story)
    .requiredOption('--text <text>', 'the fact')
    .option('--from <node>', 'only from this passage on, on its branch (default: the whole story)', toPositiveInt)
    .action((storyId: number, options: { text: string; from?: number }) =>
      change(program, io, (engine) => engine.stories.facts.add(storyId, options.text, options.from)),
    );

  facts
    .command('edit')
    .description('reword a fact')
    .argument(...story)
    .argument(...fact)
    .requiredOption('--text <text>', 'the new wording')
    .action((storyId: number, factId: number, options: { text: string }) =>
      change(program, io, (engine) => engine.stories.facts.edit(storyId, factId, options.text)),
    );

  facts
    .command('remove')
    .description('unpin a fact')
    .argument(...story)
    .argument(...fact)
    .action((storyId: number, factId: number) => change(program, io, (engine) => engine.stories.facts.remove(storyId, factId)));

  facts
    .command('suggest')
    .description('names that keep coming up in the story and are in no fact yet, each with the sentence that brought it in')
    .argument(...story)
    .option('--node <node>', 'the path to this passage instead of the current one', toPositiveInt)
    .action(async (storyId: number, options: { node?: number }) => {
      const globals = program.opts<GlobalOptions>();
      await withEngine(globals, (engine) => {
        const suggestions = engine.stories.facts.suggest(storyId, options.node);
        if (globals.json) return io.out(JSON.stringify({ suggestions }));
        if (suggestions.length === 0) return io.out('No recurring names that the facts do not already cover.');
        for (const s of suggestions) {
          const surprise = s.surprisal === null ? '' : `, ${s.surprisal.toFixed(1)} nats where it first appeared`;
          io.out(`${s.name}\t${s.passages} passages${surprise} (passage ${s.nodeId})\t${s.text}`);
        }
      });
    });
}

/** Runs a change (or a read) and prints the facts as they are after it. */
async function change(program: Command, io: Output, work: (engine: Engine) => Fact[]): Promise<void> {
  const globals = program.opts<GlobalOptions>();
  await withEngine(globals, (engine) => {
    const facts = work(engine);
    if (globals.json) return io.out(JSON.stringify({ facts }));
    if (facts.length === 0) return io.out('No pinned facts.');
    for (const f of facts) {
      const scope = f.from === null ? 'whole story' : `from § ${f.from.position} (passage ${f.from.nodeId})${f.applies ? '' : ', another branch'}`;
      io.out(`${f.id}\t${scope}\t${f.text}`);
    }
  });
}
