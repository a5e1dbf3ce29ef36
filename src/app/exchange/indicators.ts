/**
 * 指标上报: this platform's month in one message — orders accepted in it by exchange status, overdue, and the three
 * rates with the composite score of the whole city — sent to every active upper peer. On demand (API) and on a
 * schedule (jobs). The upper platform keeps the latest per peer and month.
 */
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { monthOf, monthRange, type Month } from '../../domain/assessment/index.js';
import { forbidden, invalid } from '../../domain/errors.js';
import { exchangeStatusOf, exchangeStatuses, type ExchangeStatus, type IndicatorsBody } from '../../domain/exchange/index.js';
import type { OrderState } from '../../domain/order/index.js';
import type { Db } from '../../store/db.js';
import { exchangeIndicators, exchangePeers, orders } from '../../store/schema/index.js';
import { unitRates } from '../assessment/unitRates.js';
import { systemActor } from '../orders/transitionOrder.js';
import { buildMessage, enqueueExchange, ourPlatform } from './envelope.js';

/** The figures of a month as of `now`, for the whole platform. */
export async function monthIndicators(args: { db: Db; month: Month; now: Date }): Promise<IndicatorsBody> {
  const { db, month, now } = args;
  const { from, to } = monthRange(month);
  const rows = await db
    .select({ state: orders.state, n: sql<number>`count(*)::int`, overdue: sql<number>`count(*) FILTER (WHERE ${orders.overdue})::int` })
    .from(orders)
    .where(and(gte(orders.acceptedAt, from), lt(orders.acceptedAt, to)))
    .groupBy(orders.state);
  const byStatus = Object.fromEntries(exchangeStatuses.map((s) => [s, 0])) as Record<ExchangeStatus, number>;
  let accepted = 0;
  let overdue = 0;
  for (const r of rows) {
    byStatus[exchangeStatusOf(r.state as OrderState)] += Number(r.n);
    accepted += Number(r.n);
    overdue += Number(r.overdue);
  }
  const platform = await ourPlatform(db);
  const rates = await unitRates({ db, actor: systemActor, unitCode: platform.code, period: { month }, now });
  return { month, asOf: now.toISOString(), accepted, byStatus, overdue, rates: { responseRate: rates.responseRate, resolutionRate: rates.resolutionRate, satisfactionRate: rates.satisfactionRate, score: rates.score } };
}

export async function sendIndicators(args: { db: Db; actor: Actor | null; month?: Month | undefined; now: Date; skipWithoutPeers?: boolean }): Promise<{ month: Month; peers: string[]; figures: IndicatorsBody | null }> {
  const { db, actor, now } = args;
  if (actor && actor.role !== 'admin' && actor.role !== 'supervisor') throw forbidden('只有管理员或督办员可以上报指标');
  const month = args.month ?? monthOf(now);
  if (month > monthOf(now)) throw invalid('month', '不能上报未来月份的指标');
  const peers = await db.select().from(exchangePeers).where(and(eq(exchangePeers.direction, 'upper'), eq(exchangePeers.active, true)));
  if (peers.length === 0 && args.skipWithoutPeers) return { month, peers: [], figures: null };
  const figures = await monthIndicators({ db, month, now });
  const from = await ourPlatform(db);
  await db.transaction(async (tx) => {
    for (const p of peers) await enqueueExchange(tx, p.id, buildMessage('indicators', figures, from, now), now);
  });
  return { month, peers: peers.map((p) => p.code), figures };
}

export async function listReceivedIndicators(args: { db: Db; actor: Actor; month?: Month | undefined }) {
  if (!['admin', 'supervisor', 'leader'].includes(args.actor.role)) throw forbidden('无权查看下级平台指标');
  const rows = await args.db
    .select({ ind: exchangeIndicators, code: exchangePeers.code, name: exchangePeers.name })
    .from(exchangeIndicators)
    .innerJoin(exchangePeers, eq(exchangePeers.id, exchangeIndicators.peerId))
    .where(args.month ? eq(exchangeIndicators.month, args.month) : undefined)
    .orderBy(desc(exchangeIndicators.month), exchangePeers.code)
    .limit(500);
  return rows.map((r) => ({ peer: { code: r.code, name: r.name }, month: r.ind.month, asOf: r.ind.asOf.toISOString(), receivedAt: r.ind.receivedAt.toISOString(), figures: r.ind.figures }));
}
