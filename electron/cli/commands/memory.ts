import { type Command, Option } from 'commander';
import { MemoryKind, type StoryView } from '../../contract/index.js';
import type { Engine } from '../../engine/Engine.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { cliCall, withEngine } from '../withEngine.js';
import { toPositiveInt } from './parse.js';

interface NodeOption {
  node?: number;
}

const kinds = MemoryKind.options;

/**
 * `longtale memory …`: the surprisal memory ("Details to remember") of the current passage, or of --node. Each
 * change rewrites that passage's memory in place; the next step from it reads it. Prints the memory afterwards.
 */
export function memoryCommand(program: Command, io: Output): void {
  const memory = program.command('memory').description('list, pin, edit, forget or add details of the surprisal memory');
  const nodeOption = () => new Option('--node <node>', 'this passage instead of the current one').argParser(toPositiveInt);
  const kindOption = () => new Option('--kind <kind>', 'canon, plot, chatter or user (sets how fast it fades)').choices(kinds);

  memory
    .command('list')
    .description('the details the next passage will be written with, with their scores')
    .argument('<story>', 'story id', toPositiveInt)
    .addOption(nodeOption())
    .action((storyId: number, options: NodeOption) => run(program, io, storyId, options, async (engine) => engine.stories.open(storyId)));

  memory
    .command('add')
    .description('add a detail of your own')
    .argument('<story>', 'story id', toPositiveInt)
    .requiredOption('--text <text>', 'the detail')
    .addOption(kindOption().default('user'))
    .option('--pin', 'pin it: it never fades and is never evicted')
    .addOption(nodeOption())
    .action((storyId: number, options: NodeOption & { text: string; kind: MemoryKind; pin?: boolean }) =>
      run(program, io, storyId, options, (engine, signal) =>
        engine.stories.memory.add(storyId, options.node, { text: options.text, kind: options.kind, pinned: options.pin ?? false }, signal),
      ),
    );

  memory
    .command('edit')
    .description('pin, unpin, rewrite or re-kind a detail')
    .argument('<story>', 'story id', toPositiveInt)
    .argument('<entry>', 'entry id (see memory list)')
    .option('--text <text>', 'new wording')
    .addOption(kindOption())
    .option('--pin', 'pin it')
    .option('--unpin', 'unpin it: it fades again from its current score')
    .addOption(nodeOption())
    .action((storyId: number, entryId: string, options: NodeOption & { text?: string; kind?: MemoryKind; pin?: boolean; unpin?: boolean }) => {
      if (options.pin && options.unpin) throw new Error('Give --pin or --unpin, not both.');
      const pinned = options.pin ? true : options.unpin ? false : undefined;
      return run(program, io, storyId, options, (engine, signal) =>
        engine.stories.memory.edit(storyId, options.node, entryId, { text: options.text, kind: options.kind, pinned }, signal),
      );
    });

  memory
    .command('forget')
    .description('remove a detail')
    .argument('<story>', 'story id', toPositiveInt)
    .argument('<entry>', 'entry id (see memory list)')
    .addOption(nodeOption())
    .action((storyId: number, entryId: string, options: NodeOption) =>
      run(program, io, storyId, options, (engine) => engine.stories.memory.forget(storyId, options.node, entryId)),
    );
}

async function run(
  program: Command,
  io: Output,
  storyId: number,
  options: NodeOption,
  change: (engine: Engine, signal: AbortSignal) => Promise<StoryView>,
): Promise<void> {
  const globals = program.opts<GlobalOptions>();
  await withEngine(globals, async (engine) => {
    const call = cliCall(() => undefined);
    try {
      const view = await change(engine, call.signal);
      const node = options.node === undefined ? view.path.at(-1) : engine.stories.open(storyId, options.node).path.at(-1);
      if (!node) return;
      if (globals.json) return io.out(JSON.stringify({ nodeId: node.id, keyMemory: node.keyMemory }));
      if (node.keyMemory.length === 0) return io.out('No details remembered at this passage.');
      for (const e of node.keyMemory) {
        io.out(`${e.id}\t${e.kind}${e.pinned ? ', pinned' : ''}\t${e.score.toFixed(2)}\t${e.text}`);
      }
    } finally {
      call.done();
    }
  });
}
