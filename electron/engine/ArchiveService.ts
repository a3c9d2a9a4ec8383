import type { StoryView } from '../contract/index.js';
import { type ExportedFile, type ExportFormat, exportStory } from '../export/exportStory.js';
import { parseArchive } from '../store/archive/parseArchive.js';
import { readArchive } from '../store/archive/readArchive.js';
import { writeArchive } from '../store/archive/writeArchive.js';
import type { Store } from '../store/openStore.js';

/** Stories in and out of the database: every export format, and the lossless JSON import. */
export class ArchiveService {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  async export(storyId: number, format: ExportFormat): Promise<ExportedFile> {
    return exportStory(readArchive(this.#store.db, storyId), format);
  }

  /** Validates the whole file before writing; a bad file writes nothing. */
  import(text: string): StoryView {
    const storyId = writeArchive(this.#store.db, parseArchive(text));
    this.#store.stories.forgetCached(); // new rows may reuse the ids of deleted ones
    return this.#store.stories.open(storyId);
  }
}
