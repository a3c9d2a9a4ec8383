import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../../../electron/contract/index.js';
import { ModelHost } from '../../../electron/engine/ModelHost.js';
import { toApiError } from '../../../electron/engine/toApiError.js';
import { StoryService } from '../../../electron/engine/StoryService.js';
import { openStore } from '../../../electron/store/openStore.js';
import { defaultGenerationSettings } from '../../../electron/story/GenerationSettings.js';
import { defaultAnswer, ScriptedLoader, ScriptedModel } from '../../fixtures/ScriptedModel.js';

const call = () => ({ signal: new AbortController().signal, emit: (_e: CallEvent): void => undefined });

describe('R7: the disk fills up in the middle of a step', () => {
  it('gives a clear error, keeps the database intact, and the step succeeds once there is space again', async () => {
    const store = openStore(':memory:');
    // Long passages, so a step needs pages the full disk does not have.
    const loader = new ScriptedLoader(() => new ScriptedModel((r) => (r.kind === 'text' ? 'The sea rose. '.repeat(300) : defaultAnswer(r))));
    const service = new StoryService(store, new ModelHost(loader, store.settings, '/m.gguf'), { ...defaultGenerationSettings, seed: 1 });
    const opened = await service.create({ premise: 'A lighthouse.' }, call());
    const pages = store.db.pragma<number>('page_count');
    // SQLite's own way to simulate a full disk: no page beyond the current ones may be added.
    store.db.pragma(`max_page_count = ${pages}`);

    const failed = await service.step(opened.story.id, undefined, { plan: 'The sea rises.' }, call()).catch((e: unknown) => e);
    // What crosses the boundary to the UI or the CLI:
    expect(toApiError(failed)).toEqual({ code: 'DB_WRITE_FAILED', message: expect.stringMatching(/disk is full/iu) });
    expect(store.db.pragma<string>('integrity_check')).toBe('ok');
    expect(service.open(opened.story.id)).toEqual(opened);

    store.db.pragma('max_page_count = 1073741823');
    const retried = await service.step(opened.story.id, undefined, { plan: 'The sea rises.' }, call());
    expect(retried.path).toHaveLength(2);
    store.dispose();
  });
});
