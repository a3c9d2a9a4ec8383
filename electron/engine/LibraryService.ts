import type { StorySummary, StoryView } from '../contract/index.js';
import { readArchive } from '../store/archive/readArchive.js';
import { writeArchive } from '../store/archive/writeArchive.js';
import { deleteBranch } from '../store/deleteBranch.js';
import type { Store } from '../store/openStore.js';
import { Trash } from '../store/Trash.js';

/** The library's housekeeping: the trash, duplicating a story, deleting a branch. */
export class LibraryService {
  readonly #store: Store;
  readonly #trash: Trash;
  /** Drops what is kept outside the database for a story (its KV state files) once it is deleted. */
  readonly #onStoryGone: (storyId: number) => void;

  constructor(store: Store, onStoryGone: (storyId: number) => void = () => undefined) {
    this.#store = store;
    this.#onStoryGone = onStoryGone;
    this.#trash = new Trash(store.db);
    if (this.#trash.purgeExpired() > 0) store.stories.forgetCached();
  }

  delete(storyId: number): StorySummary[] {
    this.#trash.put(storyId);
    this.#onStoryGone(storyId);
    return this.#store.stories.list();
  }

  trash(): StorySummary[] {
    return this.#trash.list();
  }

  restore(storyId: number): StoryView {
    this.#trash.restore(storyId);
    return this.#store.stories.open(storyId);
  }

  purge(storyId: number): StorySummary[] {
    this.#trash.purge(storyId);
    this.#onStoryGone(storyId);
    this.#store.stories.forgetCached();
    return this.#trash.list();
  }

  /** A full copy (every branch, memory and fact) under a new title. */
  duplicate(storyId: number): StoryView {
    const archive = readArchive(this.#store.db, storyId);
    const title = `${archive.story.title} (copy)`.slice(0, 200);
    const copyId = writeArchive(this.#store.db, { ...archive, story: { ...archive.story, title, updatedAt: Date.now() } });
    this.#store.stories.forgetCached();
    return this.#store.stories.open(copyId);
  }

  deleteBranch(storyId: number, nodeId: number): StoryView {
    deleteBranch(this.#store.db, storyId, nodeId);
    this.#store.stories.forgetCached();
    return this.#store.stories.open(storyId);
  }
}
