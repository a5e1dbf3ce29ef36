/**
 * Intake (受理): record a request from any channel; answer a consultation on the spot (直接办结) or turn it into
 * a work order, dispatched at once when the proposal is confident or the agent chose the unit, else queued for
 * review. A retried submit with the same idempotency key returns the first result and creates nothing.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { policyForUrgency } from '../../domain/deadline/index.js';
import { DomainError, invalid } from '../../domain/errors.js';
import { decideTransition, type Effect } from '../../domain/order/index.js';
import type { Db } from '../../store/db.js';
import { attachments, orderEvents, orders, requests } from '../../store/schema/index.js';
import { plannedClocks } from '../orders/clocks.js';
import { presentOrder, type OrderDetail } from '../orders/getOrder.js';
import { isVisible, toSnapshot, type OrderRecord, type OrderRow, type OrderUnitRow } from '../orders/orderRecord.js';
import { orderPatch, recipientsAmong, stepEvent, stepInTx, stepNotification, systemActor, toDomainAction, type ActionInput } from '../orders/transitionOrder.js';
import { notificationRow, type LiveEvent } from '../outbox/publish.js';
import { writeNewOrder } from './intakeWriter.js';
import { getDeadlinePolicies } from '../policies/deadlinePolicies.js';
import { getWorkCalendar } from '../policies/workCalendar.js';
import { activeUnit, getReference, namesFromReference, type Reference } from '../reference/referenceCache.js';
import type { Proposal } from '../dispatch/proposal.js';
import { noteNewOrder } from '../dispatch/repeatCandidates.js';
import { formatNo, nextNumber } from '../numbering.js';

export const requestTypes = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export type RequestType = (typeof requestTypes)[number];
export const channels = ['hotline', 'web', 'h5', 'app', 'api', 'wechat', 'grid', 'sensor', 'video', 'open311', 'proactive', 'exchange'] as const;
export type Channel = (typeof channels)[number];
export type Urgency = 'emergency' | 'utility' | 'general' | 'complex';

export type RequestInput = {
  type: RequestType;
  title: string;
  body: string;
  channel: Channel;
  urgency?: Urgency | undefined;
  address?: string | undefined;
  lat?: number | undefined;
  lng?: number | undefined;
  districtCode?: string | undefined;
  streetCode?: string | undefined;
  communityCode?: string | undefined;
  categoryCode?: string | undefined;
  contact?: { name?: string | undefined; phone?: string | undefined } | undefined;
  attachmentIds?: string[] | undefined;
  /** 'auto' follows the proposal; a unit code dispatches there; absent: auto for staff, auto for citizens too. */
  dispatch?: 'auto' | 'review' | { leadUnitCode: string; coUnitCodes?: string[] | undefined } | undefined;
  /** Close a consultation on the spot with this answer. */
  answer?: { text: string; knowledgeId?: string | undefined } | undefined;
};

/** `order` is the new order as the submitter sees it, when intake has it at hand (null: not visible to them). */
export type AcceptResult = { requestId: string; requestNo: string; orderId: string | null; replayed: boolean; order?: OrderDetail | null };

/** Check the place codes exist and nest (community in street in district); fill the parents from the child. */
function resolvePlace(ref: Reference, input: RequestInput, proposal: Proposal | null): { districtId: string | null; streetId: string | null; communityId: string | null } {
  const check = (code: string | undefined, level: string, field: string) => {
    if (!code) return null;
    const u = ref.units.get(code);
    if (!u || u.level !== level) throw invalid(field, `不是有效的${level === 'district' ? '区' : level === 'street' ? '街道/乡镇' : '社区/村'}编码`);
    return u;
  };
  const d = check(input.districtCode, 'district', 'districtCode');
  const s = check(input.streetCode, 'street', 'streetCode');
  const c = check(input.communityCode, 'community', 'communityCode');
  if (s && d && !s.path.startsWith(d.path)) throw invalid('streetCode', '街道不属于所选的区');
  if (c && s && !c.path.startsWith(s.path)) throw invalid('communityCode', '社区不属于所选的街道');
  const seg = (u: { path: string } | null, i: number) => (u ? (u.path.split('/').filter(Boolean)[i] ?? null) : null);
  const chosen = c ?? s ?? d;
  if (chosen) return { districtId: seg(chosen, 1), streetId: c || s ? seg(chosen, 2) : null, communityId: c ? c.id : null };
  const loc = proposal?.location;
  return { districtId: loc?.district?.code ?? null, streetId: loc?.street?.code ?? null, communityId: loc?.community?.code ?? null };
}

/** The order's category and urgency: the agent's choice or the proposal's, checked against the catalogue. */
function categoryOf(ref: Reference, input: RequestInput, proposal: Proposal | null): { categoryCode: string | null; urgency: Urgency } {
  const categoryCode = input.categoryCode ?? proposal?.category?.code ?? null;
  let urgency: Urgency = input.urgency ?? proposal?.urgency ?? 'general';
  if (categoryCode) {
    const cat = ref.categories.get(categoryCode);
    if (!cat || !cat.active) throw invalid('categoryCode', '目录不存在或已停用');
    if (!input.urgency) urgency = (cat.urgency as Urgency | undefined) ?? urgency;
  }
  return { categoryCode, urgency };
}

/** The first step after accepting: answer on the spot, dispatch (chosen or proposed), or queue for review. */
function firstStep(input: RequestInput, proposal: Proposal | null): ActionInput {
  if (input.answer) return { action: 'close_direct', answer: input.answer.text };
  if (input.dispatch && typeof input.dispatch === 'object') return { action: 'dispatch', leadUnitCode: input.dispatch.leadUnitCode, ...(input.dispatch.coUnitCodes ? { coUnitCodes: input.dispatch.coUnitCodes } : {}) };
  if (input.dispatch === 'review' || !proposal?.leadUnit || proposal.needsReview) {
    return { action: 'send_to_review', reason: proposal?.leadUnit ? `智能派单置信度 ${proposal.confidence.toFixed(2)} 低于阈值，转人工审核` : '未能确定承办单位，转人工审核' };
  }
  return { action: 'dispatch', leadUnitCode: proposal.leadUnit.code, coUnitCodes: proposal.coUnits.map((c) => c.code), note: '智能派单（直派）' };
}

/** Effects a just-created order can take without reading anything back: the one-statement intake handles these. */
const freshOrderEffects = new Set<Effect['kind']>(['set_units', 'start_clocks', 'notify', 'cancel_clocks', 'stop_clock']);

type Prepared = {
  requestId: string;
  requestNo: string;
  orderNo: string;
  request: typeof requests.$inferInsert;
  order: OrderRow;
  acceptEvent: typeof orderEvents.$inferInsert & { data: Record<string, unknown> };
};

export async function acceptRequest(args: { db: Db; actor: Actor; input: RequestInput; idempotencyKey?: string | undefined; proposal: Proposal | null; now: Date }): Promise<AcceptResult> {
  const { db, actor, input, proposal, now } = args;
  const key = args.idempotencyKey ?? null;
  if (input.answer && input.type !== 'consultation') throw invalid('answer', '只有咨询类诉求可以直接答复办结');
  if (actor.role === 'citizen' && (input.answer || (input.dispatch && input.dispatch !== 'auto'))) throw new DomainError('FORBIDDEN', '市民不能直接派单或办结');
  try {
    const ref = await getReference(db);
    const place = resolvePlace(ref, input, proposal);
    const { categoryCode, urgency } = categoryOf(ref, input, proposal);
    const [requestSeq, orderSeq] = await Promise.all([nextNumber(db, 'request_no_seq'), nextNumber(db, 'order_no_seq')]);
    const requestNo = formatNo('SQ', now, requestSeq);
    const orderNo = formatNo('GD', now, orderSeq);
    const requestId = randomUUID();
    const orderId = randomUUID();
    const request: typeof requests.$inferInsert = {
      id: requestId,
      no: requestNo,
      type: input.type,
      channel: input.channel,
      title: input.title,
      body: input.body,
      urgency,
      address: input.address ?? null,
      lat: input.lat ?? null,
      lng: input.lng ?? null,
      ...place,
      contactName: input.contact?.name ?? (actor.role === 'citizen' ? actor.displayName : null),
      contactPhone: input.contact?.phone ?? null,
      citizenUserId: actor.role === 'citizen' ? actor.userId : null,
      createdBy: actor.userId,
      idempotencyKey: key,
      orderId,
      answer: input.answer?.text ?? null,
      knowledgeId: input.answer?.knowledgeId ?? null,
      // The proposal is kept once, on the order, where dispatchers read it.
      proposal: null,
      createdAt: now,
    };
    const order: OrderRow = {
      id: orderId,
      no: orderNo,
      requestId,
      type: input.type,
      channel: input.channel,
      title: input.title,
      body: input.body,
      categoryId: categoryCode,
      urgency,
      policyCode: urgency,
      address: input.address ?? null,
      lat: input.lat ?? null,
      lng: input.lng ?? null,
      ...place,
      state: 'accepted',
      version: 1,
      leadUnitId: null,
      leadUnitPath: null,
      stateBeforeReturn: null,
      stateBeforePark: null,
      extension: null,
      reopenCount: 0,
      parkedUntil: null,
      mergedIntoId: null,
      assessmentExcluded: false,
      exclusionReason: null,
      replyText: null,
      repliedAt: null,
      resolution: null,
      satisfaction: null,
      followedUpAt: null,
      lastResolution: null,
      lastSatisfaction: null,
      lastFollowedUpAt: null,
      responseMet: null,
      acceptedAt: now,
      dispatchedAt: null,
      closedAt: null,
      replyDueAt: null,
      overdue: false,
      proposal,
      updatedAt: now,
    };
    const acceptEvent = {
      orderId,
      at: now,
      type: 'accept',
      fromState: null,
      toState: 'accepted',
      actorId: actor.userId,
      actorName: actor.displayName,
      actorRole: actor.role,
      actorUnitId: actor.unitId,
      data: { channel: input.channel, requestNo, ...(proposal ? { proposal: { category: proposal.category?.code ?? null, confidence: proposal.confidence, leadUnit: proposal.leadUnit?.code ?? null } } : {}) },
    };
    const prepared: Prepared = { requestId, requestNo, orderNo, request, order, acceptEvent };
    // Citizens and channels without a dispatcher are accepted by the hotline on their behalf.
    const stepActor = actor.role === 'agent' || actor.role === 'dispatcher' ? actor : systemActor;
    const step = firstStep(input, proposal);
    if (!input.attachmentIds?.length) {
      const done = await acceptInOneStatement({ db, actor, stepActor, ref, prepared, step, now });
      if (done) return done;
    }
    return await acceptInTransaction({ db, actor, stepActor, prepared, step, attachmentIds: input.attachmentIds ?? [], now });
  } catch (err) {
    // A repeated key (also two submits with one key at once): the unique index refuses the second; replay the first.
    if (key && isUniqueViolation(err)) {
      const prior = await findPrior(db, actor, key);
      if (prior) return prior;
    }
    throw err;
  }
}

/**
 * The common intake — accept and take the first step on a new order — as one SQL statement: request, order,
 * history, units, clocks, notifications and the live event are written together or not at all, with no
 * transaction round trips. The domain decides exactly as for any step; a step whose effects need the stored
 * order (or attachments to claim) returns null and goes through `acceptInTransaction`.
 */
async function acceptInOneStatement(args: { db: Db; actor: Actor; stepActor: Actor; ref: Reference; prepared: Prepared; step: ActionInput; now: Date }): Promise<AcceptResult | null> {
  const { db, actor, stepActor, ref, prepared, step, now } = args;
  const { order } = prepared;
  const requesterUserIds = actor.role === 'citizen' ? [actor.userId] : [];
  const fresh: OrderRecord = { row: order, units: [], requesterUserIds, whistleUnitPaths: [] };
  const lookup = (codes: string[]) =>
    Promise.resolve(
      new Map(
        codes.flatMap((c) => {
          const u = activeUnit(ref, c);
          return u ? [[c, u] as const] : [];
        }),
      ),
    );
  const action = await toDomainAction(lookup, fresh, step);
  const decision = decideTransition({ order: toSnapshot(fresh), action, actor: stepActor, now });
  if (!decision.effects.every((e) => freshOrderEffects.has(e.kind))) return null;

  const row: OrderRow = { ...order, ...orderPatch(fresh, action, decision, now) };
  const setUnits = decision.effects.find((e): e is Extract<Effect, { kind: 'set_units' }> => e.kind === 'set_units');
  const unitRows: OrderUnitRow[] = setUnits
    ? [
        { orderId: order.id, unitId: setUnits.lead.id, unitPath: setUnits.lead.path, role: 'lead', active: true, signedAt: null, assignedAt: now },
        ...setUnits.coUnits.map((c) => ({ orderId: order.id, unitId: c.id, unitPath: c.path, role: 'co', active: true, signedAt: null, assignedAt: now })),
      ]
    : [];
  const policy = policyForUrgency(order.urgency as Urgency, await getDeadlinePolicies(db, { cacheKey: db }));
  const calendar = await getWorkCalendar(db, { cacheKey: db });
  const clockRows = decision.effects.flatMap((e) => (e.kind === 'start_clocks' ? plannedClocks(order.id, e.clocks, policy, now, calendar) : []));
  const reply = clockRows.find((c) => c.kind === 'reply');
  row.replyDueAt = reply?.dueAt ?? null;
  const notes = decision.effects.flatMap((e) => {
    if (e.kind !== 'notify') return [];
    const to = recipientsAmong({ active: unitRows, to: e.to, unitPath: e.unitPath, requesterUserIds, superiorOf: (id) => ref.units.get(id)?.parentId ?? null });
    return to.unitIds.length || to.userIds.length ? [notificationRow(stepNotification(row, action, decision, e.template, to), now)] : [];
  });
  const events = [prepared.acceptEvent, stepEvent(order.id, decision, stepActor, now)];
  const live: LiveEvent = { kind: 'order', orderId: row.id, no: row.no, state: row.state, type: row.type, unitPaths: unitRows.map((u) => u.unitPath), requesterUserIds };
  const ids = await writeNewOrder(db, { request: prepared.request, order: row, events, units: unitRows, clocks: clockRows, notifications: notes, live });
  // Committed: the next request of this street is compared against it at once (orders taken in by a transaction
  // below, or by other servers, join the kept lists when they are next read).
  noteNewOrder(db, row);

  const rec: OrderRecord = { row, units: unitRows, requesterUserIds, whistleUnitPaths: [] };
  const storedEvents = events.map((e, i) => ({ id: Number(ids[i]), orderId: e.orderId, at: now, type: e.type, fromState: e.fromState ?? null, toState: e.toState ?? null, actorId: e.actorId ?? null, actorName: e.actorName ?? null, actorRole: e.actorRole ?? null, actorUnitId: e.actorUnitId ?? null, data: e.data }));
  const detail = isVisible(actor, rec)
    ? presentOrder({ rec, clocks: clockRows, events: storedEvents, requesters: [{ id: prepared.requestId, name: prepared.request.contactName ?? null, phone: prepared.request.contactPhone ?? null }], files: [] }, namesFromReference(ref), actor, now)
    : null;
  return { requestId: prepared.requestId, requestNo: prepared.requestNo, orderId: order.id, replayed: false, order: detail };
}

/** Intake in a transaction, step by step: for uploads to claim and for first steps with effects on stored rows. */
async function acceptInTransaction(args: { db: Db; actor: Actor; stepActor: Actor; prepared: Prepared; step: ActionInput; attachmentIds: string[]; now: Date }): Promise<AcceptResult> {
  const { db, actor, stepActor, prepared, now } = args;
  return db.transaction(async (tx) => {
    await tx.insert(requests).values(prepared.request);
    if (args.attachmentIds.length) {
      const claimed = await tx
        .update(attachments)
        .set({ ownerType: 'request', ownerId: prepared.requestId })
        .where(and(inArray(attachments.id, args.attachmentIds), eq(attachments.createdBy, actor.userId), isNull(attachments.ownerId)))
        .returning({ id: attachments.id });
      if (claimed.length !== new Set(args.attachmentIds).size) throw invalid('attachmentIds', '附件不存在、不属于当前用户或已被使用');
    }
    await tx.insert(orders).values(prepared.order);
    await tx.insert(orderEvents).values(prepared.acceptEvent);
    // The order was inserted a moment ago in this transaction: its record is known without reading it back.
    const rec: OrderRecord = { row: prepared.order, units: [], requesterUserIds: actor.role === 'citizen' ? [actor.userId] : [], whistleUnitPaths: [] };
    await stepInTx(tx, { actor: stepActor, rec, input: args.step, now, cacheKey: db });
    return { requestId: prepared.requestId, requestNo: prepared.requestNo, orderId: prepared.order.id, replayed: false };
  });
}

async function findPrior(db: Db, actor: Actor, key: string): Promise<AcceptResult | null> {
  const [r] = await db.select({ id: requests.id, no: requests.no, orderId: requests.orderId }).from(requests).where(and(eq(requests.createdBy, actor.userId), eq(requests.idempotencyKey, key))).limit(1);
  return r ? { requestId: r.id, requestNo: r.no, orderId: r.orderId, replayed: true } : null;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.code === '23505' || e.cause?.code === '23505';
}
