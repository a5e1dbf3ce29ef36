import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../../store/db.js';
import { auditLog } from '../../store/schema/index.js';

/** The newest audit entries first, filtered by action, actor username or target id. */
export async function listAudit(args: { db: Db; action?: string | undefined; actor?: string | undefined; targetId?: string | undefined; limit: number; offset: number }) {
  const conds: SQL[] = [];
  if (args.action) conds.push(eq(auditLog.action, args.action));
  if (args.actor) conds.push(eq(auditLog.actorName, args.actor));
  if (args.targetId) conds.push(eq(auditLog.targetId, args.targetId));
  const rows = await args.db
    .select()
    .from(auditLog)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(args.limit)
    .offset(args.offset);
  return { items: rows.map((r) => ({ ...r, at: r.at.toISOString() })) };
}
