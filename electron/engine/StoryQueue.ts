/**
 * One operation at a time per story: two clients stepping the same story are served in turn, each seeing the
 * tree the previous one left. Different stories do not wait for each other here (the model serialises its own
 * calls).
 */
export class StoryQueue {
  readonly #tails = new Map<number, Promise<unknown>>();

  run<T>(storyId: number, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(storyId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.#tails.set(storyId, tail);
    void tail.then(() => {
      if (this.#tails.get(storyId) === tail) this.#tails.delete(storyId);
    });
    return next;
  }
}
