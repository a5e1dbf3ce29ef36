import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, notFound } from '../../domain/errors.js';
import { withUnitStates } from '../../domain/order/states.js';
import type { UnitLevel } from '../../domain/jurisdiction.js';
import { defaultGazetteer } from '../../intelligence/locate/gazetteer.js';
import type { Db } from '../../store/db.js';
import { orders, units } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { sessionsChanged } from '../auth/authenticate.js';
import { invalidateReference } from '../reference/referenceCache.js';
import { unitView, type UnitView } from './listUnits.js';

export type UnitPatch = { name?: string; shortName?: string; point?: { lat: number; lng: number } | null; active?: boolean };

/** Official divisions stay as the state publishes them: they are renamed or moved by a new reference file, not by hand. */
const officialLevels: readonly UnitLevel[] = ['city', 'district', 'street'];

/**
 * Check a unit's point against its district's outline: a street's point must lie in its own district.
 * Units not under a district (city departments, the centre) only need to be in Beijing.
 */
export function pointProblem(path: string, point: { lat: number; lng: number }): string | null {
  const gazetteer = defaultGazetteer();
  const at = gazetteer.districtAt(point.lat, point.lng);
  if (!at) return '坐标不在北京市范围内';
  const districtCode = path.split('/').filter(Boolean)[1];
  const district = districtCode ? gazetteer.districts.get(districtCode) : undefined;
  if (district && at.code !== district.code) return `坐标位于${at.name}，不在${district.name}内`;
  return null;
}

/** updateUnit({ db, actor, code: '110105026', patch: { point: { lat, lng } }, now }) → the unit as stored, audited. */
export async function updateUnit(args: { db: Db; actor: Actor; code: string; patch: UnitPatch; now: Date }): Promise<UnitView> {
  const { db, code, patch } = args;
  const updated = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(units).where(eq(units.id, code)).for('update').limit(1);
    if (!before) throw notFound('单位');
    const level = before.level as UnitLevel;
    if ((patch.name !== undefined || patch.shortName !== undefined) && officialLevels.includes(level)) {
      throw new DomainError('VALIDATION_FAILED', '区、街道（乡镇）的名称以国家区划为准，不能在此修改', [{ field: patch.name !== undefined ? 'name' : 'shortName', reason: '法定区划名称不可修改' }]);
    }
    if (patch.active === false) {
      if (officialLevels.includes(level) || level === 'centre') throw new DomainError('VALIDATION_FAILED', '法定区划和热线中心不能停用', [{ field: 'active', reason: '不可停用' }]);
      const [open] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(orders)
        .where(and(eq(orders.leadUnitId, code), inArray(orders.state, [...withUnitStates])));
      if ((open?.n ?? 0) > 0) throw new DomainError('CONFLICT', `该单位还有 ${open?.n} 件在办工单，请先改派后再停用`, [{ field: 'active', reason: '有在办工单' }]);
    }
    if (patch.point) {
      const problem = pointProblem(before.path, patch.point);
      if (problem) throw new DomainError('VALIDATION_FAILED', problem, [{ field: 'lat', reason: problem }]);
    }
    const [row] = await tx
      .update(units)
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.shortName !== undefined ? { shortName: patch.shortName } : {}),
        ...(patch.point !== undefined ? { lat: patch.point?.lat ?? null, lng: patch.point?.lng ?? null } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
      })
      .where(eq(units.id, code))
      .returning();
    if (!row) throw notFound('单位');
    // A signed-in user's unit name and standing are part of their session as servers keep it.
    if (patch.name !== undefined || patch.shortName !== undefined || patch.active !== undefined) await sessionsChanged(db, tx, { all: true });
    await appendAudit(tx, { at: args.now, actorId: args.actor.userId, actorName: args.actor.username, action: 'unit.update', targetType: 'unit', targetId: code, detail: { before: unitView(before), after: unitView(row), active: row.active } });
    return unitView(row);
  });
  invalidateReference(db);
  return updated;
}
