import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RULE = 'longtale/layering';

let eslint: ESLint;

beforeAll(async () => {
  eslint = new ESLint({ cwd: repoRoot });
  await eslint.lintText('', { filePath: path.join(repoRoot, 'electron/warmup.ts') }); // load the config once
}, 60_000);

/** Layering messages for `code` linted as if it lived at repo-relative `file` (which need not exist). */
async function layering(file: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  if (!result) throw new Error(`no lint result for ${file}`);
  const fatal = result.messages.filter((m) => m.fatal);
  expect(fatal, `parse errors in ${file}`).toEqual([]);
  return result.messages.filter((m) => m.ruleId === RULE);
}

async function expectFlagged(file: string, code: string, specifier: string): Promise<void> {
  const messages = await layering(file, code);
  expect(messages, `${file} importing ${specifier}`).toHaveLength(1);
  expect(messages[0]?.ruleId).toBe(RULE);
  expect(messages[0]?.message).toContain(`${file} may not import '${specifier}'`);
}

async function expectAllowed(file: string, code: string): Promise<void> {
  expect(await layering(file, code)).toEqual([]);
}

describe('layering rule', () => {
  describe('renderer talks only through the contract', () => {
    it.each([
      ['node:fs', "import fs from 'node:fs';"],
      ['electron', "import { ipcRenderer } from 'electron';"],
      ['../../native/llama/x.js', "import { x } from '../../native/llama/x.js';"],
      ['../../electron/engine/Engine.js', "export { Engine } from '../../electron/engine/Engine.js';"],
    ])('flags renderer/src/x.ts importing %s', async (specifier, code) => {
      await expectFlagged('renderer/src/x.ts', code, specifier);
    });

    it('gives the contract reason', async () => {
      const [message] = await layering('renderer/src/App.ts', "import fs from 'node:fs';");
      expect(message?.message).toBe(
        "renderer/src/App.ts may not import 'node:fs': the renderer talks to the engine only through the contract (electron/contract)",
      );
    });

    it('flags Node builtins in a .svelte component', async () => {
      const code = `<script lang="ts">\n  import { readFileSync } from 'fs';\n  const text: string = readFileSync('x', 'utf8');\n</script>\n\n<p>{text}</p>\n`;
      await expectFlagged('renderer/src/App.svelte', code, 'fs');
    });

    it('allows the contract and svelte', async () => {
      await expectAllowed(
        'renderer/src/x.ts',
        "import { z } from 'zod';\nimport { mount } from 'svelte';\nimport { writable } from 'svelte/store';\nimport type { Api } from '../../electron/contract/index.js';\nimport './other.js';\nexport { z, mount, writable };\nexport type { Api };\n",
      );
    });
  });

  it('flags electron/story importing native code', async () => {
    await expectFlagged('electron/story/x.ts', "import { y } from '../../native/llama/y.js';\nexport { y };", '../../native/llama/y.js');
  });

  it('keeps node-llama-cpp inside native/llama', async () => {
    const code = "import { getLlama } from 'node-llama-cpp';\nexport { getLlama };";
    await expectFlagged('electron/engine/x.ts', code, 'node-llama-cpp');
    await expectAllowed('native/llama/x.ts', code);
  });

  it('flags a dynamic import of node-llama-cpp outside native/llama', async () => {
    await expectFlagged('electron/engine/x.ts', "export const load = () => import('node-llama-cpp');", 'node-llama-cpp');
  });

  it('flags require() of better-sqlite3 outside native/sqlite', async () => {
    await expectFlagged('scripts/x.js', "const Database = require('better-sqlite3');\nmodule.exports = Database;", 'better-sqlite3');
  });

  it('keeps better-sqlite3 inside native/sqlite', async () => {
    const code = "import Database from 'better-sqlite3';\nexport { Database };";
    await expectFlagged('electron/store/x.ts', code, 'better-sqlite3');
    await expectAllowed('native/sqlite/x.ts', code);
  });

  it('keeps electron at the entry points', async () => {
    const code = "import { app } from 'electron';\nexport { app };";
    await expectFlagged('electron/engine/x.ts', code, 'electron');
    await expectAllowed('electron/main.ts', code);
    await expectAllowed('electron/preload.ts', code);
    await expectAllowed('electron/transport/electronIpc.ts', code);
  });

  it('flags native code importing the contract', async () => {
    await expectFlagged(
      'native/sqlite/x.ts',
      "export * from '../../electron/contract/index.js';",
      '../../electron/contract/index.js',
    );
  });

  it('keeps the contract pure', async () => {
    await expectFlagged('electron/contract/x.ts', "import { EventEmitter } from 'node:events';\nexport { EventEmitter };", 'node:events');
    await expectAllowed('electron/contract/x.ts', "import { z } from 'zod';\nexport * from './api.js';\nexport { z };");
  });
});
