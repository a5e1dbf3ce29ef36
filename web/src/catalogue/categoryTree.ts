/** The flat category list as a tree for pickers: `categoryTree(list)` → `[{ value, title, children }]`. */
import type { Category } from '../api/types';

export type CategoryNode = { value: string; title: string; children?: CategoryNode[] };

export function categoryTree(categories: Category[] | undefined): CategoryNode[] {
  if (!categories) return [];
  const byParent = new Map<string | null, Category[]>();
  for (const c of categories) if (c.active) byParent.set(c.parent, [...(byParent.get(c.parent) ?? []), c]);
  const build = (parent: string | null): CategoryNode[] =>
    (byParent.get(parent) ?? []).map((c) => {
      const children = build(c.code);
      return { value: c.code, title: c.name, ...(children.length ? { children } : {}) };
    });
  return build(null);
}
