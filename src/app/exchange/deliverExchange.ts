/**
 * Delivering exchange messages (outbox topic 'exchange') to peers over HTTP. Rows are leased (claimed by pushing
 * `available_at` forward in a short transaction) and sent outside any transaction, so a slow peer never holds a
 * database lock. Per peer, messages go strictly in order: while the oldest is waiting for a retry, the later ones
 * wait too. A network error, a 5xx, 408 or 429 is retried with back-off; any other refusal is final and
 * recorded on the order's history (the peer said what was wrong; sending it again would not help).
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { ExchangeMessage } from '../../domain/exchange/index.js';
import type { Db } from '../../store/db.js';
import { exchangeOrderLinks, exchangePeers, orderEvents, orders, outbox } from '../../store/schema/index.js';
import { EXCHANGE_TOPIC, type ExchangeOutboxPayload } from './envelope.js';

/** How a message travels; tests and the bench pass their own, the server uses fetch. */
export type ExchangeTransport = (url: string, init: { headers: Record<string, string>; body: string; timeoutMs: number }) => Promise<{ status: number; body: unknown }>;

export const fetchTransport: ExchangeTransport = async (url, init) => {
  const res = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(init.timeoutMs) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text for the error */
  }
  return { status: res.status, body };
};

export const EXCHANGE_PATH = '/api/v1/exchange/v1/messages';
/** Never again: a refused message keeps this available_at, so it stays visible but is not retried. */
export const NEVER = new Date('9999-12-31T00:00:00Z');
const LEASE_MS = 60_000;
const backoffMs = (attempts: number) => Math.min(3600_000, 5_000 * 2 ** attempts);

const retryable = (status: number) => status >= 500 || status === 408 || status === 429;

export async function deliverExchange(args: { db: Db; now: Date; transport?: ExchangeTransport; batch?: number; timeoutMs?: number }): Promise<{ sent: number; failed: number; refused: number }> {
  const { db, now } = args;
  const transport = args.transport ?? fetchTransport;
  // Claim: the oldest pending messages; per peer only a prefix that is due (an earlier one waiting blocks the rest).
  const claimed = await db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(outbox)
      .where(and(isNull(outbox.sentAt), eq(outbox.topic, EXCHANGE_TOPIC), sql`${outbox.availableAt} < ${NEVER}`))
      .orderBy(asc(outbox.id))
      .limit(args.batch ?? 100)
      .for('update', { skipLocked: true });
    const blocked = new Set<string>();
    const take: typeof rows = [];
    for (const r of rows) {
      const peerId = (r.payload as unknown as ExchangeOutboxPayload).peerId;
      if (blocked.has(peerId)) continue;
      if (r.availableAt > now) {
        blocked.add(peerId);
        continue;
      }
      take.push(r);
    }
    if (take.length) await tx.update(outbox).set({ availableAt: new Date(now.getTime() + LEASE_MS) }).where(inArray(outbox.id, take.map((r) => r.id)));
    return take;
  });
  if (claimed.length === 0) return { sent: 0, failed: 0, refused: 0 };
  const peerIds = [...new Set(claimed.map((r) => (r.payload as unknown as ExchangeOutboxPayload).peerId))];
  const peers = new Map((await db.select().from(exchangePeers).where(inArray(exchangePeers.id, peerIds))).map((p) => [p.id, p]));
  let sent = 0;
  let failed = 0;
  let refused = 0;
  const down = new Set<string>();
  for (const row of claimed) {
    const { peerId, message } = row.payload as unknown as ExchangeOutboxPayload;
    const peer = peers.get(peerId);
    const retryLater = async (error: string) => {
      failed++;
      await db.update(outbox).set({ attempts: row.attempts + 1, lastError: error.slice(0, 500), availableAt: new Date(now.getTime() + backoffMs(row.attempts)) }).where(eq(outbox.id, row.id));
    };
    if (down.has(peerId)) {
      // An earlier message to this peer failed in this run: keep the order, try again with it.
      await db.update(outbox).set({ availableAt: now }).where(eq(outbox.id, row.id));
      continue;
    }
    if (!peer || !peer.active) {
      down.add(peerId);
      await retryLater(peer ? '对接平台已停用' : '对接平台不存在');
      continue;
    }
    let res: { status: number; body: unknown };
    try {
      res = await transport(`${peer.baseUrl}${EXCHANGE_PATH}`, {
        headers: { 'content-type': 'application/json', 'x-api-key': peer.outboundKey, 'x-jiesu-exchange-version': message.version },
        body: JSON.stringify(message),
        timeoutMs: args.timeoutMs ?? 10_000,
      });
    } catch (err) {
      down.add(peerId);
      await retryLater(`network: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    if (res.status >= 200 && res.status < 300) {
      await db.transaction(async (tx) => {
        await tx.update(outbox).set({ sentAt: now, attempts: row.attempts + 1, lastError: null }).where(eq(outbox.id, row.id));
        await recordAnswer(tx, peerId, message, res.body, now);
      });
      sent++;
    } else if (retryable(res.status)) {
      down.add(peerId);
      await retryLater(`HTTP ${res.status}: ${JSON.stringify(res.body)}`);
    } else {
      refused++;
      await db.transaction(async (tx) => {
        await tx.update(outbox).set({ attempts: row.attempts + 1, lastError: `refused HTTP ${res.status}: ${JSON.stringify(res.body)}`.slice(0, 500), availableAt: NEVER }).where(eq(outbox.id, row.id));
        await recordRefusal(tx, peerId, peer.name, message, res, now);
      });
    }
  }
  return { sent, failed, refused };
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The peer's answer to order.create carries its order number: the link learns it. */
async function recordAnswer(tx: Tx, peerId: string, message: ExchangeMessage, body: unknown, now: Date): Promise<void> {
  if (message.kind !== 'order.create') return;
  const remoteNo = (body as { result?: { orderNo?: unknown } } | null)?.result?.orderNo;
  if (typeof remoteNo !== 'string') return;
  const [o] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.no, message.body.orderNo)).limit(1);
  if (!o) return;
  await tx
    .update(exchangeOrderLinks)
    .set({ remoteOrderNo: remoteNo, remoteStatus: sql`COALESCE(${exchangeOrderLinks.remoteStatus}, 'accepted')`, updatedAt: now })
    .where(and(eq(exchangeOrderLinks.peerId, peerId), eq(exchangeOrderLinks.orderId, o.id), isNull(exchangeOrderLinks.remoteOrderNo)));
}

/** A refused order message is a history event on the order it was about, so the dispatcher sees why. */
async function recordRefusal(tx: Tx, peerId: string, peerName: string, message: ExchangeMessage, res: { status: number; body: unknown }, now: Date): Promise<void> {
  const orderNo = message.kind === 'order.create' ? message.body.orderNo : message.kind === 'order.status' ? message.body.orderNo : null;
  if (!orderNo) return;
  const [o] = await tx.select({ id: orders.id, state: orders.state }).from(orders).where(eq(orders.no, orderNo)).limit(1);
  if (!o) return;
  const b = res.body as { code?: unknown; message?: unknown } | null;
  await tx.insert(orderEvents).values({
    orderId: o.id,
    at: now,
    type: 'exchange_refused',
    fromState: o.state,
    toState: o.state,
    actorName: peerName,
    data: { peerId, kind: message.kind, messageId: message.messageId, status: res.status, code: typeof b?.code === 'string' ? b.code : null, message: typeof b?.message === 'string' ? b.message : null, label: `${peerName}拒收：${typeof b?.message === 'string' ? b.message : `HTTP ${res.status}`}` },
  });
}
