/** 确认 / 指派 / 批注 / 解除: one step on an alarm, its new state and its history row in one transaction. */
import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, invalid } from '../../domain/errors.js';
import { decideAlarmAction, type AlarmAction, type AlarmState } from '../../domain/alarm/index.js';
import type { Db, Tx } from '../../store/db.js';
import { alarmEvents, alarms, units, users } from '../../store/schema/index.js';
import { loadVisibleAlarm, publishAlarmLive, type AlarmRow } from './alarms.js';
import { recordClearOnOrder } from './autoClearAlarms.js';

export type AlarmStepInput =
  | { kind: 'acknowledge'; note?: string | undefined }
  | { kind: 'assign'; unitCode: string; userId?: string | undefined; note?: string | undefined }
  | { kind: 'comment'; text: string }
  | { kind: 'clear'; reason: string };

/**
 * actOnAlarm({ db, actor, alarmId, version, input: { kind: 'acknowledge' }, now }). Refusals: 404 unseen,
 * VERSION_CONFLICT (stale `version`), FORBIDDEN, ILLEGAL_TRANSITION, VALIDATION_FAILED (unknown unit or user).
 */
export async function actOnAlarm(args: { db: Db; actor: Actor; alarmId: string; version?: number | undefined; input: AlarmStepInput; now: Date }): Promise<{ id: string }> {
  const { db, actor, input, now } = args;
  return db.transaction(async (tx) => {
    const row = await loadVisibleAlarm(tx, actor, args.alarmId, { forUpdate: true });
    if (args.version !== undefined && args.version !== row.version) throw staleVersion();
    const action = await toAction(tx, input);
    const decision = decideAlarmAction({ alarm: snapshotOf(row), action, actor });
    const patch: Partial<AlarmRow> = { state: decision.to, version: row.version + 1 };
    if (action.kind === 'acknowledge') patch.acknowledgedAt = now;
    if (action.kind === 'assign') Object.assign(patch, { assigneeUnitId: action.unitId, assigneeUnitPath: action.unitPath, assigneeUserId: action.userId ?? null, acknowledgedAt: row.acknowledgedAt ?? now });
    if (action.kind === 'clear') patch.clearedAt = now;
    await tx.update(alarms).set(patch).where(eq(alarms.id, row.id));
    if (action.kind !== 'comment') await publishAlarmLive(tx, { ...row, ...patch }, decision.eventType);
    await tx.insert(alarmEvents).values({ alarmId: row.id, at: now, type: decision.eventType, fromState: row.state, toState: decision.to, actorId: actor.userId, actorName: actor.displayName, data: decision.data });
    // An alarm made into an order: its order records the clear too.
    if (action.kind === 'clear' && row.orderId) await recordClearOnOrder(tx, { orderId: row.orderId, alarm: row, reason: action.reason, actor, now });
    return { id: row.id };
  });
}

export function snapshotOf(row: AlarmRow) {
  return { state: row.state as AlarmState, unitPath: row.unitPath, assigneeUnitPath: row.assigneeUnitPath, orderId: row.orderId };
}

const staleVersion = () => new DomainError('VERSION_CONFLICT', '告警已被他人更新，请刷新后重试');

async function toAction(tx: Tx, input: AlarmStepInput): Promise<AlarmAction> {
  switch (input.kind) {
    case 'acknowledge':
      return { kind: 'acknowledge', note: input.note };
    case 'comment':
      return { kind: 'comment', text: input.text };
    case 'clear':
      return { kind: 'clear', reason: input.reason };
    case 'assign': {
      const [unit] = await tx.select({ id: units.id, path: units.path, active: units.active }).from(units).where(eq(units.id, input.unitCode));
      if (!unit || !unit.active) throw invalid('unitCode', `单位 ${input.unitCode} 不存在或已停用`);
      if (input.userId) {
        const [u] = await tx.select({ unitId: users.unitId }).from(users).where(eq(users.id, input.userId));
        if (!u || u.unitId !== unit.id) throw invalid('userId', '该用户不属于所指派的单位');
      }
      return { kind: 'assign', unitId: unit.id, unitPath: unit.path, userId: input.userId, note: input.note };
    }
    default: {
      const never: never = input;
      throw invalid('action', `未知操作 ${JSON.stringify(never)}`);
    }
  }
}
