import type { TreeNode } from '../../../electron/contract/index.js';

/** One line of the story map: a passage, or a folded branch standing for a whole subtree. */
export type MapRow =
  | { kind: 'node'; node: TreeNode; level: number; depth: number; onPath: boolean; current: boolean; branchHead: boolean }
  | { kind: 'folded'; node: TreeNode; level: number; depth: number; size: number; onPath: false };

export interface TreeIndex {
  byId: Map<number, TreeNode>;
  /** Children in sibling order, by parent id (null for the root). */
  children: Map<number | null, TreeNode[]>;
  /** Number of nodes in each subtree, the node included. */
  sizes: Map<number, number>;
}

/** Indexes a skeleton (parents before children, as `stories.tree` returns it). */
export function indexTree(nodes: readonly TreeNode[]): TreeIndex {
  const byId = new Map<number, TreeNode>();
  const children = new Map<number | null, TreeNode[]>();
  for (const node of nodes) {
    byId.set(node.id, node);
    const list = children.get(node.parentId);
    if (list) list.push(node);
    else children.set(node.parentId, [node]);
  }
  for (const list of children.values()) list.sort((a, b) => a.siblingIndex - b.siblingIndex || a.id - b.id);
  const sizes = new Map<number, number>();
  // Children have larger ids than their parents, so walking ids downwards sums every subtree bottom-up.
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    sizes.set(node.id, (sizes.get(node.id) ?? 0) + 1);
    if (node.parentId !== null) sizes.set(node.parentId, (sizes.get(node.parentId) ?? 0) + (sizes.get(node.id) ?? 0));
  }
  return { byId, children, sizes };
}

/**
 * The map as rows: each node's first child continues its line at the same level; the other children (retries
 * and other choices) hang below the branch point, one level in, folded unless they hold the current path or
 * were opened. Iterative, so a chain of any length cannot overflow the stack.
 */
export function layoutTree(index: TreeIndex, pathIds: ReadonlySet<number>, currentId: number | null, open: ReadonlySet<number>): MapRow[] {
  const rows: MapRow[] = [];
  const roots = index.children.get(null) ?? [];
  type Task = { node: TreeNode; level: number; depth: number; head: boolean };
  const stack: Task[] = roots.map((node) => ({ node, level: 0, depth: 1, head: false })).reverse();
  while (stack.length > 0) {
    const { node, level, depth, head } = stack.pop()!;
    const onPath = pathIds.has(node.id);
    if (head && !onPath && !open.has(node.id)) {
      rows.push({ kind: 'folded', node, level, depth, size: index.sizes.get(node.id) ?? 1, onPath: false });
      continue;
    }
    rows.push({ kind: 'node', node, level, depth, onPath, current: node.id === currentId, branchHead: head });
    const kids = index.children.get(node.id) ?? [];
    const [first, ...others] = kids;
    if (first) stack.push({ node: first, level, depth: depth + 1, head: false });
    for (let i = others.length - 1; i >= 0; i--) stack.push({ node: others[i]!, level: level + 1, depth: depth + 1, head: true });
  }
  return rows;
}
