/**
 * 上报 / 下派: pass one of our orders to a peer platform (up to the province, down to a city). The link, the
 * history event and the outbox message are written in one transaction; the outbox delivers it, retrying while the
 * peer is down. Our order stays open: the peer's statuses arrive as history events, and when the peer replies we may
 * close ours from its reply (`closeFromRemote`).
 */
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden } from '../../domain/errors.js';
import { directionLabels, type OrderCreateBody, type PeerDirection } from '../../domain/exchange/index.js';
import { finalStates, type OrderState } from '../../domain/order/index.js';
import type { Db } from '../../store/db.js';
import { exchangeOrderLinks, orderEvents, requests } from '../../store/schema/index.js';
import { loadVisibleOrder } from '../orders/orderRecord.js';
import { buildMessage, enqueueExchange, ourPlatform } from './envelope.js';
import { peerByCode } from './peers.js';

export const exchangeSenderRoles = ['dispatcher', 'supervisor'] as const;

export async function sendOrder(args: { db: Db; actor: Actor; orderId: string; peerCode: string; note?: string | undefined; now: Date }): Promise<{ linkId: number; messageId: string; direction: PeerDirection }> {
  const { db, actor, now } = args;
  if (!(exchangeSenderRoles as readonly string[]).includes(actor.role)) throw forbidden('只有派单员或督办员可以上报/下派工单');
  const from = await ourPlatform(db);
  return db.transaction(async (tx) => {
    const peer = await peerByCode(tx, args.peerCode);
    const rec = await loadVisibleOrder(tx, actor, args.orderId, { forUpdate: true });
    const o = rec.row;
    if (finalStates.includes(o.state as OrderState)) throw new DomainError('ILLEGAL_TRANSITION', '工单已结束，不能再上报或下派');
    const [dup] = await tx.select({ id: exchangeOrderLinks.id }).from(exchangeOrderLinks).where(and(eq(exchangeOrderLinks.peerId, peer.id), eq(exchangeOrderLinks.orderId, o.id))).limit(1);
    if (dup) throw new DomainError('CONFLICT', `工单已发送给${peer.name}`);
    const [req] = await tx.select({ name: requests.contactName, phone: requests.contactPhone }).from(requests).where(eq(requests.id, o.requestId)).limit(1);
    const body: OrderCreateBody = {
      orderNo: o.no,
      type: o.type as OrderCreateBody['type'],
      title: o.title,
      body: o.body,
      urgency: o.urgency as OrderCreateBody['urgency'],
      acceptedAt: o.acceptedAt.toISOString(),
      ...(o.categoryId ? { categoryCode: o.categoryId } : {}),
      ...(o.districtId ? { districtCode: o.districtId } : {}),
      ...(o.streetId ? { streetCode: o.streetId } : {}),
      ...(o.communityId ? { communityCode: o.communityId } : {}),
      ...(o.address ? { address: o.address } : {}),
      ...(o.lat !== null ? { lat: o.lat } : {}),
      ...(o.lng !== null ? { lng: o.lng } : {}),
      // The peer handles the order and calls the citizen back, so it gets the contact (a platform, not a role).
      ...(req && (req.name || req.phone) ? { contact: { ...(req.name ? { name: req.name } : {}), ...(req.phone ? { phone: req.phone } : {}) } } : {}),
      ...(args.note ? { note: args.note } : {}),
    };
    const message = buildMessage('order.create', body, from, now);
    const [link] = await tx.insert(exchangeOrderLinks).values({ peerId: peer.id, orderId: o.id, direction: 'sent', createdAt: now, updatedAt: now }).returning({ id: exchangeOrderLinks.id });
    if (!link) throw new DomainError('INTERNAL', '无法记录对接关系');
    const direction = peer.direction as PeerDirection;
    await tx.insert(orderEvents).values({
      orderId: o.id,
      at: now,
      type: 'exchange_send',
      fromState: o.state,
      toState: o.state,
      actorId: actor.userId,
      actorName: actor.displayName,
      actorRole: actor.role,
      actorUnitId: actor.unitId,
      data: { peer: { code: peer.code, name: peer.name }, direction, label: `${directionLabels[direction]}至${peer.name}`, messageId: message.messageId, ...(args.note ? { note: args.note } : {}) },
    });
    await enqueueExchange(tx, peer.id, message, now);
    return { linkId: link.id, messageId: message.messageId, direction };
  });
}
