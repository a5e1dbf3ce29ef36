/** Append to the audit trail, chained by hash. Call inside the transaction of the act it records. */
import { createHash } from 'node:crypto';
import { eq, asc, gt } from 'drizzle-orm';
import type { DbOrTx } from '../../store/db.js';
import { auditHead, auditLog } from '../../store/schema/index.js';

export type AuditEntry = {
  at: Date;
  actorId?: string | null;
  actorName?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  detail?: Record<string, unknown>;
  ip?: string | null;
};

/** JSON with object keys sorted, because jsonb does not keep the order the keys were written in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function rowHash(prevHash: string, e: Required<Omit<AuditEntry, 'detail'>> & { detail: Record<string, unknown> }): string {
  const text = canonical([prevHash, e.at.toISOString(), e.actorId, e.actorName, e.action, e.targetType, e.targetId, e.detail, e.ip]);
  return createHash('sha256').update(text).digest('hex');
}

/** appendAudit(tx, { at: now, actorId, action: 'auth.login', ip }) */
export async function appendAudit(tx: DbOrTx, entry: AuditEntry): Promise<void> {
  // Locking the head row serialises appends across servers, so the chain has one order.
  const [head] = await tx.select().from(auditHead).where(eq(auditHead.id, 1)).for('update');
  if (!head) throw new Error('audit_head row missing: migrations incomplete');
  const e = {
    at: new Date(Math.floor(entry.at.getTime())),
    actorId: entry.actorId ?? null,
    actorName: entry.actorName ?? null,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    detail: entry.detail ?? {},
    ip: entry.ip ?? null,
  };
  const hash = rowHash(head.lastHash, e);
  const [row] = await tx.insert(auditLog).values({ ...e, prevHash: head.lastHash, hash }).returning({ id: auditLog.id });
  await tx.update(auditHead).set({ lastId: row?.id ?? head.lastId, lastHash: hash }).where(eq(auditHead.id, 1));
}

/** Walk the chain and report the first row whose hash does not follow from its content and predecessor. */
export async function verifyAuditChain(db: DbOrTx): Promise<{ ok: true; rows: number } | { ok: false; brokenAt: number; rows: number }> {
  let prev = 'genesis';
  let lastId = 0;
  let rows = 0;
  for (;;) {
    const batch = await db.select().from(auditLog).where(gt(auditLog.id, lastId)).orderBy(asc(auditLog.id)).limit(1000);
    if (batch.length === 0) break;
    for (const r of batch) {
      const expected = rowHash(prev, {
        at: r.at,
        actorId: r.actorId,
        actorName: r.actorName,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        detail: r.detail,
        ip: r.ip,
      });
      if (r.prevHash !== prev || r.hash !== expected) return { ok: false, brokenAt: r.id, rows };
      prev = r.hash;
      lastId = r.id;
      rows++;
    }
  }
  return { ok: true, rows };
}
