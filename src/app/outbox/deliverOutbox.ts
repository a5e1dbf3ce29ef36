/**
 * Delivering the outbox after commit: each pending message goes through its channels, is marked sent, or is
 * retried later with back-off. Rows are claimed with SKIP LOCKED, so several servers share the work.
 */
import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import type { Db, Tx } from '../../store/db.js';
import { notifications, outbox } from '../../store/schema/index.js';
import type { NotifyMessage } from './publish.js';

/** A way to reach people. In-app now; SMS and WeChat adapters implement the same interface later. */
export interface NotificationChannel {
  name: string;
  deliver(tx: Tx, msg: NotifyMessage, meta: { outboxId: number; now: Date }): Promise<void>;
}

/** In-app notifications: one row per recipient unit or user, written in the transaction that marks the message sent. */
export const inAppChannel: NotificationChannel = {
  name: 'in_app',
  async deliver(tx, msg, { outboxId, now }) {
    const recipients = [...(msg.unitIds ?? []).map((unitId) => ({ unitId, userId: null })), ...(msg.userIds ?? []).map((userId) => ({ unitId: null, userId }))];
    if (recipients.length === 0) return;
    await tx.insert(notifications).values(recipients.map((r) => ({ unitId: r.unitId, userId: r.userId, title: msg.title, body: msg.body, orderId: msg.orderId ?? null, createdAt: now, outboxId })));
  },
};

const backoffMs = (attempts: number) => Math.min(3600_000, 5_000 * 2 ** attempts);

export async function deliverOutbox(args: { db: Db; now: Date; channels?: NotificationChannel[]; batch?: number }): Promise<{ sent: number; failed: number }> {
  const channels = args.channels ?? [inAppChannel];
  return args.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(outbox)
      .where(and(isNull(outbox.sentAt), lte(outbox.availableAt, args.now), eq(outbox.topic, 'notify')))
      .orderBy(asc(outbox.id))
      .limit(args.batch ?? 200)
      .for('update', { skipLocked: true });
    let sent = 0;
    let failed = 0;
    for (const row of rows) {
      try {
        await tx.transaction(async (sp) => {
          for (const ch of channels) await ch.deliver(sp, row.payload as unknown as NotifyMessage, { outboxId: row.id, now: args.now });
        });
        await tx.update(outbox).set({ sentAt: args.now, attempts: row.attempts + 1 }).where(eq(outbox.id, row.id));
        sent++;
      } catch (err) {
        await tx
          .update(outbox)
          .set({ attempts: row.attempts + 1, lastError: err instanceof Error ? err.message.slice(0, 500) : String(err), availableAt: new Date(args.now.getTime() + backoffMs(row.attempts)) })
          .where(eq(outbox.id, row.id));
        failed++;
      }
    }
    return { sent, failed };
  });
}
