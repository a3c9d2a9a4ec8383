/** A token of a scored text: its characters [start, end) in that text and its surprisal in nats. */
export interface ScoredToken {
  text: string;
  surprisal: number;
  start: number;
  end: number;
}
