/** An estimate of the time left, in words: "about 40 s left", "about 3 min left", "about 1 h 5 min left". */
export function timeLeft(seconds: number | null): string {
  if (seconds === null) return 'estimating time left…';
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s left`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `about ${minutes} min left` : `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}
