/** What offering a saved state to a session came to, for the caller to report. */
export interface RestoreReport {
  node: number;
  /** Whether the state file was loaded into the session's sequence. */
  loaded: boolean;
  /** Prompt tokens the loaded state covered (0 when not loaded). */
  restoredTokens: number;
  /** Why it was not loaded (another model's file, a damaged file, the sequence already held more); null when loaded. */
  reason: string | null;
  /** A saved state existed but could not be used (another model's, damaged, too large, failed to load). */
  refused: boolean;
  milliseconds: number;
}
