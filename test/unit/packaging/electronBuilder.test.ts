import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  linux: { target: { target: string }[] };
  win: { target: { target: string }[] };
  mac: { target: { target: string }[] };
};
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;

/**
 * electron-builder's reading of `files`: production dependencies under node_modules are in unless excluded,
 * other files only when listed; later patterns win, `!` excludes; `${os}-${arch}` is expanded (here linux-x64).
 */
function packed(file: string, os = 'linux', arch = 'x64'): boolean {
  let included = file.startsWith('node_modules/');
  for (const raw of config.files) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replaceAll('${os}', os).replaceAll('${arch}', arch);
    if (minimatch(file, pattern, { dot: true })) included = !negated;
  }
  return included;
}

function unpacked(file: string): boolean {
  return config.asarUnpack.some((pattern) => minimatch(file, pattern, { dot: true }));
}

/** Files under a node_modules folder, relative to the root (the installed layout, not a guess). */
function installed(dir: string, match: (file: string) => boolean): string[] {
  const base = path.join(root, dir);
  if (!fs.existsSync(base)) return [];
  return (fs.readdirSync(base, { recursive: true }) as string[])
    .map((f) => path.posix.join(dir, f.split(path.sep).join('/')))
    .filter((f) => fs.statSync(path.join(root, f)).isFile() && match(f));
}

describe('electron-builder.yml against the installed node_modules', () => {
  it('ships the built app and the package manifest, never the sources or tests', () => {
    expect(packed('out/main/main.js')).toBe(true);
    expect(packed('out/preload/preload.cjs')).toBe(true);
    expect(packed('out/renderer/index.html')).toBe(true);
    expect(packed('package.json')).toBe(true);
    for (const source of ['electron/main.ts', 'native/llama/LlamaRuntime.ts', 'renderer/src/App.svelte', 'test/unit/x.test.ts']) {
      expect(packed(source), source).toBe(false);
    }
  });

  it('packs and unpacks better-sqlite3’s addon, without its sources', () => {
    const addons = installed('node_modules/better-sqlite3/build/Release', (f) => f.endsWith('Release/better_sqlite3.node'));
    expect(addons.length).toBe(1);
    for (const addon of addons) {
      expect(packed(addon)).toBe(true);
      expect(unpacked(addon)).toBe(true);
    }
    expect(packed('node_modules/better-sqlite3/build/Release/test_extension.node')).toBe(false);
    const sources = installed('node_modules/better-sqlite3/deps', () => true);
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((f) => packed(f))).toEqual([]);
  });

  it('packs and unpacks sqlite-vec’s loadable extension for this platform', () => {
    const extension = installed('node_modules/sqlite-vec-linux-x64', (f) => /\.(so|dylib|dll)$/u.test(f));
    expect(extension.length).toBe(1);
    expect(extension.filter((f) => !packed(f))).toEqual([]);
    expect(extension.filter((f) => !unpacked(f))).toEqual([]);
  });

  it('packs only this platform’s llama.cpp binaries, and unpacks them', () => {
    const binaries = installed('node_modules/@node-llama-cpp', (f) => f.includes('/bins/'));
    const ours = binaries.filter((f) => /@node-llama-cpp\/linux-x64[^/]*\//u.test(f));
    const others = binaries.filter((f) => !/@node-llama-cpp\/linux-x64[^/]*\//u.test(f));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.filter((f) => !packed(f))).toEqual([]);
    expect(ours.filter((f) => !unpacked(f))).toEqual([]);
    expect(others.length).toBeGreaterThan(0); // arm64 and armv7l are installed here, and must not ship
    expect(others.filter((f) => packed(f))).toEqual([]);
  });

  it('turns off the Electron features an attacker could use', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds AppImage and deb for Linux, NSIS for Windows, DMG for macOS', () => {
    expect(config.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg']);
  });

  it('has what electron-builder needs from package.json for a deb', () => {
    expect(pkg.homepage).toBeTruthy();
    expect(pkg.author).toBeTruthy();
    expect(pkg.main).toBe('out/main/main.js');
    expect(fs.existsSync(path.join(root, 'electron.vite.config.ts'))).toBe(true);
  });
});
