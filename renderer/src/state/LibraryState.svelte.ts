import type { NewStory, StoryFromText, StorySummary, StoryView } from '../../../electron/contract/index.js';
import type { Backend, CallOptions } from '../backend/Backend.js';
import { describe, isCancelled } from './describe.js';
import { Generation } from './Generation.svelte.js';

export type ExportFormat = 'json' | 'md' | 'html' | 'epub' | 'twee';

export interface ExportedFile {
  fileName: string;
  mediaType: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/** How far the reading of the author's own text has come: passages read of `total` (null until the first is read). */
export interface Reading {
  done: number;
  total: number | null;
  secondsLeft: number | null;
}

/** The list of stories, and the writing of a new one (streamed, stoppable). */
export class LibraryState {
  #stories = $state.raw<StorySummary[]>([]);
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #notice = $state<string | null>(null);
  #trash = $state.raw<StorySummary[]>([]);
  /** The story just moved to the trash, which the notice offers to bring back. */
  #lastDeleted = $state<StorySummary | null>(null);
  /** `fromText` runs: its progress is the generation's. */
  #readingText = $state(false);

  readonly generation = new Generation();
  readonly #backend: Backend;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  get stories(): StorySummary[] {
    return this.#stories;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get error(): string | null {
    return this.#error;
  }
  /** The last thing that went well and is worth saying (an import, an export). */
  get notice(): string | null {
    return this.#notice;
  }
  /** Stories in the trash (purged after 30 days). */
  get trash(): StorySummary[] {
    return this.#trash;
  }
  get lastDeleted(): StorySummary | null {
    return this.#lastDeleted;
  }
  get writing(): boolean {
    return this.generation.running;
  }
  /** Set while `fromText` runs (the generation then reads, it does not stream a passage). */
  get reading(): Reading | null {
    if (!this.#readingText) return null;
    const passages = this.generation.passages;
    return { done: passages?.done ?? 0, total: passages?.total ?? null, secondsLeft: this.generation.secondsLeft };
  }

  async refresh(): Promise<void> {
    try {
      this.#stories = await this.#backend.call('stories.list', {});
      this.#loaded = true;
      this.#error = null;
    } catch (error) {
      this.#error = describe(error);
    }
  }

  /** Writes a new story; resolves with it, or with null when stopped or failed (the error is shown). */
  async create(request: NewStory): Promise<StoryView | null> {
    if (!request.premise.trim()) {
      this.#error = describe({ code: 'INVALID_INPUT', message: 'The premise is empty.' });
      return null;
    }
    return this.#generate((options) => this.#backend.call('stories.create', request, options));
  }

  /**
   * A story of the author's own text, read passage by passage; resolves with it, or null when it failed (the error
   * is shown) or was stopped before the story existed. Stopped while reading, the engine still returns the story.
   */
  async fromText(request: StoryFromText): Promise<StoryView | null> {
    if (!request.text.trim()) {
      this.#error = describe({ code: 'INVALID_INPUT', message: 'The text is empty.' });
      return null;
    }
    return this.#generate(async (options: CallOptions) => {
      this.#readingText = true;
      try {
        return await this.#backend.call('stories.fromText', request, options);
      } finally {
        this.#readingText = false;
      }
    });
  }

  /** One streamed call at a time, through `generation`; the list is refreshed after, a stop is no error. */
  async #generate(call: (options: CallOptions) => Promise<StoryView>): Promise<StoryView | null> {
    this.#error = null;
    this.#notice = null;
    try {
      const view = await this.generation.run(call);
      await this.refresh();
      return view;
    } catch (error) {
      if (!isCancelled(error)) this.#error = describe(error);
      return null;
    }
  }

  stop(): void {
    this.generation.stop();
  }

  async rename(storyId: number, title: string): Promise<boolean> {
    if (!title.trim()) return false;
    return this.#act(async () => {
      await this.#backend.call('stories.rename', { storyId, title: title.trim() });
      await this.refresh();
    });
  }

  /** A copy of the whole story, every branch included; resolves with it (null on failure). */
  async duplicate(storyId: number): Promise<StoryView | null> {
    let view: StoryView | null = null;
    await this.#act(async () => {
      view = await this.#backend.call('stories.duplicate', { storyId });
      this.#notice = `Made a copy: “${view.story.title}”.`;
      await this.refresh();
    });
    return view;
  }

  /** Moves a story to the trash; the notice offers to bring it back. */
  async delete(storyId: number): Promise<boolean> {
    const story = this.#stories.find((s) => s.id === storyId) ?? null;
    const ok = await this.#act(async () => {
      this.#stories = await this.#backend.call('stories.delete', { storyId });
      this.#notice = `Moved “${story?.title ?? 'the story'}” to the trash. It is deleted for good after 30 days.`;
      await this.loadTrash();
    });
    this.#lastDeleted = ok ? story : null;
    return ok;
  }

  async loadTrash(): Promise<void> {
    try {
      this.#trash = await this.#backend.call('stories.trash', {});
    } catch (error) {
      this.#error = describe(error);
    }
  }

  async restore(storyId: number): Promise<boolean> {
    return this.#act(async () => {
      const view = await this.#backend.call('stories.restore', { storyId });
      this.#notice = `Restored “${view.story.title}”.`;
      if (this.#lastDeleted?.id === storyId) this.#lastDeleted = null;
      await Promise.all([this.refresh(), this.loadTrash()]);
    });
  }

  /** Deletes a story in the trash for good. */
  async purge(storyId: number): Promise<boolean> {
    return this.#act(async () => {
      this.#trash = await this.#backend.call('stories.purge', { storyId });
      this.#notice = 'Deleted for good.';
    });
  }

  /** The story as a file in one of the export formats, or null (the error is shown). */
  async export(storyId: number, format: ExportFormat): Promise<ExportedFile | null> {
    let file: ExportedFile | null = null;
    await this.#act(async () => {
      const result = await this.#backend.call('stories.export', { storyId, format });
      file = { fileName: result.fileName, mediaType: result.mediaType, bytes: fromBase64(result.base64) };
      this.#notice = `Exported ${result.fileName}.`;
    });
    return file;
  }

  /** Imports a JSON export; bad input changes nothing and says why. */
  async import(text: string): Promise<StoryView | null> {
    let view: StoryView | null = null;
    await this.#act(async () => {
      view = await this.#backend.call('stories.import', { text });
      this.#notice = `Imported “${view.story.title}”.`;
      await this.refresh();
    });
    return view;
  }

  async #act(action: () => Promise<void>): Promise<boolean> {
    this.#error = null;
    this.#notice = null;
    this.#lastDeleted = null;
    try {
      await action();
      return true;
    } catch (error) {
      this.#error = describe(error);
      return false;
    }
  }
}

function fromBase64(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
