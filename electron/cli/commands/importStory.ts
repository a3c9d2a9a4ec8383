import fs from 'node:fs';
import type { Command } from 'commander';
import { LongtaleError } from '../../contract/index.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { withEngine } from '../withEngine.js';

export function importCommand(program: Command, io: Output): void {
  program
    .command('import')
    .description('add a story from a JSON export (validated first; a bad file changes nothing)')
    .argument('<file>', 'a .longtale.json file made by longtale export')
    .action(async (file: string) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        throw new LongtaleError('INVALID_INPUT', `Cannot read ${file}: ${(error as Error).message}`);
      }
      const globals = program.opts<GlobalOptions>();
      await withEngine(globals, (engine) => {
        const view = engine.archives.import(text);
        if (globals.json) io.out(JSON.stringify({ storyId: view.story.id, nodeId: view.currentNodeId }));
        else io.err(`imported story ${view.story.id} "${view.story.title}" (${view.story.passageCount} passages)`);
      });
    });
}
