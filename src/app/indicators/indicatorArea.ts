/** Which area an actor asks about: their own by default, any place under it; anything else is refused. */
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden } from '../../domain/errors.js';
import { isIndicatorLevel } from '../../domain/indicator/index.js';
import { isWithin } from '../../domain/jurisdiction.js';
import type { DbOrTx } from '../../store/db.js';
import { getReference } from '../reference/referenceCache.js';
import type { IndicatorArea } from './computeIndicators.js';

/** Roles that read indicators; a handling unit's staff see their own place only. */
export const indicatorReaderRoles = ['agent', 'dispatcher', 'supervisor', 'handler', 'grid_worker', 'leader', 'admin'] as const;

/**
 * The actor's own area: the place whose subtree is their scope (the city for the hotline centre). A department's or
 * company's staff have no place of their own.
 */
export async function ownArea(db: DbOrTx, actor: Actor): Promise<IndicatorArea> {
  if (!actor.scopePath) throw forbidden('无权查看区域指标');
  const ref = await getReference(db);
  for (const u of ref.units.values()) {
    if (u.path === actor.scopePath && isIndicatorLevel(u.level)) return { id: u.id, name: u.name, level: u.level, path: u.path };
  }
  throw forbidden('您所在单位不是属地单位（市、区、街道、社区、网格），没有自己的区域指标');
}

/** The area of `unitCode`, which must be a place within the actor's own area. */
export async function resolveIndicatorArea(db: DbOrTx, actor: Actor, unitCode: string | undefined): Promise<{ area: IndicatorArea; own: IndicatorArea }> {
  const own = await ownArea(db, actor);
  if (!unitCode || unitCode === own.id) return { area: own, own };
  const ref = await getReference(db);
  const u = ref.units.get(unitCode);
  if (!u || !u.active) throw new DomainError('NOT_FOUND', `单位 ${unitCode} 不存在`, [{ field: 'unit', reason: '不存在' }]);
  if (!isIndicatorLevel(u.level)) throw new DomainError('VALIDATION_FAILED', `单位「${u.name}」不是属地单位，没有区域指标`, [{ field: 'unit', reason: '须为市、区、街道、社区或网格' }]);
  if (!isWithin(own.path, u.path)) throw forbidden(`无权查看「${u.name}」的指标：只能查看本辖区（${own.name}）及下级`);
  return { area: { id: u.id, name: u.name, level: u.level, path: u.path }, own };
}
