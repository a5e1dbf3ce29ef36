/** The exchange's periodic work: report new statuses of received orders, then deliver what waits in the outbox. */
import type { Db } from '../../store/db.js';
import { deliverExchange } from './deliverExchange.js';
import { sendIndicators } from './indicators.js';
import { syncExchangeStatuses } from './syncStatuses.js';

export const EXCHANGE_JOB_EVERY_MS = 3_000;
/** Indicators go up four times a day (the upper platform keeps the latest per month). */
export const EXCHANGE_INDICATORS_EVERY_MS = 6 * 3600_000;

export async function runExchangeJob(args: { db: Db; now: Date }): Promise<{ statuses: number; sent: number; failed: number; refused: number }> {
  const synced = await syncExchangeStatuses(args);
  const delivered = await deliverExchange(args);
  return { statuses: synced.sent, ...delivered };
}

export async function runExchangeIndicatorsJob(args: { db: Db; now: Date }): Promise<unknown> {
  return sendIndicators({ db: args.db, actor: null, now: args.now, skipWithoutPeers: true });
}
