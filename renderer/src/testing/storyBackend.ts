import type { StoryNode } from '../../../electron/contract/index.js';
import { FakeBackend } from './FakeBackend.js';
import { summary, view } from './fixtures.js';

/** An engine with a model loaded. */
export const READY_STATUS = { version: '0.1.0', model: { state: 'ready', path: '/m.gguf', name: 'm.gguf', contextSize: 512 }, dbPath: '/db' } as const;

/**
 * A backend serving one story (id 1) whose path is `story`, with no pinned facts, nothing to suggest and no kept
 * continuity checks: what every screen of a story asks for on opening. Tests add or replace handlers with `.on`.
 */
export function storyBackend(story: StoryNode[]): FakeBackend {
  return new FakeBackend()
    .on('engine.status', () => READY_STATUS)
    .on('stories.list', () => [summary(1, story.length)])
    .on('stories.open', () => view(story))
    .on('facts.list', () => [])
    .on('facts.suggest', () => [])
    .on('checks.list', () => [])
    .on('stories.tree', () => story.map((n) => ({ id: n.id, parentId: n.parentId, siblingIndex: n.siblingIndex, label: n.passage })));
}
