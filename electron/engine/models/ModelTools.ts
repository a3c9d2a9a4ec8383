import type { DownloadOptions, DownloadResult, GgufSummary, HardwareReport, ModelFit } from '../../../native/llama/index.js';

/** What the model service needs from llama.cpp; tests give it fakes. */
export interface ModelTools {
  /** Starts llama.cpp if needed and describes the machine as it sees it. */
  hardware(): Promise<HardwareReport>;
  /** Validates a GGUF file (throws a coded error naming the problem) and estimates how it would run here. */
  inspect(file: string): Promise<{ model: GgufSummary; fit: ModelFit }>;
  download(options: DownloadOptions): Promise<DownloadResult>;
  /** The file a `hf:` URI or URL was downloaded to in `dir`, if it is there (offline: never downloads). */
  findDownloaded?(uri: string, dir: string): Promise<string | undefined>;
}
