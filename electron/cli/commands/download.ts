import type { Command } from 'commander';
import { type CallEvent, type DownloadRequest } from '../../contract/index.js';
import { formatBytes } from '../formatBytes.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { cliCall, withEngine } from '../withEngine.js';

export function downloadCommand(program: Command, io: Output): void {
  program
    .command('download')
    .description('download a recommended model by id (see: longtale models), or any hf: URI or http(s) URL; Ctrl-C stops, the same command resumes')
    .argument('<model>', 'catalog id, hf:user/repo:QUANT, hf:user/repo/file.gguf or an http(s) URL')
    .action(async (model: string) => {
      const globals = program.opts<GlobalOptions>();
      const request: DownloadRequest = /^(hf:|huggingface:|https?:\/\/)/i.test(model) ? { uri: model } : { id: model };
      await withEngine(globals, async (engine) => {
        let drawn = false;
        const call = cliCall((event) => {
          if (event.kind !== 'download') return;
          const line = progressLine(event);
          if (io.interactive) io.err(`\u001b[2K\r${line}\u001b[1A`);
          else io.err(line);
          drawn = true;
        });
        try {
          const result = await engine.models.download(request, call);
          if (io.interactive && drawn) io.err('');
          if (globals.json) return io.out(JSON.stringify(result));
          const how = result.alreadyPresent ? 'Already downloaded' : result.resumedBytes > 0 ? `Resumed (${formatBytes(result.resumedBytes)} kept) and saved` : 'Saved';
          io.out(`${how}: ${result.path} (${formatBytes(result.sizeBytes)}).`);
          io.out(`Write with it: longtale --model "${result.path}" new --premise "..."`);
        } finally {
          call.done();
        }
      });
    });
}

function progressLine(event: Extract<CallEvent, { kind: 'download' }>): string {
  const { downloadedBytes, totalBytes, bytesPerSecond, secondsLeft } = event;
  const fraction = totalBytes > 0 ? Math.min(1, downloadedBytes / totalBytes) : 0;
  const filled = Math.round(fraction * 20);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}]`;
  const of = totalBytes > 0 ? ` of ${formatBytes(totalBytes)} (${Math.floor(fraction * 100)}%)` : '';
  const speed = bytesPerSecond > 0 ? `, ${formatBytes(bytesPerSecond)}/s` : '';
  const eta = secondsLeft === null ? '' : `, about ${Math.ceil(secondsLeft)} s left`;
  return `${bar} ${formatBytes(downloadedBytes)}${of}${speed}${eta}`;
}
