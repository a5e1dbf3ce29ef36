/** The proactive orders and alerts opened lately, that concern the viewer's area (their units, street or district). */
import { desc, gte } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { isWithin } from '../../domain/jurisdiction.js';
import type { DbOrTx } from '../../store/db.js';
import { proactiveActions } from '../../store/schema/index.js';
import { getReference, namesFromReference } from '../reference/referenceCache.js';

type Named = { code: string; name: string };
export type ProactiveActionView = { id: string; kind: 'order' | 'alert'; source: 'spike' | 'forecast'; evidenceKey: string; category: Named; district: Named | null; street: Named | null; units: Named[]; order: { id: string; no: string } | null; evidence: Record<string, unknown>; note: string | null; createdBy: string; createdAt: string };

export async function listProactiveActions(args: { db: DbOrTx; actor: Actor; now: Date; days?: number }): Promise<ProactiveActionView[]> {
  const { db, actor, now } = args;
  if (actor.role === 'citizen' || !actor.scopePath) return [];
  const rows = await db
    .select()
    .from(proactiveActions)
    .where(gte(proactiveActions.createdAt, new Date(now.getTime() - (args.days ?? 60) * 86_400_000)))
    .orderBy(desc(proactiveActions.createdAt))
    .limit(500);
  const ref = await getReference(db);
  const names = namesFromReference(ref);
  const path = (id: string | null) => (id ? ref.units.get(id)?.path : undefined);
  return rows
    .filter((r) => [r.streetId, r.districtId, ...r.unitIds].some((u) => isWithin(actor.scopePath, path(u))) || (!r.districtId && isWithin(actor.scopePath, '/110000/')))
    .slice(0, 200)
    .map((r) => ({
      id: r.id,
      kind: r.kind === 'order' ? 'order' : 'alert',
      source: r.source === 'spike' ? 'spike' : 'forecast',
      evidenceKey: r.evidenceKey,
      category: names.category(r.categoryId) ?? { code: r.categoryId, name: r.categoryId },
      district: names.unit(r.districtId),
      street: names.unit(r.streetId),
      units: r.unitIds.map((u) => names.unit(u) ?? { code: u, name: u }),
      order: r.orderId ? { id: r.orderId, no: r.orderNo ?? '' } : null,
      evidence: r.evidence,
      note: r.note,
      createdBy: r.createdByName,
      createdAt: r.createdAt.toISOString(),
    }));
}
