/**
 * An embedding model as long-term and surprisal memory see it: texts in, one vector each. The engine injects it
 * (native/llama's LlamaEmbedder in the app, a scripted one in tests), so memory and story code never load a model.
 */
export interface Embedder {
  /**
   * Names the model (file name and size): vectors of two models are not comparable, so each model's vectors are
   * kept apart by this id.
   */
  readonly id: string;
  readonly dimensions: number;
  /** One vector per text, in order. A blank text gets a zero vector, which callers should not store or search. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/** Cosine similarity in [-1, 1]; 0 when either vector is zero. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? 0 : dot / Math.sqrt(aa * bb);
}
