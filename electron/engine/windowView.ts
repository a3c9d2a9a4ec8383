import type { StoryView } from '../contract/index.js';

/**
 * The view with only the last `window` nodes of its path, so a long story does not travel whole on every call;
 * the engine keeps the path cached, so cutting it here is what saves the serialising and sending.
 */
export function windowView(view: StoryView, window: number | undefined): StoryView {
  const start = view.pathStart ?? 0;
  if (window === undefined || view.path.length <= window) return view;
  const cut = view.path.length - window;
  return { ...view, path: view.path.slice(cut), pathStart: start + cut };
}

/** The same for a handler's result, which may be a promise. */
export function windowed(window: number | undefined, result: StoryView | Promise<StoryView>): StoryView | Promise<StoryView> {
  return result instanceof Promise ? result.then((view) => windowView(view, window)) : windowView(result, window);
}
