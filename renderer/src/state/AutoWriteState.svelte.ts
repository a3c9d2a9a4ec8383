import type { AutoTarget } from '../../../electron/contract/index.js';
import type { AutoProgress, StoryState } from './StoryState.svelte.js';

export type AutoUnit = 'passages' | 'words';
export type AutoStatus = 'idle' | 'running' | 'pausing' | 'paused' | 'done' | 'stopped' | 'failed';

const LIMITS: Record<AutoUnit, number> = { passages: 10_000, words: 2_000_000 };

/** Unattended writing toward a target: the target, progress as it comes, pause (after this passage) and stop. */
export class AutoWriteState {
  unit = $state<AutoUnit>('passages');
  amount = $state(3);
  #status = $state<AutoStatus>('idle');
  #progress = $state.raw<AutoProgress | null>(null);
  /** Passages and words written by earlier runs toward the same target (a resumed run counts on from them). */
  #before = { passages: 0, words: 0 };
  #target: AutoTarget | null = null;

  readonly #story: StoryState;

  constructor(story: StoryState) {
    this.#story = story;
  }

  get status(): AutoStatus {
    return this.#status;
  }
  get running(): boolean {
    return this.#status === 'running' || this.#status === 'pausing';
  }
  get progress(): AutoProgress | null {
    return this.#progress;
  }
  /** Passages and words so far toward the target, over resumed runs. */
  get passages(): number {
    return this.#before.passages + (this.#progress?.passages ?? 0);
  }
  get words(): number {
    return this.#before.words + (this.#progress?.words ?? 0);
  }
  get targetLabel(): string {
    const target = this.#target;
    if (!target) return '';
    return 'passages' in target ? `${target.passages} passages` : `${target.words.toLocaleString('en')} words`;
  }
  /** How far along, from 0 to 1. */
  get fraction(): number {
    const target = this.#target;
    if (!target) return 0;
    const done = 'passages' in target ? this.passages / target.passages : this.words / target.words;
    return Math.min(1, Math.max(0, done));
  }
  get secondsLeft(): number | null {
    return this.#progress?.secondsLeft ?? null;
  }
  /** Why the amount cannot be used, or null. */
  get invalid(): string | null {
    const limit = LIMITS[this.unit];
    if (!Number.isInteger(this.amount) || this.amount < 1) return `Write at least 1 ${this.unit === 'passages' ? 'passage' : 'word'}.`;
    if (this.amount > limit) return `At most ${limit.toLocaleString('en')} ${this.unit} at a time.`;
    return null;
  }
  get canResume(): boolean {
    return this.#status === 'paused' && this.#remaining() !== null;
  }

  start(): Promise<void> {
    if (this.invalid) return Promise.resolve();
    this.#target = this.unit === 'passages' ? { passages: this.amount } : { words: this.amount };
    this.#before = { passages: 0, words: 0 };
    return this.#run(this.#target);
  }

  resume(): Promise<void> {
    const remaining = this.#remaining();
    if (!remaining || this.#status !== 'paused') return Promise.resolve();
    this.#before = { passages: this.passages, words: this.words };
    return this.#run(remaining);
  }

  async pause(): Promise<void> {
    if (this.#status !== 'running') return;
    this.#status = 'pausing';
    if (!(await this.#story.pauseAuto()) && this.#status === 'pausing') this.#status = 'running';
  }

  stop(): void {
    if (!this.running) return;
    this.#status = 'stopped';
    this.#story.stop();
  }

  async #run(target: AutoTarget): Promise<void> {
    this.#progress = null;
    this.#status = 'running';
    const ok = await this.#story.auto(target, (progress) => (this.#progress = progress));
    // Pause and stop change the status while the run is under way.
    const status = this.#status as AutoStatus;
    if (status === 'stopped') return;
    if (!ok) this.#status = 'failed';
    else if (status === 'pausing') this.#status = this.#remaining() ? 'paused' : 'done';
    else this.#status = 'done';
  }

  #remaining(): AutoTarget | null {
    const target = this.#target;
    if (!target) return null;
    if ('passages' in target) {
      const left = target.passages - this.passages;
      return left > 0 ? { passages: left } : null;
    }
    const left = target.words - this.words;
    return left > 0 ? { words: left } : null;
  }
}
