import type { Figure } from './runBench.js';

/** The figures as an aligned text table, one line each, for `longtale bench` and `npm run bench:ui`. */
export function formatFigures(figures: Record<string, Figure>): string[] {
  const lines = ['figure  value    goal                                        result  detail'];
  for (const [id, f] of Object.entries(figures)) {
    const result = f.pass === null ? 'n/a' : f.pass ? 'pass' : 'FAIL';
    lines.push(`${id.padEnd(7)} ${String(f.value ?? '–').padEnd(8)} ${f.goal.padEnd(43)} ${result.padEnd(7)} ${f.detail}`);
  }
  return lines;
}
