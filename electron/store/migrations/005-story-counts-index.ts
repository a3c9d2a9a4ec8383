import type { Migration } from '../../../native/sqlite/index.js';

/**
 * A covering index for the passage and word counts every story summary shows: they are then read from the index
 * alone, instead of visiting every passage row of a long story on each step.
 */
export const migration005: Migration = {
  version: 5,
  name: '005-story-counts-index',
  up(db) {
    db.exec('CREATE INDEX nodes_by_story_words ON nodes(story_id, word_count);');
  },
};
