/** Sign in with username and password: a bearer token with an expiry, or a refusal that locks out guessers. */
import { createHash, randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { DomainError } from '../../domain/errors.js';
import type { Role } from '../../domain/roles.js';
import type { Db } from '../../store/db.js';
import { sessions, users } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { DUMMY_HASH, verifyPassword } from './password.js';

export type LoginPolicy = { tokenTtlMs: number; lockoutAttempts: number; lockoutMinutes: number };

export type LoginResult = {
  token: string;
  expiresAt: Date;
  user: { id: string; username: string; displayName: string; role: Role; kind: 'staff' | 'citizen'; unitId: string | null };
};

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** login({ db, username: 'agent', password: '…', ip, now, policy }) → { token, expiresAt, user } */
export async function login(args: { db: Db; username: string; password: string; ip: string | null; now: Date; policy: LoginPolicy }): Promise<LoginResult> {
  const { db, username, password, ip, now, policy } = args;
  const [user] = await db.select().from(users).where(eq(users.username, username)).limit(1);
  if (!user || !user.active) {
    await verifyPassword(password, DUMMY_HASH); // same time whether or not the user exists
    await db.transaction((tx) => appendAudit(tx, { at: now, action: 'auth.login_failed', detail: { username, reason: 'unknown_user' }, ip }));
    throw new DomainError('INVALID_CREDENTIALS', '用户名或密码错误');
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await db.transaction((tx) =>
      appendAudit(tx, { at: now, actorId: user.id, actorName: user.username, action: 'auth.login_refused_locked', ip }),
    );
    throw lockedError(user.lockedUntil);
  }
  const ok = await verifyPassword(password, user.passwordHash);
  if (!ok) {
    const lockedUntil = await db.transaction(async (tx) => {
      // Count in SQL so concurrent failures on several servers all count.
      const [row] = await tx
        .update(users)
        .set({ failedLogins: sql`CASE WHEN ${users.lockedUntil} IS NOT NULL AND ${users.lockedUntil} <= ${now} THEN 1 ELSE ${users.failedLogins} + 1 END` })
        .where(eq(users.id, user.id))
        .returning({ failed: users.failedLogins });
      const failed = row?.failed ?? 0;
      let until: Date | null = null;
      if (failed >= policy.lockoutAttempts) {
        until = new Date(now.getTime() + policy.lockoutMinutes * 60_000);
        await tx.update(users).set({ lockedUntil: until, failedLogins: 0 }).where(eq(users.id, user.id));
      }
      await appendAudit(tx, {
        at: now,
        actorId: user.id,
        actorName: user.username,
        action: until ? 'auth.account_locked' : 'auth.login_failed',
        detail: { failed, ...(until ? { lockedUntil: until.toISOString() } : {}) },
        ip,
      });
      return until;
    });
    if (lockedUntil) throw lockedError(lockedUntil);
    throw new DomainError('INVALID_CREDENTIALS', '用户名或密码错误');
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + policy.tokenTtlMs);
  await db.transaction(async (tx) => {
    await tx.insert(sessions).values({ tokenHash: hashToken(token), userId: user.id, createdAt: now, expiresAt, ip });
    await tx.update(users).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: now }).where(eq(users.id, user.id));
    await appendAudit(tx, { at: now, actorId: user.id, actorName: user.username, action: 'auth.login', ip });
  });
  return {
    token,
    expiresAt,
    user: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role as Role,
      kind: user.kind as 'staff' | 'citizen',
      unitId: user.unitId,
    },
  };
}

function lockedError(until: Date): DomainError {
  const local = until.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  return new DomainError('ACCOUNT_LOCKED', `登录失败次数过多，账号已锁定至 ${local}（北京时间）`);
}
