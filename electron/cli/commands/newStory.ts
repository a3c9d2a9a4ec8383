import fs from 'node:fs';
import type { Command } from 'commander';
import { LongtaleError, NewStory, StoryFromText, type StoryView } from '../../contract/index.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { cliCall, withEngine } from '../withEngine.js';
import { collect, toPatch } from './settings.js';

interface NewOptions {
  premise?: string;
  fromText?: string;
  title?: string;
  genre?: string;
  style?: string;
  set: string[];
}

/**
 * `longtale new --premise …`: a story the model opens. `longtale new --from-text FILE`: a story of the author's own
 * text, cut into passages and read in order (progress on stderr), to continue from its end.
 */
export function newCommand(program: Command, io: Output): void {
  program
    .command('new')
    .description('start a story from a premise (title, outline, first passage, memory, plans), or from your own text')
    .option('--premise <text>', 'what the story is about (with --from-text: default its first sentences)')
    .option('--from-text <file>', 'continue your own text: a .txt or .md file, cut into passages (a new one at each heading)')
    .option('--title <title>', 'the title (default: the model proposes one, or the text’s first heading)')
    .option('--genre <genre>', 'genre, e.g. "cozy mystery"')
    .option('--style <style>', 'how it should read, e.g. "terse, present tense"')
    .option('--set <key=value>', "a setting of the story's own from the start (repeatable; see settings --story)", collect, [])
    .action(async (options: NewOptions) => {
      const { set, fromText, ...story } = options;
      const settings = set.length > 0 ? { settings: toPatch(set) } : {};
      if (fromText === undefined && story.premise === undefined) throw new LongtaleError('INVALID_INPUT', 'Give --premise, or --from-text with a file of your own text.');
      const request = fromText === undefined ? NewStory.parse({ ...story, ...settings }) : StoryFromText.parse({ ...story, ...settings, text: readText(fromText) });
      const globals = program.opts<GlobalOptions>();
      await withEngine(globals, async (engine) => {
        const call = cliCall((event) => {
          if (globals.json) return;
          if (event.kind === 'token') io.stream(event.text);
          if (event.kind === 'restart') io.stream('\n[repeating itself: writing again]\n');
          if (event.kind === 'progress') io.err(`read ${event.passages} of ${event.targetPassages ?? '?'} passages`);
        });
        try {
          const view = 'text' in request ? await engine.stories.texts.create(request, call) : await engine.stories.create(request, call);
          report(view, globals.json === true, io);
        } finally {
          call.done();
        }
      });
    });
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new LongtaleError('INVALID_INPUT', `Cannot read ${file}: ${(error as Error).message}`);
  }
}

function report(view: StoryView, json: boolean, io: Output): void {
  if (json) {
    const passage = view.path.at(-1)?.passage ?? '';
    return io.out(JSON.stringify({ storyId: view.story.id, nodeId: view.currentNodeId, title: view.story.title, passage }));
  }
  io.out('');
  io.err(`story ${view.story.id} "${view.story.title}", passage ${view.currentNodeId}`);
}
