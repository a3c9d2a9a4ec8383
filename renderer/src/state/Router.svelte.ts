export type StoryPage = 'play' | 'write' | 'map';
export type Route = { page: 'library' } | { page: 'settings' } | { page: 'models' } | { page: 'story'; storyId: number; view: StoryPage };

/** The current page, kept in the URL hash so a reload lands where the reader was. */
export class Router {
  #route = $state<Route>({ page: 'library' });

  readonly #win: Window;

  constructor(win: Window = window) {
    this.#win = win;
    this.#route = parseRoute(win.location.hash);
    win.addEventListener('hashchange', () => (this.#route = parseRoute(win.location.hash)));
  }

  get route(): Route {
    return this.#route;
  }

  go(route: Route): void {
    this.#win.location.hash = routeHash(route);
    this.#route = route;
  }
}

export function routeHash(route: Route): string {
  if (route.page === 'story') return `#/story/${route.storyId}/${route.view}`;
  if (route.page === 'settings') return '#/settings';
  if (route.page === 'models') return '#/models';
  return '#/';
}

export function parseRoute(hash: string): Route {
  if (hash === '#/settings') return { page: 'settings' };
  if (hash === '#/models') return { page: 'models' };
  const match = /^#\/story\/(\d+)(?:\/(play|write|map))?$/.exec(hash);
  if (!match) return { page: 'library' };
  return { page: 'story', storyId: Number(match[1]), view: (match[2] as StoryPage | undefined) ?? 'play' };
}
