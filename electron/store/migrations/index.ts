import type { Migration } from '../../../native/sqlite/index.js';
import { migration001 } from './001-stories-and-nodes.js';
import { migration002 } from './002-story-tree.js';
import { migration003 } from './003-node-tokens.js';
import { migration004 } from './004-story-trash.js';
import { migration005 } from './005-story-counts-index.js';
import { migration006 } from './006-story-counts.js';
import { migration007 } from './007-fact-scope.js';
import { migration008 } from './008-story-settings.js';
import { migration009 } from './009-saved-checks.js';

/** Every schema version in order. Add a file per version; never edit one that has shipped. */
export const migrations: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009];
