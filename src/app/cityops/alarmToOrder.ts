/**
 * 告警转工单: an alarm becomes a real work order through the ordinary intake (`acceptRequest`), with the alarm as
 * its evidence and a link back; models with auto-dispatch do this without anyone clicking (`dispatchAutoAlarms`).
 * The intake runs under the idempotency key `alarm:<id>`, so a retry never makes a second order, and the link is
 * written with its `ordered` history row in one transaction that re-checks the alarm under a row lock.
 */
import { and, asc, eq, isNull, ne, notExists, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError } from '../../domain/errors.js';
import { decideAlarmAction, severityLabels, type Severity } from '../../domain/alarm/index.js';
import { queryRows, type Db } from '../../store/db.js';
import { alarmEvents, alarms, alertModels, units, users } from '../../store/schema/index.js';
import { actorOf } from '../auth/authenticate.js';
import { acceptRequest, type Channel, type RequestInput } from '../requests/acceptRequest.js';
import { loadVisibleAlarm, type AlarmRow } from './alarms.js';
import { snapshotOf } from './actOnAlarm.js';

const channelOf: Record<string, Channel> = { sensor: 'sensor', video: 'video', patrol: 'grid', external: 'api' };

export type ToOrderInput = { leadUnitCode?: string | undefined; categoryCode?: string | undefined; note?: string | undefined };

/** alarmToOrder({ db, actor, alarmId, input: {}, now }) → the new order's id and number (409 when already made). */
export async function alarmToOrder(args: { db: Db; actor: Actor; alarmId: string; input: ToOrderInput; now: Date; auto?: boolean }): Promise<{ alarmId: string; orderId: string; orderNo: string }> {
  const { db, actor, input, now } = args;
  const alarm = await loadVisibleAlarm(db, actor, args.alarmId);
  decideAlarmAction({ alarm: snapshotOf(alarm), action: { kind: 'to_order', orderId: '-', orderNo: '-' }, actor });
  const [model] = await db.select().from(alertModels).where(eq(alertModels.id, alarm.modelId));
  const districtCode = alarm.streetId ? alarm.streetId.slice(0, 6) : undefined;
  const lead = input.leadUnitCode ?? alarm.assigneeUnitId ?? alarm.streetId ?? null;
  const message = typeof alarm.detail.message === 'string' ? alarm.detail.message : '';
  const snapshot = typeof alarm.detail.snapshotId === 'string' ? `；现场抓拍 /api/v1/attachments/${alarm.detail.snapshotId}` : '';
  const request: RequestInput = {
    type: alarm.sourceType === 'video' || alarm.sourceType === 'patrol' ? 'report' : 'help',
    channel: channelOf[alarm.sourceType] ?? 'api',
    title: alarm.title.slice(0, 200),
    body: [
      `${args.auto ? '【自动立案】' : ''}告警 ${alarm.no}（${severityLabels[alarm.severity as Severity] ?? alarm.severity}）：${message || alarm.title}`,
      `预警模型：${model?.name ?? alarm.modelId}；来源：${alarm.sourceKey}；条件满足于 ${alarm.conditionAt.toISOString()}，累计 ${alarm.count} 次${snapshot}`,
      input.note ? `说明：${input.note}` : '',
    ]
      .filter(Boolean)
      .join('\n')
      .slice(0, 5000),
    urgency: alarm.severity === 'critical' ? 'emergency' : undefined,
    lat: alarm.lat ?? undefined,
    lng: alarm.lng ?? undefined,
    districtCode,
    streetCode: alarm.streetId ?? undefined,
    categoryCode: input.categoryCode ?? model?.categoryId ?? undefined,
    dispatch: lead ? { leadUnitCode: lead } : 'review',
  };
  const res = await acceptRequest({ db, actor, input: request, idempotencyKey: `alarm:${alarm.id}`, proposal: null, now });
  if (!res.orderId) throw new DomainError('INTERNAL', '工单未能创建');
  const orderId = res.orderId;
  const orderNo: string = res.order?.no ?? (await queryRows<{ no: string }>(db, sql`SELECT no FROM orders WHERE id = ${orderId}`))[0]?.no ?? '';
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(alarms).where(eq(alarms.id, alarm.id)).for('update');
    if (!row) throw new DomainError('NOT_FOUND', '告警不存在');
    if (row.orderId === orderId) return; // a replay of this very call
    const decision = decideAlarmAction({ alarm: snapshotOf(row), action: { kind: 'to_order', orderId, orderNo }, actor });
    await tx.update(alarms).set({ orderId, orderNo, state: decision.to, acknowledgedAt: row.acknowledgedAt ?? now, version: row.version + 1 }).where(eq(alarms.id, row.id));
    await tx.insert(alarmEvents).values({ alarmId: row.id, at: now, type: 'ordered', fromState: row.state, toState: decision.to, actorId: actor.userId, actorName: actor.displayName, data: { ...decision.data, auto: args.auto === true, leadUnitCode: lead } });
  });
  return { alarmId: alarm.id, orderId, orderNo };
}

/** The account auto-dispatch acts as: the model's author, or else the first active administrator. */
async function autoActor(db: Db, createdBy: string | null): Promise<Actor | null> {
  const rows = await db
    .select({ u: users, unit: units })
    .from(users)
    .leftJoin(units, eq(units.id, users.unitId))
    .where(and(eq(users.active, true), createdBy ? eq(users.id, createdBy) : eq(users.role, 'admin')))
    .orderBy(asc(users.createdAt))
    .limit(1);
  const r = rows[0];
  return r ? actorOf(r.u, r.unit) : null;
}

/**
 * Make the orders of open alarms whose model says auto-dispatch and that have none yet. Run after each ingest
 * batch and by the scheduler (so a crash between the alarm and its order loses nothing). A failure is recorded
 * once in the alarm's history (`auto_order_failed`) and not retried; people can still click 转工单.
 */
export async function dispatchAutoAlarms(args: { db: Db; now: Date; alarmIds?: string[]; limit?: number }): Promise<{ ordered: number; failed: number }> {
  const { db, now } = args;
  const failedBefore = db.select({ one: sql`1` }).from(alarmEvents).where(and(eq(alarmEvents.alarmId, alarms.id), eq(alarmEvents.type, 'auto_order_failed')));
  const due: { a: AlarmRow; createdBy: string | null }[] = await db
    .select({ a: alarms, createdBy: alertModels.createdBy })
    .from(alarms)
    .innerJoin(alertModels, eq(alertModels.id, alarms.modelId))
    .where(and(eq(alertModels.autoDispatch, true), isNull(alarms.orderId), ne(alarms.state, 'cleared'), notExists(failedBefore), args.alarmIds?.length ? sql`${alarms.id} IN (SELECT jsonb_array_elements_text(${JSON.stringify(args.alarmIds)}::jsonb)::uuid)` : undefined))
    .orderBy(asc(alarms.raisedAt))
    .limit(args.limit ?? 50);
  let ordered = 0;
  let failed = 0;
  for (const { a, createdBy } of due) {
    const actor = await autoActor(db, createdBy);
    try {
      if (!actor) throw new DomainError('FORBIDDEN', '没有可代为立案的管理员账号');
      // The author acts city-wide for this purpose: jurisdiction was checked when the model was defined.
      await alarmToOrder({ db, actor: { ...actor, scopePath: '/' + (a.unitPath.split('/')[1] ?? '') + '/' }, alarmId: a.id, input: {}, now, auto: true });
      ordered++;
    } catch (err) {
      if (err instanceof DomainError && err.code === 'CONFLICT') continue;
      failed++;
      await db.insert(alarmEvents).values({ alarmId: a.id, at: now, type: 'auto_order_failed', fromState: a.state, toState: a.state, actorId: null, actorName: '系统', data: { reason: err instanceof Error ? err.message : String(err) } });
    }
  }
  return { ordered, failed };
}
