import { getContext, setContext } from 'svelte';
import type { Backend } from '../backend/Backend.js';
import type { AutoWriteState } from './AutoWriteState.svelte.js';
import type { ContinuityChecks } from './ContinuityChecks.svelte.js';
import type { EngineState } from './EngineState.svelte.js';
import type { GenerationSettingsState } from './GenerationSettingsState.svelte.js';
import type { Heatmap } from './Heatmap.svelte.js';
import type { KeptChecks } from './KeptChecks.svelte.js';
import type { LibraryState } from './LibraryState.svelte.js';
import type { MemoryState } from './MemoryState.svelte.js';
import type { NextStep } from './NextStep.svelte.js';
import type { Router } from './Router.svelte.js';
import type { SettingsState } from './SettingsState.svelte.js';
import type { StorySettings } from './StorySettings.svelte.js';
import type { StoryState } from './StoryState.svelte.js';
import type { StoryTree } from './StoryTree.svelte.js';
import type { UiState } from './UiState.svelte.js';

export interface AppContext {
  backend: Backend;
  engine: EngineState;
  library: LibraryState;
  router: Router;
  settings: SettingsState;
  /** The engine's sampling, passage length and memory settings (the settings page loads them). */
  generation: GenerationSettingsState;
}

/** The services of one open story, provided by its screen. */
export interface StoryContext {
  story: StoryState;
  tree: StoryTree;
  memory: MemoryState;
  auto: AutoWriteState;
  next: NextStep;
  heatmap: Heatmap;
  ui: UiState;
  /** The continuity checks asked this session. */
  continuity: ContinuityChecks;
  /** The continuity checks kept with the story, run again as it grows (through `continuity`). */
  kept: KeptChecks;
  /** The story's own generation settings over the app's (the side panel's Settings tab loads them). */
  settings: StorySettings;
}

const APP = Symbol('longtale');
const STORY = Symbol('longtale-story');

export function provideApp(context: AppContext): void {
  setContext(APP, context);
}

/** The app's services; throws when a component is used outside the App that provides them. */
export function useApp(): AppContext {
  const context = getContext<AppContext | undefined>(APP);
  if (!context) throw new Error('useApp() called outside <App>');
  return context;
}

export function provideStory(context: StoryContext): void {
  setContext(STORY, context);
}

/** The open story's services; throws outside a story screen. */
export function useStory(): StoryContext {
  const context = getContext<StoryContext | undefined>(STORY);
  if (!context) throw new Error('useStory() called outside a story screen');
  return context;
}
