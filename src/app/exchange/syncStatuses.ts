/**
 * Status back to the origin: for every order a peer passed to us, the history steps that change its exchange status
 * (dispatched, handling, replied, followed up, closed…) become order.status messages in the outbox, in the order they
 * happened. A sweep over the append-only history, so every writer (lifecycle steps, the deadline sweep, whistles) is
 * covered without knowing about the exchange; the link's `synced_event_id` makes it exactly-once.
 */
import { eq, sql } from 'drizzle-orm';
import { statusNews, type OrderStatusBody } from '../../domain/exchange/index.js';
import type { OrderState } from '../../domain/order/index.js';
import { queryRows, type Db } from '../../store/db.js';
import { exchangeOrderLinks } from '../../store/schema/index.js';
import { buildMessage, enqueueExchange, ourPlatform } from './envelope.js';

type Row = {
  link_id: string;
  peer_id: string;
  remote_no: string;
  event_id: string;
  at: Date | string;
  from_state: string | null;
  to_state: string | null;
  order_no: string;
  reply_text: string | null;
  replied_at: Date | string | null;
  resolution: string | null;
  satisfaction: string | null;
  note: string | null;
};

type FollowUp = NonNullable<OrderStatusBody['followUp']>;

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

export async function syncExchangeStatuses(args: { db: Db; now: Date; batch?: number }): Promise<{ sent: number; links: number }> {
  const { db, now } = args;
  const from = await ourPlatform(db);
  return db.transaction(async (tx) => {
    // Links of received orders with history not yet looked at; locked so two servers do not report a step twice.
    const rows = await queryRows<Row>(
      tx,
      sql`WITH due AS (
            SELECT l.id, l.peer_id, l.remote_order_no, l.synced_event_id, l.order_id
            FROM ${exchangeOrderLinks} l
            JOIN exchange_peers p ON p.id = l.peer_id AND p.active
            WHERE l.direction = 'received' AND l.remote_order_no IS NOT NULL
              AND EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = l.order_id AND e.id > l.synced_event_id)
            ORDER BY l.id
            LIMIT ${args.batch ?? 200}
            FOR UPDATE OF l SKIP LOCKED
          )
          SELECT d.id::text AS link_id, d.peer_id::text AS peer_id, d.remote_order_no AS remote_no, e.id::text AS event_id, e.at, e.from_state, e.to_state,
                 o.no AS order_no, o.reply_text, o.replied_at, o.last_resolution AS resolution, o.last_satisfaction AS satisfaction, e.data->>'note' AS note
          FROM due d
          JOIN order_events e ON e.order_id = d.order_id AND e.id > d.synced_event_id
          JOIN orders o ON o.id = d.order_id
          ORDER BY d.id, e.id`,
    );
    const lastByLink = new Map<string, number>();
    let sent = 0;
    for (const r of rows) {
      lastByLink.set(r.link_id, Math.max(lastByLink.get(r.link_id) ?? 0, Number(r.event_id)));
      const status = statusNews(r.from_state as OrderState | null, r.to_state as OrderState | null);
      if (!status) continue;
      const withReply = (status === 'replied' || status === 'followed_up' || status === 'closed') && r.reply_text;
      const body: OrderStatusBody = {
        orderNo: r.order_no,
        peerOrderNo: r.remote_no,
        seq: Number(r.event_id),
        status,
        at: iso(r.at),
        ...(withReply && r.reply_text ? { reply: { text: r.reply_text, at: iso(r.replied_at ?? r.at) } } : {}),
        ...((status === 'followed_up' || status === 'closed') && r.resolution && r.satisfaction ? { followUp: { resolution: r.resolution as FollowUp['resolution'], satisfaction: r.satisfaction as FollowUp['satisfaction'] } } : {}),
        ...(r.note ? { note: r.note.slice(0, 1000) } : {}),
      };
      await enqueueExchange(tx, r.peer_id, buildMessage('order.status', body, from, now), now);
      sent++;
    }
    for (const [id, last] of lastByLink) await tx.update(exchangeOrderLinks).set({ syncedEventId: last, updatedAt: now }).where(eq(exchangeOrderLinks.id, Number(id)));
    return { sent, links: lastByLink.size };
  });
}
