// @ts-check
/**
 * Local ESLint plugin: the `layering` rule keeps Longtale's layers apart.
 *
 * Every import, re-export, dynamic `import()` and `require()` with a literal
 * specifier is turned into a target — either a repo file (relative specifiers,
 * resolved against the linted file) or a package (bare specifiers, including
 * Node builtins) — and checked against the LAYERS table below. The first layer
 * the import breaks is reported, with that layer's reason.
 *
 * Plain ESM JavaScript so eslint.config.js can load it without a build step.
 */
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repo root: the directory holding eslint.config.js (this file lives in <root>/eslint/). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * What an importer may or may not reach. `files` are repo-relative globs,
 * `packages` are package-name globs ('@scope/*'); Node builtins count as
 * packages named 'node:<module>'.
 * @typedef {{ files?: string[], packages?: string[] }} Targets
 */

/**
 * One layer rule. It applies to importers matching `from` and not `except`.
 * With `allow`, only the listed targets may be imported; with `deny`, the
 * listed targets may not.
 * @typedef {{
 *   name: string,
 *   from: string[],
 *   except?: string[],
 *   allow?: Targets,
 *   deny?: Targets,
 *   reason: string,
 * }} Layer
 */

const ELECTRON_ENTRY_POINTS = ['electron/main.ts', 'electron/preload.ts', 'electron/transport/electron*.ts'];

/** @type {readonly Layer[]} */
export const LAYERS = [
  {
    name: 'renderer-through-contract',
    from: ['renderer/**'],
    // Build configuration next to the UI (renderer/vite.config.ts) runs in Node, not in the page; tests run in vitest.
    except: ['renderer/*.config.ts', 'renderer/*.config.js', 'renderer/*.config.mjs', 'renderer/**/*.test.ts'],
    allow: { files: ['renderer/**', 'electron/contract/**'], packages: ['svelte', 'zod'] },
    reason: 'the renderer talks to the engine only through the contract (electron/contract)',
  },
  {
    name: 'renderer-tests-stay-in-the-page',
    from: ['renderer/**/*.test.ts'],
    allow: {
      files: ['renderer/**', 'electron/contract/**'],
      packages: ['svelte', 'zod', 'vitest', '@testing-library/*'],
    },
    reason: 'renderer tests drive the UI through a fake Backend, never the engine, Node or Electron',
  },
  {
    name: 'contract-is-pure',
    from: ['electron/contract/**'],
    allow: { files: ['electron/contract/**'], packages: ['zod'] },
    reason: 'the contract is pure TypeScript + zod, shared by every side (no Node, DOM or engine imports)',
  },
  {
    name: 'llama-only-in-native-llama',
    from: ['**'],
    // Tests may reach the library directly, to check our adapter against an independent computation.
    except: ['native/llama/**', 'test/**'],
    deny: { packages: ['node-llama-cpp', '@node-llama-cpp/*'] },
    reason: 'only native/llama may load node-llama-cpp',
  },
  {
    name: 'sqlite-only-in-native-sqlite',
    from: ['**'],
    except: ['native/sqlite/**', 'test/**'],
    deny: { packages: ['better-sqlite3', 'sqlite-vec'] },
    reason: 'only native/sqlite may load better-sqlite3 and sqlite-vec',
  },
  {
    name: 'electron-only-at-entry-points',
    from: ['**'],
    except: ELECTRON_ENTRY_POINTS,
    deny: { packages: ['electron'] },
    reason: `only the Electron entry points (${ELECTRON_ENTRY_POINTS.join(', ')}) may import electron; the engine also runs headless`,
  },
  {
    name: 'native-knows-no-stories',
    from: ['native/**'],
    deny: { files: ['electron/**', 'renderer/**'] },
    reason: 'native/ wraps libraries and knows nothing of stories, the engine or the UI',
  },
  {
    name: 'story-and-memory-are-injected',
    from: ['electron/story/**', 'electron/memory/**'],
    deny: {
      files: ['native/**', 'electron/store/**', 'electron/transport/**', 'electron/cli/**', 'electron/engine/**'],
    },
    reason: 'story and memory logic depend only on the interfaces they are given, not on native, store, transport, cli or engine',
  },
  {
    name: 'backend-ignores-renderer-and-tests',
    from: ['electron/**', 'native/**'],
    deny: { files: ['renderer/**', 'test/**'] },
    reason: 'shipped Node code may not depend on the UI or on tests',
  },
];

// ---------------------------------------------------------------------------
// Matching

/** @type {Map<string, RegExp>} */
const globCache = new Map();

/**
 * Glob → RegExp: `**` spans directories (`dir/**` also matches `dir`), `*` and
 * `?` stay within one path segment.
 * @param {string} glob
 */
function globToRegExp(glob) {
  let re = globCache.get(glob);
  if (re) return re;
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('/**', i) && i + 3 === glob.length) {
      src += '(?:/.*)?';
      i += 2;
    } else if (glob.startsWith('**/', i)) {
      src += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      src += '.*';
      i += 1;
    } else if (c === '*') {
      src += '[^/]*';
    } else if (c === '?') {
      src += '[^/]';
    } else {
      src += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  re = new RegExp(`^${src}$`);
  globCache.set(glob, re);
  return re;
}

/**
 * @param {string} value
 * @param {readonly string[] | undefined} globs
 */
function matchesAny(value, globs) {
  return (globs ?? []).some((g) => globToRegExp(g).test(value));
}

/**
 * @typedef {{ kind: 'file', path: string } | { kind: 'package', name: string }} Target
 */

/**
 * @param {Target} target
 * @param {Targets | undefined} targets
 */
function targetMatches(target, targets) {
  if (!targets) return false;
  return target.kind === 'file' ? matchesAny(target.path, targets.files) : matchesAny(target.name, targets.packages);
}

/** @param {string} p */
const toPosix = (p) => p.split(path.sep).join('/');

/**
 * Resolve a specifier written in `importer` (repo-relative) into a target.
 * @param {string} specifier
 * @param {string} importer
 * @returns {Target}
 */
export function resolveTarget(specifier, importer) {
  const bare = specifier.replace(/[?#].*$/, '');
  if (bare === '.' || bare === '..' || bare.startsWith('./') || bare.startsWith('../')) {
    return { kind: 'file', path: path.posix.normalize(path.posix.join(path.posix.dirname(importer), bare)) };
  }
  if (path.isAbsolute(bare)) {
    return { kind: 'file', path: toPosix(path.relative(REPO_ROOT, bare)) };
  }
  if (bare.startsWith('node:') || isBuiltin(bare)) {
    return { kind: 'package', name: `node:${bare.replace(/^node:/, '').split('/')[0]}` };
  }
  const parts = bare.split('/');
  return { kind: 'package', name: bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
}

/**
 * The first layer that forbids `importer` from importing `specifier`, if any.
 * @param {string} importer repo-relative POSIX path of the importing file
 * @param {string} specifier
 * @returns {Layer | undefined}
 */
export function findViolation(importer, specifier) {
  const target = resolveTarget(specifier, importer);
  return LAYERS.find((layer) => {
    if (!matchesAny(importer, layer.from) || matchesAny(importer, layer.except)) return false;
    if (layer.allow && !targetMatches(target, layer.allow)) return true;
    return targetMatches(target, layer.deny);
  });
}

// ---------------------------------------------------------------------------
// Rule

/**
 * The string value of a literal specifier node (`'x'` or a template without
 * expressions), else undefined.
 * @param {any} node
 * @returns {string | undefined}
 */
function literalString(node) {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked ?? undefined;
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layering = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep Longtale layers apart (renderer, contract, engine, story/memory, native).' },
    schema: [],
    messages: { forbidden: "{{file}} may not import '{{specifier}}': {{reason}}" },
  },
  create(context) {
    const filename = context.physicalFilename ?? context.filename;
    if (!path.isAbsolute(filename)) return {};
    const file = toPosix(path.relative(REPO_ROOT, filename));
    if (file.startsWith('../') || path.isAbsolute(file) || file.split('/').includes('node_modules')) return {};

    /**
     * @param {any} sourceNode node holding the specifier
     */
    function check(sourceNode) {
      const specifier = literalString(sourceNode);
      if (specifier === undefined) return;
      const layer = findViolation(file, specifier);
      if (layer) {
        context.report({ node: sourceNode, messageId: 'forbidden', data: { file, specifier, reason: layer.reason } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node.arguments[0]);
      },
      /** TypeScript `import x = require('y')`. @param {any} node */
      TSExternalModuleReference: (node) => check(node.expression),
      /** TypeScript `typeof import('y')` in type positions. @param {any} node */
      TSImportType: (node) => check(node.argument?.literal ?? node.argument),
    };
  },
};

export default { meta: { name: 'longtale-layering' }, rules: { layering } };
