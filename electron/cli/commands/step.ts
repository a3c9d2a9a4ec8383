import type { Command } from 'commander';
import { StepInput } from '../../contract/index.js';
import { nodeJson } from '../nodeJson.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { cliCall, withEngine } from '../withEngine.js';
import { toPositiveInt } from './parse.js';

export function stepCommand(program: Command, io: Output): void {
  program
    .command('step')
    .description('write the next passage: from plan 1 by default, or a chosen plan, your own plan, or an action')
    .argument('<story>', 'story id', toPositiveInt)
    .option('--choice <n>', 'follow plan 1, 2 or 3', toPositiveInt)
    .option('--plan <text>', 'follow your own plan')
    .option('--action <text>', 'what the reader does')
    .option('--from <node>', 'continue from this passage instead of the current one', toPositiveInt)
    .action(async (storyId: number, options: { choice?: number; plan?: string; action?: string; from?: number }) => {
      const given = [options.choice, options.plan, options.action].filter((v) => v !== undefined).length;
      if (given > 1) throw new Error('Give at most one of --choice, --plan and --action.');
      const input = StepInput.parse(
        options.plan !== undefined ? { plan: options.plan } : options.action !== undefined ? { action: options.action } : { choice: options.choice ?? 1 },
      );
      const globals = program.opts<GlobalOptions>();
      await withEngine(globals, async (engine) => {
        const call = cliCall((event) => {
          if (!globals.json && event.kind === 'token') io.stream(event.text);
          if (!globals.json && event.kind === 'restart') io.stream('\n[repeating itself: writing again]\n');
        });
        try {
          const view = await engine.stories.step(storyId, options.from, input, call);
          const node = view.path.at(-1);
          if (!node) return;
          if (globals.json) return io.out(JSON.stringify(nodeJson(node, engine.stories.memory.tokens(storyId, node.id).tokens)));
          io.out('\n');
          node.plans.forEach((plan, i) => io.out(`${i + 1}. ${plan.label}: ${plan.text}`));
          io.err(`passage ${node.id} of story ${storyId}`);
        } finally {
          call.done();
        }
      });
    });
}
