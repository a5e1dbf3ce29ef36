/**
 * The server secret that signs survey links: 32 random bytes made once and kept in the settings table, so every
 * server of the city signs and checks with the same key and a restart invalidates nothing. Never sent to clients.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../store/db.js';
import { settings } from '../../store/schema/index.js';

const KEY = 'survey_link_secret';
const cache = new WeakMap<object, Buffer>();

export async function surveySecret(db: DbOrTx, cacheKey?: object): Promise<Buffer> {
  const hit = cacheKey ? cache.get(cacheKey) : undefined;
  if (hit) return hit;
  // Two servers starting at once both try to insert; the first wins and both read it back.
  await db
    .insert(settings)
    .values({ key: KEY, value: { secret: randomBytes(32).toString('base64') } })
    .onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, KEY)).limit(1);
  const value = row?.value as { secret?: unknown } | undefined;
  if (typeof value?.secret !== 'string') throw new Error('survey link secret missing from settings');
  const secret = Buffer.from(value.secret, 'base64');
  if (cacheKey) cache.set(cacheKey, secret);
  return secret;
}
