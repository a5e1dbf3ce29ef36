/**
 * 告警转工单: an alarm becomes a real work order through the ordinary intake (`acceptRequest`), with the alarm as
 * its evidence and a link back; models with auto-dispatch do this without anyone clicking (`dispatchAutoAlarms`).
 * One transaction locks the alarm row, runs the intake inside it (as `openProactive` does) and writes the link with
 * its `ordered` history row, so two people clicking at once make one order: the second waits, then hears 409.
 */
import { and, asc, eq, isNull, ne, notExists, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError } from '../../domain/errors.js';
import { decideAlarmAction, severityLabels, type Severity } from '../../domain/alarm/index.js';
import { queryRows, type Db } from '../../store/db.js';
import { alarmEvents, alarms, alertModels, units, users } from '../../store/schema/index.js';
import { actorOf } from '../auth/authenticate.js';
import { acceptRequest, type Channel, type RequestInput } from '../requests/acceptRequest.js';
import { loadVisibleAlarm, publishAlarmLive, type AlarmRow } from './alarms.js';
import { snapshotOf } from './actOnAlarm.js';

const channelOf: Record<string, Channel> = { sensor: 'sensor', video: 'video', patrol: 'grid', external: 'api' };

export type ToOrderInput = { leadUnitCode?: string | undefined; categoryCode?: string | undefined; note?: string | undefined };

/**
 * alarmToOrder({ db, actor, alarmId, input: {}, now }) → the new order's id and number. A second click (or a
 * concurrent one) waits for the first on the alarm's row lock and gets CONFLICT naming the order already made.
 */
export async function alarmToOrder(args: { db: Db; actor: Actor; alarmId: string; input: ToOrderInput; now: Date; auto?: boolean }): Promise<{ alarmId: string; orderId: string; orderNo: string }> {
  const { db, actor, input, now } = args;
  return db.transaction(async (tx) => {
    const alarm = await loadVisibleAlarm(tx, actor, args.alarmId, { forUpdate: true });
    try {
      decideAlarmAction({ alarm: snapshotOf(alarm), action: { kind: 'to_order', orderId: '-', orderNo: '-' }, actor });
    } catch (err) {
      throw err instanceof DomainError && err.code === 'CONFLICT' && alarm.orderId ? alreadyOrdered(alarm) : err;
    }
    const [model] = await tx.select().from(alertModels).where(eq(alertModels.id, alarm.modelId));
    const lead = input.leadUnitCode ?? alarm.assigneeUnitId ?? alarm.streetId ?? null;
    // The real intake, inside this transaction: the order exists exactly when the alarm links to it.
    const res = await acceptRequest({ db: tx, actor, input: requestOf(alarm, model, input, lead, args.auto === true), proposal: null, now });
    if (!res.orderId) throw new DomainError('INTERNAL', '工单未能创建');
    const orderId = res.orderId;
    const orderNo: string = res.order?.no ?? (await queryRows<{ no: string }>(tx, sql`SELECT no FROM orders WHERE id = ${orderId}`))[0]?.no ?? '';
    const decision = decideAlarmAction({ alarm: snapshotOf(alarm), action: { kind: 'to_order', orderId, orderNo }, actor });
    const [row] = await tx
      .update(alarms)
      .set({ orderId, orderNo, state: decision.to, acknowledgedAt: alarm.acknowledgedAt ?? now, version: alarm.version + 1 })
      .where(eq(alarms.id, alarm.id))
      .returning();
    await tx.insert(alarmEvents).values({ alarmId: alarm.id, at: now, type: 'ordered', fromState: alarm.state, toState: decision.to, actorId: actor.userId, actorName: actor.displayName, data: { ...decision.data, auto: args.auto === true, leadUnitCode: lead } });
    await publishAlarmLive(tx, row ?? alarm, 'ordered');
    return { alarmId: alarm.id, orderId, orderNo };
  });
}

const alreadyOrdered = (a: AlarmRow) => new DomainError('CONFLICT', `该告警已转为工单${a.orderNo ? ` ${a.orderNo}` : ''}`, [{ field: 'orderId', reason: a.orderId ?? '' }]);

function requestOf(alarm: AlarmRow, model: typeof alertModels.$inferSelect | undefined, input: ToOrderInput, lead: string | null, auto: boolean): RequestInput {
  const message = typeof alarm.detail.message === 'string' ? alarm.detail.message : '';
  const snapshot = typeof alarm.detail.snapshotId === 'string' ? `；现场抓拍 /api/v1/attachments/${alarm.detail.snapshotId}` : '';
  return {
    type: alarm.sourceType === 'video' || alarm.sourceType === 'patrol' ? 'report' : 'help',
    channel: channelOf[alarm.sourceType] ?? 'api',
    title: alarm.title.slice(0, 200),
    body: [
      `${auto ? '【自动立案】' : ''}告警 ${alarm.no}（${severityLabels[alarm.severity as Severity] ?? alarm.severity}）：${message || alarm.title}`,
      `预警模型：${model?.name ?? alarm.modelId}；来源：${alarm.sourceKey}；条件满足于 ${alarm.conditionAt.toISOString()}，累计 ${alarm.count} 次${snapshot}`,
      input.note ? `说明：${input.note}` : '',
    ]
      .filter(Boolean)
      .join('\n')
      .slice(0, 5000),
    urgency: alarm.severity === 'critical' ? 'emergency' : undefined,
    lat: alarm.lat ?? undefined,
    lng: alarm.lng ?? undefined,
    districtCode: alarm.streetId ? alarm.streetId.slice(0, 6) : undefined,
    streetCode: alarm.streetId ?? undefined,
    categoryCode: input.categoryCode ?? model?.categoryId ?? undefined,
    dispatch: lead ? { leadUnitCode: lead } : 'review',
  };
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
