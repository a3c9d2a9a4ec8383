/** What the supervisor needs of a child process: Electron's UtilityProcess and Node's ChildProcess both fit. */
export interface SupervisedProcess {
  on(event: 'exit', listener: (code: number | null) => void): unknown;
  kill(): boolean;
}

export interface SupervisorOptions<P extends SupervisedProcess> {
  spawn(): P;
  /** A new process is running (the first one, or one after a crash): hand it its ports. */
  onStart(process: P, restarted: boolean): void;
  /** Restarts stop after this many crashes inside `windowMs`: a crash loop gets reported, not spun. */
  maxRestarts?: number;
  windowMs?: number;
  delayMs?: number;
  onGiveUp?(crashes: number): void;
  now?(): number;
}

/**
 * Keeps the engine process alive: when it exits unexpectedly (a llama.cpp crash, say) a new one starts after a
 * short delay and the window reconnects; the story database is intact because every step is one transaction.
 * Lives apart from main.ts so it can be tested with a plain Node child process.
 */
export class EngineSupervisor<P extends SupervisedProcess> {
  readonly #options: SupervisorOptions<P>;
  readonly #crashes: number[] = [];
  #current: P | null = null;
  #stopped = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: SupervisorOptions<P>) {
    this.#options = options;
  }

  get current(): P | null {
    return this.#current;
  }

  start(): void {
    this.#launch(false);
  }

  #launch(restarted: boolean): void {
    if (this.#stopped) return;
    const child = this.#options.spawn();
    this.#current = child;
    child.on('exit', () => {
      if (this.#current !== child) return;
      this.#current = null;
      if (this.#stopped) return;
      const now = this.#options.now?.() ?? Date.now();
      const windowMs = this.#options.windowMs ?? 60_000;
      this.#crashes.push(now);
      while (this.#crashes.length > 0 && (this.#crashes[0] as number) < now - windowMs) this.#crashes.shift();
      if (this.#crashes.length > (this.#options.maxRestarts ?? 5)) {
        this.#options.onGiveUp?.(this.#crashes.length);
        return;
      }
      this.#timer = setTimeout(() => this.#launch(true), this.#options.delayMs ?? 300);
    });
    this.#options.onStart(child, restarted);
  }

  /** Stops supervising and ends the current process (the app is quitting). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#current?.kill();
    this.#current = null;
  }
}
