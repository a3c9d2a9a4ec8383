export type Route = { page: 'library' } | { page: 'story'; storyId: number };

/** The current page, kept in the URL hash so a reload lands where the reader was. */
export class Router {
  #route = $state<Route>({ page: 'library' });

  readonly #win: Window;

  constructor(win: Window = window) {
    this.#win = win;
    this.#route = parse(win.location.hash);
    win.addEventListener('hashchange', () => (this.#route = parse(win.location.hash)));
  }

  get route(): Route {
    return this.#route;
  }

  go(route: Route): void {
    this.#win.location.hash = route.page === 'story' ? `#/story/${route.storyId}` : '#/';
    this.#route = route;
  }
}

function parse(hash: string): Route {
  const match = /^#\/story\/(\d+)$/.exec(hash);
  return match ? { page: 'story', storyId: Number(match[1]) } : { page: 'library' };
}
