import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WindowState } from '../../../electron/shell/WindowState.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longtale-window-'));
afterEach(() => fs.rmSync(path.join(dir, 'window-state.json'), { force: true }));
const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('WindowState', () => {
  it('remembers size, position and maximised state', () => {
    const state = new WindowState(dir);
    state.save({ x: 100, y: 50, width: 1300, height: 900, maximized: true });
    expect(state.load(screens)).toEqual({ x: 100, y: 50, width: 1300, height: 900, maximized: true });
  });

  it('gives the default for a missing or damaged file', () => {
    const state = new WindowState(dir);
    expect(state.load(screens)).toEqual({ width: 1100, height: 800, maximized: false });
    fs.writeFileSync(path.join(dir, 'window-state.json'), '{not json');
    expect(state.load(screens)).toEqual({ width: 1100, height: 800, maximized: false });
  });

  it('drops a position that is off every screen and clamps absurd sizes', () => {
    const state = new WindowState(dir);
    state.save({ x: 5000, y: 5000, width: 99_999, height: 10, maximized: false });
    expect(state.load(screens)).toEqual({ width: 10_000, height: 360, maximized: false });
  });
});
