import path from 'node:path';
import type { Command } from 'commander';
import { LongtaleError } from '../../contract/index.js';
import { formatFigures } from '../../bench/formatFigures.js';
import { runBench } from '../../bench/runBench.js';
import { catalog } from '../../engine/models/catalog.js';
import { defaultModelsDir } from '../../engine/models/defaultModelsDir.js';
import { resolveModelRef } from '../../engine/models/resolveModelRef.js';
import { findDownloadedModel } from '../../../native/llama/index.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { toPositiveInt } from './parse.js';

export function benchCommand(program: Command, io: Output): void {
  program
    .command('bench')
    .description('measure the performance figures P1–P6 side by side on one model (see README, Performance)')
    .option('--steps <n>', 'steps for the steady-state figures', toPositiveInt, 20)
    .option('--repeats <n>', 'repeats for the decode-rate medians', toPositiveInt, 5)
    .option('--nodes <n>', 'passages in the synthetic story for the SQLite figures', toPositiveInt, 10_000)
    .action(async (options: { steps: number; repeats: number; nodes: number }) => {
      const globals = program.opts<GlobalOptions>();
      const model = globals.model ?? process.env.LONGTALE_MODEL;
      if (!model) throw new LongtaleError('NO_MODEL', 'longtale bench needs --model PATH.');
      const file = await resolveModelRef(model, { dir: defaultModelsDir(), catalog: catalog(), findDownloaded: findDownloadedModel });
      const report = await runBench({
        model: path.resolve(file),
        steps: options.steps,
        repeats: options.repeats,
        nodes: options.nodes,
        contextSize: globals.contextSize ?? 2048,
        threads: globals.threads ?? 1,
      });
      if (globals.json) return io.out(JSON.stringify(report));
      io.out(`${report.model} on ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGb} GB, medians of ${report.repeats}`);
      for (const line of formatFigures(report.figures)) io.out(line);
    });
}
