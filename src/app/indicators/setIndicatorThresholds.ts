/** An administrator sets an indicator's thresholds: validated, version-checked, audited with before and after. */
import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden } from '../../domain/errors.js';
import { indicatorByKey, parseThresholdSet, type ThresholdSet } from '../../domain/indicator/index.js';
import type { Db } from '../../store/db.js';
import { indicatorThresholds } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';

/**
 * setIndicatorThresholds({ db, actor, key: 'rates.response', thresholds: { default: { direction: 'lower_is_worse', yellow: 0.9, red: 0.8 } }, version: 0, now })
 * `version` is the version read (0 while the defaults apply); a stale one is refused, `thresholds: null` restores the defaults.
 */
export async function setIndicatorThresholds(args: { db: Db; actor: Actor; key: string; thresholds: unknown; version: number; now: Date }): Promise<{ key: string; thresholds: ThresholdSet; version: number }> {
  const { db, actor, key, now } = args;
  if (actor.role !== 'admin') throw forbidden('只有管理员可以修改指标阈值');
  const def = indicatorByKey(key);
  if (!def) throw new DomainError('NOT_FOUND', `指标 ${key} 不存在`);
  const next = args.thresholds === null ? null : parseThresholdSet(args.thresholds, def);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(indicatorThresholds).where(eq(indicatorThresholds.key, key)).for('update');
    const current = row?.version ?? 0;
    if (current !== args.version) throw new DomainError('VERSION_CONFLICT', `指标「${def.name}」的阈值已被他人修改（当前版本 ${current}），请刷新后再试`, [{ field: 'version', reason: `当前版本为 ${current}` }]);
    const before = row ? row.thresholds : def.defaultThresholds;
    const after = next ?? def.defaultThresholds;
    const version = current + 1;
    await tx
      .insert(indicatorThresholds)
      .values({ key, thresholds: after, version, updatedAt: now, updatedBy: actor.username })
      .onConflictDoUpdate({ target: indicatorThresholds.key, set: { thresholds: after, version, updatedAt: now, updatedBy: actor.username } });
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.username, action: next ? 'indicator.thresholds.update' : 'indicator.thresholds.reset', targetType: 'indicator', targetId: key, detail: { before, after } });
    return { key, thresholds: after, version };
  });
}
