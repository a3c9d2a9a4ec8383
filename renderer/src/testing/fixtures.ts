import {
  type EngineSettings,
  type EngineSettingsPatch,
  settingBounds,
  type SettingsView,
  StoryNode,
  type StorySettingsView,
  type StoryView,
  StorySummary,
} from '../../../electron/contract/index.js';

const STATS = {
  promptTokens: 0,
  evaluatedTokens: 0,
  generatedTokens: 0,
  milliseconds: 0,
  retries: 0,
  fallback: false,
  regenerated: false,
};

/** A node with three plans, parsed through the contract so defaults of newer fields are filled in. */
export function node(id: number, parentId: number | null, overrides: Partial<StoryNode> = {}): StoryNode {
  return StoryNode.parse({
    id,
    parentId,
    siblingIndex: 0,
    siblingCount: 1,
    passage: `Passage ${id}.`,
    summary: '',
    instruction: parentId === null ? { kind: 'opening' } : { kind: 'choice', choice: 1, text: `plan ${parentId}.1` },
    shortMemory: `memory ${id}`,
    plans: [1, 2, 3].map((n) => ({ label: `Go ${n}`, text: `plan ${id}.${n}` })),
    keyMemory: [],
    stats: STATS,
    stale: false,
    createdAt: 0,
    editedAt: null,
    ...overrides,
  });
}

export function summary(id = 1, passageCount = 1): StorySummary {
  return StorySummary.parse({
    id,
    title: 'The Lighthouse',
    premise: 'A keeper finds a letter.',
    genre: '',
    style: '',
    outline: '',
    createdAt: 0,
    updatedAt: 0,
    passageCount,
    wordCount: passageCount * 2,
  });
}

/** A view whose path is the given nodes. */
export function view(path: StoryNode[], storyId = 1): StoryView {
  return { story: summary(storyId, path.length), currentNodeId: path.at(-1)!.id, path };
}

/** A chain of `length` nodes, ids 1…length. */
export function chain(length: number): StoryNode[] {
  return Array.from({ length }, (_, i) => node(i + 1, i === 0 ? null : i));
}

/** The engine's built-in generation settings, as settings.get reports them. */
export const DEFAULT_SETTINGS: EngineSettings = {
  passageTokens: 400,
  temperature: 0.8,
  topP: 0.95,
  topK: 40,
  minP: 0.05,
  dryStrength: 0.8,
  relatedPassages: 3,
  memoryBudgetShare: 0.1,
  memoryThreshold: 0.2,
  decayCanon: 1,
  decayPlot: 0.9,
  decayChatter: 0.7,
  decayUser: 0.95,
};

export function settingsView(settings: EngineSettings, avoid: string[] = []): SettingsView {
  return { settings, defaults: DEFAULT_SETTINGS, bounds: settingBounds, avoid };
}

/** A story's settings as stories.settings reports them: its own values over the app's. */
export function storySettingsView(
  own: EngineSettingsPatch,
  app: EngineSettings = DEFAULT_SETTINGS,
  phrases: { avoid?: string[]; appAvoid?: string[] } = {},
): StorySettingsView {
  return { settings: { ...app, ...own }, own, app, bounds: settingBounds, avoid: phrases.avoid ?? [], appAvoid: phrases.appAvoid ?? [] };
}
