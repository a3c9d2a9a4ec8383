export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Streamed text, written as it comes (no newline added). */
  stream(text: string): void;
  /** Whether stderr is a terminal (progress bars redraw in place only there). */
  readonly interactive: boolean;
}
