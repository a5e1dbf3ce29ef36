/** The exchange messages still waiting (or refused), with their attempts and last error: what the admin watches when a peer is down. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { forbidden } from '../../domain/errors.js';
import type { Db } from '../../store/db.js';
import { exchangePeers, outbox } from '../../store/schema/index.js';
import { NEVER } from './deliverExchange.js';
import { EXCHANGE_TOPIC, type ExchangeOutboxPayload } from './envelope.js';

export type PendingMessageView = { id: number; peer: string | null; kind: string; messageId: string; attempts: number; lastError: string | null; nextAttemptAt: string | null; refused: boolean; createdAt: string };

export async function pendingExchange(args: { db: Db; actor: Actor; limit?: number }): Promise<PendingMessageView[]> {
  if (args.actor.role !== 'admin' && args.actor.role !== 'supervisor') throw forbidden('无权查看交换消息队列');
  const rows = await args.db.select().from(outbox).where(and(eq(outbox.topic, EXCHANGE_TOPIC), isNull(outbox.sentAt))).orderBy(asc(outbox.id)).limit(args.limit ?? 200);
  const peers = new Map((await args.db.select({ id: exchangePeers.id, code: exchangePeers.code }).from(exchangePeers)).map((p) => [p.id, p.code]));
  return rows.map((r) => {
    const p = r.payload as unknown as ExchangeOutboxPayload;
    const refused = r.availableAt.getTime() >= NEVER.getTime();
    return { id: r.id, peer: peers.get(p.peerId) ?? null, kind: p.message.kind, messageId: p.message.messageId, attempts: r.attempts, lastError: r.lastError, nextAttemptAt: refused ? null : r.availableAt.toISOString(), refused, createdAt: r.createdAt.toISOString() };
  });
}
