import type { Command } from 'commander';
import { nodeJson } from '../nodeJson.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { withEngine } from '../withEngine.js';
import { toPositiveInt } from './parse.js';

export function showCommand(program: Command, io: Output): void {
  program
    .command('show')
    .description('print a story: the path from its beginning to the current passage (or to --node)')
    .argument('<story>', 'story id', toPositiveInt)
    .option('--node <node>', 'show the path to this passage instead', toPositiveInt)
    .action(async (storyId: number, options: { node?: number }) => {
      const globals = program.opts<GlobalOptions>();
      await withEngine(globals, (engine) => {
        const view = engine.stories.open(storyId, options.node);
        const { story } = view;
        if (globals.json) {
          const nodes = view.path.map((node) => nodeJson(node, engine.stories.memory.tokens(storyId, node.id).tokens));
          return io.out(JSON.stringify({ story: { id: story.id, title: story.title, premise: story.premise }, nodes }));
        }
        io.out(`# ${story.title}\n`);
        for (const node of view.path) io.out(`${node.passage}\n`);
        const current = view.path.at(-1);
        current?.plans.forEach((plan, i) => io.out(`${i + 1}. ${plan.label}: ${plan.text}`));
      });
    });
}
