import { eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, notFound } from '../../domain/errors.js';
import type { UnitLevel } from '../../domain/jurisdiction.js';
import type { Db } from '../../store/db.js';
import { units } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { invalidateReference } from '../reference/referenceCache.js';
import { unitView, type UnitView } from './listUnits.js';
import { pointProblem } from './updateUnit.js';

export type NewUnit = {
  parent: string;
  level: 'department' | 'company' | 'community' | 'grid';
  /** For departments and companies: the abbreviation that makes the code `<parent>-<ABBR>` (e.g. 110105-CGJ). */
  abbr?: string;
  /** For communities and grids: the full code (the official 12-digit code of a community, or the grid's own number). */
  code?: string;
  name: string;
  shortName?: string;
  kind?: string;
  point?: { lat: number; lng: number };
};

/** Which parent level each new unit hangs under: departments and companies under the city or a district, a community
 * under its street, a grid under its community. */
const parentLevels: Record<NewUnit['level'], readonly UnitLevel[]> = {
  department: ['city', 'district'],
  company: ['city', 'district'],
  community: ['street'],
  grid: ['community'],
};

/** createUnit({ db, actor, unit: { parent: '110105', level: 'department', abbr: 'CGJ', name: '朝阳区城市管理委员会' }, now }) */
export async function createUnit(args: { db: Db; actor: Actor; unit: NewUnit; now: Date }): Promise<UnitView> {
  const { db, unit } = args;
  const created = await db.transaction(async (tx) => {
    const [parent] = await tx.select().from(units).where(eq(units.id, unit.parent)).limit(1);
    if (!parent || !parent.active) throw notFound('上级单位');
    if (!parentLevels[unit.level].includes(parent.level as UnitLevel)) {
      throw new DomainError('VALIDATION_FAILED', `${parent.name}下不能设立这一级单位`, [{ field: 'parent', reason: `应为${parentLevels[unit.level].join('/')}级` }]);
    }
    let id: string;
    if (unit.level === 'department' || unit.level === 'company') {
      if (!unit.abbr) throw new DomainError('VALIDATION_FAILED', '请填写单位简称代码', [{ field: 'abbr', reason: '必填' }]);
      id = `${parent.id}-${unit.abbr}`;
    } else {
      if (!unit.code) throw new DomainError('VALIDATION_FAILED', '请填写单位编码', [{ field: 'code', reason: '必填' }]);
      if (!unit.code.startsWith(parent.id)) throw new DomainError('VALIDATION_FAILED', `编码应以上级编码 ${parent.id} 开头`, [{ field: 'code', reason: `应以 ${parent.id} 开头` }]);
      id = unit.code;
    }
    const path = `${parent.path}${id}/`;
    if (unit.point) {
      const problem = pointProblem(path, unit.point);
      if (problem) throw new DomainError('VALIDATION_FAILED', problem, [{ field: 'lat', reason: problem }]);
    }
    const inserted = await tx
      .insert(units)
      .values({
        id,
        name: unit.name,
        shortName: unit.shortName ?? unit.name,
        level: unit.level,
        kind: unit.kind ?? (unit.level === 'department' || unit.level === 'company' ? (unit.abbr ?? null) : null),
        parentId: parent.id,
        path,
        depth: parent.depth + 1,
        lat: unit.point?.lat ?? null,
        lng: unit.point?.lng ?? null,
        createdAt: args.now,
      })
      .onConflictDoNothing()
      .returning();
    const row = inserted[0];
    if (!row) throw new DomainError('CONFLICT', `单位编码 ${id} 已存在`, [{ field: unit.level === 'department' || unit.level === 'company' ? 'abbr' : 'code', reason: '已存在' }]);
    await appendAudit(tx, { at: args.now, actorId: args.actor.userId, actorName: args.actor.username, action: 'unit.create', targetType: 'unit', targetId: id, detail: { after: unitView(row) } });
    return unitView(row);
  });
  invalidateReference(db);
  return created;
}
