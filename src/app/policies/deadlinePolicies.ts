/** Deadline policies: defaults from DOMAIN.md, replaced by an administrator without code (settings row). */
import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DEFAULT_POLICIES, parseDeadlinePolicy, type DeadlinePolicy } from '../../domain/deadline/index.js';
import { DomainError } from '../../domain/errors.js';
import type { Db, DbOrTx } from '../../store/db.js';
import { settings } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';

const KEY = 'deadline_policies';

/** Read on every lifecycle step, so kept for a few seconds; another server's change shows within CACHE_MS. */
const CACHE_MS = 5_000;
const cache = new WeakMap<object, { at: number; value: readonly DeadlinePolicy[] }>();

export async function getDeadlinePolicies(db: DbOrTx, opts: { fresh?: boolean; cacheKey?: object } = {}): Promise<readonly DeadlinePolicy[]> {
  const key = opts.cacheKey;
  const hit = key ? cache.get(key) : undefined;
  if (hit && !opts.fresh && Date.now() - hit.at < CACHE_MS) return hit.value;
  const [row] = await db.select().from(settings).where(eq(settings.key, KEY)).limit(1);
  const value = row ? (row.value as unknown[]).map((p) => parseDeadlinePolicy(p)) : DEFAULT_POLICIES;
  if (key) cache.set(key, { at: Date.now(), value });
  return value;
}

/** Replace the policies; every urgency must keep exactly one policy. */
export async function setDeadlinePolicies(args: { db: Db; actor: Actor; policies: unknown[]; now: Date }): Promise<readonly DeadlinePolicy[]> {
  const parsed = args.policies.map((p) => parseDeadlinePolicy(p));
  for (const u of ['emergency', 'utility', 'general', 'complex'] as const) {
    const n = parsed.filter((p) => p.urgency === u).length;
    if (n !== 1) throw new DomainError('VALIDATION_FAILED', `紧急程度 ${u} 必须有且仅有一个时限策略`, [{ field: 'policies', reason: `${u} 有 ${n} 个策略` }]);
  }
  await args.db.transaction(async (tx) => {
    const before = await getDeadlinePolicies(tx, { fresh: true });
    await tx
      .insert(settings)
      .values({ key: KEY, value: parsed, updatedAt: args.now })
      .onConflictDoUpdate({ target: settings.key, set: { value: parsed, updatedAt: args.now } });
    await appendAudit(tx, { at: args.now, actorId: args.actor.userId, actorName: args.actor.username, action: 'policy.deadlines.update', targetType: 'settings', targetId: KEY, detail: { before, after: parsed } });
  });
  cache.delete(args.db);
  return parsed;
}
