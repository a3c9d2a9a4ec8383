import fs from 'node:fs';
import path from 'node:path';

export interface Bounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

const DEFAULT: Bounds = { width: 1100, height: 800, maximized: false };

/**
 * The window's size and position between runs, in a small JSON file written atomically (temp file, then
 * rename). A missing or damaged file gives the default size; a position off every screen is dropped.
 */
export class WindowState {
  readonly #file: string;

  constructor(folder: string) {
    this.#file = path.join(folder, 'window-state.json');
  }

  load(screens: { x: number; y: number; width: number; height: number }[] = []): Bounds {
    let saved: Partial<Bounds>;
    try {
      saved = JSON.parse(fs.readFileSync(this.#file, 'utf8')) as Partial<Bounds>;
    } catch {
      return { ...DEFAULT };
    }
    const width = clamp(saved.width, 480, 10_000) ?? DEFAULT.width;
    const height = clamp(saved.height, 360, 10_000) ?? DEFAULT.height;
    const bounds: Bounds = { width, height, maximized: saved.maximized === true };
    const x = clamp(saved.x, -100_000, 100_000);
    const y = clamp(saved.y, -100_000, 100_000);
    const visible = screens.some((s) => x !== undefined && y !== undefined && x + 100 > s.x && x < s.x + s.width && y >= s.y && y < s.y + s.height);
    if (visible) Object.assign(bounds, { x, y });
    return bounds;
  }

  save(bounds: Bounds): void {
    const temp = `${this.#file}.partial`;
    fs.mkdirSync(path.dirname(this.#file), { recursive: true });
    fs.writeFileSync(temp, JSON.stringify(bounds));
    fs.renameSync(temp, this.#file);
  }
}

function clamp(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(Math.min(max, Math.max(min, value))) : undefined;
}
