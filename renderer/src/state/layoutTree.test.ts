import { describe, expect, it } from 'vitest';
import type { TreeNode } from '../../../electron/contract/index.js';
import { indexTree, layoutTree } from './layoutTree.js';

const t = (id: number, parentId: number | null, siblingIndex = 0): TreeNode => ({ id, parentId, siblingIndex, label: `n${id}` });

/**
 *   1 ─ 2 ─ 3 ─ 4
 *       │   └ 6 (retry of 3) ─ 7
 *       └ 5 (retry of 2)
 */
const nodes = [t(1, null), t(2, 1), t(3, 2), t(4, 3), t(5, 1, 1), t(6, 2, 1), t(7, 6)];

const describeRows = (rows: ReturnType<typeof layoutTree>) =>
  rows.map((r) => `${'  '.repeat(r.level)}${r.kind === 'folded' ? `[${r.node.id}+${r.size}]` : r.node.id}${r.onPath ? '*' : ''}`);

describe('layoutTree', () => {
  it('keeps first children on the line and folds other versions below their branch point', () => {
    const rows = layoutTree(indexTree(nodes), new Set([1, 2, 3, 4]), 4, new Set());
    expect(describeRows(rows)).toEqual(['1*', '  [5+1]', '2*', '  [6+2]', '3*', '4*']);
    expect(rows.find((r) => r.node.id === 4)).toMatchObject({ kind: 'node', current: true, depth: 4 });
  });

  it('unfolds the branch holding the current passage, and branches opened by hand', () => {
    const onBranch = layoutTree(indexTree(nodes), new Set([1, 2, 6, 7]), 7, new Set());
    expect(describeRows(onBranch)).toEqual(['1*', '  [5+1]', '2*', '  6*', '  7*', '3', '4']);
    const opened = layoutTree(indexTree(nodes), new Set([1, 2, 3, 4]), 4, new Set([5]));
    expect(describeRows(opened)).toEqual(['1*', '  5', '2*', '  [6+2]', '3*', '4*']);
    expect(opened[1]).toMatchObject({ kind: 'node', branchHead: true, depth: 2 });
  });

  it('counts subtree sizes and orders siblings by their position', () => {
    const index = indexTree([t(1, null), t(3, 1, 1), t(2, 1, 0), t(4, 3)]);
    expect(index.children.get(1)?.map((n) => n.id)).toEqual([2, 3]);
    expect(index.sizes.get(1)).toBe(4);
    expect(index.sizes.get(3)).toBe(2);
  });

  it('lays out a chain of 10,000 passages without recursion', () => {
    const long = Array.from({ length: 10_000 }, (_, i) => t(i + 1, i === 0 ? null : i));
    const rows = layoutTree(indexTree(long), new Set([1]), 1, new Set());
    expect(rows).toHaveLength(10_000);
    expect(rows.at(-1)).toMatchObject({ level: 0, depth: 10_000 });
  });
});
