import { and, eq, isNull } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import type { Db } from '../../store/db.js';
import { sessions } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { sessionsChanged } from './authenticate.js';
import { hashToken } from './login.js';

/** Revoke the session of this token; later requests with it are unauthenticated. */
export async function logout(args: { db: Db; token: string; actor: Actor; ip: string | null; now: Date }): Promise<void> {
  await args.db.transaction(async (tx) => {
    await tx
      .update(sessions)
      .set({ revokedAt: args.now })
      .where(and(eq(sessions.tokenHash, hashToken(args.token)), isNull(sessions.revokedAt)));
    await sessionsChanged(args.db, tx, { tokenHash: hashToken(args.token) });
    await appendAudit(tx, { at: args.now, actorId: args.actor.userId, actorName: args.actor.username, action: 'auth.logout', ip: args.ip });
  });
}
