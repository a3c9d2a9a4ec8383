/** What reading ahead into a session's sequence and saving its state came to. */
export interface KeptState {
  /** The state file; null when this model saves no states. */
  file: string | null;
  /**
   * Prompt tokens the model read ahead: work a step caused but did outside itself, which the next step then finds
   * in its cache (the bench counts it with the step, so P2 stays honest).
   */
  readTokens: number;
}
