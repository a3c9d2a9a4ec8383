import fs from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { LongtaleError } from '../../contract/index.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../export/exportStory.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { withEngine } from '../withEngine.js';
import { toPositiveInt } from './parse.js';

export function exportCommand(program: Command, io: Output): void {
  program
    .command('export')
    .description('export a story: json (lossless backup), md, html, epub, or twee (a playable Twine story)')
    .argument('<story>', 'story id', toPositiveInt)
    .addOption(new Option('--format <format>', 'file format').choices([...EXPORT_FORMATS]).default('json'))
    .option('--out <file>', 'write to this file (default: standard output; epub needs a file)')
    .action(async (storyId: number, options: { format: ExportFormat; out?: string }) => {
      const globals = program.opts<GlobalOptions>();
      await withEngine(globals, async (engine) => {
        const file = await engine.archives.export(storyId, options.format);
        if (!options.out) {
          if (options.format === 'epub') throw new LongtaleError('INVALID_INPUT', 'An EPUB is binary: give --out FILE.');
          process.stdout.write(file.data);
          return;
        }
        try {
          // Write beside the target, then rename: a failed write never leaves half a file under the real name.
          const temp = `${options.out}.partial`;
          fs.writeFileSync(temp, file.data);
          fs.renameSync(temp, options.out);
        } catch (error) {
          throw new LongtaleError('INVALID_INPUT', `Cannot write ${options.out}: ${(error as Error).message}`);
        }
        if (globals.json) io.out(JSON.stringify({ file: options.out, bytes: file.data.length }));
        else io.err(`wrote ${options.out} (${file.data.length} bytes)`);
      });
    });
}
