import { Command, InvalidArgumentError, Option } from 'commander';
import { describeError } from '../contract/index.js';
import { toApiError } from '../engine/toApiError.js';
import { VERSION } from '../engine/version.js';
import { registerCommands } from './commands.js';

/** The `longtale` command. Errors end as one line on stderr and a non-zero exit. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('longtale')
    .description('Long interactive fiction with a local language model')
    .version(VERSION)
    .option('--db <path>', 'story database (default: the user-data folder; env LONGTALE_DB)')
    .option('--model <path>', 'GGUF model file (env LONGTALE_MODEL; default: the last one used)')
    .addOption(new Option('--gpu <kind>', 'GPU backend').choices(['auto', 'cuda', 'vulkan', 'metal', 'off']).default('auto'))
    .option('--threads <n>', 'CPU threads for the model', positiveInt)
    .option('--context-size <n>', 'largest context to allocate, in tokens', positiveInt)
    .option('--passage-tokens <n>', 'longest passage, in tokens', positiveInt)
    .option('--seed <n>', 'sampling seed, for repeatable output', positiveInt)
    .option('--json', 'print exactly one JSON document on stdout')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  registerCommands(program, {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      // Commander has already printed its message (or the help / version it was asked for).
      return (error as { exitCode?: number }).exitCode ?? 2;
    }
    process.stderr.write(`longtale: ${describeError(toApiError(error))}\n`);
    return 1;
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}
