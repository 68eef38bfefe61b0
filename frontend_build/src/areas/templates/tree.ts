// Edits on the editor's tree by node key, points added up, and the API's problem paths mapped
// onto the tree's nodes.
import type { ItemNode } from "./model";

// --- the tree, by node key ------------------------------------------------------------------

/** The indexes from the top down to the node with this key; null when there is none. */
export function findPath(items: ItemNode[], key: string): number[] | null {
  for (let i = 0; i < items.length; i += 1) {
    if (items[i].key === key) return [i];
    const below = findPath(items[i].children, key);
    if (below) return [i, ...below];
  }
  return null;
}

export function nodeAt(items: ItemNode[], path: number[]): ItemNode | null {
  let list = items;
  let node: ItemNode | null = null;
  for (const index of path) {
    node = list[index] ?? null;
    if (!node) return null;
    list = node.children;
  }
  return node;
}

/** The API's field path of a node: [1, 0] -> "content.items[1].children[0]". */
export function apiPath(path: number[]): string {
  return path.map((index, depth) => (depth === 0 ? `content.items[${index}]` : `children[${index}]`)).join(".");
}

function mapList(items: ItemNode[], key: string, change: (list: ItemNode[], index: number) => ItemNode[]): ItemNode[] {
  const index = items.findIndex((n) => n.key === key);
  if (index >= 0) return change(items, index);
  let changed = false;
  const next = items.map((n) => {
    const children = mapList(n.children, key, change);
    if (children === n.children) return n;
    changed = true;
    return { ...n, children };
  });
  return changed ? next : items;
}

/** Indicators first, then subcategories (the order the API reads a category back in). */
export function ordered(children: ItemNode[]): ItemNode[] {
  return [...children.filter((c) => c.kind === "INDICATOR"), ...children.filter((c) => c.kind === "CATEGORY")];
}

export function updateNode(items: ItemNode[], key: string, patch: Partial<ItemNode>): ItemNode[] {
  return mapList(items, key, (list, i) => list.map((n, j) => (j === i ? { ...n, ...patch } : n)));
}

export function removeNode(items: ItemNode[], key: string): ItemNode[] {
  return mapList(items, key, (list, i) => list.filter((_, j) => j !== i));
}

/** Add a child under `parentKey` (null: a top category); a suggested code follows its siblings. */
export function addNode(items: ItemNode[], parentKey: string | null, node: ItemNode): ItemNode[] {
  if (parentKey === null) return [...items, { ...node, code: node.code || String(items.length + 1) }];
  const path = findPath(items, parentKey);
  const parent = path ? nodeAt(items, path) : null;
  if (!parent) return items;
  const code = node.code || `${parent.code}.${parent.children.filter((c) => c.kind === node.kind).length + 1}`;
  return updateNode(items, parentKey, { children: ordered([...parent.children, { ...node, code }]) });
}

/** Move a node up (-1) or down (+1) among its siblings of the same kind. */
export function moveNode(items: ItemNode[], key: string, delta: -1 | 1): ItemNode[] {
  return mapList(items, key, (list, i) => {
    const j = i + delta;
    if (j < 0 || j >= list.length || list[j].kind !== list[i].kind) return list;
    const next = [...list];
    [next[i], next[j]] = [next[j], next[i]];
    return next;
  });
}

export function canMove(items: ItemNode[], key: string, delta: -1 | 1): boolean {
  return moveNode(items, key, delta) !== items;
}

// --- points and problems --------------------------------------------------------------------

const cents = (value: string): number => {
  const n = Number(value);
  return Number.isFinite(n) ? Math.round(n * 100) : 0;
};

/** What a category's items add up to (a string with two places). */
export function childrenSum(node: ItemNode): string {
  return (node.children.reduce((sum, c) => sum + cents(c.maxPoints), 0) / 100).toFixed(2);
}

/** What the non-bonus top categories add up to. */
export function categoriesSum(items: ItemNode[]): string {
  return (items.filter((c) => !c.bonus).reduce((sum, c) => sum + cents(c.maxPoints), 0) / 100).toFixed(2);
}

export function samePoints(a: string, b: string): boolean {
  return cents(a) === cents(b);
}

export type Problem = { field?: string | null; message: string; code?: string };

/** Problems by field path (an `input.` prefix taken off); those without a field under "". */
export function problemsByField(problems: readonly Problem[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const p of problems) {
    const field = (p.field ?? "").replace(/^input\./, "");
    map.set(field, [...(map.get(field) ?? []), p.message]);
  }
  return map;
}

/** How many problems name this node or a field of it (not of its children). */
export function nodeProblems(map: Map<string, string[]>, path: string): string[] {
  const out: string[] = [];
  for (const [field, messages] of map) {
    if (field === path) out.push(...messages);
    else if (field.startsWith(`${path}.`) && !field.startsWith(`${path}.children[`)) out.push(...messages);
  }
  return out;
}

/** The tree indexes a problem's field names: "content.items[1].children[0].maxPoints" -> [1, 0]. */
export function itemIndexPath(field: string | null | undefined): number[] | null {
  const match = /^(?:input\.)?content\.items\[(\d+)\]((?:\.children\[\d+\])*)/.exec(field ?? "");
  if (!match) return null;
  const rest = [...match[2].matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  return [Number(match[1]), ...rest];
}
