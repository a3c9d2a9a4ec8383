import type { Command } from 'commander';
import { readHardware } from '../../engine/models/readHardware.js';
import { formatBytes } from '../formatBytes.js';
import type { GlobalOptions } from '../openEngine.js';
import type { Output } from '../Output.js';

export function doctorCommand(program: Command, io: Output): void {
  program
    .command('doctor')
    .description('report the hardware llama.cpp sees: backend, GPU and VRAM, RAM, CPU and threads (honours --gpu)')
    .action(async () => {
      const globals = program.opts<GlobalOptions>();
      const report = await readHardware({ gpu: globals.gpu, threads: globals.threads });
      if (globals.json) return io.out(JSON.stringify(report));
      const gpu =
        report.vram === null
          ? 'none in use'
          : `${report.devices.join(', ') || report.backendName}: ${formatBytes(report.vram.totalBytes)} VRAM, ${formatBytes(report.vram.freeBytes)} free`;
      const rows: [string, string][] = [
        ['Backend', `${report.backendName} (asked for: ${report.requested})`],
        ...(report.fallbackReason ? ([['Fallback', report.fallbackReason]] as [string, string][]) : []),
        ['GPU', gpu],
        ['RAM', `${formatBytes(report.ram.totalBytes)}, ${formatBytes(report.ram.freeBytes)} free`],
        ['CPU', `${report.cpu.model}, ${report.cpu.availableCores} of ${report.cpu.logicalCores} cores available`],
        ['Threads', `${report.threads.used} per context (default here: ${report.threads.default}; set with --threads)`],
        ['llama.cpp', `${report.llamaCpp.release} (${report.llamaCpp.build})`],
        ['Platform', report.platform],
      ];
      for (const [label, value] of rows) io.out(`${`${label}:`.padEnd(11)}${value}`);
    });
}
