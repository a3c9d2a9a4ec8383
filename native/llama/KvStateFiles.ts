import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Conversation } from './Conversation.js';

/** What is written beside each state file: enough to refuse a file before llama.cpp ever reads it. */
export interface KvSidecar {
  version: 1;
  modelKey: string;
  /** The model file's name, for messages. */
  model: string;
  story: string;
  node: number;
  /** The token ids the state holds, so a caller can tell how much of a prompt it covers without loading it. */
  tokens: number[];
  fileSize: number;
  savedAt: number;
  /** The prompt the state was read ahead for, as the caller named it (see SavedPrompt); absent on older files. */
  prompt?: SavedPrompt;
}

/**
 * The prompt a state was read ahead for: the caller's key for everything it was built from, and the prompt itself,
 * so continuing from the node can skip building it again when nothing it depends on changed.
 */
export interface SavedPrompt {
  key: string;
  conversation: Conversation;
  /** The conversation as this model tokenizes it, so continuing from the node need not tokenize it again. */
  tokens?: number[];
}

export type KvLookup =
  | { kind: 'found'; file: string; tokens: number[]; prompt: SavedPrompt | null }
  | { kind: 'refused'; reason: string }
  | { kind: 'none' };

export interface KvLimits {
  /** State files kept per story (the newest); older ones are stale. */
  perStory: number;
  /** The whole folder's bound; the oldest files go first. */
  totalBytes: number;
}

export const DEFAULT_KV_LIMITS: KvLimits = { perStory: 3, totalBytes: 2 * 2 ** 30 };

/**
 * Identity of a model file: path, size and modification time. A state file is loaded only by the model that
 * wrote it: llama.cpp may crash the process on a state from another model, so a changed file counts as another.
 */
export function modelKey(file: string): string {
  const resolved = path.resolve(file);
  const stat = fs.statSync(resolved);
  return createHash('sha256').update(`${resolved}\n${stat.size}\n${stat.mtimeMs}`).digest('hex').slice(0, 16);
}

const SAFE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const ABANDONED_MS = 10 * 60_000;

/**
 * The KV state files of one database: `<dir>/<story>/<modelKey>-<node>.bin` with a JSON sidecar each, the newest
 * few kept per story and the folder held under a size bound. Pure file bookkeeping: it never touches llama.cpp.
 */
export class KvStateFiles {
  readonly dir: string;
  readonly modelKey: string;
  readonly #modelName: string;
  readonly #limits: KvLimits;

  constructor(dir: string, modelFile: string, limits: Partial<KvLimits> = {}, key = modelKey(modelFile)) {
    this.dir = dir;
    this.modelKey = key;
    this.#modelName = path.basename(modelFile);
    this.#limits = {
      perStory: limits.perStory ?? DEFAULT_KV_LIMITS.perStory,
      totalBytes: limits.totalBytes ?? DEFAULT_KV_LIMITS.totalBytes,
    };
  }

  /** Where the state of `node` of `story` goes for this model. */
  pathFor(story: string, node: number): string {
    if (!SAFE_NAME.test(story) || !Number.isSafeInteger(node) || node < 0) throw new Error(`Bad KV state key: ${story}/${node}`);
    return path.join(this.dir, story, `${this.modelKey}-${node}.bin`);
  }

  /**
   * The state of `node` saved by this model, checked against its sidecar. A damaged pair is deleted; a state of
   * another model is refused with the reason (and kept: that model may come back).
   */
  find(story: string, node: number): KvLookup {
    const file = this.pathFor(story, node);
    const own = readSidecar(sidecarOf(file));
    if (own) {
      const size = fileSize(file);
      if (own.modelKey === this.modelKey && own.node === node && own.story === story && size === own.fileSize) {
        return { kind: 'found', file, tokens: own.tokens, prompt: own.prompt ?? null };
      }
      removePair(file);
      const why = own.modelKey !== this.modelKey ? `names another model (${own.model})` : 'does not match its data file';
      return { kind: 'refused', reason: `The saved state of passage ${node} ${why}; it was deleted and the prompt is read instead.` };
    }
    if (fs.existsSync(file)) {
      removePair(file);
      return { kind: 'refused', reason: `The saved state of passage ${node} has no description; it was deleted and the prompt is read instead.` };
    }
    const other = this.#entries(story).find((e) => e.node === node && e.sidecar?.modelKey !== this.modelKey);
    if (other) {
      const model = other.sidecar?.model ?? 'an unknown model';
      return { kind: 'refused', reason: `The saved state of passage ${node} was written by another model (${model}); the prompt is read instead.` };
    }
    return { kind: 'none' };
  }

  /**
   * The prompt the state of `node` was read ahead for, if this model saved a whole pair for it; null otherwise.
   * Only reads: deleting a damaged pair, and saying why, is for `find` when the state is offered.
   */
  promptOf(story: string, node: number): SavedPrompt | null {
    const file = this.pathFor(story, node);
    const own = readSidecar(sidecarOf(file));
    const whole = own?.modelKey === this.modelKey && own.node === node && own.story === story && fileSize(file) === own.fileSize;
    if (!whole || !own.prompt) return null;
    const { tokens, ...prompt } = own.prompt;
    // The state holds the start of the prompt it was read ahead for: tokens that do not begin with it are not its own.
    return tokens && startsWith(tokens, own.tokens) ? { ...prompt, tokens } : prompt;
  }

  /**
   * Saves through `write` (the sequence's own saver) to a temporary name, then the sidecar, then renames: a crash
   * halfway leaves no pair that looks whole. Prunes stale files afterwards.
   */
  async save(
    story: string,
    node: number,
    tokens: readonly number[],
    write: (file: string) => Promise<unknown>,
    prompt?: SavedPrompt,
  ): Promise<string> {
    const file = this.pathFor(story, node);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.tmp`;
    try {
      await write(temporary);
      const sidecar: KvSidecar = {
        version: 1,
        modelKey: this.modelKey,
        model: this.#modelName,
        story,
        node,
        tokens: [...tokens],
        fileSize: fs.statSync(temporary).size,
        savedAt: Date.now(),
        ...(prompt ? { prompt } : {}),
      };
      fs.writeFileSync(sidecarOf(file), JSON.stringify(sidecar));
      fs.renameSync(temporary, file);
    } catch (error) {
      fs.rmSync(temporary, { force: true });
      removePair(file);
      throw error;
    }
    this.prune(story);
    return file;
  }

  /** Keeps the newest `perStory` states of `story`, then the newest overall within `totalBytes`. */
  prune(story: string): void {
    for (const stale of this.#entries(story).slice(this.#limits.perStory)) removePair(stale.file);
    this.#removeAbandoned(story);
    let total = 0;
    const everything = this.#stories().flatMap((s) => this.#entries(s)).sort((a, b) => b.savedAt - a.savedAt);
    for (const entry of everything) {
      total += entry.bytes;
      if (total > this.#limits.totalBytes) removePair(entry.file);
    }
  }

  /** Forgets every state of `story` (deleted or purged). */
  removeStory(story: string): void {
    if (!SAFE_NAME.test(story)) return;
    fs.rmSync(path.join(this.dir, story), { recursive: true, force: true });
  }

  /** The states of `story`, newest first; pairs without a readable sidecar count as oldest. */
  #entries(story: string): { file: string; node: number; bytes: number; savedAt: number; sidecar: KvSidecar | null }[] {
    const folder = path.join(this.dir, story);
    let names: string[];
    try {
      names = fs.readdirSync(folder);
    } catch {
      return [];
    }
    return names
      .filter((name) => /^[0-9a-f]+-\d+\.bin$/.test(name))
      .map((name) => {
        const file = path.join(folder, name);
        const sidecar = readSidecar(sidecarOf(file));
        return { file, node: Number(/-(\d+)\.bin$/.exec(name)?.[1]), bytes: fileSize(file) ?? 0, savedAt: sidecar?.savedAt ?? 0, sidecar };
      })
      .sort((a, b) => b.savedAt - a.savedAt);
  }

  /** Temporary files a crashed save left (a save in progress is newer than this). */
  #removeAbandoned(story: string): void {
    const folder = path.join(this.dir, story);
    let names: string[] = [];
    try {
      names = fs.readdirSync(folder).filter((name) => name.endsWith('.bin.tmp'));
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(folder, name);
      const age = Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > ABANDONED_MS) fs.rmSync(file, { force: true });
    }
  }

  #stories(): string[] {
    try {
      return fs.readdirSync(this.dir).filter((name) => SAFE_NAME.test(name));
    } catch {
      return [];
    }
  }
}

const sidecarOf = (file: string) => file.replace(/\.bin$/, '.json');

function readSidecar(file: string): KvSidecar | null {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<KvSidecar>;
    const valid =
      value.version === 1 &&
      typeof value.modelKey === 'string' &&
      typeof value.model === 'string' &&
      typeof value.story === 'string' &&
      typeof value.node === 'number' &&
      Array.isArray(value.tokens) &&
      value.tokens.every((t) => Number.isInteger(t)) &&
      typeof value.fileSize === 'number' &&
      typeof value.savedAt === 'number' &&
      (value.prompt === undefined || isSavedPrompt(value.prompt));
    return valid ? (value as KvSidecar) : null;
  } catch {
    return null;
  }
}

function isSavedPrompt(value: unknown): value is SavedPrompt {
  const prompt = value as Partial<SavedPrompt> | null;
  const conversation = prompt?.conversation as Partial<Conversation> | undefined;
  const isTurn = (turn: unknown) => {
    const { user, answer } = (turn ?? {}) as { user?: unknown; answer?: unknown };
    return typeof user === 'string' && typeof answer === 'string';
  };
  const tokens = prompt?.tokens;
  return (
    typeof prompt?.key === 'string' &&
    typeof conversation?.system === 'string' &&
    Array.isArray(conversation.turns) &&
    conversation.turns.every(isTurn) &&
    (tokens === undefined || (Array.isArray(tokens) && tokens.every((t) => Number.isInteger(t) && t >= 0)))
  );
}

function startsWith(tokens: readonly number[], prefix: readonly number[]): boolean {
  return prefix.length <= tokens.length && prefix.every((t, i) => tokens[i] === t);
}

function fileSize(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}

function removePair(file: string): void {
  fs.rmSync(file, { force: true });
  fs.rmSync(sidecarOf(file), { force: true });
}
