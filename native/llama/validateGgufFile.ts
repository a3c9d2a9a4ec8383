import fs from 'node:fs';
import { GgufInsights, type Llama, readGgufFileInfo } from 'node-llama-cpp';
import { NativeError } from '../NativeError.js';
import { ggmlTensorBytes } from './ggmlTensorBytes.js';
import { readGgufHeader } from './readGgufHeader.js';

export interface GgufSummary {
  version: number;
  architecture: string;
  /** `general.name`, when the file has one. */
  name: string | undefined;
  tensorCount: number;
  /** The context length the model was trained with, when the file says. */
  trainContextSize: number | undefined;
  sizeBytes: number;
  hasChatTemplate: boolean;
}

/**
 * Checks a GGUF file thoroughly before llama.cpp sees it: the header (readGgufHeader), then the whole metadata and
 * tensor table (readGgufFileInfo), then that every tensor's data lies inside the file. llama.cpp's own failures on
 * such files are vague ("failed to load model") or fatal; these name the problem. With `llama`, it also checks that
 * this llama.cpp build knows the architecture.
 */
export async function validateGgufFile(file: string, options: { llama?: Llama } = {}): Promise<GgufSummary> {
  const header = readGgufHeader(file);
  const sizeBytes = fs.statSync(file).size;

  let info: Awaited<ReturnType<typeof readGgufFileInfo>>;
  try {
    info = await readGgufFileInfo(file, { sourceType: 'filesystem', logWarnings: false, spliceSplitFiles: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new NativeError('MODEL_CORRUPT', `${file}: the GGUF header is fine but its metadata cannot be read (${reason}).`, { cause: error });
  }

  if (header.tensorCount === 0n) {
    throw new NativeError('MODEL_UNSUPPORTED', `${file} contains no tensors (a vocabulary-only file?), so it cannot write.`);
  }
  // The reader pads a short file with zeros instead of failing, so a file cut inside its metadata shows up here.
  const infoEnd = info.infoEndOffset ?? info.metadataSize;
  if (infoEnd > sizeBytes) {
    throw new NativeError(
      'MODEL_CORRUPT',
      `${file} ends inside its metadata: the header and tensor table need ${infoEnd} bytes but the file has ${sizeBytes}. ` +
        'If it was downloaded, download it again.',
    );
  }
  // Typed as a known architecture, but a damaged or hand-made file can hold anything (or nothing) here.
  const architecture: unknown = info.metadata?.general?.architecture;
  if (typeof architecture !== 'string' || architecture.length === 0) {
    throw new NativeError('MODEL_CORRUPT', `${file} has no general.architecture in its metadata, so no loader can read it.`);
  }
  const tensors = info.tensorInfo ?? [];

  let dataEnd = 0;
  for (const tensor of tensors) {
    const bytes = ggmlTensorBytes(tensor.ggmlType, tensor.dimensions);
    if (bytes === undefined) continue; // a type newer than this table; llama.cpp will judge it
    dataEnd = Math.max(dataEnd, Number(tensor.fileOffset) + bytes);
  }
  if (dataEnd > sizeBytes) {
    const percent = Math.floor((sizeBytes / dataEnd) * 100);
    throw new NativeError(
      'MODEL_CORRUPT',
      `${file} is truncated: its tensors need ${dataEnd} bytes but the file has ${sizeBytes} (${percent}%). ` +
        'If it was downloaded, download it again.',
    );
  }

  if (options.llama) {
    const insights = await GgufInsights.from(info, options.llama);
    if (!insights.isSupportedByLlamaCpp) {
      throw new NativeError('MODEL_UNSUPPORTED', `${file} is a "${architecture}" model, which this llama.cpp build does not support.`);
    }
  }

  const contextLength = (info.architectureMetadata as { context_length?: unknown } | undefined)?.context_length;
  return {
    version: header.version,
    architecture,
    name: typeof info.metadata.general.name === 'string' ? info.metadata.general.name : undefined,
    tensorCount: tensors.length,
    trainContextSize: typeof contextLength === 'number' ? contextLength : undefined,
    sizeBytes,
    hasChatTemplate: typeof info.metadata.tokenizer?.chat_template === 'string',
  };
}
