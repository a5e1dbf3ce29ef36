/**
 * One step of an order's lifecycle: the domain decides, this writes the new state, its history event, clocks,
 * units and notifications in one transaction, on the version the caller saw (a stale one is a 409).
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, invalid } from '../../domain/errors.js';
import {
  actionLabels,
  applyDecision,
  decideTransition,
  type Decision,
  type Effect,
  type NotifyTarget,
  type OnSiteResult,
  type OrderAction,
  type UnitAssignment,
} from '../../domain/order/index.js';
import { orderStateLabels, type OrderState } from '../../domain/order/index.js';
import { policyForUrgency, type Urgency } from '../../domain/deadline/index.js';
import type { Db, Tx } from '../../store/db.js';
import { attachments, categories, orderEvents, orderUnits, orders, requests, trainingExamples } from '../../store/schema/index.js';
import { enqueueNotification, publishLive, type NotifyMessage } from '../outbox/publish.js';
import { getDeadlinePolicies } from '../policies/deadlinePolicies.js';
import { getWorkCalendar } from '../policies/workCalendar.js';
import { cancelClocks, denormaliseDeadlines, pauseClockOf, resumeClockOf, startClocks, stopClockOf } from './clocks.js';
import { extensionToRow, loadVisibleOrder, toSnapshot, unitsByCode, type OrderRecord } from './orderRecord.js';

/** An action as API clients send it: units by code, dates as strings. */
export type ActionInput =
  | { action: 'dispatch'; leadUnitCode: string; coUnitCodes?: string[]; note?: string; categoryCode?: string }
  | { action: 'approve_return'; leadUnitCode: string; coUnitCodes?: string[]; note?: string; categoryCode?: string }
  | { action: 'escalate'; toUnitCode?: string; note: string }
  | { action: 'park'; planDate: string; reason: string }
  | { action: 'reply'; text: string; attachmentIds?: string[]; resolvedClaim?: boolean }
  | { action: 'return'; reason: string; attachmentIds?: string[] }
  | { action: 'verify_on_site'; result: OnSiteResult; note?: string; attachmentIds?: string[] }
  | ({ action: Exclude<OrderAction['kind'], 'dispatch' | 'approve_return' | 'escalate' | 'park' | 'reply' | 'return' | 'verify_on_site'> } & Record<string, unknown>);

export const HOTLINE_UNIT_ID = '110000-12345';

/** The platform itself, for steps taken by policy (automatic reopen) or by the deadline sweep. */
export const systemActor: Actor = { userId: '00000000-0000-0000-0000-000000000000', username: 'system', displayName: '系统', kind: 'staff', role: 'dispatcher', unitId: HOTLINE_UNIT_ID, unitName: '12345热线', unitLevel: 'centre', scopePath: '/110000/' };

/** Active units by code: from the database in a transaction, or from the cached reference at intake. */
export type UnitLookup = (codes: string[]) => Promise<Map<string, { id: string; path: string; parentId: string | null }>>;

async function assignments(lookup: UnitLookup, leadCode: string, coCodes: string[] = []): Promise<{ lead: UnitAssignment; coUnits: UnitAssignment[] }> {
  const codes = [...new Set([leadCode, ...coCodes])];
  const found = await lookup(codes);
  const lead = found.get(leadCode);
  if (!lead) throw invalid('leadUnitCode', `承办单位 ${leadCode} 不存在`);
  const coUnits: UnitAssignment[] = [];
  for (const c of coCodes) {
    if (c === leadCode) continue;
    const u = found.get(c);
    if (!u) throw invalid('coUnitCodes', `协办单位 ${c} 不存在`);
    coUnits.push({ id: u.id, path: u.path });
  }
  return { lead: { id: lead.id, path: lead.path }, coUnits };
}

/** Turn the API's input into the domain's action (resolving unit codes, parsing dates). */
export async function toDomainAction(lookup: UnitLookup, rec: OrderRecord, input: ActionInput): Promise<OrderAction> {
  switch (input.action) {
    case 'dispatch':
    case 'approve_return': {
      const a = await assignments(lookup, input.leadUnitCode, input.coUnitCodes);
      return { kind: input.action, leadUnitId: a.lead.id, leadUnitPath: a.lead.path, coUnits: a.coUnits, ...(input.note ? { note: input.note } : {}) };
    }
    case 'escalate': {
      // By default, to the lead unit's superior (the district of a street, the city of a district department).
      const target = input.toUnitCode ?? (rec.row.leadUnitId ? (await lookup([rec.row.leadUnitId])).get(rec.row.leadUnitId)?.parentId : null);
      if (!target) throw invalid('toUnitCode', '无法确定上级单位');
      const u = (await lookup([target])).get(target);
      if (!u) throw invalid('toUnitCode', `单位 ${target} 不存在`);
      return { kind: 'escalate', toUnitId: u.id, toUnitPath: u.path, note: input.note };
    }
    case 'park': {
      const d = new Date(input.planDate);
      if (Number.isNaN(d.getTime())) throw invalid('planDate', '日期格式错误');
      return { kind: 'park', planDate: d, reason: input.reason };
    }
    case 'reply':
      return { kind: 'reply', text: input.text, ...(input.attachmentIds ? { attachments: input.attachmentIds } : {}), ...(input.resolvedClaim !== undefined ? { resolvedClaim: input.resolvedClaim } : {}) };
    case 'return':
      return { kind: 'return', reason: input.reason, ...(input.attachmentIds ? { evidence: input.attachmentIds } : {}) };
    case 'verify_on_site':
      return { kind: 'verify_on_site', result: input.result, ...(input.note ? { note: input.note } : {}), ...(input.attachmentIds ? { photos: input.attachmentIds } : {}) };
    default: {
      const { action, ...rest } = input;
      return { kind: action, ...rest } as OrderAction;
    }
  }
}

/** Who a notification goes to, as unit ids (and the citizen's user ids), among the order's active units. */
export function recipientsAmong(args: { active: readonly { unitId: string; unitPath: string; role: string }[]; to: NotifyTarget; unitPath?: string | undefined; requesterUserIds: readonly string[]; superiorOf: (unitId: string) => string | null }): { unitIds: string[]; userIds: string[] } {
  const { active, to } = args;
  switch (to) {
    case 'lead_unit':
      return { unitIds: active.filter((u) => u.role === 'lead').map((u) => u.unitId), userIds: [] };
    case 'co_units':
      return { unitIds: active.filter((u) => u.role === 'co').map((u) => u.unitId), userIds: [] };
    case 'unit': {
      const u = active.find((x) => x.unitPath === args.unitPath);
      return { unitIds: u ? [u.unitId] : [], userIds: [] };
    }
    case 'supervisor':
    case 'hotline':
      return { unitIds: [HOTLINE_UNIT_ID], userIds: [] };
    case 'superior': {
      const lead = active.find((u) => u.role === 'lead');
      const parent = lead ? args.superiorOf(lead.unitId) : null;
      return { unitIds: parent ? [parent] : [], userIds: [] };
    }
    case 'citizen':
      return { unitIds: [], userIds: [...args.requesterUserIds] };
  }
}

async function recipients(tx: Tx, rec: OrderRecord, to: NotifyTarget, unitPath?: string): Promise<{ unitIds: string[]; userIds: string[] }> {
  const active = await tx.select().from(orderUnits).where(and(eq(orderUnits.orderId, rec.row.id), eq(orderUnits.active, true)));
  const lead = active.find((u) => u.role === 'lead');
  const parent = to === 'superior' && lead ? ((await unitsByCode(tx, [lead.unitId])).get(lead.unitId)?.parentId ?? null) : null;
  return recipientsAmong({ active, to, unitPath, requesterUserIds: rec.requesterUserIds, superiorOf: () => parent });
}

/** Columns that follow from the step (timestamps, reply, follow-up outcome) besides the domain's patch. */
export function stepColumns(action: OrderAction, decision: Decision, now: Date): Partial<typeof orders.$inferInsert> {
  switch (action.kind) {
    case 'dispatch':
    case 'approve_return':
      return { dispatchedAt: now };
    case 'reply':
      return { replyText: action.text, repliedAt: now };
    case 'follow_up':
      return { resolution: action.resolution, satisfaction: action.satisfaction, followedUpAt: now };
    case 'close':
    case 'close_direct':
    case 'terminate':
    case 'mark_invalid':
      return { closedAt: now };
    case 'merge':
      return { closedAt: now };
    case 'reopen':
      return { closedAt: null, replyText: null, repliedAt: null, resolution: null, satisfaction: null, followedUpAt: null };
    case 'send_to_review':
    case 'sign':
    case 'respond':
    case 'start_handling':
    case 'return':
    case 'reject_return':
    case 'request_extension':
    case 'approve_extension':
    case 'refuse_extension':
    case 'urge':
    case 'supervise':
    case 'escalate':
    case 'park':
    case 'unpark':
    case 'verify_on_site':
    case 'comment':
      return decision.to === 'closed' ? { closedAt: now } : {};
  }
}

/** The order row's new values after a decision (state, version, units, extension, step timestamps). */
export function orderPatch(rec: OrderRecord, action: OrderAction, decision: Decision, now: Date): Partial<typeof orders.$inferInsert> {
  const next = applyDecision(toSnapshot(rec), decision);
  const exclusion = decision.effects.find((e): e is Extract<Effect, { kind: 'exclude_from_assessment' }> => e.kind === 'exclude_from_assessment' && !e.unitPath);
  return {
    state: decision.to,
    version: rec.row.version + 1,
    leadUnitId: next.leadUnitId ?? null,
    leadUnitPath: next.leadUnitPath,
    stateBeforeReturn: next.stateBeforeReturn ?? null,
    stateBeforePark: next.stateBeforePark ?? null,
    extension: extensionToRow(next.extension),
    reopenCount: next.reopenCount,
    parkedUntil: next.parkedUntil ?? null,
    mergedIntoId: next.mergedIntoId ?? null,
    ...(exclusion ? { assessmentExcluded: true, exclusionReason: exclusion.reason } : {}),
    ...stepColumns(action, decision, now),
    updatedAt: now,
  };
}

/** The history event of a decision. */
export function stepEvent(orderId: string, decision: Decision, actor: Actor, now: Date): typeof orderEvents.$inferInsert & { data: Record<string, unknown> } {
  return {
    orderId,
    at: now,
    type: decision.eventType,
    fromState: decision.from,
    toState: decision.to,
    actorId: actor.userId === systemActor.userId ? null : actor.userId,
    actorName: actor.displayName,
    actorRole: actor.role,
    actorUnitId: actor.unitId,
    data: decision.eventData,
  };
}

/** The notification a step sends to its recipients. */
export function stepNotification(row: { id: string; no: string; title: string }, action: OrderAction, decision: Decision, template: string, to: { unitIds: string[]; userIds: string[] }): NotifyMessage {
  return { template, title: `工单${row.no}：${actionLabels[action.kind]}`, body: `「${row.title}」${orderStateLabels[decision.to]}`, orderId: row.id, unitIds: to.unitIds, userIds: to.userIds };
}

/** Apply one decision to the stored order (already locked), with its event and effects. */
async function applyToStore(tx: Tx, rec: OrderRecord, action: OrderAction, decision: Decision, actor: Actor, now: Date, cacheKey?: object): Promise<{ reopen?: string }> {
  const { row } = rec;
  await tx.update(orders).set(orderPatch(rec, action, decision, now)).where(eq(orders.id, row.id));
  await tx.insert(orderEvents).values(stepEvent(row.id, decision, actor, now));
  const policies = await getDeadlinePolicies(tx, cacheKey ? { cacheKey } : {});
  const policy = policyForUrgency(row.urgency as Urgency, policies);
  const calendar = await getWorkCalendar(tx, cacheKey ? { cacheKey } : {});
  let reopen: string | undefined;
  for (const e of decision.effects) {
    switch (e.kind) {
      case 'start_clocks':
        await startClocks(tx, row.id, e.clocks, policy, now, calendar);
        break;
      case 'stop_clock':
        await stopClockOf(tx, row.id, e.clock, now);
        break;
      case 'pause_clock':
        await pauseClockOf(tx, row.id, e.clock, now);
        break;
      case 'resume_clock':
        await resumeClockOf(tx, row.id, e.clock, now, calendar, e.extendDays);
        break;
      case 'cancel_clocks':
        await cancelClocks(tx, row.id);
        break;
      case 'set_units': {
        await tx.update(orderUnits).set({ active: false }).where(eq(orderUnits.orderId, row.id));
        const values = [
          { orderId: row.id, unitId: e.lead.id, unitPath: e.lead.path, role: 'lead', active: true, signedAt: null, assignedAt: now },
          ...e.coUnits.map((c) => ({ orderId: row.id, unitId: c.id, unitPath: c.path, role: 'co', active: true, signedAt: null, assignedAt: now })),
        ];
        await tx
          .insert(orderUnits)
          .values(values)
          .onConflictDoUpdate({ target: [orderUnits.orderId, orderUnits.unitId], set: { role: sql`excluded.role`, active: true, signedAt: null, assignedAt: now, unitPath: sql`excluded.unit_path` } });
        break;
      }
      case 'co_unit_signed':
        await tx.update(orderUnits).set({ signedAt: now }).where(and(eq(orderUnits.orderId, row.id), eq(orderUnits.unitPath, e.unitPath), eq(orderUnits.active, true)));
        break;
      case 'exclude_from_assessment':
        // The whole order is written above; one unit not charged (an approved return) leaves the order's units.
        if (e.unitPath) await tx.update(orderUnits).set({ active: false }).where(and(eq(orderUnits.orderId, row.id), eq(orderUnits.unitPath, e.unitPath)));
        break;
      case 'reopen_recommended':
        reopen = e.reason;
        break;
      case 'merge_into': {
        // The surviving order takes over this order's requesters: one reply reaches them all.
        await tx.update(requests).set({ orderId: e.intoOrderId }).where(eq(requests.orderId, row.id));
        await tx.insert(orderEvents).values({ orderId: e.intoOrderId, at: now, type: 'merged_in', actorId: actor.userId, actorName: actor.displayName, actorRole: actor.role, actorUnitId: actor.unitId, data: { fromOrderId: row.id, fromNo: row.no } });
        await tx.update(orders).set({ version: sqlIncrement(), updatedAt: now }).where(eq(orders.id, e.intoOrderId));
        break;
      }
      case 'notify': {
        const to = await recipients(tx, rec, e.to, e.unitPath);
        if (to.unitIds.length || to.userIds.length) {
          await enqueueNotification(tx, stepNotification(row, action, decision, e.template, to), now);
        }
        break;
      }
    }
  }
  await denormaliseDeadlines(tx, row.id, now);
  return reopen ? { reopen } : {};
}

const sqlIncrement = () => sql`${orders.version} + 1`;

async function publishOrder(tx: Tx, orderId: string): Promise<void> {
  const [o] = await tx.select({ id: orders.id, no: orders.no, state: orders.state, type: orders.type }).from(orders).where(eq(orders.id, orderId));
  if (!o) return;
  const us = await tx.select({ path: orderUnits.unitPath }).from(orderUnits).where(and(eq(orderUnits.orderId, orderId), eq(orderUnits.active, true)));
  const reqs = await tx.select({ u: requests.citizenUserId }).from(requests).where(eq(requests.orderId, orderId));
  await publishLive(tx, { kind: 'order', orderId: o.id, no: o.no, state: o.state, type: o.type, unitPaths: us.map((u) => u.path), requesterUserIds: reqs.map((r) => r.u).filter((x): x is string => !!x) });
}

/**
 * A dispatcher's correction of the proposed category: the order takes the new category, the history says so, and
 * the text with its corrected label is kept as a training example for the next retraining.
 */
async function correctCategory(tx: Tx, rec: OrderRecord, categoryCode: string, actor: Actor, now: Date): Promise<void> {
  const [cat] = await tx.select({ id: categories.id, active: categories.active, name: categories.name }).from(categories).where(eq(categories.id, categoryCode)).limit(1);
  if (!cat || !cat.active) throw invalid('categoryCode', '目录不存在或已停用');
  await tx.update(orders).set({ categoryId: cat.id }).where(eq(orders.id, rec.row.id));
  await tx.insert(orderEvents).values({ orderId: rec.row.id, at: now, type: 'recategorize', fromState: rec.row.state, toState: rec.row.state, actorId: actor.userId, actorName: actor.displayName, actorRole: actor.role, actorUnitId: actor.unitId, data: { from: rec.row.categoryId, to: cat.id, toName: cat.name } });
  await tx.insert(trainingExamples).values({ orderId: rec.row.id, title: rec.row.title, body: rec.row.body, categoryId: cat.id, previousCategoryId: rec.row.categoryId, source: 'correction', createdBy: actor.userId, createdAt: now });
  rec.row.categoryId = cat.id;
}

/** Attach the actor's own, not yet used uploads to the order (reply photos, return evidence, on-site check photos). */
async function claimAttachments(tx: Tx, actor: Actor, orderId: string, ids: readonly string[]): Promise<void> {
  const claimed = await tx
    .update(attachments)
    .set({ ownerType: 'order', ownerId: orderId })
    .where(and(inArray(attachments.id, [...ids]), eq(attachments.createdBy, actor.userId), isNull(attachments.ownerId)))
    .returning({ id: attachments.id });
  if (claimed.length !== new Set(ids).size) throw invalid('attachmentIds', '附件不存在、不属于当前用户或已被使用');
}

/**
 * One step inside an open transaction on an order already locked and visible to the actor; used by
 * transitionOrder and by intake (accept-and-dispatch in one transaction).
 */
export async function stepInTx(tx: Tx, args: { actor: Actor; rec: OrderRecord; input: ActionInput; now: Date; reopenOnUnsatisfied?: boolean; cacheKey?: object }): Promise<{ state: OrderState; steps: number }> {
  const { actor, rec, now } = args;
  const orderId = rec.row.id;
  const action = await toDomainAction((codes) => unitsByCode(tx, codes), rec, args.input);
  if (action.kind === 'merge') {
    if (action.intoOrderId === orderId) throw invalid('intoOrderId', '不能合并到自身');
    const target = await loadVisibleOrder(tx, actor, action.intoOrderId, { forUpdate: true }).catch(() => {
      throw invalid('intoOrderId', '目标工单不存在');
    });
    if (['closed', 'terminated', 'invalid', 'merged'].includes(target.row.state)) throw invalid('intoOrderId', '目标工单已结束，不能合并');
  }
  const decision = decideTransition({ order: toSnapshot(rec), action, actor, now, policy: { reopenOnUnsatisfied: args.reopenOnUnsatisfied ?? true } });
  if ((args.input.action === 'dispatch' || args.input.action === 'approve_return') && args.input.categoryCode && args.input.categoryCode !== rec.row.categoryId) {
    await correctCategory(tx, rec, args.input.categoryCode, actor, now);
  }
  const files = action.kind === 'reply' ? action.attachments : action.kind === 'return' ? action.evidence : action.kind === 'verify_on_site' ? action.photos : undefined;
  if (files?.length) await claimAttachments(tx, actor, orderId, files);
  const { reopen } = await applyToStore(tx, rec, action, decision, actor, now, args.cacheKey);
  let state = decision.to;
  let steps = 1;
  if (reopen) {
    // Policy: unresolved and unsatisfied reopens the order to the same unit with new clocks (重办).
    const again = await loadVisibleOrder(tx, systemActor, orderId, { forUpdate: true });
    const reopenAction: OrderAction = { kind: 'reopen', reason: reopen };
    const d2 = decideTransition({ order: toSnapshot(again), action: reopenAction, actor: systemActor, now });
    await applyToStore(tx, again, reopenAction, d2, systemActor, now, args.cacheKey);
    state = d2.to;
    steps++;
  }
  await publishOrder(tx, orderId);
  if (action.kind === 'merge') await publishOrder(tx, action.intoOrderId);
  return { state, steps };
}

/**
 * transitionOrder({ db, actor, orderId, version: 3, input: { action: 'sign' }, now }) → the order's new version.
 * Refusals: 404 when the actor may not see the order, FORBIDDEN, ILLEGAL_TRANSITION, VALIDATION_FAILED,
 * VERSION_CONFLICT when `version` is stale.
 */
export async function transitionOrder(args: { db: Db; actor: Actor; orderId: string; version: number; input: ActionInput; now: Date; reopenOnUnsatisfied?: boolean }): Promise<{ orderId: string; version: number; state: OrderState }> {
  const { db, actor, orderId, now } = args;
  return db.transaction(async (tx) => {
    const rec = await loadVisibleOrder(tx, actor, orderId, { forUpdate: true });
    if (rec.row.version !== args.version) throw new DomainError('VERSION_CONFLICT', `工单已被他人更新（当前版本 ${rec.row.version}），请刷新后重试`);
    const { state, steps } = await stepInTx(tx, { actor, rec, input: args.input, now, cacheKey: db, ...(args.reopenOnUnsatisfied !== undefined ? { reopenOnUnsatisfied: args.reopenOnUnsatisfied } : {}) });
    return { orderId, version: rec.row.version + steps, state };
  });
}
