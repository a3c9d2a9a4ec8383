import { getContext, setContext } from 'svelte';
import type { Backend } from '../backend/Backend.js';
import type { EngineState } from './EngineState.svelte.js';
import type { LibraryState } from './LibraryState.svelte.js';
import type { Router } from './Router.svelte.js';

export interface AppContext {
  backend: Backend;
  engine: EngineState;
  library: LibraryState;
  router: Router;
}

const KEY = Symbol('longtale');

export function provideApp(context: AppContext): void {
  setContext(KEY, context);
}

/** The app's services; throws when a component is used outside the App that provides them. */
export function useApp(): AppContext {
  const context = getContext<AppContext | undefined>(KEY);
  if (!context) throw new Error('useApp() called outside <App>');
  return context;
}
