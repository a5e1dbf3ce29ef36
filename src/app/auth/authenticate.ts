import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError } from '../../domain/errors.js';
import { scopePathOf, type UnitLevel } from '../../domain/jurisdiction.js';
import type { Role } from '../../domain/roles.js';
import type { Db } from '../../store/db.js';
import { sessions, units, users } from '../../store/schema/index.js';
import { hashToken } from './login.js';

/** The session lookup, built and prepared once per database: every API request runs it. */
function sessionQuery(db: Db) {
  return db
    .select({ user: users, unit: units })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(units, eq(units.id, users.unitId))
    .where(and(eq(sessions.tokenHash, sql.placeholder('hash')), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql.placeholder('now'))))
    .limit(1)
    .prepare('jiesu_authenticate');
}
const prepared = new WeakMap<Db, ReturnType<typeof sessionQuery>>();

/** Resolve a bearer token to the acting user, or refuse with UNAUTHENTICATED. */
export async function authenticate(args: { db: Db; token: string; now: Date }): Promise<Actor> {
  let query = prepared.get(args.db);
  if (!query) {
    query = sessionQuery(args.db);
    prepared.set(args.db, query);
  }
  const rows = await query.execute({ hash: hashToken(args.token), now: args.now });
  const row = rows[0];
  if (!row || !row.user.active) throw new DomainError('UNAUTHENTICATED', '登录已失效，请重新登录');
  return actorOf(row.user, row.unit);
}

/** The acting user as the use-cases see it: role, unit and the subtree of units the unit acts in. */
export function actorOf(user: typeof users.$inferSelect, unit: typeof units.$inferSelect | null): Actor {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    kind: user.kind as 'staff' | 'citizen',
    role: user.role as Role,
    unitId: user.unitId,
    unitName: unit?.name ?? null,
    unitLevel: (unit?.level as UnitLevel | undefined) ?? null,
    scopePath: unit ? scopePathOf({ path: unit.path, level: unit.level as UnitLevel }) : null,
  };
}
