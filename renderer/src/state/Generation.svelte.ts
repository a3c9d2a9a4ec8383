import type { CallEvent } from '../../../electron/contract/index.js';
import type { CallOptions } from '../backend/Backend.js';
import { nextFrame, type Schedule, TextBatcher } from './TextBatcher.js';

export type WritingPhase = Extract<CallEvent, { kind: 'phase' }>['phase'];

/** Where a sentence ends in streamed text: after . ! ? or … (and any closing quote), before white space. */
const SENTENCE_END = /[.!?…]["'”’)\]]*\s/gu;

/**
 * One streamed call at a time: the text as it arrives, the phase, and a stop button. Tokens reach `draft` at most
 * once per animation frame, joined, so a fast model costs one re-render per frame. The text a screen reader hears
 * is released sentence by sentence (`announcement`), not token by token.
 */
export class Generation {
  #running = $state(false);
  #phase = $state<WritingPhase | null>(null);
  #draft = $state('');
  #announcement = $state('');
  #passages = $state<{ done: number; total: number } | null>(null);
  #secondsLeft = $state<number | null>(null);
  #spoken = 0;
  #controller: AbortController | null = null;
  readonly #tokens: TextBatcher;

  constructor(schedule: Schedule = nextFrame) {
    this.#tokens = new TextBatcher((text) => this.#append(text), schedule);
  }

  get running(): boolean {
    return this.#running;
  }
  get phase(): WritingPhase | null {
    return this.#phase;
  }
  /** The passage as it streams in; empty between passages. */
  get draft(): string {
    return this.#draft;
  }
  /** Passages done of those the call works through (auto mode toward a count, recomputing a path); null otherwise. */
  get passages(): { done: number; total: number } | null {
    return this.#passages;
  }
  /** The engine's estimate of the time the call still needs, from its last progress; null before one. */
  get secondsLeft(): number | null {
    return this.#secondsLeft;
  }
  /** The latest complete sentences, for the live region. */
  get announcement(): string {
    return this.#announcement;
  }

  /** Runs one streamed call; events also reach `onEvent`. Rejects as the call does (CANCELLED when stopped). */
  async run<T>(call: (options: CallOptions) => Promise<T>, onEvent?: (event: CallEvent) => void): Promise<T> {
    if (this.#running) throw new Error('Already writing: stop first.');
    const controller = new AbortController();
    this.#controller = controller;
    this.#running = true;
    this.#passages = null;
    this.#secondsLeft = null;
    this.#reset();
    try {
      return await call({
        signal: controller.signal,
        onEvent: (event) => {
          this.#handle(event);
          onEvent?.(event);
        },
      });
    } finally {
      this.#running = false;
      this.#phase = null;
      this.#reset();
      this.#controller = null;
    }
  }

  stop(): void {
    this.#controller?.abort();
  }

  #handle(event: CallEvent): void {
    if (event.kind !== 'token') this.#tokens.flush();
    switch (event.kind) {
      case 'token':
        this.#tokens.push(event.text);
        break;
      case 'restart':
        this.#reset();
        this.#announcement = 'Rewriting the passage.';
        break;
      case 'phase':
        this.#phase = event.phase;
        if (event.phase !== 'writing') this.#announceRest();
        break;
      case 'progress':
        this.#passages = event.targetPassages === null ? null : { done: event.passages, total: event.targetPassages };
        this.#secondsLeft = event.secondsLeft;
        // The passage was committed; the next one streams from scratch.
        this.#announceRest();
        this.#draft = '';
        this.#spoken = 0;
        break;
    }
  }

  #append(text: string): void {
    this.#draft += text;
    this.#phase = 'writing';
    this.#announceSentences();
  }

  #announceSentences(): void {
    let end = -1;
    SENTENCE_END.lastIndex = this.#spoken;
    for (let match = SENTENCE_END.exec(this.#draft); match; match = SENTENCE_END.exec(this.#draft)) {
      end = match.index + match[0].length;
    }
    if (end > this.#spoken) {
      this.#announcement = this.#draft.slice(this.#spoken, end).trim();
      this.#spoken = end;
    }
  }

  #announceRest(): void {
    const rest = this.#draft.slice(this.#spoken).trim();
    if (rest) this.#announcement = rest;
    this.#spoken = this.#draft.length;
  }

  #reset(): void {
    this.#tokens.clear();
    this.#draft = '';
    this.#spoken = 0;
  }
}
