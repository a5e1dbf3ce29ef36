/** 关闭哨令: the street closes the whistle with its outcome and the orders its joint handling resolved. */
import type { Actor } from '../../domain/actor.js';
import * as rules from '../../domain/whistle/index.js';
import type { Db } from '../../store/db.js';
import { loadVisibleWhistle, saveWhistleChange } from './whistleRecord.js';

/**
 * closeWhistle({ db, actor: wangjing, whistleId, outcome: '三家店铺完成整改', closedOrderIds: [orderId], now }).
 * Units that never reported in are recorded as missing. The linked orders keep their own lifecycle: the
 * whistle marks them resolved by it (whistle_orders.closed_by_whistle) and notes it in their history.
 */
export async function closeWhistle(args: { db: Db; actor: Actor; whistleId: string; outcome: string; closedOrderIds: string[]; now: Date }): Promise<{ id: string }> {
  const { db, actor, now } = args;
  return db.transaction(async (tx) => {
    const rec = await loadVisibleWhistle(tx, actor, args.whistleId, { forUpdate: true });
    const change = rules.closeWhistle({ whistle: rec.whistle, actor, now, outcome: args.outcome, closedOrderIds: args.closedOrderIds });
    await saveWhistleChange(tx, { actor, before: rec, change, no: rec.row.no, now });
    return { id: rec.row.id };
  });
}
