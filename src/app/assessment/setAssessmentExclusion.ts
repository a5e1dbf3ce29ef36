/**
 * 不计考核: a supervisor or administrator takes a malicious or invalid request out of the three rates (or puts it
 * back), with a reason. The order's lifecycle is untouched (no version change: a unit mid-reply is not disturbed);
 * the history gets an event and the audit trail a row, in the same transaction.
 */
import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden, invalid } from '../../domain/errors.js';
import type { Db } from '../../store/db.js';
import { orderEvents, orders } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { loadVisibleOrder } from '../orders/orderRecord.js';

export const exclusionRoles = ['supervisor', 'admin'] as const;

export async function setAssessmentExclusion(args: { db: Db; actor: Actor; orderId: string; excluded: boolean; reason: string; now: Date; ip?: string | null }): Promise<{ orderId: string; no: string; excluded: boolean; reason: string | null }> {
  const { db, actor, now } = args;
  if (!(exclusionRoles as readonly string[]).includes(actor.role)) throw forbidden('只有督办员或管理员可以调整考核范围');
  const reason = args.reason.trim();
  if ([...reason].length < 4) throw invalid('reason', '请写明原因（至少4个字）');
  return db.transaction(async (tx) => {
    const { row } = await loadVisibleOrder(tx, actor, args.orderId, { forUpdate: true });
    if (row.assessmentExcluded === args.excluded) {
      throw new DomainError('CONFLICT', args.excluded ? `工单${row.no}已不计考核（${row.exclusionReason ?? '无原因'}）` : `工单${row.no}本已计入考核`);
    }
    // The lifecycle's own exclusions (merged repeats, invalid requests) are not undone here: the state says why.
    if (!args.excluded && (row.state === 'merged' || row.state === 'invalid')) {
      throw new DomainError('ILLEGAL_TRANSITION', `工单${row.no}为「${row.state === 'merged' ? '已合并' : '无效'}」，不能恢复考核`);
    }
    const stored = args.excluded ? reason : null;
    await tx.update(orders).set({ assessmentExcluded: args.excluded, exclusionReason: stored, updatedAt: now }).where(eq(orders.id, row.id));
    const type = args.excluded ? 'assessment_excluded' : 'assessment_included';
    await tx.insert(orderEvents).values({ orderId: row.id, at: now, type, fromState: row.state, toState: row.state, actorId: actor.userId, actorName: actor.displayName, actorRole: actor.role, actorUnitId: actor.unitId, data: { reason, previousReason: row.exclusionReason } });
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.username, action: args.excluded ? 'assessment.exclude' : 'assessment.include', targetType: 'order', targetId: row.id, detail: { no: row.no, reason }, ip: args.ip ?? null });
    return { orderId: row.id, no: row.no, excluded: args.excluded, reason: stored };
  });
}
