import fs from 'node:fs';
import path from 'node:path';
import {
  type CatalogModelView,
  type DownloadedModel,
  type DownloadRequest,
  type HardwareSummary,
  type LocalModelView,
  LongtaleError,
  type ModelFitView,
  type ModelListing,
} from '../../contract/index.js';
import type { CallContext } from '../StoryService.js';
import { toApiError } from '../toApiError.js';
import { catalogFit } from './catalogFit.js';
import { type CatalogEntry, catalogFileName } from './ModelCatalog.js';
import type { ModelTools } from './ModelTools.js';

export interface ModelServiceOptions {
  /** The models folder. */
  dir: string;
  tools: ModelTools;
  catalog: CatalogEntry[];
  /** The file of the model the engine is set to use, if any (a catalog id or URI resolved to its file). */
  configuredPath(): Promise<string | undefined> | string | undefined;
}

const PARTIAL_SUFFIX = '.ipull';

/** The models a user can pick from: the recommended catalog, what is on disk, and downloads. */
export class ModelService {
  readonly #options: ModelServiceOptions;
  /** Files being downloaded now: two downloads writing one file would corrupt it. */
  readonly #downloading = new Set<string>();

  constructor(options: ModelServiceOptions) {
    this.#options = options;
  }

  get dir(): string {
    return this.#options.dir;
  }

  async list(): Promise<ModelListing> {
    const { dir, tools } = this.#options;
    const hardware = await tools.hardware().then(
      (report): HardwareSummary => ({
        backend: report.backend,
        backendName: report.backendName,
        fallbackReason: report.fallbackReason,
        devices: report.devices,
        vramBytes: report.vram?.totalBytes ?? null,
        ramBytes: report.ram.totalBytes,
        threads: report.threads.used,
      }),
      () => null,
    );
    const local = await this.#localModels();
    const catalog = this.#options.catalog.map((entry): CatalogModelView => {
      const target = path.join(dir, catalogFileName(entry));
      const present = local.find((model) => model.path === target && model.state === 'ready');
      const partial = local.find((model) => model.path === target + PARTIAL_SUFFIX);
      const fit: ModelFitView = hardware
        ? catalogFit(entry, { ramBytes: hardware.ramBytes, vramBytes: hardware.backend === 'cpu' ? null : hardware.vramBytes })
        : { verdict: 'unknown', note: 'llama.cpp did not start, so the fit is unknown' };
      return { ...entry, fit, path: present ? target : null, partialBytes: partial?.sizeBytes ?? 0 };
    });
    return { dir, hardware, catalog, local };
  }

  /** Downloads a catalog model or a URI into the models folder; `call` gets `download` events and can cancel. */
  async download(request: DownloadRequest, call: CallContext): Promise<DownloadedModel> {
    const { catalog, dir, tools } = this.#options;
    const entry = 'id' in request ? catalog.find((e) => e.id === request.id) : catalog.find((e) => e.uri === request.uri);
    if ('id' in request && !entry) {
      throw new LongtaleError('INVALID_INPUT', `No model "${request.id}" in the catalog. Known: ${catalog.map((e) => e.id).join(', ')}.`);
    }
    const uri = entry?.uri ?? ('uri' in request ? request.uri : '');
    const fileName = entry ? catalogFileName(entry) : undefined;
    const key = fileName ?? uri;
    if (this.#downloading.has(key)) throw new LongtaleError('DOWNLOAD_FAILED', `${fileName ?? uri} is already being downloaded.`);
    this.#downloading.add(key);
    try {
      const result = await tools.download({
        uri,
        directory: dir,
        ...(fileName ? { fileName } : {}),
        signal: call.signal,
        onProgress: (progress) => call.emit({ kind: 'download', ...progress }),
      });
      return {
        path: result.path,
        sizeBytes: result.sizeBytes,
        resumedBytes: result.resumedBytes,
        alreadyPresent: result.alreadyPresent,
        catalogId: entry?.id ?? null,
        uri,
      };
    } finally {
      this.#downloading.delete(key);
    }
  }

  /** The models folder's .gguf files (and interrupted downloads), plus the configured model wherever it is. */
  async #localModels(): Promise<LocalModelView[]> {
    const { dir, tools, catalog } = this.#options;
    const configured = await this.#options.configuredPath();
    const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => /\.gguf(\.ipull)?$/i.test(name)).sort() : [];
    const files = names.map((name) => path.join(dir, name));
    if (configured && !files.includes(path.resolve(configured))) files.push(path.resolve(configured));

    const views: LocalModelView[] = [];
    for (const file of files) {
      const fileName = path.basename(file);
      const base: LocalModelView = {
        path: file,
        fileName,
        sizeBytes: sizeOf(file),
        configured: configured !== undefined && path.resolve(configured) === file,
        catalogId: catalog.find((entry) => catalogFileName(entry) === fileName.replace(/\.ipull$/, ''))?.id ?? null,
        state: 'ready',
        error: null,
        architecture: null,
        name: null,
        trainContextSize: null,
        fit: null,
      };
      if (file.endsWith(PARTIAL_SUFFIX)) {
        views.push({ ...base, state: 'partial' });
        continue;
      }
      try {
        const { model, fit } = await tools.inspect(file);
        views.push({
          ...base,
          architecture: model.architecture,
          name: model.name ?? null,
          trainContextSize: model.trainContextSize ?? null,
          fit: { verdict: fit.verdict, note: fitNote(fit), gpuLayers: fit.gpuLayers, totalLayers: fit.totalLayers, contextSize: fit.contextSize },
        });
      } catch (error) {
        views.push({ ...base, state: 'invalid', error: toApiError(error) });
      }
    }
    return views;
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function fitNote(fit: { verdict: string; gpuLayers: number; totalLayers: number; contextSize: number }): string {
  const context = `${fit.contextSize}-token context`;
  if (fit.verdict === 'fits-gpu') return `all ${fit.totalLayers} layers on the GPU, ${context}`;
  if (fit.verdict === 'partial-gpu') return `${fit.gpuLayers} of ${fit.totalLayers} layers on the GPU, ${context}`;
  if (fit.verdict === 'fits-cpu') return `runs on the CPU, ${context}`;
  return 'too large for this machine';
}
