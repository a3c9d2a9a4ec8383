import type { ModelFitView } from '../../contract/index.js';
import type { CatalogEntry } from './ModelCatalog.js';

export interface MachineMemory {
  ramBytes: number;
  /** Total VRAM of the GPU in use; null when running on the CPU. */
  vramBytes: number | null;
}

const GIB = 1024 ** 3;
/** Cards and RAM sold as "8 GB" report a little less to programs; do not turn them away for that. */
const SLACK = 0.9;

/**
 * A catalog model's fit from its stated needs (it is not on disk yet, so its file cannot be inspected): every
 * layer on the GPU, part of them, the CPU alone, or not at all.
 */
export function catalogFit(entry: CatalogEntry, machine: MachineMemory): ModelFitView {
  const ram = machine.ramBytes / GIB;
  const vram = (machine.vramBytes ?? 0) / GIB;
  // Models that need no GPU still run best on one; they want their file's size plus a third for the context.
  const vramNeeded = entry.minVramGb > 0 ? entry.minVramGb : (entry.sizeBytes * 1.33) / GIB;
  const gb = (n: number) => `${Math.round(n * 10) / 10} GB`;

  if (vram > 0 && vram >= vramNeeded * SLACK) {
    return { verdict: 'fits-gpu', note: `fits in the GPU's ${gb(vram)}` };
  }
  if (ram >= entry.minRamGb * SLACK) {
    if (vram > 0) return { verdict: 'partial-gpu', note: `about ${gb(vramNeeded)} of VRAM for all layers; the rest runs on the CPU` };
    const slow = entry.role === 'writer' && entry.tier !== 'cpu' && entry.tier !== '4gb';
    return { verdict: 'fits-cpu', note: slow ? 'runs on the CPU, slowly: it is made for a GPU' : 'runs on the CPU' };
  }
  return { verdict: 'too-large', note: `needs ${gb(entry.minRamGb)} of RAM; this machine has ${gb(ram)}` };
}
