export { defaultThreads, type GpuChoice, type LoadOptions, LlamaRuntime, type RuntimeOptions } from './LlamaRuntime.js';
export { compactJsonGrammar } from './compactJsonGrammar.js';
export { type Conversation, type PromptFormat, renderCompletion } from './Conversation.js';
export {
  EXACT_SCORING_VOCABULARY,
  type GenerateOptions,
  type Generation,
  type JsonGeneration,
  LlamaTextModel,
  type SamplingOptions,
} from './LlamaTextModel.js';
export { TextStream } from './TextStream.js';
export { decodeRates, type DecodeRates } from './bench/decodeRates.js';
export { reopenRates, type ReopenRates } from './bench/reopenRates.js';
export { type GgufHeader, readGgufHeader } from './readGgufHeader.js';
export { type GgufSummary, validateGgufFile } from './validateGgufFile.js';
export { type DownloadOptions, type DownloadProgress, type DownloadResult, downloadModel, isModelUri } from './downloadModel.js';
export { type HardwareReport } from './hardwareReport.js';
export { type ModelFit } from './estimateModelFit.js';
export { type ScoringMethod } from './scoreRange.js';
export { MAX_SURPRISAL } from './surprisalMath.js';
export { type ScoreOptions, type ScoreTarget, type TextScore, type TokenSurprisal } from './TextScore.js';
export { type EmbedderOptions, LlamaEmbedder } from './LlamaEmbedder.js';
export { findDownloadedModel } from './findDownloadedModel.js';
