import type { Command } from 'commander';
import { round } from '../nodeJson.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { cliCall, withEngine } from '../withEngine.js';

export function scoreCommand(program: Command, io: Output): void {
  program
    .command('score')
    .description('the surprisal (−ln p, in nats) of each token of a text after the model\'s BOS and an optional context')
    .requiredOption('--text <text>', 'the text to score (longer than the context is fine: it is scored in windows)')
    .option('--context <text>', 'what comes before the text', '')
    .option('--json', 'print {tokens:[{text, surprisal}], meanSurprisal}')
    .action(async (options: { text: string; context: string; json?: boolean }) => {
      const globals = program.opts<GlobalOptions>();
      await withEngine(globals, async (engine) => {
        const call = cliCall(() => undefined);
        try {
          const scored = await engine.stories.scoreText(options.text, options.context, call);
          const tokens = scored.tokens.map((t) => ({ text: t.text, surprisal: round(t.surprisal) }));
          const mean = scored.meanSurprisal === null ? null : round(scored.meanSurprisal);
          if (options.json || globals.json) return io.out(JSON.stringify({ tokens, meanSurprisal: mean }));
          for (const t of tokens) io.out(`${t.surprisal.toFixed(3).padStart(7)}  ${JSON.stringify(t.text)}`);
          io.out(mean === null ? 'no tokens' : `mean ${mean.toFixed(3)} nats over ${tokens.length} tokens`);
        } finally {
          call.done();
        }
      });
    });
}
