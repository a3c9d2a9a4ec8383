export { defaultThreads, type GpuChoice, type LoadOptions, LlamaRuntime, type RuntimeOptions } from './LlamaRuntime.js';
export { compactJsonGrammar } from './compactJsonGrammar.js';
export { type Conversation, type PromptFormat, renderCompletion } from './Conversation.js';
export {
  type GenerateOptions,
  type Generation,
  type JsonGeneration,
  LlamaTextModel,
  type SamplingOptions,
} from './LlamaTextModel.js';
export { TextStream } from './TextStream.js';
export { type GgufHeader, readGgufHeader } from './readGgufHeader.js';
