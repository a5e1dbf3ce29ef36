/**
 * API keys of integrating systems (接口密钥): the key format, and `verifyApiKey`, which every key-authenticated
 * edge calls (Open311, platform exchange). A key is `jsk_<8 chars>_<43 chars>`: the first part is its public
 * prefix (shown in lists and logs), the whole is checked against a SHA-256 kept in `api_keys`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden } from '../../domain/errors.js';
import type { DbOrTx } from '../../store/db.js';
import { apiKeys, units, users } from '../../store/schema/index.js';
import { actorOf } from '../auth/authenticate.js';

export const apiScopes = ['open311:read', 'open311:write', 'webhooks:manage', 'exchange'] as const;
export type ApiScope = (typeof apiScopes)[number];

export const apiScopeLabels: Record<ApiScope, string> = {
  'open311:read': 'Open311 读取',
  'open311:write': 'Open311 提交',
  'webhooks:manage': '管理 Webhook',
  exchange: '平台间交换',
};

/** What a verified key may do, and the staff actor it acts as (role agent in its owner unit). */
export type ApiPrincipal = {
  keyId: string;
  prefix: string;
  systemName: string;
  ownerUnitId: string;
  scopes: string[];
  /** Service codes (categories) allowed; null: all. */
  services: string[] | null;
  rateLimitPerMinute: number;
  actor: Actor;
};

const KEY_RE = /^(jsk_[a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export const hashSecret = (key: string): string => createHash('sha256').update(key).digest('hex');

/** A new random key and its prefix: `newKeyMaterial().key` is shown once, only its hash is stored. */
export function newKeyMaterial(): { prefix: string; key: string; hash: string } {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const prefix = `jsk_${[...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('')}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { prefix, key, hash: hashSecret(key) };
}

/** The key's public prefix, or null when the string is not shaped like a key. */
export function prefixOf(key: string): string | null {
  return KEY_RE.exec(key)?.[1] ?? null;
}

type KeyRow = { key: typeof apiKeys.$inferSelect; user: typeof users.$inferSelect; unit: typeof units.$inferSelect | null };
type Waiting = { prefix: string; resolve: (r: KeyRow | undefined) => void; reject: (e: unknown) => void };
const waiting = new WeakMap<DbOrTx, Waiting[]>();

/** The key rows of all calls read in this turn of the event loop, in one query (as the session lookup does). */
function keyRow(db: DbOrTx, prefix: string): Promise<KeyRow | undefined> {
  return new Promise((resolve, reject) => {
    let list = waiting.get(db);
    if (!list) {
      const batch: Waiting[] = [];
      list = batch;
      waiting.set(db, batch);
      setImmediate(() => {
        waiting.delete(db);
        const prefixes = [...new Set(batch.map((w) => w.prefix))];
        db.select({ key: apiKeys, user: users, unit: units })
          .from(apiKeys)
          .innerJoin(users, eq(users.id, apiKeys.serviceUserId))
          .leftJoin(units, eq(units.id, apiKeys.ownerUnitId))
          .where(prefixes.length === 1 ? eq(apiKeys.prefix, prefixes[0] ?? '') : inArray(apiKeys.prefix, prefixes))
          .then(
            (rows) => {
              const by = new Map(rows.map((r) => [r.key.prefix, r]));
              for (const w of batch) w.resolve(by.get(w.prefix));
            },
            (err: unknown) => {
              for (const w of batch) w.reject(err);
            },
          );
      });
    }
    list.push({ prefix, resolve, reject });
  });
}

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Check a presented key: it exists, is not revoked, matches the current secret (or the previous one inside the
 * rotation overlap), and carries `scope`. Throws UNAUTHENTICATED (401) or FORBIDDEN (403) with a Chinese message.
 * @example const p = await verifyApiKey({ db, key: req.headers['x-api-key'], scope: 'exchange', now });
 */
export async function verifyApiKey(args: { db: DbOrTx; key: string | null | undefined; scope: ApiScope; now: Date }): Promise<ApiPrincipal> {
  const { db, key, scope, now } = args;
  if (!key) throw new DomainError('UNAUTHENTICATED', '缺少 api_key（接口密钥）', [{ field: 'api_key', reason: '必填' }]);
  const prefix = prefixOf(key);
  if (!prefix) throw new DomainError('UNAUTHENTICATED', 'api_key 格式无效', [{ field: 'api_key', reason: '格式无效' }]);
  const row = await keyRow(db, prefix);
  const hash = hashSecret(key);
  const current = row ? sameHash(hash, row.key.secretHash) : false;
  const previous = row?.key.previousSecretHash && row.key.previousValidUntil && row.key.previousValidUntil > now ? sameHash(hash, row.key.previousSecretHash) : false;
  if (!row || !(current || previous)) throw new DomainError('UNAUTHENTICATED', 'api_key 无效', [{ field: 'api_key', reason: '无效' }]);
  if (row.key.revokedAt && row.key.revokedAt <= now) throw new DomainError('UNAUTHENTICATED', 'api_key 已被吊销', [{ field: 'api_key', reason: '已吊销' }]);
  if (!row.user.active) throw new DomainError('UNAUTHENTICATED', 'api_key 已停用', [{ field: 'api_key', reason: '已停用' }]);
  if (!row.key.scopes.includes(scope)) throw forbidden(`该密钥没有 ${scope}（${apiScopeLabels[scope]}）权限`);
  return {
    keyId: row.key.id,
    prefix: row.key.prefix,
    systemName: row.key.systemName,
    ownerUnitId: row.key.ownerUnitId,
    scopes: row.key.scopes,
    services: row.key.services ?? null,
    rateLimitPerMinute: row.key.rateLimitPerMinute,
    actor: actorOf(row.user, row.unit),
  };
}

/** Whether the key may file or read requests of this service (category) code. */
export function allowsService(p: Pick<ApiPrincipal, 'services'>, code: string): boolean {
  return p.services === null || p.services.some((s) => code === s || code.startsWith(`${s}.`));
}
