/**
 * Who uses the platform (DOMAIN.md, "Who uses it"). Codes are stable English identifiers stored in the
 * database and tokens; labels are what the UI shows.
 */

export const roles = ['citizen', 'agent', 'dispatcher', 'handler', 'grid_worker', 'supervisor', 'leader', 'admin'] as const;

export type Role = (typeof roles)[number];

/** Chinese label of each role, for the UI and for error messages. */
export const roleLabels: Record<Role, string> = {
  citizen: '诉求人',
  agent: '受理员',
  dispatcher: '派单员',
  handler: '承办人',
  grid_worker: '网格员',
  supervisor: '督办员',
  leader: '领导',
  admin: '管理员',
};

/** Other names people use for a role (话务员 is the hotline's everyday word for 受理员). */
export const roleAliases: Partial<Record<Role, readonly string[]>> = {
  agent: ['话务员'],
  citizen: ['市民', '企业'],
};

/** Roles of the 12345 hotline centre: they act for the whole city (their scope is the city). */
export const hotlineRoles: readonly Role[] = ['agent', 'dispatcher', 'supervisor'];

/** Roles of a handling unit: they act for their own unit and the units under it. */
export const unitRoles: readonly Role[] = ['handler', 'grid_worker'];

/**
 * The part of an authenticated actor the domain rules need. `Actor` in `./actor.ts` satisfies it.
 * `scopePath` is the subtree the actor acts in (see `scopePathOf`); null for citizens.
 */
export type ActorRef = {
  userId: string;
  role: Role;
  unitId: string | null;
  scopePath: string | null;
};

/** Narrow a stored string to a Role, e.g. `isRole(row.role) ? row.role : 'citizen'`. */
export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
