/** 报到: a summoned unit reports in to a whistle, on time or late; the street may record it on site. */
import type { Actor } from '../../domain/actor.js';
import * as rules from '../../domain/whistle/index.js';
import type { Db } from '../../store/db.js';
import { loadVisibleWhistle, saveWhistleChange, withApiFieldNames } from './whistleRecord.js';

/**
 * reportIn({ db, actor: chengguan, whistleId, now }) reports in for the actor's own unit; the street's staff
 * pass `unitCode` to record a unit that arrived on site. Refusals: 404 unseen, FORBIDDEN, ILLEGAL_TRANSITION
 * (closed, or already reported), VALIDATION_FAILED (unit not summoned).
 */
export async function reportIn(args: { db: Db; actor: Actor; whistleId: string; unitCode?: string | undefined; note?: string | undefined; now: Date }): Promise<{ id: string; onTime: boolean }> {
  const { db, actor, now } = args;
  return db.transaction(async (tx) => {
    const rec = await loadVisibleWhistle(tx, actor, args.whistleId, { forUpdate: true });
    const unitId = args.unitCode ?? actor.unitId ?? '';
    const change = withApiFieldNames(() => rules.reportIn({ whistle: rec.whistle, unitId, actor, now, ...(args.note !== undefined ? { note: args.note } : {}) }));
    await saveWhistleChange(tx, { actor, before: rec, change, no: rec.row.no, now });
    const unit = change.whistle.summoned.find((u) => u.unitId === unitId);
    return { id: rec.row.id, onTime: unit?.onTime === true };
  });
}
