/** Building v1 messages and putting them in the outbox (topic 'exchange'), in the caller's transaction. */
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { EXCHANGE_VERSION, type ExchangeMessage, type IndicatorsBody, type OrderCreateBody, type OrderStatusBody } from '../../domain/exchange/index.js';
import type { DbOrTx, Tx } from '../../store/db.js';
import { outbox, units } from '../../store/schema/index.js';

export const EXCHANGE_TOPIC = 'exchange';

/** What the outbox row carries: the peer to deliver to and the message, ready to send. */
export type ExchangeOutboxPayload = { peerId: string; message: ExchangeMessage };

/** This platform as peers know it: the root of our unit tree (e.g. 110000 北京市). */
export async function ourPlatform(db: DbOrTx): Promise<{ code: string; name: string }> {
  const [root] = await db.select({ code: units.id, name: units.name }).from(units).where(and(isNull(units.parentId), eq(units.level, 'city'))).limit(1);
  return root ?? { code: '000000', name: '未配置' };
}

type Body = { 'order.create': OrderCreateBody; 'order.status': OrderStatusBody; indicators: IndicatorsBody };

export function buildMessage<K extends keyof Body>(kind: K, body: Body[K], from: { code: string; name: string }, now: Date): ExchangeMessage {
  return { version: EXCHANGE_VERSION, messageId: randomUUID(), sentAt: now.toISOString(), from, kind, body } as ExchangeMessage;
}

export async function enqueueExchange(tx: Tx, peerId: string, message: ExchangeMessage, now: Date): Promise<void> {
  const payload: ExchangeOutboxPayload = { peerId, message };
  await tx.insert(outbox).values({ topic: EXCHANGE_TOPIC, payload, createdAt: now, availableAt: now });
}
