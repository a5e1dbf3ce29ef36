import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError } from '../../domain/errors.js';
import { scopePathOf, type UnitLevel } from '../../domain/jurisdiction.js';
import type { Role } from '../../domain/roles.js';
import type { Db, Store, Tx } from '../../store/db.js';
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

/** Where a change to sessions, users or units is announced (NOTIFY, delivered on commit to every server). */
export const SESSIONS_CHANNEL = 'jiesu_sessions';

/** How long a server trusts a session it has looked up, unless told of a change sooner. */
export const SESSION_CACHE_MS = 10_000;
const SESSION_CACHE_MAX = 50_000;

/** What changed: one session (logout), one user's sessions (disabled, new password, new role or unit), or all. */
export type SessionChange = { tokenHash: string } | { userId: string } | { all: true };

type Cached = { actor: Actor; expiresAt: number; until: number };
type Lookup = { hash: string; now: Date; resolve: (a: Actor) => void; reject: (e: unknown) => void };
type Batcher = {
  query: ReturnType<typeof sessionQuery>;
  waiting: Lookup[];
  /** Sessions looked up lately; only while this server hears the changes of every server (`watchSessions`). */
  cache: Map<string, Cached> | null;
  watchers: number;
  /** Bumped at every change: a lookup that started before a change does not fill the cache. */
  generation: number;
};
const batchers = new WeakMap<Db, Batcher>();

function batcherOf(db: Db): Batcher {
  let b = batchers.get(db);
  if (!b) {
    b = { query: sessionQuery(db), waiting: [], cache: null, watchers: 0, generation: 0 };
    batchers.set(db, b);
  }
  return b;
}

function forget(b: Batcher, change: SessionChange): void {
  b.generation++;
  if (!b.cache) return;
  if ('all' in change) b.cache.clear();
  else if ('tokenHash' in change) b.cache.delete(change.tokenHash);
  else for (const [hash, c] of b.cache) if (c.actor.userId === change.userId) b.cache.delete(hash);
}

/**
 * Let this server keep looked-up sessions for `SESSION_CACHE_MS`: it listens for the changes every server
 * announces (`sessionsChanged`), so a logout or a disabled account ends the session on all servers at commit.
 * Without a watcher (commands, tests of use-cases) every request reads the database. Returns the unwatch.
 * @example const unwatch = await watchSessions(store); … await unwatch();
 */
export async function watchSessions(store: Store): Promise<() => Promise<void>> {
  const b = batcherOf(store.db);
  const unlisten = await store.listen(SESSIONS_CHANNEL, (payload) => {
    let change: SessionChange;
    try {
      change = JSON.parse(payload) as SessionChange;
    } catch {
      change = { all: true };
    }
    forget(b, change);
  });
  b.watchers++;
  b.cache ??= new Map();
  return async () => {
    await unlisten();
    if (--b.watchers === 0) b.cache = null;
  };
}

/**
 * Announce, in the transaction that makes it, a change that ends or alters sessions: this server forgets them at
 * once, every server (this one included) again when the transaction commits.
 */
export async function sessionsChanged(db: Db, tx: Tx, change: SessionChange): Promise<void> {
  forget(batcherOf(db), change);
  await tx.execute(sql`SELECT pg_notify(${SESSIONS_CHANNEL}, ${JSON.stringify(change)})`);
}

/** One query for the lookups of all requests read in this turn of the event loop (as DataLoader does). */
async function lookUp(b: Batcher): Promise<void> {
  const batch = b.waiting.splice(0);
  const generation = b.generation;
  try {
    const earliest = new Date(Math.min(...batch.map((l) => l.now.getTime())));
    const rows = await b.query.execute({ hashes: [...new Set(batch.map((l) => l.hash))], now: earliest });
    const byHash = new Map(rows.map((r) => [r.hash, r]));
    for (const l of batch) {
      const row = byHash.get(l.hash);
      if (!row || !row.user.active || row.expiresAt.getTime() <= l.now.getTime()) l.reject(new DomainError('UNAUTHENTICATED', '登录已失效，请重新登录'));
      else {
        // Frozen: one actor object may now serve many requests.
        const actor = Object.freeze(actorOf(row.user, row.unit));
        if (b.cache && b.generation === generation) {
          if (b.cache.size >= SESSION_CACHE_MAX) b.cache.clear();
          b.cache.set(l.hash, { actor, expiresAt: row.expiresAt.getTime(), until: performance.now() + SESSION_CACHE_MS });
        }
        l.resolve(actor);
      }
    }
  } catch (err) {
    for (const l of batch) l.reject(err);
  }
}

/** Resolve a bearer token to the acting user, or refuse with UNAUTHENTICATED. */
export function authenticate(args: { db: Db; token: string; now: Date }): Promise<Actor> {
  const batcher = batcherOf(args.db);
  const hash = hashToken(args.token);
  const hit = batcher.cache?.get(hash);
  if (hit) {
    if (hit.until > performance.now() && hit.expiresAt > args.now.getTime()) return Promise.resolve(hit.actor);
    batcher.cache?.delete(hash);
  }
  return new Promise((resolve, reject) => {
    if (batcher.waiting.length === 0) setImmediate(() => void lookUp(batcher));
    batcher.waiting.push({ hash, now: args.now, resolve, reject });
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
