/** Reading a citizen's full name and phone number: allowed to those who must call, and itself audited. */
import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { forbidden } from '../../domain/errors.js';
import type { Db } from '../../store/db.js';
import { requests } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { loadVisibleOrder } from './orderRecord.js';

const mayCall = new Set(['agent', 'dispatcher', 'supervisor', 'handler']);

export async function revealContact(args: { db: Db; actor: Actor; orderId: string; ip: string | null; reason?: string | undefined; now: Date }): Promise<{ name: string | null; phone: string | null; requesters: { name: string | null; phone: string | null }[] }> {
  const { db, actor, now } = args;
  const rec = await loadVisibleOrder(db, actor, args.orderId);
  if (!mayCall.has(actor.role)) throw forbidden('当前角色无需查看诉求人联系方式');
  return db.transaction(async (tx) => {
    const reqs = await tx.select({ id: requests.id, name: requests.contactName, phone: requests.contactPhone }).from(requests).where(eq(requests.orderId, rec.row.id));
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.username, action: 'order.contact_revealed', targetType: 'order', targetId: rec.row.id, detail: { no: rec.row.no, requests: reqs.length, ...(args.reason ? { reason: args.reason } : {}) }, ip: args.ip });
    const primary = reqs.find((r) => r.id === rec.row.requestId) ?? reqs[0];
    return { name: primary?.name ?? null, phone: primary?.phone ?? null, requesters: reqs.map((r) => ({ name: r.name, phone: r.phone })) };
  });
}
