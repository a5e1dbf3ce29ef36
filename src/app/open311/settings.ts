/**
 * The city's Open311 settings: its jurisdiction_id and the box its coordinates must fall in. Defaults are
 * Beijing's; an operator changes them without code in the `settings` row `open311`.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../store/db.js';
import { settings } from '../../store/schema/index.js';

export type Open311Settings = { jurisdictionId: string; bounds: { minLat: number; maxLat: number; minLng: number; maxLng: number } };

/** Beijing: the municipality's extent (39.44–41.06 N, 115.42–117.51 E) with a small margin. */
export const defaultOpen311Settings: Open311Settings = { jurisdictionId: 'beijing.gov.cn', bounds: { minLat: 39.4, maxLat: 41.1, minLng: 115.4, maxLng: 117.6 } };

const schema = z.object({
  jurisdictionId: z.string().min(1).max(100),
  bounds: z.object({ minLat: z.number(), maxLat: z.number(), minLng: z.number(), maxLng: z.number() }),
});

const cache = new WeakMap<object, { at: number; value: Open311Settings }>();
const TTL_MS = 10_000;

/** The settings, read at most every 10 seconds per database (like the reference cache): every Open311 call needs them. */
export async function getOpen311Settings(db: DbOrTx): Promise<Open311Settings> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const [row] = await db.select().from(settings).where(eq(settings.key, 'open311')).limit(1);
  const parsed = row ? schema.safeParse(row.value) : null;
  const value = parsed?.success ? parsed.data : defaultOpen311Settings;
  cache.set(db, { at: Date.now(), value });
  return value;
}
