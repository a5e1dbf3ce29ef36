/** Administrators manage accounts: list, create with a role and unit, change role/unit, disable, unlock. */
import { and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, invalid, notFound } from '../../domain/errors.js';
import type { Role } from '../../domain/roles.js';
import type { Db } from '../../store/db.js';
import { units, users } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { sessionsChanged } from '../auth/authenticate.js';
import { hashPassword } from '../auth/password.js';

export type UserView = { id: string; username: string; displayName: string; role: Role; kind: 'staff' | 'citizen'; unitId: string | null; unitName: string | null; active: boolean; lockedUntil: string | null; lastLoginAt: string | null };

const select = { user: users, unitName: units.name };
const view = (r: { user: typeof users.$inferSelect; unitName: string | null }): UserView => ({
  id: r.user.id,
  username: r.user.username,
  displayName: r.user.displayName,
  role: r.user.role as Role,
  kind: r.user.kind as UserView['kind'],
  unitId: r.user.unitId,
  unitName: r.unitName,
  active: r.user.active,
  lockedUntil: r.user.lockedUntil?.toISOString() ?? null,
  lastLoginAt: r.user.lastLoginAt?.toISOString() ?? null,
});

export async function listUsers(args: { db: Db; q?: string | undefined; role?: string | undefined; unit?: string | undefined; limit: number; offset: number }): Promise<{ total: number; items: UserView[] }> {
  const conds: SQL[] = [];
  if (args.role) conds.push(eq(users.role, args.role));
  if (args.unit) conds.push(eq(users.unitId, args.unit));
  if (args.q) {
    const p = `%${args.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const c = or(ilike(users.username, p), ilike(users.displayName, p));
    if (c) conds.push(c);
  }
  const where = conds.length ? and(...conds) : undefined;
  const [n] = await args.db.select({ n: sql<number>`count(*)::int` }).from(users).where(where);
  const rows = await args.db.select(select).from(users).leftJoin(units, eq(units.id, users.unitId)).where(where).orderBy(asc(users.username)).limit(args.limit).offset(args.offset);
  return { total: n?.n ?? 0, items: rows.map(view) };
}

async function checkUnit(db: Db, role: Role, unitId: string | null | undefined): Promise<void> {
  if (role === 'citizen') {
    if (unitId) throw invalid('unitId', '市民账号不属于任何单位');
    return;
  }
  if (!unitId) throw invalid('unitId', '工作人员必须属于一个单位');
  const [u] = await db.select({ id: units.id }).from(units).where(eq(units.id, unitId)).limit(1);
  if (!u) throw invalid('unitId', '单位不存在');
}

export async function createUser(args: { db: Db; actor: Actor; input: { username: string; displayName: string; role: Role; unitId?: string | null | undefined; phone?: string | undefined; password: string }; now: Date }): Promise<UserView> {
  const { db, input } = args;
  await checkUnit(db, input.role, input.unitId);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ username: input.username, displayName: input.displayName, role: input.role, kind: input.role === 'citizen' ? 'citizen' : 'staff', unitId: input.unitId ?? null, phone: input.phone ?? null, passwordHash })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new DomainError('CONFLICT', `用户名 ${input.username} 已存在`, [{ field: 'username', reason: '已存在' }]);
    await appendAudit(tx, { at: args.now, actorId: args.actor.userId, actorName: args.actor.username, action: 'user.create', targetType: 'user', targetId: row.id, detail: { username: row.username, role: row.role, unitId: row.unitId } });
    const [v] = await tx.select(select).from(users).leftJoin(units, eq(units.id, users.unitId)).where(eq(users.id, row.id));
    if (!v) throw notFound('用户');
    return view(v);
  });
}

export async function updateUser(args: { db: Db; actor: Actor; id: string; patch: { displayName?: string | undefined; role?: Role | undefined; unitId?: string | null | undefined; active?: boolean | undefined; unlock?: boolean | undefined; password?: string | undefined }; now: Date }): Promise<UserView> {
  const { db, patch } = args;
  if (!/^[0-9a-f-]{36}$/i.test(args.id)) throw notFound('用户');
  const [before] = await db.select().from(users).where(eq(users.id, args.id)).limit(1);
  if (!before) throw notFound('用户');
  if (before.id === args.actor.userId && (patch.active === false || (patch.role && patch.role !== 'admin'))) throw invalid('active', '不能停用或降级自己的账号');
  const role = patch.role ?? (before.role as Role);
  if (patch.role !== undefined || patch.unitId !== undefined) await checkUnit(db, role, patch.unitId === undefined ? before.unitId : patch.unitId);
  const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
  return db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
        ...(patch.role !== undefined ? { role: patch.role, kind: patch.role === 'citizen' ? 'citizen' : 'staff' } : {}),
        ...(patch.unitId !== undefined ? { unitId: patch.unitId } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        ...(patch.unlock ? { lockedUntil: null, failedLogins: 0 } : {}),
        ...(passwordHash ? { passwordHash } : {}),
      })
      .where(eq(users.id, args.id));
    // A disabled account or a changed password ends the sessions it had.
    if (patch.active === false || passwordHash) await tx.execute(sql`UPDATE sessions SET revoked_at = ${args.now} WHERE user_id = ${args.id} AND revoked_at IS NULL`);
    // Every server drops what it kept of this user's sessions: role, unit and name are read anew.
    await sessionsChanged(db, tx, { userId: args.id });
    const { password: _pw, ...logged } = patch;
    await appendAudit(tx, { at: args.now, actorId: args.actor.userId, actorName: args.actor.username, action: 'user.update', targetType: 'user', targetId: args.id, detail: { ...logged, ...(passwordHash ? { passwordReset: true } : {}) } });
    const [v] = await tx.select(select).from(users).leftJoin(units, eq(units.id, users.unitId)).where(eq(users.id, args.id));
    if (!v) throw notFound('用户');
    return view(v);
  });
}
