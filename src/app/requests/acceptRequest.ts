/**
 * Intake (受理): record a request from any channel; answer a consultation on the spot (直接办结) or turn it into
 * a work order, dispatched at once when the proposal is confident or the agent chose the unit, else queued for
 * review. A retried submit with the same idempotency key returns the first result and creates nothing.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, invalid } from '../../domain/errors.js';
import { queryRows, type Db, type Tx } from '../../store/db.js';
import { attachments, categories, orderEvents, orders, requests, units } from '../../store/schema/index.js';
import { loadOrderRecord } from '../orders/orderRecord.js';
import { stepInTx, systemActor } from '../orders/transitionOrder.js';
import type { Proposal } from '../dispatch/proposal.js';
import { formatNo } from '../numbering.js';

export const requestTypes = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export type RequestType = (typeof requestTypes)[number];
export const channels = ['hotline', 'web', 'h5', 'app', 'api', 'wechat', 'grid', 'sensor', 'video', 'open311'] as const;
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

export type AcceptResult = { requestId: string; requestNo: string; orderId: string | null; replayed: boolean };

/** The request's and the order's human-readable numbers, from their sequences in one round trip. */
async function nextNumbers(tx: Tx, now: Date): Promise<{ requestNo: string; orderNo: string }> {
  const [r] = await queryRows<{ r: string | number; o: string | number }>(tx, sql`SELECT nextval('request_no_seq') AS r, nextval('order_no_seq') AS o`);
  return { requestNo: formatNo('SQ', now, r?.r ?? 0), orderNo: formatNo('GD', now, r?.o ?? 0) };
}

/** Check the place codes exist and nest (community in street in district); fill the parents from the child. */
async function resolvePlace(tx: Tx, input: RequestInput, proposal: Proposal | null): Promise<{ districtId: string | null; streetId: string | null; communityId: string | null }> {
  const codes = [input.districtCode, input.streetCode, input.communityCode].filter((c): c is string => !!c);
  const found = codes.length ? await tx.select({ id: units.id, level: units.level, path: units.path }).from(units).where(inArray(units.id, codes)) : [];
  const byId = new Map(found.map((u) => [u.id, u]));
  const check = (code: string | undefined, level: string, field: string) => {
    if (!code) return null;
    const u = byId.get(code);
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

export async function acceptRequest(args: { db: Db; actor: Actor; input: RequestInput; idempotencyKey?: string | undefined; proposal: Proposal | null; now: Date }): Promise<AcceptResult> {
  const { db, actor, input, proposal, now } = args;
  const key = args.idempotencyKey ?? null;
  if (key) {
    const prior = await findPrior(db, actor, key);
    if (prior) return prior;
  }
  if (input.answer && input.type !== 'consultation') throw invalid('answer', '只有咨询类诉求可以直接答复办结');
  if (actor.role === 'citizen' && (input.answer || (input.dispatch && input.dispatch !== 'auto'))) throw new DomainError('FORBIDDEN', '市民不能直接派单或办结');
  try {
    return await db.transaction(async (tx) => {
      const place = await resolvePlace(tx, input, proposal);
      const categoryCode = input.categoryCode ?? proposal?.category?.code ?? null;
      let urgency: Urgency = input.urgency ?? proposal?.urgency ?? 'general';
      if (categoryCode) {
        const [cat] = await tx.select().from(categories).where(eq(categories.id, categoryCode)).limit(1);
        if (!cat || !cat.active) throw invalid('categoryCode', '目录不存在或已停用');
        if (!input.urgency) urgency = (cat.urgency as Urgency | undefined) ?? urgency;
      }
      const { requestNo, orderNo } = await nextNumbers(tx, now);
      const orderId = randomUUID();
      const [req] = await tx
        .insert(requests)
        .values({
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
          proposal: proposal,
          createdAt: now,
        })
        .returning({ id: requests.id });
      if (!req) throw new Error('request insert returned nothing');
      if (input.attachmentIds?.length) {
        const claimed = await tx
          .update(attachments)
          .set({ ownerType: 'request', ownerId: req.id })
          .where(and(inArray(attachments.id, input.attachmentIds), eq(attachments.createdBy, actor.userId), isNull(attachments.ownerId)))
          .returning({ id: attachments.id });
        if (claimed.length !== new Set(input.attachmentIds).size) throw invalid('attachmentIds', '附件不存在、不属于当前用户或已被使用');
      }
      const [order] = await tx
        .insert(orders)
        .values({
          id: orderId,
          no: orderNo,
          requestId: req.id,
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
          acceptedAt: now,
          proposal: proposal,
          updatedAt: now,
        })
        .returning();
      if (!order) throw new Error('order insert returned nothing');
      await tx.insert(orderEvents).values({
        orderId: order.id,
        at: now,
        type: 'accept',
        fromState: null,
        toState: 'accepted',
        actorId: actor.userId,
        actorName: actor.displayName,
        actorRole: actor.role,
        actorUnitId: actor.unitId,
        data: { channel: input.channel, requestNo, ...(proposal ? { proposal: { category: proposal.category?.code ?? null, confidence: proposal.confidence, leadUnit: proposal.leadUnit?.code ?? null } } : {}) },
      });
      // Citizens and channels without a dispatcher are accepted by the hotline on their behalf.
      const stepActor = actor.role === 'agent' || actor.role === 'dispatcher' ? actor : systemActor;
      let first = true;
      const step = async (i: Parameters<typeof stepInTx>[1]['input']) => {
        // The order was inserted a moment ago in this transaction: its record is known without reading it back.
        const rec = first ? { row: order, units: [], requesterUserIds: actor.role === 'citizen' ? [actor.userId] : [], whistleUnitPaths: [] } : await loadOrderRecord(tx, order.id, { forUpdate: true });
        first = false;
        if (!rec) throw new Error('order vanished in its own transaction');
        await stepInTx(tx, { actor: stepActor, rec, input: i, now, cacheKey: db });
      };
      if (input.answer) {
        await step({ action: 'close_direct', answer: input.answer.text });
      } else if (input.dispatch && typeof input.dispatch === 'object') {
        await step({ action: 'dispatch', leadUnitCode: input.dispatch.leadUnitCode, ...(input.dispatch.coUnitCodes ? { coUnitCodes: input.dispatch.coUnitCodes } : {}) });
      } else if (input.dispatch === 'review' || !proposal?.leadUnit || proposal.needsReview) {
        await step({ action: 'send_to_review', reason: proposal?.leadUnit ? `智能派单置信度 ${proposal.confidence.toFixed(2)} 低于阈值，转人工审核` : '未能确定承办单位，转人工审核' });
      } else {
        await step({ action: 'dispatch', leadUnitCode: proposal.leadUnit.code, coUnitCodes: proposal.coUnits.map((c) => c.code), note: '智能派单（直派）' });
      }
      return { requestId: req.id, requestNo, orderId: order.id, replayed: false };
    });
  } catch (err) {
    // Two submits with one key at once: the second waits on the unique index, then finds the first.
    if (key && isUniqueViolation(err)) {
      const prior = await findPrior(db, actor, key);
      if (prior) return prior;
    }
    throw err;
  }
}

async function findPrior(db: Db, actor: Actor, key: string): Promise<AcceptResult | null> {
  const [r] = await db.select({ id: requests.id, no: requests.no, orderId: requests.orderId }).from(requests).where(and(eq(requests.createdBy, actor.userId), eq(requests.idempotencyKey, key))).limit(1);
  return r ? { requestId: r.id, requestNo: r.no, orderId: r.orderId, replayed: true } : null;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.code === '23505' || e.cause?.code === '23505';
}
