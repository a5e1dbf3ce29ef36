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
    .select({ hash: sessions.tokenHash, expiresAt: sessions.expiresAt, user: users, unit: units })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(units, eq(units.id, users.unitId))
    .where(and(sql`${sessions.tokenHash} = ANY(${sql.placeholder('hashes')}::text[])`, isNull(sessions.revokedAt), gt(sessions.expiresAt, sql.placeholder('now'))))
    .prepare('jiesu_authenticate');
}

type Lookup = { hash: string; now: Date; resolve: (a: Actor) => void; reject: (e: unknown) => void };
type Batcher = { query: ReturnType<typeof sessionQuery>; waiting: Lookup[] };
const batchers = new WeakMap<Db, Batcher>();

/** One query for the lookups of all requests read in this turn of the event loop (as DataLoader does). */
async function lookUp(b: Batcher): Promise<void> {
  const batch = b.waiting.splice(0);
  try {
    const earliest = new Date(Math.min(...batch.map((l) => l.now.getTime())));
    const rows = await b.query.execute({ hashes: [...new Set(batch.map((l) => l.hash))], now: earliest });
    const byHash = new Map(rows.map((r) => [r.hash, r]));
    for (const l of batch) {
      const row = byHash.get(l.hash);
      if (!row || !row.user.active || row.expiresAt.getTime() <= l.now.getTime()) l.reject(new DomainError('UNAUTHENTICATED', '登录已失效，请重新登录'));
      else l.resolve(actorOf(row.user, row.unit));
    }
  } catch (err) {
    for (const l of batch) l.reject(err);
  }
}

/** Resolve a bearer token to the acting user, or refuse with UNAUTHENTICATED. */
export function authenticate(args: { db: Db; token: string; now: Date }): Promise<Actor> {
  let b = batchers.get(args.db);
  if (!b) {
    b = { query: sessionQuery(args.db), waiting: [] };
    batchers.set(args.db, b);
  }
  const batcher = b;
  return new Promise((resolve, reject) => {
    if (batcher.waiting.length === 0) setImmediate(() => void lookUp(batcher));
    batcher.waiting.push({ hash: hashToken(args.token), now: args.now, resolve, reject });
  });
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
