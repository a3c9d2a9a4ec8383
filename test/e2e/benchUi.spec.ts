import { expect, test } from '@playwright/test';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { resolveTestModel } from '../fixtures/testModel.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A smoke run of `npm run bench:ui -- --json` on a short story: the report's shape, never its speed. */
test('bench:ui reports U1 and U2 as one JSON document', async () => {
  test.setTimeout(240_000);
  const args = ['electron/bench/ui/run.ts', '--json', '--nodes', '30', '--repeats', '2', '--steps', '1', '--passage-tokens', '40'];
  const { stdout } = await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), [...args, '--model', resolveTestModel().path], {
    cwd: root,
    timeout: 220_000,
  });
  const report = JSON.parse(stdout);
  expect(Object.keys(report.figures)).toEqual(['U1', 'U2']);
  expect(report.nodes).toBe(30);
  for (const figure of Object.values<{ value: unknown; goal: unknown; pass: unknown; detail: string }>(report.figures)) {
    expect(typeof figure.value).toBe('number');
    expect(typeof figure.goal).toBe('string');
    expect(typeof figure.pass).toBe('boolean');
    expect(figure.detail.length).toBeGreaterThan(0);
  }
  expect(report.figures.U1.value).toBeGreaterThan(0);
  expect(report.figures.U2.detail).toMatch(/^\d+ tokens over 1 steps/);
  expect(report.machine.cpus).toBeGreaterThan(0);
});
