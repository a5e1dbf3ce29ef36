/** 处置情况: a unit that reported in (or the street itself) records its part in the joint handling. */
import type { Actor } from '../../domain/actor.js';
import * as rules from '../../domain/whistle/index.js';
import type { Db } from '../../store/db.js';
import { loadVisibleWhistle, saveWhistleChange, withApiFieldNames } from './whistleRecord.js';

/**
 * recordPart({ db, actor: chengguan, whistleId, text: '责令三家店铺限期整改', now }) records the part of the
 * actor's own unit, or of `unitCode` when the street writes it down for a unit on site.
 */
export async function recordPart(args: { db: Db; actor: Actor; whistleId: string; unitCode?: string | undefined; text: string; now: Date }): Promise<{ id: string }> {
  const { db, actor, now } = args;
  return db.transaction(async (tx) => {
    const rec = await loadVisibleWhistle(tx, actor, args.whistleId, { forUpdate: true });
    const unitId = args.unitCode ?? actor.unitId ?? '';
    const change = withApiFieldNames(() => rules.recordPart({ whistle: rec.whistle, unitId, actor, now, text: args.text }));
    await saveWhistleChange(tx, { actor, before: rec, change, no: rec.row.no, now });
    return { id: rec.row.id };
  });
}
