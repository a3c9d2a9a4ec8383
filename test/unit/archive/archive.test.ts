import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallEvent } from '../../../electron/contract/index.js';
import { Engine } from '../../../electron/engine/Engine.js';
import { ARCHIVE_FORMAT, type StoryArchive } from '../../../electron/store/archive/StoryArchive.js';
import { defaultAnswer, ScriptedLoader, ScriptedModel } from '../../fixtures/ScriptedModel.js';
// @ts-expect-error extwee ships no types for its entry point
import { parseTwee } from 'extwee';

let dir: string;
let engine: Engine;
let storyId: number;

const call = () => ({ signal: new AbortController().signal, emit: (_e: CallEvent): void => undefined });

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-archive-'));
  const passages = ['It began <b>badly</b> & "quietly".', 'The [[door]] opened.\n:: not a passage', 'Rain fell.', 'Snow fell.'];
  const loader = new ScriptedLoader(() => new ScriptedModel((r) => (r.kind === 'text' ? (passages.shift() ?? 'More.') : defaultAnswer(r))));
  engine = Engine.open({ dbPath: path.join(dir, 'stories.db'), modelPath: '/m.gguf', loader, version: 'test' });
  const opened = await engine.stories.create({ premise: 'A house by the sea.', genre: 'gothic' }, call());
  storyId = opened.story.id;
  await engine.stories.step(storyId, undefined, { choice: 1 }, call());
  const second = await engine.stories.step(storyId, undefined, { plan: 'Rain.' }, call());
  const sibling = await engine.stories.retry(storyId, second.currentNodeId, call()); // a sibling branch
  engine.stories.facts.add(storyId, 'The house has no doors.');
  engine.stories.facts.add(storyId, 'It rains from here on.', sibling.currentNodeId);
  engine.settings.setStory(storyId, { passageTokens: 120, temperature: 1.1 });
  engine.settings.setStoryAvoid(storyId, ['a chill ran']);
  engine.stories.continuity.save(storyId, 'Where is the house?', 'by the sea');
});

afterEach(async () => {
  await engine.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});


async function exported(format: 'json' | 'md' | 'html' | 'epub' | 'twee') {
  return engine.archives.export(storyId, format);
}

/** The archive without what an import legitimately changes: ids (renumbered) and the export time. */
function comparable(archive: StoryArchive) {
  const index = new Map(archive.nodes.map((n, i) => [n.id, i]));
  return {
    ...archive,
    exportedAt: 0,
    currentNodeId: index.get(archive.currentNodeId),
    nodes: archive.nodes.map((n) => ({
      ...n,
      id: index.get(n.id),
      parentId: n.parentId === null ? null : index.get(n.parentId),
      // Memory entries name their source node by id, renumbered too.
      keyMemory: n.keyMemory.map((e) => ({ ...e, sourceNode: e.sourceNode === null ? null : index.get(e.sourceNode) })),
    })),
    // So do facts that hold from a passage on.
    facts: archive.facts.map((f) => (typeof f === 'string' ? f : { ...f, fromNodeId: index.get(f.fromNodeId) })),
  };
}

function counts(): { stories: number; nodes: number; facts: number } {
  const db = new Database(path.join(dir, 'stories.db'), { readonly: true });
  try {
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return { stories: one('SELECT count(*) n FROM stories'), nodes: one('SELECT count(*) n FROM nodes'), facts: one('SELECT count(*) n FROM facts') };
  } finally {
    db.close();
  }
}

describe('JSON export and import', () => {
  it('round-trips the whole tree losslessly: branches, state, bible, current node', async () => {
    const file = await exported('json');
    expect(file.fileName).toMatch(/\.longtale\.json$/);
    const original = JSON.parse(file.data.toString()) as StoryArchive;
    expect(original.format).toBe(ARCHIVE_FORMAT);
    expect(original.nodes).toHaveLength(4);
    expect(original.facts).toEqual(['The house has no doors.', { text: 'It rains from here on.', fromNodeId: original.currentNodeId }]);
    expect(original.story).toMatchObject({ settings: { passageTokens: 120, temperature: 1.1 }, avoid: ['a chill ran'] });
    expect(original.checks).toEqual([{ question: 'Where is the house?', answer: 'by the sea' }]);

    const imported = engine.archives.import(file.data.toString());
    expect(imported.story.id).not.toBe(storyId);
    const again = JSON.parse((await engine.archives.export(imported.story.id, 'json')).data.toString()) as StoryArchive;
    expect(comparable(again)).toEqual(comparable(original));
    expect(imported.path.map((n) => n.passage)).toEqual(engine.stories.open(storyId).path.map((n) => n.passage));
    expect(engine.settings.ofStory(imported.story.id)).toMatchObject({ own: { passageTokens: 120, temperature: 1.1 }, avoid: ['a chill ran'] });
  });

  it('reads a version 2 file, which has no settings of the story’s own (it follows the app’s) and no saved checks', async () => {
    const current = JSON.parse((await exported('json')).data.toString()) as StoryArchive;
    const { settings: _settings, avoid: _avoid, ...story } = current.story;
    const { checks: _checks, ...rest } = current;
    const imported = engine.archives.import(JSON.stringify({ ...rest, version: 2, story }));
    expect(engine.settings.ofStory(imported.story.id)).toMatchObject({ own: {}, avoid: [] });
    expect(engine.stories.continuity.saved(imported.story.id)).toEqual([]);
  });

  it('duplicating a story keeps its own settings and phrases to avoid', () => {
    const copy = engine.library.duplicate(storyId);
    expect(engine.settings.ofStory(copy.story.id)).toMatchObject({ own: { passageTokens: 120, temperature: 1.1 }, avoid: ['a chill ran'] });
  });

  it('reads a version 1 file, whose facts hold for the whole story', async () => {
    const current = JSON.parse((await exported('json')).data.toString()) as StoryArchive;
    const old = { ...current, version: 1, facts: ['The house has no doors.'] };
    const imported = engine.archives.import(JSON.stringify(old));
    expect(engine.stories.facts.list(imported.story.id)).toEqual([{ id: expect.any(Number), text: 'The house has no doors.', from: null, applies: true }]);
  });

  it('refuses damaged trees with a reason, writing nothing', async () => {
    const good = JSON.parse((await exported('json')).data.toString()) as StoryArchive;
    const [first, second] = good.nodes;
    const cases: [string, StoryArchive, RegExp][] = [
      ['a duplicate id', { ...good, nodes: [...good.nodes, { ...first!, parentId: null }] }, /two nodes with id/],
      ['a missing parent', { ...good, nodes: good.nodes.map((n) => (n.id === second!.id ? { ...n, parentId: 9999 } : n)) }, /parent/],
      ['a cycle', { ...good, nodes: good.nodes.map((n) => (n.id === first!.id ? { ...n, parentId: second!.id } : n)) }, /cycle/],
      ['no current node', { ...good, currentNodeId: 9999 }, /current node/],
      ['an empty passage', { ...good, nodes: good.nodes.map((n, i) => (i === 1 ? { ...n, passage: ' ' } : n)) }, /passage is empty/],
      ['another format', { ...good, format: 'twine' as never }, /not a Longtale story export/],
      ['a fact from a passage it does not have', { ...good, facts: [{ text: 'x', fromNodeId: 9999 }] }, /fact holds from passage 9999/],
      ['a setting out of bounds', { ...good, story: { ...good.story, settings: { temperature: 9 } } }, /temperature must be between 0 and 2/],
      ['a setting that does not exist', { ...good, story: { ...good.story, settings: { warp: 1 } as never } }, /warp/],
      ['an empty phrase to avoid', { ...good, story: { ...good.story, avoid: [' '] } }, /phrase to avoid is empty/],
      ['a saved check without an answer', { ...good, checks: [{ question: 'Who?', answer: '' }] }, /expected answer is empty/],
    ];
    const before = counts();
    for (const [name, archive, message] of cases) {
      expect(() => engine.archives.import(JSON.stringify(archive)), name).toThrow(message);
    }
    expect(counts()).toEqual(before);
  });

  it('refuses every truncation of a real export, and 10,000 generated malformed files, with INVALID_INPUT and no write', async () => {
    const text = (await exported('json')).data.toString();
    const before = counts();
    for (let cut = 0; cut < text.length; cut += Math.max(1, Math.floor(text.length / 150))) {
      if (text.slice(0, cut).trim() === text.trim()) continue; // only the final newline cut: still the whole file
      expect(() => engine.archives.import(text.slice(0, cut))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ format: ARCHIVE_FORMAT, version: 1, ...Object(v) }))), (garbage) => {
        expect(() => engine.archives.import(garbage)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
      }),
      { numRuns: 10_000 },
    );
    expect(counts()).toEqual(before);
  });
});

describe('reading formats', () => {
  it('Markdown has the title, the premise and the current path in order', async () => {
    const md = (await exported('md')).data.toString();
    const path = engine.stories.open(storyId).path;
    expect(md.startsWith('# ')).toBe(true);
    expect(md).toContain('*A house by the sea.*');
    expect(md).toContain('## Chapter 1');
    const positions = path.map((n) => md.indexOf(n.passage.trim()));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('HTML escapes the story text', async () => {
    const html = (await exported('html')).data.toString();
    expect(html).toContain('It began &lt;b&gt;badly&lt;/b&gt; &amp; &quot;quietly&quot;.');
    expect(html).not.toContain('<b>badly</b>');
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('EPUB is a valid zip with the EPUB mimetype and the passages in its chapters', async () => {
    const file = await exported('epub');
    const zip = await JSZip.loadAsync(file.data);
    expect(await zip.file('mimetype')?.async('string')).toBe('application/epub+zip');
    const texts = await Promise.all(Object.values(zip.files).filter((f) => f.name.endsWith('.xhtml')).map((f) => f.async('string')));
    expect(texts.join('\n')).toContain(engine.stories.open(storyId).path.at(-1)?.passage);
  });
});

describe('Twee 3 export', () => {
  it('parses with extwee; every node is a passage and every link resolves', async () => {
    const twee = (await exported('twee')).data.toString();
    const story = parseTwee(twee) as {
      name: string;
      IFID: string;
      start: string;
      passages: { name: string; text: string }[];
    };
    const archive = JSON.parse((await exported('json')).data.toString()) as StoryArchive;
    expect(story.name).toBe(archive.story.title);
    expect(story.IFID).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    const names = new Set(story.passages.map((p) => p.name));
    for (const node of archive.nodes) expect(names.has(`n${node.id}`)).toBe(true);
    expect(names.has(story.start)).toBe(true);
    const links = story.passages.flatMap((p) => [...p.text.matchAll(/\[\[(?:[^\]]*?->)?([^\]]+)\]\]/gu)].map((m) => m[1] ?? ''));
    expect(links).toHaveLength(archive.nodes.length - 1);
    for (const link of links) expect(names.has(link)).toBe(true);
    // A passage that contained "[[door]]" and a "::" line did not create a link or a passage of its own.
    expect(names.has('door')).toBe(false);
    expect(story.passages.some((p) => p.name === 'not a passage')).toBe(false);
  });

  it('keeps the same IFID across exports', async () => {
    const a = (await exported('twee')).data.toString();
    const b = (await exported('twee')).data.toString();
    expect(/"ifid": "([^"]+)"/.exec(a)?.[1]).toBe(/"ifid": "([^"]+)"/.exec(b)?.[1]);
  });
});
