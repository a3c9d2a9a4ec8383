export { defaultThreads, type GpuChoice, type LoadOptions, LlamaRuntime, type RuntimeOptions } from './LlamaRuntime.js';
export { type GenerateOptions, type Generation, LlamaTextModel } from './LlamaTextModel.js';
export { type GgufHeader, readGgufHeader } from './readGgufHeader.js';
