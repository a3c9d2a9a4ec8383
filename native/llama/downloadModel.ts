import fs from 'node:fs';
import path from 'node:path';
import { createModelDownloader, type ModelDownloader } from 'node-llama-cpp';
import { NativeError } from '../NativeError.js';
import { freeDiskBytes } from './freeDiskBytes.js';
import { stripProgressTrailer } from './stripProgressTrailer.js';
import { type GgufSummary, validateGgufFile } from './validateGgufFile.js';

export interface DownloadProgress {
  downloadedBytes: number;
  /** As the server announced it; 0 when it did not say. */
  totalBytes: number;
  bytesPerSecond: number;
  secondsLeft: number | null;
}

export interface DownloadOptions {
  /** `hf:user/repo:QUANT`, `hf:user/repo/path/file.gguf` (optionally `#branch`), or an http(s) URL. */
  uri: string;
  directory: string;
  /** Save under this name instead of the one the URI gives. */
  fileName?: string;
  signal?: AbortSignal;
  onProgress?(progress: DownloadProgress): void;
  /** Free bytes on the volume holding `directory`. Injectable so a full disk can be simulated. */
  freeBytes?(directory: string): Promise<number>;
  /**
   * Give up when no byte has arrived for this long. The library's downloader retries a dead or lying server about
   * 150 times with back-off (over ten minutes) and never returns while a connection hangs; this bounds both.
   */
  stallTimeoutMs?: number;
  /** Minimum time between two progress reports. */
  progressIntervalMs?: number;
  /** Another Hugging Face endpoint for `hf:` URIs (a mirror; tests use a local server). */
  huggingFaceEndpoint?: string;
}

export interface DownloadResult {
  path: string;
  sizeBytes: number;
  /** Bytes kept from an earlier interrupted attempt (whole chunks only: partial chunks are fetched again). */
  resumedBytes: number;
  /** The complete file was already there; nothing was fetched. */
  alreadyPresent: boolean;
  model: GgufSummary;
}

/** Room left on the disk after the download, so finishing a model never fills the disk to the last byte. */
const DISK_MARGIN_BYTES = 64 * 1024 * 1024;
const PARTIAL_SUFFIX = '.ipull';

/**
 * Downloads a GGUF model through node-llama-cpp's downloader into `directory`, resumably: an interrupted or
 * cancelled download keeps its partial file, and the same call later continues from the last completed chunk.
 * Before starting it checks the free disk space; after finishing it checks the size against the server's and the
 * file's GGUF structure, and removes a file that fails either check.
 */
export async function downloadModel(options: DownloadOptions): Promise<DownloadResult> {
  const { uri, directory, signal } = options;
  if (!isModelUri(uri)) {
    throw new NativeError('DOWNLOAD_FAILED', `"${uri}" is not a model URI: use hf:user/repo:QUANT, hf:user/repo/file.gguf or an http(s) URL.`);
  }
  const stallTimeoutMs = options.stallTimeoutMs ?? 60_000;
  throwIfCancelled(signal);
  fs.mkdirSync(directory, { recursive: true });

  let downloader = await connect(options, stallTimeoutMs);
  let target = downloader.entrypointFilePath;
  const existing = await completeExisting(target, downloader.totalSize);
  if (existing) {
    try {
      return { path: target, sizeBytes: existing, resumedBytes: 0, alreadyPresent: true, model: await validateGgufFile(target) };
    } catch {
      // A broken file of the right size (an earlier bad download): replace it.
      fs.rmSync(target, { force: true });
      downloader = await connect(options, stallTimeoutMs);
      target = downloader.entrypointFilePath;
    }
  }

  const totalBytes = downloader.totalSize;
  const resumedBytes = downloader.downloadedSize;
  await checkDiskSpace(options, target, totalBytes);

  await run(downloader, options, stallTimeoutMs, resumedBytes);

  // The library resolves with the final path even when it did not finish (after a cancel only the partial exists).
  throwIfCancelled(signal);
  if (!fs.existsSync(target)) {
    throw new NativeError('DOWNLOAD_FAILED', `The download of ${uri} ended but ${target} is not there; run it again to resume.`);
  }
  stripProgressTrailer(target, totalBytes); // a complete model with the downloader's late resume record after it
  const sizeBytes = fs.statSync(target).size;
  if (totalBytes > 0 && sizeBytes !== totalBytes) {
    fs.rmSync(target, { force: true });
    throw new NativeError(
      'DOWNLOAD_FAILED',
      `${uri}: received ${sizeBytes} bytes but the server announced ${totalBytes}; the file was removed.`,
    );
  }
  try {
    const model = await validateGgufFile(target);
    return { path: target, sizeBytes, resumedBytes, alreadyPresent: false, model };
  } catch (error) {
    fs.rmSync(target, { force: true });
    if (error instanceof NativeError) {
      throw new NativeError(error.code, `${error.message} (downloaded from ${uri}; the file was removed)`, { cause: error });
    }
    throw error;
  }
}

export function isModelUri(value: string): boolean {
  return /^(hf:|huggingface:|https?:\/\/)\S+$/i.test(value);
}

/** Resolves the URI and asks the server for the size (the library retries a dead server for minutes: bounded here). */
async function connect(options: DownloadOptions, stallTimeoutMs: number): Promise<ModelDownloader> {
  const creating = createModelDownloader({
    modelUri: options.uri,
    dirPath: options.directory,
    ...(options.fileName ? { fileName: options.fileName } : {}),
    deleteTempFileOnCancel: false,
    skipExisting: true,
    parallelDownloads: 2,
    ...(options.huggingFaceEndpoint ? { endpoints: { huggingFace: options.huggingFaceEndpoint } } : {}),
  });
  try {
    return await race(creating, options.signal, stallTimeoutMs, () => `no answer from the server for ${seconds(stallTimeoutMs)} s`);
  } catch (error) {
    // If it connects after all, close it so it does not download in the background.
    creating.then((late) => late.cancel({ deleteTempFile: false }), () => undefined);
    if (error instanceof NativeError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new NativeError('DOWNLOAD_FAILED', `${options.uri}: ${reason}`, { cause: error });
  }
}

async function run(downloader: ModelDownloader, options: DownloadOptions, stallTimeoutMs: number, startBytes: number): Promise<void> {
  const { signal, onProgress } = options;
  const interval = options.progressIntervalMs ?? 250;
  const started = Date.now();
  let lastActivity = Date.now();
  let lastBytes = startBytes;
  let lastReport = 0;
  const report = (force: boolean) => {
    const now = Date.now();
    const downloadedBytes = downloader.downloadedSize;
    if (downloadedBytes !== lastBytes) {
      lastBytes = downloadedBytes;
      lastActivity = now;
    }
    if (!onProgress || (!force && now - lastReport < interval)) return;
    lastReport = now;
    const totalBytes = downloader.totalSize;
    const elapsed = (now - started) / 1000;
    const bytesPerSecond = elapsed > 0 ? Math.max(0, downloadedBytes - startBytes) / elapsed : 0;
    const secondsLeft = bytesPerSecond > 0 && totalBytes > 0 ? Math.max(0, totalBytes - downloadedBytes) / bytesPerSecond : null;
    onProgress({ downloadedBytes, totalBytes, bytesPerSecond, secondsLeft });
  };

  // The signal is not handed to the library: its download() never settles while a connection hangs, so the abort
  // is raced here and the downloader closed, keeping the partial file for a later resume.
  const downloading = downloader.download();
  downloading.catch(() => undefined);
  let watchdog: ReturnType<typeof setInterval> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    watchdog = setInterval(() => {
      report(false);
      if (Date.now() - lastActivity > stallTimeoutMs) {
        reject(new NativeError('DOWNLOAD_FAILED', `${options.uri}: no data for ${seconds(stallTimeoutMs)} s. What arrived is kept; run the download again to resume.`));
      }
    }, Math.max(50, Math.min(interval, 1000, stallTimeoutMs / 4)));
  });
  stalled.catch(() => undefined);
  try {
    await race(Promise.race([downloading, stalled]), signal);
    report(true);
  } catch (error) {
    await closeQuietly(downloader);
    if (error instanceof NativeError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new NativeError('DOWNLOAD_FAILED', `${options.uri}: ${reason}`, { cause: error });
  } finally {
    clearInterval(watchdog);
  }
}

/** The size of a complete file already at `target`, or 0. */
async function completeExisting(target: string, totalBytes: number): Promise<number> {
  try {
    // An earlier download's resume record may have landed after the model even once that download had returned.
    if (!fs.existsSync(target + PARTIAL_SUFFIX)) stripProgressTrailer(target, totalBytes);
    const stat = await fs.promises.stat(target);
    return stat.isFile() && totalBytes > 0 && stat.size === totalBytes && !fs.existsSync(target + PARTIAL_SUFFIX) ? stat.size : 0;
  } catch {
    return 0;
  }
}

async function checkDiskSpace(options: DownloadOptions, target: string, totalBytes: number): Promise<void> {
  if (totalBytes <= 0) return; // the server did not say; nothing to compare
  const onDisk = allocatedBytes(target + PARTIAL_SUFFIX);
  const needed = Math.max(0, totalBytes - onDisk) + DISK_MARGIN_BYTES;
  const free = await (options.freeBytes ?? freeDiskBytes)(options.directory);
  if (free < needed) {
    throw new NativeError(
      'DISK_FULL',
      `Downloading ${path.basename(target)} needs ${gigabytes(needed)} GB free in ${options.directory}, but only ${gigabytes(free)} GB is free.`,
    );
  }
}

/** Bytes a (possibly sparse) partial file really occupies; 0 when there is none. */
function allocatedBytes(file: string): number {
  try {
    const stat = fs.statSync(file);
    return Number.isFinite(stat.blocks) && stat.blocks > 0 ? Math.min(stat.size, stat.blocks * 512) : 0;
  } catch {
    return 0;
  }
}

async function closeQuietly(downloader: ModelDownloader): Promise<void> {
  const closing = downloader.cancel({ deleteTempFile: false }).catch(() => undefined);
  await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
}

/** Settles with `work`, or rejects when `signal` aborts (CANCELLED) or `timeoutMs` passes (DOWNLOAD_FAILED). */
function race<T>(work: Promise<T>, signal: AbortSignal | undefined, timeoutMs?: number, timeoutReason?: () => string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new NativeError('CANCELLED', 'The download was stopped; the parts already complete are kept, so the same download resumes.'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => reject(new NativeError('DOWNLOAD_FAILED', timeoutReason?.() ?? 'timed out')), timeoutMs);
    work.then(resolve, reject).finally(() => {
      signal?.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
    });
  });
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new NativeError('CANCELLED', 'The download was stopped; the parts already complete are kept, so the same download resumes.');
}

const seconds = (ms: number): string => String(Math.round(ms / 100) / 10);
const gigabytes = (bytes: number): string => (bytes / 1e9).toFixed(2);
