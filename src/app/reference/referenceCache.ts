/**
 * The unit tree and the catalogue as every hot path reads them: loaded in two queries, kept per database for a
 * short time. Intake checks codes and names orders from here instead of asking the database on each request.
 * An edit on this server drops the cache at once; another server sees it within `REFERENCE_TTL_MS` — a category
 * switched off a few seconds late costs nothing, a query per request costs throughput.
 */
import type { DbOrTx } from '../../store/db.js';
import { categories, units } from '../../store/schema/index.js';

export const REFERENCE_TTL_MS = 10_000;

export type UnitRef = { id: string; name: string; level: string; path: string; parentId: string | null; active: boolean };
export type CategoryRef = typeof categories.$inferSelect;
export type Reference = { units: Map<string, UnitRef>; categories: Map<string, CategoryRef>; loadedAt: number };

type Entry = { value: Reference | null; loading: Promise<Reference> | null };
const caches = new WeakMap<object, Entry>();

async function load(db: DbOrTx): Promise<Reference> {
  const [us, cs] = await Promise.all([
    db.select({ id: units.id, name: units.name, level: units.level, path: units.path, parentId: units.parentId, active: units.active }).from(units),
    db.select().from(categories),
  ]);
  return { units: new Map(us.map((u) => [u.id, u])), categories: new Map(cs.map((c) => [c.id, c])), loadedAt: Date.now() };
}

/** getReference(db) → { units, categories }: fresh within REFERENCE_TTL_MS; concurrent callers share one load. */
export async function getReference(db: DbOrTx, cacheKey: object = db): Promise<Reference> {
  let entry = caches.get(cacheKey);
  if (!entry) {
    entry = { value: null, loading: null };
    caches.set(cacheKey, entry);
  }
  if (entry.value && Date.now() - entry.value.loadedAt < REFERENCE_TTL_MS) return entry.value;
  if (!entry.loading) {
    const e = entry;
    entry.loading = load(db).then(
      (v) => {
        e.value = v;
        e.loading = null;
        return v;
      },
      (err: unknown) => {
        e.loading = null;
        throw err;
      },
    );
  }
  return entry.loading;
}

/** Drop the cached reference after an edit, so this server's next request reads the change. */
export function invalidateReference(cacheKey: object): void {
  caches.delete(cacheKey);
}

/** An active unit by code, or undefined. */
export function activeUnit(ref: Reference, id: string): UnitRef | undefined {
  const u = ref.units.get(id);
  return u?.active ? u : undefined;
}

/** Names for unit and category codes, as order pages show them, from the cached reference. */
export function namesFromReference(ref: Reference): { unit: (id: string | null) => { code: string; name: string } | null; category: (id: string | null) => { code: string; name: string } | null } {
  return {
    unit: (id) => (id ? { code: id, name: ref.units.get(id)?.name ?? id } : null),
    category: (id) => (id ? { code: id, name: ref.categories.get(id)?.name ?? id } : null),
  };
}
