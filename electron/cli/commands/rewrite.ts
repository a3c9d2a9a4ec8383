import type { Command } from 'commander';
import { nodeJson } from '../nodeJson.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { cliCall, withEngine } from '../withEngine.js';
import { toInt, toPositiveInt } from './parse.js';

export function rewriteCommand(program: Command, io: Output): void {
  program
    .command('rewrite')
    .description('write a passage again from a point: its text up to --at, then --text, and the model writes on (a new version)')
    .argument('<story>', 'story id', toPositiveInt)
    .argument('<node>', 'passage id', toPositiveInt)
    .requiredOption('--at <offset>', 'character offset in the passage (where a token starts: see show --json)', toInt)
    .requiredOption('--text <text>', 'what to write there instead (one of `alternatives`, or your own words)')
    .action(async (storyId: number, nodeId: number, options: { at: number; text: string }) => {
      const globals = program.opts<GlobalOptions>();
      await withEngine(globals, async (engine) => {
        const call = cliCall((event) => {
          if (!globals.json && event.kind === 'token') io.stream(event.text);
        });
        try {
          const node = (await engine.stories.rewriteFrom(storyId, nodeId, options.at, options.text, call)).path.at(-1);
          if (!node) return;
          if (globals.json) return io.out(JSON.stringify(nodeJson(node, engine.stories.memory.tokens(storyId, node.id).tokens)));
          io.out('\n');
          io.err(`passage ${node.id} of story ${storyId}, version ${node.siblingIndex + 1} of ${node.siblingCount}`);
        } finally {
          call.done();
        }
      });
    });
}
