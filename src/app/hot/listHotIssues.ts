/**
 * Hot issues (热点问题) among the recent orders the actor may see: the same grouping and heat as `jiesu hot`, over
 * the orders accepted in the last `days` days (at most `MAX_HOT_ROWS`, newest first), with each order's district
 * and street as known areas, so that orders of different streets are never one issue.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { invalid } from '../../domain/errors.js';
import { queryRows, type Db } from '../../store/db.js';
import { orders } from '../../store/schema/index.js';
import { hotIssuesFromFeatures, messageFeatures, type HotMessage, type MessageFeatures } from '../../intelligence/hot/hotIssues.js';
import type { HeatSignals } from '../../intelligence/hot/heat.js';
import { visibleCondition } from '../orders/orderRecord.js';

/** Most orders read for one answer: 30 days of a large district. Featurising them takes a few seconds. */
export const MAX_HOT_ROWS = 20_000;
export const MAX_HOT_DAYS = 365;
const DAY_MS = 86_400_000;
// Featurise in slices and yield between them, so other requests are served while a large window is mined.
const SLICE = 250;

export type HotIssueOrder = { id: string; no: string; title: string; acceptedAt: string };

export type HotIssueView = {
  rank: number;
  heat: number;
  place: string | null;
  from: string;
  to: string;
  description: string;
  keywords: string[];
  signals: HeatSignals;
  orders: HotIssueOrder[];
};

export type HotIssuesResult = {
  from: string;
  to: string;
  /** Orders read; `truncated` when the window held more than `MAX_HOT_ROWS` and only the newest were read. */
  scanned: number;
  truncated: boolean;
  issues: HotIssueView[];
};

type Row = { id: string; no: string; title: string; body: string; accepted_at: Date | string; who: string | null; street: string | null; district: string | null };

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * @example
 * const { issues } = await listHotIssues({ db, actor, days: 30, top: 10, now: new Date() });
 * issues[0] // → { rank: 1, heat: 23.4, place: '朝阳区望京街道望京西园', orders: [{ id, no: 'GD…', … }], … }
 */
export async function listHotIssues(args: { db: Db; actor: Actor; days?: number; top?: number; now: Date; maxRows?: number }): Promise<HotIssuesResult> {
  // Grouping reads and tokenizes up to MAX_HOT_ROWS orders: dashboards that poll, and many viewers of one scope, share
  // one computation per minute (and one in flight) instead of each starting their own.
  const visibility = args.actor.role === 'citizen' ? `c:${args.actor.userId}` : `s:${args.actor.scopePath ?? ''}`;
  const key = `${visibility}|${args.days ?? 30}|${args.top ?? 10}|${args.maxRows ?? MAX_HOT_ROWS}`;
  let cache = hotCache.get(args.db);
  if (!cache) hotCache.set(args.db, (cache = new Map<string, { at: number; result: Promise<HotIssuesResult> }>()));
  const hit = cache.get(key);
  if (hit && args.now.getTime() >= hit.at && args.now.getTime() - hit.at < HOT_CACHE_MS) return hit.result;
  const result = computeHotIssues(args);
  cache.set(key, { at: args.now.getTime(), result });
  if (cache.size > HOT_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  result.catch(() => {
    if (cache.get(key)?.result === result) cache.delete(key);
  });
  return result;
}

/** How long a computed list serves again, and how many scopes' lists one server keeps. */
export const HOT_CACHE_MS = 60_000;
const HOT_CACHE_ENTRIES = 500;
const hotCache = new WeakMap<Db, Map<string, { at: number; result: Promise<HotIssuesResult> }>>();

async function computeHotIssues(args: { db: Db; actor: Actor; days?: number; top?: number; now: Date; maxRows?: number }): Promise<HotIssuesResult> {
  const { db, actor, now } = args;
  const days = args.days ?? 30;
  const top = args.top ?? 10;
  const maxRows = args.maxRows ?? MAX_HOT_ROWS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_HOT_DAYS) throw invalid('days', `天数须为 1 到 ${MAX_HOT_DAYS} 的整数`);
  if (!Number.isInteger(top) || top < 1 || top > 100) throw invalid('top', '条数须为 1 到 100 的整数');
  const from = new Date(now.getTime() - days * DAY_MS);
  const vis = visibleCondition(actor);
  // Invalid (malicious, nonsense) orders are no one's problem; merged ones still count as people who asked.
  const where: SQL = sql`${orders.acceptedAt} >= ${from} AND ${orders.acceptedAt} <= ${now} AND ${orders.state} <> 'invalid'${vis ? sql` AND ${vis}` : sql``}`;
  const rows = await queryRows<Row>(
    db,
    sql`SELECT ${orders.id} AS id, ${orders.no} AS no, ${orders.title} AS title, ${orders.body} AS body, ${orders.acceptedAt} AS accepted_at,
          coalesce(r.citizen_user_id::text, r.contact_phone) AS who, st.name AS street, d.name AS district
        FROM ${orders}
        LEFT JOIN requests r ON r.id = ${orders.requestId}
        LEFT JOIN units st ON st.id = ${orders.streetId}
        LEFT JOIN units d ON d.id = ${orders.districtId}
        WHERE ${where}
        ORDER BY ${orders.acceptedAt} DESC, ${orders.id} DESC
        LIMIT ${maxRows + 1}`,
  );
  const truncated = rows.length > maxRows;
  const read = truncated ? rows.slice(0, maxRows) : rows;
  const messages: HotMessage[] = read.map((r) => ({
    id: r.id,
    title: r.title,
    body: r.body,
    time: new Date(r.accepted_at),
    // Who asked, to count people; never shown. Orders without a known requester count as one person each.
    user: r.who,
    areas: [r.district, r.street].filter((a): a is string => !!a),
  }));
  const features: MessageFeatures[] = [];
  for (let i = 0; i < messages.length; i += SLICE) {
    for (const m of messages.slice(i, i + SLICE)) features.push(messageFeatures(m));
    await yieldToLoop();
  }
  const issues = hotIssuesFromFeatures(messages, features, { now, top });
  const byId = new Map(read.map((r) => [r.id, r]));
  return {
    from: from.toISOString(),
    to: now.toISOString(),
    scanned: read.length,
    truncated,
    issues: issues.map(({ ids, ...issue }) => ({
      ...issue,
      orders: ids.map((id) => {
        const r = byId.get(id);
        return { id, no: r?.no ?? '', title: r?.title ?? '', acceptedAt: r ? new Date(r.accepted_at).toISOString() : '' };
      }),
    })),
  };
}
