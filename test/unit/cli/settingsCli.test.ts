import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../electron/store/openStore.js';
import { nodeRecord } from '../store/nodeRecord.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-settings-cli-'));
const db = path.join(dir, 'stories.db');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `longtale` from source with a private home and database; no model is needed to read or change settings. */
function longtale(args: string[]) {
  const result = spawnSync(tsx, [path.join(root, 'electron/cli/run.ts'), '--db', db, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LONGTALE_HOME: path.join(dir, 'home'), LONGTALE_MODEL: '', LONGTALE_DB: '' },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('longtale settings', () => {
  it('changes settings with --set, keeps them for the next run, and --reset forgets them', () => {
    const set = longtale(['--json', 'settings', '--set', 'passageTokens=150', '--set', 'decayPlot=0.8']);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ settings: { passageTokens: 150, decayPlot: 0.8 }, defaults: { passageTokens: 400 } });

    const shown = longtale(['settings']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('passageTokens\t150 (default 400)\t[16–2000]');
    expect(shown.stdout).toContain('temperature\t0.8\t[0–2]');

    const reset = longtale(['--json', 'settings', '--reset']);
    expect(JSON.parse(reset.stdout)).toMatchObject({ settings: { passageTokens: 400, decayPlot: 0.9 } });
  });

  it('refuses a bad value or key with a coded message and exit code 1, saving nothing', () => {
    for (const [arg, named] of [
      ['temperature=9', 'temperature must be between 0 and 2'],
      ['topK=lots', 'topK'],
      ['warmth=1', 'warmth'],
      ['temperature', 'key=value'],
    ] as const) {
      const run = longtale(['settings', '--set', arg]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^longtale: Some input is not valid\./);
      expect(run.stderr).toContain(named);
    }
    expect(JSON.parse(longtale(['--json', 'settings']).stdout)).toMatchObject({ settings: { temperature: 0.8, topK: 40 } });
  });

  it('--story shows and changes a story’s own values and phrases to avoid, --clear follows the app again, and they need a story', () => {
    const store = openStore(db);
    const storyId = store.stories.create({ title: 'Salt', premise: 'A ferry.', root: nodeRecord('The ferry left.') }).story.id;
    store.dispose();
    longtale(['settings', '--set', 'temperature=0.6']);

    const set = longtale(['--json', 'settings', '--story', String(storyId), '--set', 'passageTokens=90', '--set', 'topK=20']);
    expect(set.stderr).toBe('');
    expect(JSON.parse(set.stdout)).toMatchObject({ own: { passageTokens: 90, topK: 20 }, settings: { passageTokens: 90, topK: 20, temperature: 0.6 } });
    const shown = longtale(['settings', '--story', String(storyId)]);
    expect(shown.stdout).toContain('passageTokens\t90 (this story; app 400)\t[16–2000]');
    expect(shown.stdout).toContain('temperature\t0.6\t[0–2]');

    const cleared = longtale(['--json', 'settings', '--story', String(storyId), '--clear', 'topK']);
    expect(JSON.parse(cleared.stdout)).toMatchObject({ own: { passageTokens: 90 }, settings: { topK: 40 } });
    expect(JSON.parse(longtale(['--json', 'settings', '--story', String(storyId), '--reset']).stdout)).toMatchObject({ own: {} });

    const avoided = longtale(['settings', '--story', String(storyId), '--avoid', 'a chill ran', '--avoid', 'testament']);
    expect(avoided.stderr).toBe('');
    expect(avoided.stdout).toContain('avoid\t"a chill ran", "testament"\t(besides the app\'s: (none))');
    expect(longtale(['settings', '--avoid', 'gleaming']).stdout).toContain('avoid\t"gleaming"');
    expect(JSON.parse(longtale(['--json', 'settings', '--story', String(storyId)]).stdout)).toMatchObject({ avoid: ['a chill ran', 'testament'], appAvoid: ['gleaming'] });
    expect(JSON.parse(longtale(['--json', 'settings', '--avoid-none']).stdout)).toMatchObject({ avoid: [] });

    for (const [args, says] of [
      [['settings', '--clear', 'topK'], '--clear needs --story'],
      [['settings', '--avoid', ' '], 'phrase to avoid is empty'],
      [['settings', '--story', String(storyId), '--clear', 'warmth'], 'There is no setting "warmth"'],
      [['settings', '--story', '999', '--set', 'topK=3'], '999'],
    ] as const) {
      const run = longtale([...args]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(says);
    }
  });
});
