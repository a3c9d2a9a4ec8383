import { describe, expect, it } from 'vitest';
import { runBench } from '../../electron/bench/runBench.js';
import { resolveTestModel } from '../fixtures/testModel.js';

const testModel = resolveTestModel();

/** A smoke run of `longtale bench`: the report's shape, not its speed (speed goals live in the benchmark). */
describe('longtale bench (smoke)', () => {
  it('reports P1–P6 with value, goal and verdict, and the machine it ran on', async () => {
    const report = await runBench({ model: testModel.path, steps: 2, repeats: 1, nodes: 50, contextSize: 512, threads: 1 });
    expect(Object.keys(report.figures)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6']);
    for (const figure of Object.values(report.figures)) {
      expect(typeof figure.goal).toBe('string');
      expect(figure.value === null || Number.isFinite(figure.value)).toBe(true);
      expect(figure.pass === null || typeof figure.pass === 'boolean').toBe(true);
      expect(figure.detail.length).toBeGreaterThan(0);
    }
    expect(report.figures.P1.value).toBeGreaterThan(0);
    expect(report.figures.P2.value).toBeGreaterThan(0);
    expect(report.figures.P3.value).toBeGreaterThan(0);
    expect(report.figures.P3.detail).toMatch(/with its KV state file/);
    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  }, 300_000);
});
