import { z } from 'zod';

/** How a model would run on this machine. */
export const FitVerdict = z.enum(['fits-gpu', 'partial-gpu', 'fits-cpu', 'too-large', 'unknown']);
export type FitVerdict = z.infer<typeof FitVerdict>;

export const ModelFitView = z.object({
  verdict: FitVerdict,
  /** One line a person reads, e.g. "runs on the CPU". */
  note: z.string(),
  /** For files on disk, what llama.cpp would choose: layers on the GPU (of all) and the context that fits. */
  gpuLayers: z.number().int().nonnegative().optional(),
  totalLayers: z.number().int().nonnegative().optional(),
  contextSize: z.number().int().nonnegative().optional(),
});
export type ModelFitView = z.infer<typeof ModelFitView>;

/** The backend in use and, when it is not the one asked for or detected, why (the UI shows it). */
export const HardwareSummary = z.object({
  backend: z.enum(['cuda', 'vulkan', 'metal', 'cpu']),
  backendName: z.string(),
  fallbackReason: z.string().nullable(),
  devices: z.array(z.string()),
  vramBytes: z.number().nonnegative().nullable(),
  ramBytes: z.number().nonnegative(),
  threads: z.number().int().positive(),
});
export type HardwareSummary = z.infer<typeof HardwareSummary>;

export const CatalogModelView = z.object({
  id: z.string(),
  name: z.string(),
  uri: z.string(),
  sizeBytes: z.number(),
  quantisation: z.string(),
  licence: z.string(),
  contextLength: z.number(),
  role: z.enum(['writer', 'embedding']),
  tier: z.enum(['cpu', '4gb', '8gb', '16gb']),
  minRamGb: z.number(),
  minVramGb: z.number(),
  why: z.string(),
  fit: ModelFitView,
  /** Where it is on disk when it has been downloaded; null otherwise. */
  path: z.string().nullable(),
  /** Bytes of an interrupted download waiting to be resumed; 0 when there is none. */
  partialBytes: z.number().nonnegative(),
});
export type CatalogModelView = z.infer<typeof CatalogModelView>;

export const LocalModelView = z.object({
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().nonnegative(),
  /** The model the engine is set to use (--model, LONGTALE_MODEL or the last one opened). */
  configured: z.boolean(),
  /** The catalog entry this file was downloaded for, if any. */
  catalogId: z.string().nullable(),
  /** ready: a valid GGUF; invalid: it is not (see error); partial: an interrupted download. */
  state: z.enum(['ready', 'invalid', 'partial']),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  architecture: z.string().nullable(),
  name: z.string().nullable(),
  trainContextSize: z.number().nullable(),
  fit: ModelFitView.nullable(),
});
export type LocalModelView = z.infer<typeof LocalModelView>;

export const ModelListing = z.object({
  /** The models folder: downloads go here, and its .gguf files are listed. */
  dir: z.string(),
  /** Null when llama.cpp could not start (the fits are unknown then). */
  hardware: HardwareSummary.nullable(),
  catalog: z.array(CatalogModelView),
  local: z.array(LocalModelView),
});
export type ModelListing = z.infer<typeof ModelListing>;

/** A catalog id, or a URI: `hf:user/repo:QUANT`, `hf:user/repo/file.gguf` or an http(s) URL. */
export const DownloadRequest = z.union([
  z.object({ id: z.string().trim().min(1).max(64) }).strict(),
  z.object({ uri: z.string().trim().min(1).max(2048) }).strict(),
]);
export type DownloadRequest = z.infer<typeof DownloadRequest>;

export const DownloadedModel = z.object({
  path: z.string(),
  sizeBytes: z.number().nonnegative(),
  /** Bytes reused from an interrupted attempt. */
  resumedBytes: z.number().nonnegative(),
  /** It was already complete on disk; nothing was fetched. */
  alreadyPresent: z.boolean(),
  catalogId: z.string().nullable(),
  uri: z.string(),
});
export type DownloadedModel = z.infer<typeof DownloadedModel>;
