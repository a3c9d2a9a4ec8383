import { Command, Option } from 'commander';
import { describeError } from '../contract/index.js';
import { toApiError } from '../engine/toApiError.js';
import { VERSION } from '../engine/version.js';
import { alternativesCommand } from './commands/alternatives.js';
import { continuityCommand } from './commands/continuity.js';
import { factsCommand } from './commands/facts.js';
import { autoCommand } from './commands/auto.js';
import { benchCommand } from './commands/bench.js';
import { doctorCommand } from './commands/doctor.js';
import { downloadCommand } from './commands/download.js';
import { exportCommand } from './commands/exportStory.js';
import { importCommand } from './commands/importStory.js';
import { libraryCommands } from './commands/library.js';
import { reindexCommand } from './commands/reindex.js';
import { restoreCommand } from './commands/restore.js';
import { listCommand } from './commands/list.js';
import { memoryCommand } from './commands/memory.js';
import { modelsCommand } from './commands/models.js';
import { newCommand } from './commands/newStory.js';
import { toInt, toPositiveInt } from './commands/parse.js';
import { rewriteCommand } from './commands/rewrite.js';
import { scoreCommand } from './commands/score.js';
import { serveCommand } from './commands/serve.js';
import { settingsCommand } from './commands/settings.js';
import { showCommand } from './commands/show.js';
import { stepCommand } from './commands/step.js';
import type { Output } from './Output.js';

/** The `longtale` command. Errors end as one line on stderr and a non-zero exit. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('longtale')
    .description('Long interactive fiction with a local language model')
    .version(VERSION)
    .option('--db <path>', 'story database (default: the user-data folder; env LONGTALE_DB)')
    .option('--model <model>', 'GGUF file, catalog id or downloaded hf: URI (env LONGTALE_MODEL; default: the last one used)')
    .addOption(new Option('--gpu <kind>', 'GPU backend').choices(['auto', 'cuda', 'vulkan', 'metal', 'off']).default('auto'))
    .option(
      '--embedding-model <model>',
      'GGUF file, catalog id or downloaded hf: URI of an embedding model for long-term retrieval; "off" forgets it (env LONGTALE_EMBEDDING_MODEL; default: the last one used, else keyword search only)',
    )
    .option('--threads <n>', 'CPU threads for the model', toPositiveInt)
    .option('--context-size <n>', 'largest context to allocate, in tokens', toPositiveInt)
    .option('--passage-tokens <n>', 'longest passage, in tokens', toPositiveInt)
    .option('--seed <n>', 'sampling seed, for repeatable output', toInt)
    .option('--json', 'print exactly one JSON document on stdout')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  const io: Output = {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    stream: (text) => process.stdout.write(text),
    interactive: process.stderr.isTTY === true,
  };
  for (const command of [serveCommand, newCommand, stepCommand, rewriteCommand, alternativesCommand, autoCommand, showCommand, listCommand, exportCommand, importCommand, restoreCommand, memoryCommand, factsCommand, continuityCommand, scoreCommand, reindexCommand]) {
    command(program, io);
  }
  for (const command of [modelsCommand, downloadCommand, doctorCommand, libraryCommands, benchCommand, settingsCommand]) {
    command(program, io);
  }

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
