// jsdom has no layout: ResizeObserver does not exist, and nothing has a size. The virtual list only needs the
// observer to exist; with no sizes it renders from its estimates.
class NoResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
globalThis.ResizeObserver ??= NoResizeObserver as unknown as typeof ResizeObserver;
