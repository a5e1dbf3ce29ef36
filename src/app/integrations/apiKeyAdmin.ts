/**
 * Administering API keys: create (the secret is shown once), rotate (the old secret keeps working for an overlap
 * window), revoke (at once), list with usage. Each change is audited in its transaction.
 */
import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden, invalid, notFound } from '../../domain/errors.js';
import type { Db } from '../../store/db.js';
import { apiKeys, apiKeyUses, units, users } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';
import { sessionsChanged } from '../auth/authenticate.js';
import { hashSecret, newKeyMaterial, type ApiScope } from './apiKeys.js';

export type ApiKeyView = {
  id: string;
  prefix: string;
  systemName: string;
  ownerUnit: { code: string; name: string };
  scopes: string[];
  services: string[] | null;
  rateLimitPerMinute: number;
  createdAt: string;
  rotatedAt: string | null;
  previousValidUntil: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  usesLast24h: number;
};

export type ApiKeyInput = { systemName: string; ownerUnitCode: string; scopes: ApiScope[]; services?: string[] | null | undefined; rateLimitPerMinute?: number | undefined };

const requireAdmin = (actor: Actor) => {
  if (actor.role !== 'admin') throw forbidden('只有管理员可以管理接口密钥');
};

async function views(db: Db, now: Date, id?: string): Promise<ApiKeyView[]> {
  const since = new Date(now.getTime() - 24 * 3600_000);
  const uses = db
    .select({ keyId: apiKeyUses.keyId, n: sql<number>`count(*)::int`.as('n') })
    .from(apiKeyUses)
    .where(gte(apiKeyUses.at, since))
    .groupBy(apiKeyUses.keyId)
    .as('uses');
  const rows = await db
    .select({ k: apiKeys, unitName: units.name, n: uses.n })
    .from(apiKeys)
    .leftJoin(units, eq(units.id, apiKeys.ownerUnitId))
    .leftJoin(uses, eq(uses.keyId, apiKeys.id))
    .where(id ? eq(apiKeys.id, id) : undefined)
    .orderBy(desc(apiKeys.createdAt));
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return rows.map(({ k, unitName, n }) => ({
    id: k.id,
    prefix: k.prefix,
    systemName: k.systemName,
    ownerUnit: { code: k.ownerUnitId, name: unitName ?? k.ownerUnitId },
    scopes: k.scopes,
    services: k.services ?? null,
    rateLimitPerMinute: k.rateLimitPerMinute,
    createdAt: k.createdAt.toISOString(),
    rotatedAt: iso(k.rotatedAt),
    previousValidUntil: k.previousValidUntil && k.previousValidUntil > now ? k.previousValidUntil.toISOString() : null,
    revokedAt: iso(k.revokedAt),
    lastUsedAt: iso(k.lastUsedAt),
    usesLast24h: Number(n ?? 0),
  }));
}

export async function listApiKeys(args: { db: Db; actor: Actor; now: Date }): Promise<ApiKeyView[]> {
  requireAdmin(args.actor);
  return views(args.db, args.now);
}

/** createApiKey({ db, actor: admin, input: { systemName: '区网格系统', ownerUnitCode: '110105', scopes: ['open311:write'] }, now }) → { key: 'jsk_…', view } */
export async function createApiKey(args: { db: Db; actor: Actor; input: ApiKeyInput; now: Date }): Promise<{ key: string; view: ApiKeyView }> {
  const { db, actor, input, now } = args;
  requireAdmin(actor);
  const m = newKeyMaterial();
  const id = await db.transaction(async (tx) => {
    const [unit] = await tx.select().from(units).where(eq(units.id, input.ownerUnitCode)).limit(1);
    if (!unit || !unit.active) throw invalid('ownerUnitCode', '单位不存在或已停用');
    // The key acts as a staff user of its owner unit (role agent), so intake, history and jurisdiction treat it as a person would be treated.
    const [user] = await tx
      .insert(users)
      .values({ username: `api:${m.prefix}`, displayName: `${input.systemName}（接口）`, kind: 'staff', role: 'agent', unitId: unit.id, passwordHash: '!api-key: no password login' })
      .returning({ id: users.id });
    if (!user) throw new DomainError('INTERNAL', '无法创建接口用户');
    const [row] = await tx
      .insert(apiKeys)
      .values({ prefix: m.prefix, secretHash: m.hash, systemName: input.systemName, ownerUnitId: unit.id, serviceUserId: user.id, scopes: [...new Set(input.scopes)], services: input.services?.length ? input.services : null, rateLimitPerMinute: input.rateLimitPerMinute ?? 120, createdAt: now, createdBy: actor.userId })
      .returning({ id: apiKeys.id });
    if (!row) throw new DomainError('INTERNAL', '无法创建接口密钥');
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.username, action: 'api_key.create', targetType: 'api_key', targetId: row.id, detail: { prefix: m.prefix, systemName: input.systemName, ownerUnitId: unit.id, scopes: input.scopes, services: input.services ?? null, rateLimitPerMinute: input.rateLimitPerMinute ?? 120 } });
    return row.id;
  });
  const [view] = await views(db, now, id);
  if (!view) throw notFound('接口密钥');
  return { key: m.key, view };
}

/** A new secret; the previous one stays valid for `overlapHours` (0: ends now). */
export async function rotateApiKey(args: { db: Db; actor: Actor; id: string; overlapHours: number; now: Date }): Promise<{ key: string; view: ApiKeyView }> {
  const { db, actor, id, now } = args;
  requireAdmin(actor);
  const m = newKeyMaterial();
  await db.transaction(async (tx) => {
    const [k] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for('update');
    if (!k) throw notFound('接口密钥');
    if (k.revokedAt) throw new DomainError('CONFLICT', '已吊销的密钥不能轮换');
    // The prefix stays: it names the system in logs. Only the secret part changes.
    const key = `${k.prefix}${m.key.slice(m.prefix.length)}`;
    m.key = key;
    await tx
      .update(apiKeys)
      .set({ secretHash: hashSecret(key), previousSecretHash: k.secretHash, previousValidUntil: new Date(now.getTime() + args.overlapHours * 3600_000), rotatedAt: now })
      .where(eq(apiKeys.id, id));
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.username, action: 'api_key.rotate', targetType: 'api_key', targetId: id, detail: { prefix: k.prefix, overlapHours: args.overlapHours } });
  });
  const [view] = await views(db, now, id);
  if (!view) throw notFound('接口密钥');
  return { key: m.key, view };
}

export async function revokeApiKey(args: { db: Db; actor: Actor; id: string; reason: string; now: Date }): Promise<ApiKeyView> {
  const { db, actor, id, now } = args;
  requireAdmin(actor);
  await db.transaction(async (tx) => {
    const [k] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for('update');
    if (!k) throw notFound('接口密钥');
    if (k.revokedAt) throw new DomainError('CONFLICT', '密钥已吊销');
    await tx.update(apiKeys).set({ revokedAt: now, previousSecretHash: null, previousValidUntil: null }).where(eq(apiKeys.id, id));
    await tx.update(users).set({ active: false }).where(eq(users.id, k.serviceUserId));
    await sessionsChanged(db, tx, { userId: k.serviceUserId });
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.username, action: 'api_key.revoke', targetType: 'api_key', targetId: id, detail: { prefix: k.prefix, reason: args.reason } });
  });
  const [view] = await views(db, now, id);
  if (!view) throw notFound('接口密钥');
  return view;
}

export type KeyUseView = { id: number; at: string; method: string; route: string; status: number; ip: string | null };

export async function listKeyUses(args: { db: Db; actor: Actor; id: string; limit: number }): Promise<KeyUseView[]> {
  requireAdmin(args.actor);
  const rows = await args.db.select().from(apiKeyUses).where(and(eq(apiKeyUses.keyId, args.id))).orderBy(desc(apiKeyUses.id)).limit(args.limit);
  return rows.map((r) => ({ id: r.id, at: r.at.toISOString(), method: r.method, route: r.route, status: r.status, ip: r.ip }));
}
