/**
 * A message from a peer platform, once: the peer is known by its API key, the message id is the idempotency key
 * (a retried delivery gets the first answer and changes nothing), and each kind's effect is written with its log row.
 *
 * - order.create: the order enters our real intake (`acceptRequest`) as the key's service user, channel 'api',
 *   queued for our dispatchers' review; the link remembers the peer's number.
 * - order.status: the peer's progress on an order we sent becomes a history event on ours (older news changes
 *   nothing but the history).
 * - indicators: a lower platform's monthly figures, the latest kept per month.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden } from '../../domain/errors.js';
import { exchangeStatusLabels, type ExchangeMessage, type IndicatorsBody, type OrderCreateBody, type OrderStatusBody } from '../../domain/exchange/index.js';
import type { Db, Tx } from '../../store/db.js';
import { exchangeInbound, exchangeIndicators, exchangeOrderLinks, exchangePeers, orderEvents, orders } from '../../store/schema/index.js';
import { getReference, type Reference } from '../reference/referenceCache.js';
import { acceptRequest, type RequestInput } from '../requests/acceptRequest.js';
import type { PeerRow } from './peers.js';

export type ReceiveResult = { messageId: string; duplicate: boolean; result: Record<string, unknown> };

/** The peer a verified key belongs to (the key must be the one we issued to an active peer). */
export async function peerOfKey(db: Db, keyId: string): Promise<PeerRow> {
  const [p] = await db.select().from(exchangePeers).where(eq(exchangePeers.theirKeyId, keyId)).limit(1);
  if (!p) throw forbidden('该接口密钥未登记为对接平台');
  if (!p.active) throw forbidden('对接平台已停用');
  return p;
}

async function prior(db: Db | Tx, messageId: string): Promise<typeof exchangeInbound.$inferSelect | undefined> {
  const [row] = await db.select().from(exchangeInbound).where(eq(exchangeInbound.messageId, messageId)).limit(1);
  return row;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.code === '23505' || e.cause?.code === '23505';
}

export async function receiveMessage(args: { db: Db; peer: PeerRow; keyActor: Actor; message: ExchangeMessage; now: Date }): Promise<ReceiveResult> {
  const { db, peer, message, now } = args;
  const seen = await prior(db, message.messageId);
  if (seen) {
    if (seen.peerId !== peer.id) throw new DomainError('CONFLICT', '消息编号已被其他平台使用', [{ field: 'messageId', reason: '重复' }]);
    return { messageId: message.messageId, duplicate: true, result: seen.result };
  }
  try {
    let result: Record<string, unknown>;
    switch (message.kind) {
      case 'order.create':
        result = await receiveOrder(db, peer, args.keyActor, message.messageId, message.body, now);
        break;
      case 'order.status':
        result = await receiveStatus(db, peer, message.messageId, message.body, now);
        break;
      case 'indicators':
        result = await receiveIndicators(db, peer, message.messageId, message.body, now);
        break;
    }
    return { messageId: message.messageId, duplicate: false, result };
  } catch (err) {
    // The same message delivered twice at once: the log's primary key refused the second; answer as the first.
    if (isUniqueViolation(err)) {
      const first = await prior(db, message.messageId);
      if (first) return { messageId: message.messageId, duplicate: true, result: first.result };
    }
    throw err;
  }
}

/** Codes the peer sent that we do not have are dropped (the address text stays), so review places the order. */
function knownPlace(ref: Reference, b: OrderCreateBody): Pick<RequestInput, 'districtCode' | 'streetCode' | 'communityCode' | 'categoryCode'> & { dropped: string[] } {
  const dropped: string[] = [];
  const keep = (code: string | undefined, level: string, field: string) => {
    if (!code) return undefined;
    const u = ref.units.get(code);
    if (u && u.level === level && u.active) return code;
    dropped.push(`${field}=${code}`);
    return undefined;
  };
  const districtCode = keep(b.districtCode, 'district', 'districtCode');
  let streetCode = keep(b.streetCode, 'street', 'streetCode');
  let communityCode = keep(b.communityCode, 'community', 'communityCode');
  const pathOf = (c: string | undefined) => (c ? (ref.units.get(c)?.path ?? '') : '');
  if (streetCode && districtCode && !pathOf(streetCode).startsWith(pathOf(districtCode))) {
    dropped.push(`streetCode=${streetCode}`);
    streetCode = undefined;
  }
  if (communityCode && streetCode && !pathOf(communityCode).startsWith(pathOf(streetCode))) {
    dropped.push(`communityCode=${communityCode}`);
    communityCode = undefined;
  }
  const cat = b.categoryCode ? ref.categories.get(b.categoryCode) : undefined;
  const categoryCode = cat?.active ? b.categoryCode : undefined;
  if (b.categoryCode && !categoryCode) dropped.push(`categoryCode=${b.categoryCode}`);
  return { districtCode, streetCode, communityCode, categoryCode, dropped };
}

async function receiveOrder(db: Db, peer: PeerRow, keyActor: Actor, messageId: string, b: OrderCreateBody, now: Date): Promise<Record<string, unknown>> {
  const [existing] = await db.select({ orderId: exchangeOrderLinks.orderId }).from(exchangeOrderLinks).where(and(eq(exchangeOrderLinks.peerId, peer.id), eq(exchangeOrderLinks.direction, 'received'), eq(exchangeOrderLinks.remoteOrderNo, b.orderNo))).limit(1);
  if (existing) {
    // The peer sent the same order again under a new message id: answer with ours, create nothing.
    const [o] = await db.select({ no: orders.no }).from(orders).where(eq(orders.id, existing.orderId)).limit(1);
    const result = { orderNo: o?.no ?? null, orderId: existing.orderId, existed: true };
    await db.insert(exchangeInbound).values({ messageId, peerId: peer.id, kind: 'order.create', receivedAt: now, result }).onConflictDoNothing();
    return result;
  }
  const ref = await getReference(db);
  const { dropped, ...codes } = knownPlace(ref, b);
  const input: RequestInput = {
    type: b.type,
    title: b.title,
    body: b.body,
    channel: 'exchange',
    urgency: b.urgency,
    address: b.address,
    lat: b.lat,
    lng: b.lng,
    ...codes,
    contact: b.contact,
    dispatch: 'review',
  };
  // The intake's own idempotency key makes a crash between intake and the link below harmless: the retry replays.
  const accepted = await acceptRequest({ db, actor: keyActor, input, idempotencyKey: `exchange:${peer.id}:${b.orderNo}`, proposal: null, now });
  if (!accepted.orderId) throw new DomainError('INTERNAL', '未能生成工单');
  const [o] = await db.select({ no: orders.no, state: orders.state }).from(orders).where(eq(orders.id, accepted.orderId)).limit(1);
  const result = { orderNo: o?.no ?? null, orderId: accepted.orderId, existed: false, ...(dropped.length ? { droppedCodes: dropped } : {}) };
  await db.transaction(async (tx) => {
    await tx.insert(exchangeInbound).values({ messageId, peerId: peer.id, kind: 'order.create', receivedAt: now, result });
    await tx.insert(exchangeOrderLinks).values({ peerId: peer.id, orderId: accepted.orderId as string, direction: 'received', remoteOrderNo: b.orderNo, syncedEventId: 0, createdAt: now, updatedAt: now }).onConflictDoNothing();
    await tx.insert(orderEvents).values({
      orderId: accepted.orderId as string,
      at: now,
      type: 'exchange_receive',
      fromState: o?.state ?? null,
      toState: o?.state ?? null,
      actorId: keyActor.userId,
      actorName: keyActor.displayName,
      actorRole: keyActor.role,
      actorUnitId: keyActor.unitId,
      data: { peer: { code: peer.code, name: peer.name }, direction: peer.direction, remoteOrderNo: b.orderNo, remoteAcceptedAt: b.acceptedAt, messageId, label: `${peer.direction === 'upper' ? '上级平台下派' : '下级平台上报'}：${peer.name} ${b.orderNo}`, ...(b.note ? { note: b.note } : {}), ...(dropped.length ? { droppedCodes: dropped } : {}) },
    });
  });
  return result;
}

async function receiveStatus(db: Db, peer: PeerRow, messageId: string, b: OrderStatusBody, now: Date): Promise<Record<string, unknown>> {
  return db.transaction(async (tx) => {
    const [hit] = await tx
      .select({ link: exchangeOrderLinks, state: orders.state })
      .from(exchangeOrderLinks)
      .innerJoin(orders, eq(orders.id, exchangeOrderLinks.orderId))
      .where(and(eq(exchangeOrderLinks.peerId, peer.id), eq(exchangeOrderLinks.direction, 'sent'), eq(orders.no, b.peerOrderNo)))
      .for('update', { of: exchangeOrderLinks })
      .limit(1);
    if (!hit) throw new DomainError('NOT_FOUND', `没有发送给该平台的工单 ${b.peerOrderNo}`, [{ field: 'body.peerOrderNo', reason: '不存在' }]);
    const { link } = hit;
    const newer = b.seq > link.remoteSeq;
    if (newer || link.remoteOrderNo === null) {
      await tx
        .update(exchangeOrderLinks)
        .set({
          remoteOrderNo: link.remoteOrderNo ?? b.orderNo,
          ...(newer ? { remoteStatus: b.status, remoteSeq: b.seq } : {}),
          ...(newer && b.reply ? { remoteReply: b.reply.text, remoteRepliedAt: new Date(b.reply.at) } : {}),
          updatedAt: now,
        })
        .where(eq(exchangeOrderLinks.id, link.id));
    }
    await tx.insert(orderEvents).values({
      orderId: link.orderId,
      at: now,
      type: 'exchange_status',
      fromState: hit.state,
      toState: hit.state,
      actorId: null,
      actorName: peer.name,
      actorRole: null,
      actorUnitId: null,
      data: { peer: { code: peer.code, name: peer.name }, remoteOrderNo: b.orderNo, status: b.status, label: `${peer.name}：${exchangeStatusLabels[b.status]}`, seq: b.seq, remoteAt: b.at, stale: !newer, ...(b.reply ? { reply: b.reply } : {}), ...(b.followUp ? { followUp: b.followUp } : {}), ...(b.note ? { note: b.note } : {}) },
    });
    const result = { orderNo: b.peerOrderNo, status: b.status, applied: newer };
    await tx.insert(exchangeInbound).values({ messageId, peerId: peer.id, kind: 'order.status', receivedAt: now, result });
    return result;
  });
}

async function receiveIndicators(db: Db, peer: PeerRow, messageId: string, b: IndicatorsBody, now: Date): Promise<Record<string, unknown>> {
  if (peer.direction !== 'lower') throw forbidden('只接收下级平台上报的指标');
  return db.transaction(async (tx) => {
    const { month, asOf, ...figures } = b;
    await tx
      .insert(exchangeIndicators)
      .values({ peerId: peer.id, month, asOf: new Date(asOf), figures, receivedAt: now })
      .onConflictDoUpdate({
        target: [exchangeIndicators.peerId, exchangeIndicators.month],
        // Only a newer summary replaces the one we have (deliveries may cross).
        set: { asOf: sql`GREATEST(${exchangeIndicators.asOf}, excluded.as_of)`, figures: sql`CASE WHEN excluded.as_of >= ${exchangeIndicators.asOf} THEN excluded.figures ELSE ${exchangeIndicators.figures} END`, receivedAt: now, messageCount: sql`${exchangeIndicators.messageCount} + 1` },
      });
    const result = { month, accepted: true };
    await tx.insert(exchangeInbound).values({ messageId, peerId: peer.id, kind: 'indicators', receivedAt: now, result });
    return result;
  });
}
