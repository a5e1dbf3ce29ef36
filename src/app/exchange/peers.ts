/**
 * 对接平台 administration: register the upper or lower platforms we exchange with, change their address or key,
 * switch them off. Every change is audited. The peer's credential towards us is an API key with scope 'exchange'
 * issued under /api/v1/api-keys; we store the key it gave us to present on every message we send.
 */
import { asc, eq } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden, invalid, notFound } from '../../domain/errors.js';
import type { PeerDirection } from '../../domain/exchange/index.js';
import type { Db, DbOrTx } from '../../store/db.js';
import { apiKeys, exchangePeers } from '../../store/schema/index.js';
import { appendAudit } from '../audit/appendAudit.js';

export type PeerRow = typeof exchangePeers.$inferSelect;
export type PeerView = { id: string; code: string; name: string; baseUrl: string; direction: PeerDirection; theirKeyId: string; keyPrefix: string | null; outboundKeySet: boolean; active: boolean; createdAt: string; updatedAt: string };
export type PeerInput = { code: string; name: string; baseUrl: string; direction: PeerDirection; outboundKey: string; theirKeyId: string };
export type PeerPatch = { name?: string | undefined; baseUrl?: string | undefined; outboundKey?: string | undefined; active?: boolean | undefined };

const requireAdmin = (actor: Actor) => {
  if (actor.role !== 'admin') throw forbidden('只有管理员可以配置对接平台');
};

function checkBaseUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalid('baseUrl', '不是有效的网址');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw invalid('baseUrl', '只支持 http/https');
  return u.toString().replace(/\/+$/, '');
}

async function keyPrefixes(db: DbOrTx): Promise<Map<string, string>> {
  const rows = await db.select({ id: apiKeys.id, prefix: apiKeys.prefix }).from(apiKeys);
  return new Map(rows.map((r) => [r.id, r.prefix]));
}

function view(p: PeerRow, prefixes: Map<string, string>): PeerView {
  return { id: p.id, code: p.code, name: p.name, baseUrl: p.baseUrl, direction: p.direction as PeerDirection, theirKeyId: p.theirKeyId, keyPrefix: prefixes.get(p.theirKeyId) ?? null, outboundKeySet: p.outboundKey.length > 0, active: p.active, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() };
}

export async function listPeers(args: { db: Db; actor: Actor }): Promise<PeerView[]> {
  if (!['admin', 'dispatcher', 'supervisor', 'leader'].includes(args.actor.role)) throw forbidden('无权查看对接平台');
  const rows = await args.db.select().from(exchangePeers).orderBy(asc(exchangePeers.code));
  const prefixes = await keyPrefixes(args.db);
  return rows.map((r) => view(r, prefixes));
}

/** registerPeer({ db, actor: admin, input: { code: '440000', name: '广东省12345平台', baseUrl, direction: 'upper', outboundKey, theirKeyId }, now }) */
export async function registerPeer(args: { db: Db; actor: Actor; input: PeerInput; ip?: string | undefined; now: Date }): Promise<PeerView> {
  const { db, actor, input, now } = args;
  requireAdmin(actor);
  const baseUrl = checkBaseUrl(input.baseUrl);
  const row = await db.transaction(async (tx) => {
    const [key] = await tx.select().from(apiKeys).where(eq(apiKeys.id, input.theirKeyId)).limit(1);
    if (!key) throw invalid('theirKeyId', '接口密钥不存在');
    if (key.revokedAt) throw invalid('theirKeyId', '接口密钥已吊销');
    if (!key.scopes.includes('exchange')) throw invalid('theirKeyId', '接口密钥没有 exchange（平台间交换）权限');
    const [clash] = await tx.select({ id: exchangePeers.id, code: exchangePeers.code, theirKeyId: exchangePeers.theirKeyId }).from(exchangePeers).where(eq(exchangePeers.code, input.code)).limit(1);
    if (clash) throw new DomainError('CONFLICT', `对接平台 ${input.code} 已存在`, [{ field: 'code', reason: '已存在' }]);
    const [used] = await tx.select({ code: exchangePeers.code }).from(exchangePeers).where(eq(exchangePeers.theirKeyId, input.theirKeyId)).limit(1);
    if (used) throw new DomainError('CONFLICT', `该接口密钥已用于对接平台 ${used.code}`, [{ field: 'theirKeyId', reason: '已被使用' }]);
    const [created] = await tx.insert(exchangePeers).values({ code: input.code, name: input.name, baseUrl, direction: input.direction, outboundKey: input.outboundKey, theirKeyId: input.theirKeyId, active: true, createdAt: now, updatedAt: now }).returning();
    if (!created) throw new DomainError('INTERNAL', '无法登记对接平台');
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.username, action: 'exchange.peer.create', targetType: 'exchange_peer', targetId: created.id, detail: { code: input.code, name: input.name, baseUrl, direction: input.direction, theirKeyId: input.theirKeyId }, ip: args.ip ?? null });
    return created;
  });
  return view(row, await keyPrefixes(db));
}

export async function updatePeer(args: { db: Db; actor: Actor; id: string; patch: PeerPatch; ip?: string | undefined; now: Date }): Promise<PeerView> {
  const { db, actor, patch, now } = args;
  requireAdmin(actor);
  const row = await db.transaction(async (tx) => {
    const [cur] = await tx.select().from(exchangePeers).where(eq(exchangePeers.id, args.id)).for('update').limit(1);
    if (!cur) throw notFound('对接平台');
    const set = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.baseUrl !== undefined ? { baseUrl: checkBaseUrl(patch.baseUrl) } : {}),
      ...(patch.outboundKey !== undefined ? { outboundKey: patch.outboundKey } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      updatedAt: now,
    };
    const [updated] = await tx.update(exchangePeers).set(set).where(eq(exchangePeers.id, cur.id)).returning();
    if (!updated) throw notFound('对接平台');
    // The key itself is never written to the audit trail; only that it changed.
    const { outboundKey: _secret, ...shown } = set;
    await appendAudit(tx, { at: now, actorId: actor.userId, actorName: actor.username, action: 'exchange.peer.update', targetType: 'exchange_peer', targetId: cur.id, detail: { ...shown, updatedAt: undefined, outboundKeyChanged: patch.outboundKey !== undefined }, ip: args.ip ?? null });
    return updated;
  });
  return view(row, await keyPrefixes(db));
}

export async function peerByCode(db: DbOrTx, code: string): Promise<PeerRow> {
  const [p] = await db.select().from(exchangePeers).where(eq(exchangePeers.code, code)).limit(1);
  if (!p) throw invalid('peerCode', `对接平台 ${code} 不存在`);
  if (!p.active) throw invalid('peerCode', `对接平台 ${code} 已停用`);
  return p;
}
