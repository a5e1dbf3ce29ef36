import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import type { Db } from '../../store/db.js';
import { notifications } from '../../store/schema/index.js';

const mine = (actor: Actor) => or(eq(notifications.userId, actor.userId), actor.unitId ? eq(notifications.unitId, actor.unitId) : sql`false`);

/** My in-app notifications: those to me and to my unit, newest first. */
export async function listNotifications(args: { db: Db; actor: Actor; unreadOnly: boolean; limit: number }) {
  const rows = await args.db
    .select()
    .from(notifications)
    .where(and(mine(args.actor), args.unreadOnly ? isNull(notifications.readAt) : undefined))
    .orderBy(desc(notifications.id))
    .limit(args.limit);
  const [unread] = await args.db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(and(mine(args.actor), isNull(notifications.readAt)));
  return { unread: unread?.n ?? 0, items: rows.map((n) => ({ id: n.id, title: n.title, body: n.body, orderId: n.orderId, createdAt: n.createdAt.toISOString(), readAt: n.readAt?.toISOString() ?? null })) };
}

export async function markNotificationsRead(args: { db: Db; actor: Actor; ids: number[]; now: Date }): Promise<number> {
  if (args.ids.length === 0) return 0;
  const r = await args.db.update(notifications).set({ readAt: args.now }).where(and(mine(args.actor), inArray(notifications.id, args.ids), isNull(notifications.readAt))).returning({ id: notifications.id });
  return r.length;
}
