import type { Command } from 'commander';
import type { ContinuityCheck } from '../../contract/index.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { cliCall, withEngine } from '../withEngine.js';
import { toPositiveInt } from './parse.js';

export function continuityCommand(program: Command, io: Output): void {
  program
    .command('continuity')
    .description('does the story still know it? The answer you expect to a question, as likely with its memory as from the bible alone?')
    .argument('<story>', 'story id', toPositiveInt)
    .requiredOption('--question <question>', 'a question about the story ("What is in the jar?")')
    .requiredOption('--answer <answer>', 'the answer the story should give ("the emerald")')
    .option('--node <node>', 'at this passage instead of the current one', toPositiveInt)
    .option('--points <n>', 'also at passages spread along the path, this many in all (at most 12)', toPositiveInt)
    .action(async (storyId: number, options: { question: string; answer: string; node?: number; points?: number }) => {
      const globals = program.opts<GlobalOptions>();
      await withEngine(globals, async (engine) => {
        const call = cliCall(() => undefined);
        try {
          const check = await engine.stories.continuity.check(storyId, { ...options, nodeId: options.node }, call);
          if (globals.json) return io.out(JSON.stringify(check));
          for (const line of describeCheck(check)) io.out(line);
        } finally {
          call.done();
        }
      });
    });
}

/** One line per passage checked: the answer's surprisal there, and how much likelier the memory makes it. */
function describeCheck(check: ContinuityCheck): string[] {
  const lines = [`from the bible alone: ${check.baselineNats.toFixed(2)} nats over ${check.answerTokens} tokens`];
  for (const point of check.points) {
    const times = Math.exp(check.baselineNats - point.nats);
    lines.push(`§ ${point.position} (passage ${point.nodeId}): ${point.nats.toFixed(2)} nats, ${times >= 1 ? `${formatTimes(times)} as likely` : `${formatTimes(1 / times)} less likely`}`);
  }
  lines.push(`the model's own answer: ${JSON.stringify(check.reply)}`);
  return lines;
}

function formatTimes(times: number): string {
  return times >= 100 ? `${Math.round(times).toLocaleString('en')}×` : `${times.toFixed(1)}×`;
}
