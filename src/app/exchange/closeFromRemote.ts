/**
 * 依据对方答复办结: close our order with the reply the peer platform gave on it. The peer handled the order, so
 * our clocks are cancelled (our units did not handle it and are not assessed on it; the peer's follow-up answers,
 * when it sent them, stay in the history only). State, reply, clocks and the history event in one transaction.
 */
import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden } from '../../domain/errors.js';
import { canCloseFromRemote, exchangeStatusLabels, type ExchangeStatus } from '../../domain/exchange/index.js';
import type { OrderState } from '../../domain/order/index.js';
import type { Db } from '../../store/db.js';
import { exchangeOrderLinks, exchangePeers, orderEvents, orders } from '../../store/schema/index.js';
import { cancelClocks, denormaliseDeadlines } from '../orders/clocks.js';
import { loadVisibleOrder } from '../orders/orderRecord.js';
import { publishLive } from '../outbox/publish.js';

export async function closeFromRemote(args: { db: Db; actor: Actor; orderId: string; version: number; note?: string | undefined; now: Date }): Promise<{ orderId: string; state: OrderState; version: number }> {
  const { db, actor, now } = args;
  if (actor.role !== 'dispatcher' && actor.role !== 'agent' && actor.role !== 'supervisor') throw forbidden('只有受理员、派单员或督办员可以依据对方答复办结');
  return db.transaction(async (tx) => {
    const rec = await loadVisibleOrder(tx, actor, args.orderId, { forUpdate: true });
    const o = rec.row;
    if (o.version !== args.version) throw new DomainError('VERSION_CONFLICT', '工单已被他人更新，请刷新后重试');
    const [hit] = await tx
      .select({ link: exchangeOrderLinks, peerName: exchangePeers.name, peerCode: exchangePeers.code })
      .from(exchangeOrderLinks)
      .innerJoin(exchangePeers, eq(exchangePeers.id, exchangeOrderLinks.peerId))
      .where(and(eq(exchangeOrderLinks.orderId, o.id), eq(exchangeOrderLinks.direction, 'sent')))
      .orderBy(exchangeOrderLinks.remoteSeq)
      .limit(1);
    if (!hit) throw new DomainError('ILLEGAL_TRANSITION', '该工单未上报或下派到其他平台');
    const remote = hit.link.remoteStatus as ExchangeStatus | null;
    const verdict = canCloseFromRemote(o.state as OrderState, remote, !!hit.link.remoteReply);
    if (!verdict.ok) throw new DomainError('ILLEGAL_TRANSITION', verdict.reason);
    const version = o.version + 1;
    await tx
      .update(orders)
      .set({ state: 'closed', version, replyText: hit.link.remoteReply, repliedAt: hit.link.remoteRepliedAt ?? now, closedAt: now, updatedAt: now })
      .where(eq(orders.id, o.id));
    await cancelClocks(tx, o.id);
    await denormaliseDeadlines(tx, o.id, now);
    await tx.insert(orderEvents).values({
      orderId: o.id,
      at: now,
      type: 'exchange_close',
      fromState: o.state,
      toState: 'closed',
      actorId: actor.userId,
      actorName: actor.displayName,
      actorRole: actor.role,
      actorUnitId: actor.unitId,
      data: { peer: { code: hit.peerCode, name: hit.peerName }, remoteOrderNo: hit.link.remoteOrderNo, remoteStatus: remote, label: `依据${hit.peerName}答复办结（对方：${remote ? exchangeStatusLabels[remote] : '未知'}）`, reply: hit.link.remoteReply, ...(args.note ? { note: args.note } : {}) },
    });
    await publishLive(tx, { kind: 'order', orderId: o.id, no: o.no, state: 'closed', type: o.type, unitPaths: rec.units.map((u) => u.unitPath), requesterUserIds: rec.requesterUserIds });
    return { orderId: o.id, state: 'closed' as OrderState, version };
  });
}
