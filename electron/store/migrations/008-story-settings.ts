import type { Migration } from '../../../native/sqlite/index.js';

/**
 * A story may keep generation settings of its own (a play story's short passages, a novel's long ones): a JSON
 * object of only the keys it sets, over the app's settings. '{}' follows the app's settings, as every story did.
 * And phrases its passages must never contain, besides the app's: a JSON array of strings.
 * The CHECKs keep a hand-edited database from storing something the engine would have to guess at.
 */
export const migration008: Migration = {
  version: 8,
  name: '008-story-settings',
  up(db) {
    db.exec(`
      ALTER TABLE stories ADD COLUMN settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings) AND json_type(settings) = 'object');
      ALTER TABLE stories ADD COLUMN avoid TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(avoid) AND json_type(avoid) = 'array');
    `);
  },
};
