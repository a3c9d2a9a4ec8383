import { beforeEach, describe, expect, it } from 'vitest';
import type { AutoTarget } from '../../../electron/contract/index.js';
import { chain, node, view } from '../testing/fixtures.js';
import { FakeBackend } from '../testing/FakeBackend.js';
import { AutoWriteState } from './AutoWriteState.svelte.js';
import { StoryState } from './StoryState.svelte.js';

describe('AutoWriteState', () => {
  let backend: FakeBackend;
  let story: StoryState;
  let auto: AutoWriteState;
  let pauseAfter: number | null;
  let nextId: number;

  beforeEach(async () => {
    pauseAfter = null;
    nextId = 2;
    backend = new FakeBackend()
      .on('stories.open', () => view(chain(1)))
      .on('stories.pause', () => ({ paused: true }))
      .on('stories.auto', ({ target }, { emit }) => {
        const goal = 'passages' in target ? target.passages : Math.ceil(target.words / 10);
        let passages = 0;
        while (passages < goal) {
          passages += 1;
          const id = nextId++;
          emit({
            kind: 'progress',
            passages,
            words: passages * 10,
            targetPassages: 'passages' in target ? target.passages : null,
            targetWords: 'words' in target ? target.words : null,
            secondsLeft: (goal - passages) * 2,
            node: node(id, id - 1),
          });
          if (pauseAfter !== null && passages >= pauseAfter) break;
        }
        return view(chain(nextId - 1));
      });
    story = new StoryState(backend, 1);
    await story.load();
    auto = new AutoWriteState(story);
  });

  it('writes toward a passage target and reports progress', async () => {
    auto.amount = 3;
    await auto.start();
    expect(backend.callsOf('stories.auto')).toMatchObject([{ storyId: 1, target: { passages: 3 } }]);
    expect(auto.status).toBe('done');
    expect(auto.passages).toBe(3);
    expect(auto.words).toBe(30);
    expect(auto.fraction).toBe(1);
    expect(auto.targetLabel).toBe('3 passages');
    expect(story.path).toHaveLength(4);
  });

  it('writes toward a word target', async () => {
    auto.unit = 'words';
    auto.amount = 25;
    await auto.start();
    expect(backend.callsOf('stories.auto')).toMatchObject([{ storyId: 1, target: { words: 25 } }]);
    expect(auto.fraction).toBe(1);
  });

  it('pauses after the passage being written, then resumes with what is left', async () => {
    auto.amount = 5;
    pauseAfter = 2;
    backend.on('stories.pause', () => {
      return { paused: true };
    });
    const running = auto.start();
    await auto.pause();
    await running;
    expect(backend.callsOf('stories.pause')).toEqual([{ storyId: 1 }]);
    expect(auto.status).toBe('paused');
    expect(auto.passages).toBe(2);
    expect(auto.fraction).toBeCloseTo(0.4);
    expect(auto.canResume).toBe(true);
    pauseAfter = null;
    await auto.resume();
    expect((backend.callsOf('stories.auto')[1] as { target: AutoTarget }).target).toEqual({ passages: 3 });
    expect(auto.passages).toBe(5);
    expect(auto.status).toBe('done');
  });

  it('stops at once', async () => {
    backend.on('stories.auto', () => new Promise(() => {}));
    const running = auto.start();
    expect(auto.running).toBe(true);
    auto.stop();
    await running;
    expect(auto.status).toBe('stopped');
    expect(story.error).toBeNull();
  });

  it('says why an amount cannot be used', () => {
    auto.amount = 0;
    expect(auto.invalid).toBe('Write at least 1 passage.');
    auto.amount = 20_000;
    expect(auto.invalid).toBe('At most 10,000 passages at a time.');
    auto.unit = 'words';
    expect(auto.invalid).toBeNull();
    auto.amount = 2.5;
    expect(auto.invalid).toBe('Write at least 1 word.');
  });

  it('reports a failed run', async () => {
    backend.fail('stories.auto', 'GENERATION_FAILED');
    await auto.start();
    expect(auto.status).toBe('failed');
    expect(story.error).toBe('The model failed while writing.');
  });
});
