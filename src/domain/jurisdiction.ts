/**
 * Jurisdiction over the one unit tree. Every unit has a materialised path of codes such as
 * `/110000/110105/110105026/` (city → district → street → community → grid); departments and companies hang
 * under the city or a district; the 12345 hotline centre is a unit of level `centre` under the city.
 * A unit's staff act in a subtree, their *scope*; "within" is a prefix test on paths.
 */
import type { ActorRef } from './roles.js';

export const unitLevels = ['city', 'district', 'street', 'community', 'grid', 'department', 'company', 'centre'] as const;

export type UnitLevel = (typeof unitLevels)[number];

/** Chinese label of each unit level. */
export const unitLevelLabels: Record<UnitLevel, string> = {
  city: '市',
  district: '区',
  street: '街道/乡镇',
  community: '社区/村',
  grid: '网格',
  department: '委办局',
  company: '公共服务企业',
  centre: '12345热线中心',
};

/** Narrow a stored string to a UnitLevel. */
export function isUnitLevel(value: string): value is UnitLevel {
  return (unitLevels as readonly string[]).includes(value);
}

const PATH_RE = /^\/(?:[^/\s]+\/)+$/;

/** True for a well-formed materialised path: `/110000/` or `/110000/110105/110105-CGZF/`. */
export function isUnitPath(path: string): boolean {
  return PATH_RE.test(path);
}

/** The path of a unit's parent, or null for a root: `parentPathOf('/110000/110105/')` → `'/110000/'`. */
export function parentPathOf(path: string): string | null {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  const cut = trimmed.lastIndexOf('/');
  return cut <= 0 ? null : trimmed.slice(0, cut + 1);
}

/**
 * The subtree a unit's staff act in. The hotline centre acts for its whole city, so its scope is its
 * parent's path; every other unit's scope is its own subtree.
 * @example scopePathOf({ path: '/110000/110000-12345/', level: 'centre' }) // → '/110000/'
 */
export function scopePathOf(unit: { path: string; level: UnitLevel; parentPath?: string | null }): string {
  if (unit.level !== 'centre') return unit.path;
  return unit.parentPath ?? parentPathOf(unit.path) ?? unit.path;
}

/**
 * Whether `unitPath` lies in the subtree at `scopePath` (a unit is within its own scope).
 * @example isWithin('/110000/110105/', '/110000/110105/110105026/') // → true
 */
export function isWithin(scopePath: string | null | undefined, unitPath: string | null | undefined): boolean {
  if (!scopePath || !unitPath || !isUnitPath(scopePath) || !isUnitPath(unitPath)) return false;
  return unitPath.startsWith(scopePath);
}

/** What decides who may see an order: its requesters and every unit path it touches. */
export type OrderVisibility = {
  /** Users who filed the request (several after a merge of repeats). */
  requesterUserIds: readonly string[];
  /**
   * Lead unit, co-units, units summoned by a whistle over it, and the path of the city whose hotline
   * accepted it (so hotline staff see orders not yet dispatched). See `orderUnitPaths`.
   */
  unitPaths: readonly string[];
};

/** Collect the unit paths of an order for `canSeeOrder`, skipping the empty ones. */
export function orderUnitPaths(order: {
  leadUnitPath?: string | null;
  coUnitPaths?: readonly string[];
  whistleUnitPaths?: readonly string[];
  cityPath?: string | null;
}): string[] {
  const paths = [order.leadUnitPath, ...(order.coUnitPaths ?? []), ...(order.whistleUnitPaths ?? []), order.cityPath];
  return paths.filter((p): p is string => typeof p === 'string' && p.length > 0);
}

/**
 * Whether the actor may see the order at all. Citizens see their own requests; staff see an order when any
 * of its units lies within their scope. The HTTP layer answers "not found" when this is false.
 * @example canSeeOrder(wangjingHandler, { requesterUserIds: ['u1'], unitPaths: ['/110000/110105/110105026/'] }) // → true
 */
export function canSeeOrder(actor: Pick<ActorRef, 'userId' | 'role' | 'scopePath'>, order: OrderVisibility): boolean {
  if (actor.role === 'citizen') return order.requesterUserIds.includes(actor.userId);
  return order.unitPaths.some((p) => isWithin(actor.scopePath, p));
}
