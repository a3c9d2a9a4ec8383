import type { Command } from 'commander';
import { type ContinuityCheck, LongtaleError } from '../../contract/index.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { cliCall, withEngine } from '../withEngine.js';
import { toPositiveInt } from './parse.js';

/**
 * `longtale continuity STORY --question Q --answer A [--save]`, or `--saved` to put every check kept with the story
 * to it again, `--list` to list them, `--forget ID` to drop one.
 */
export function continuityCommand(program: Command, io: Output): void {
  program
    .command('continuity')
    .description('does the story still know it? The answer you expect to a question, as likely with its memory as from the bible alone?')
    .argument('<story>', 'story id', toPositiveInt)
    .option('--question <question>', 'a question about the story ("What is in the jar?")')
    .option('--answer <answer>', 'the answer the story should give ("the emerald")')
    .option('--save', 'also keep the check with the story, to put to it again later (--saved)')
    .option('--saved', 'put every check kept with the story to it, one after another')
    .option('--list', 'list the checks kept with the story')
    .option('--forget <check>', 'drop a check kept with the story (see --list)', toPositiveInt)
    .option('--node <node>', 'at this passage instead of the current one', toPositiveInt)
    .option('--points <n>', 'also at passages spread along the path, this many in all (at most 12)', toPositiveInt)
    .action(async (storyId: number, options: ContinuityOptions) => {
      const globals = program.opts<GlobalOptions>();
      const asked = options.question !== undefined || options.answer !== undefined;
      const modes = [asked, options.saved, options.list, options.forget !== undefined].filter(Boolean).length;
      if (modes !== 1) throw new LongtaleError('INVALID_INPUT', 'Give --question with --answer, or one of --saved, --list or --forget.');
      if (asked && (options.question === undefined || options.answer === undefined)) throw new LongtaleError('INVALID_INPUT', '--question and --answer go together.');
      await withEngine(globals, async (engine) => {
        const { continuity } = engine.stories;
        if (options.list || options.forget !== undefined) {
          const saved = options.forget === undefined ? continuity.saved(storyId) : continuity.forget(storyId, options.forget);
          if (globals.json) return io.out(JSON.stringify(saved));
          for (const check of saved) io.out(`${check.id}\t${check.question}\t${check.answer}`);
          return;
        }
        const call = cliCall(() => undefined);
        try {
          if (options.saved) {
            const results = await continuity.checkSaved(storyId, options.node, call);
            if (globals.json) return io.out(JSON.stringify(results));
            if (results.length === 0) io.out('no checks are kept with this story (continuity --question … --answer … --save keeps one)');
            for (const { id, check } of results) for (const line of [`check ${id}: ${check.question} → ${check.answer}`, ...describeCheck(check)]) io.out(line);
            return;
          }
          const question = options.question ?? '';
          const answer = options.answer ?? '';
          // Saved before it runs, so a check stopped half-way is kept all the same.
          if (options.save) continuity.save(storyId, question, answer);
          const check = await continuity.check(storyId, { question, answer, points: options.points, nodeId: options.node }, call);
          if (globals.json) return io.out(JSON.stringify(check));
          for (const line of describeCheck(check)) io.out(line);
        } finally {
          call.done();
        }
      });
    });
}

interface ContinuityOptions {
  question?: string;
  answer?: string;
  save?: boolean;
  saved?: boolean;
  list?: boolean;
  forget?: number;
  node?: number;
  points?: number;
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
