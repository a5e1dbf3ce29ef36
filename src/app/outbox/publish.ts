/**
 * Side effects of a state change, written in its transaction: notifications go to the outbox (delivered after
 * commit, retried), and live updates go out through PostgreSQL NOTIFY, which is delivered only on commit and
 * reaches every server that listens.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../store/db.js';
import { outbox } from '../../store/schema/index.js';

export const LIVE_CHANNEL = 'jiesu_live';

export type LiveEvent =
  | { kind: 'order'; orderId: string; no: string; state: string; type: string; unitPaths: string[]; requesterUserIds: string[] }
  | { kind: 'whistle'; whistleId: string; no: string; state: string; unitPaths: string[] }
  /** An alarm raised, acted on (`change` is its history event type) or made an order; heard in its area and by its assignee. */
  | { kind: 'alarm'; alarmId: string; no: string; state: string; severity: string; change: string; unitPaths: string[] };

export type NotifyMessage = { template: string; title: string; body: string; orderId?: string; unitIds?: string[]; userIds?: string[]; roles?: { role: string; unitId: string }[] };

/** The outbox row of a notification, for writers that batch their inserts. */
export function notificationRow(msg: NotifyMessage, now: Date): typeof outbox.$inferInsert {
  return { topic: 'notify', payload: msg, createdAt: now, availableAt: now };
}

export async function enqueueNotification(tx: Tx, msg: NotifyMessage, now: Date): Promise<void> {
  await tx.insert(outbox).values(notificationRow(msg, now));
}

/** The NOTIFY call as an expression, to be selected inside a larger statement (delivered on its commit). */
export function liveNotifyExpr(event: LiveEvent): SQL {
  // NOTIFY payloads are limited to 8000 bytes; ours are small (ids and paths).
  return sql`pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(event)})`;
}

export async function publishLive(tx: Tx, event: LiveEvent): Promise<void> {
  await tx.execute(sql`SELECT ${liveNotifyExpr(event)}`);
}
