/** The exchange side of one order: which peers it went to or came from, their numbers and latest status. */
import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import type { ExchangeStatus } from '../../domain/exchange/index.js';
import type { Db } from '../../store/db.js';
import { exchangeOrderLinks, exchangePeers } from '../../store/schema/index.js';
import { loadVisibleOrder } from '../orders/orderRecord.js';

export type OrderLinkView = { peer: { code: string; name: string; direction: string }; direction: 'sent' | 'received'; remoteOrderNo: string | null; remoteStatus: ExchangeStatus | null; remoteReply: { text: string; at: string | null } | null; updatedAt: string };

export async function orderLinks(args: { db: Db; actor: Actor; orderId: string }): Promise<OrderLinkView[]> {
  await loadVisibleOrder(args.db, args.actor, args.orderId);
  const rows = await args.db.select({ l: exchangeOrderLinks, p: exchangePeers }).from(exchangeOrderLinks).innerJoin(exchangePeers, eq(exchangePeers.id, exchangeOrderLinks.peerId)).where(eq(exchangeOrderLinks.orderId, args.orderId));
  return rows.map(({ l, p }) => ({
    peer: { code: p.code, name: p.name, direction: p.direction },
    direction: l.direction as 'sent' | 'received',
    remoteOrderNo: l.remoteOrderNo,
    remoteStatus: (l.remoteStatus as ExchangeStatus | null) ?? null,
    remoteReply: l.remoteReply ? { text: l.remoteReply, at: l.remoteRepliedAt?.toISOString() ?? null } : null,
    updatedAt: l.updatedAt.toISOString(),
  }));
}
