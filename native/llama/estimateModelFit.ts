import { GgufInsights, type Llama, readGgufFileInfo } from 'node-llama-cpp';

export interface ModelFit {
  /** fits-gpu: every layer on the GPU; partial-gpu: some; fits-cpu: runs from RAM; too-large: not on this machine. */
  verdict: 'fits-gpu' | 'partial-gpu' | 'fits-cpu' | 'too-large';
  /** node-llama-cpp's compatibility score for this configuration, 0 to 1. */
  score: number;
  gpuLayers: number;
  totalLayers: number;
  contextSize: number;
  ramBytes: number;
  vramBytes: number;
}

/**
 * How a (validated) GGUF file would run here: layers on the GPU and the context that fit the free memory, as
 * llama.cpp itself would resolve them when loading with `gpuLayers: 'auto'`.
 */
export async function estimateModelFit(file: string, llama: Llama, targetContextSize = 4096): Promise<ModelFit> {
  const info = await readGgufFileInfo(file, { sourceType: 'filesystem', logWarnings: false });
  const insights = await GgufInsights.from(info, llama);
  const contextSize = Math.min(targetContextSize, insights.trainContextSize ?? targetContextSize);
  const { compatibilityScore, resolvedValues } = await insights.configurationResolver.resolveAndScoreConfig({ targetContextSize: contextSize });
  const totalLayers = insights.totalLayers;
  const { gpuLayers } = resolvedValues;
  const verdict: ModelFit['verdict'] =
    compatibilityScore <= 0 ? 'too-large' : gpuLayers <= 0 ? 'fits-cpu' : gpuLayers >= totalLayers ? 'fits-gpu' : 'partial-gpu';
  return {
    verdict,
    score: compatibilityScore,
    gpuLayers,
    totalLayers,
    contextSize: resolvedValues.contextSize,
    ramBytes: resolvedValues.totalRamUsage,
    vramBytes: resolvedValues.totalVramUsage,
  };
}
