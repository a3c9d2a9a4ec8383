import type { Command } from 'commander';
import type { ModelListing } from '../../contract/index.js';
import { formatBytes } from '../formatBytes.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';
import { withEngine } from '../withEngine.js';

export function modelsCommand(program: Command, io: Output): void {
  program
    .command('models')
    .description('list the recommended models with how each would run here, and the local models')
    .action(async () => {
      const globals = program.opts<GlobalOptions>();
      await withEngine(globals, async (engine) => {
        const listing = await engine.models.list();
        if (globals.json) return io.out(JSON.stringify(listing));
        printListing(listing, io);
      });
    });
}

function printListing(listing: ModelListing, io: Output): void {
  const { hardware } = listing;
  if (hardware) {
    const vram = hardware.vramBytes === null ? 'no GPU in use' : `${formatBytes(hardware.vramBytes)} VRAM`;
    io.out(`This machine: ${hardware.backendName}, ${vram}, ${formatBytes(hardware.ramBytes)} RAM, ${hardware.threads} thread(s).`);
    if (hardware.fallbackReason) io.out(`  ${hardware.fallbackReason}`);
  } else {
    io.out('This machine: llama.cpp could not start, so the fits below are unknown (see: longtale doctor).');
  }

  io.out('\nRecommended models (download with: longtale download ID)');
  const idWidth = Math.max(...listing.catalog.map((m) => m.id.length), 2) + 2;
  for (const model of listing.catalog) {
    const state = model.path ? '  [downloaded]' : model.partialBytes > 0 ? `  [${formatBytes(model.partialBytes)} partly downloaded]` : '';
    io.out(`  ${model.id.padEnd(idWidth)}${formatBytes(model.sizeBytes).padStart(8)}  ${model.tier.padEnd(5)} ${model.role.padEnd(9)} ${model.fit.note}${state}`);
    io.out(`  ${' '.repeat(idWidth)}${model.why} (${model.licence})`);
  }

  io.out(`\nLocal models in ${listing.dir}`);
  if (listing.local.length === 0) io.out('  none yet');
  for (const model of listing.local) {
    const mark = model.configured ? ' (in use)' : '';
    const detail =
      model.state === 'ready'
        ? `${model.architecture ?? '?'}, ${model.fit?.note ?? ''}`
        : model.state === 'partial'
          ? 'interrupted download: run the same download again to resume'
          : `unusable: ${model.error?.message ?? 'unknown problem'}`;
    io.out(`  ${model.path}${mark}  ${formatBytes(model.sizeBytes)}  ${detail}`);
  }
}
