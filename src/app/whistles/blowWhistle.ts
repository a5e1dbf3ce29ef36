/**
 * 吹哨: a street's handler or leader summons departments and companies to a place, over orders the street can
 * see. The whistle, its units and orders, the first history row and the summons go out in one transaction.
 */
import { and, inArray, type SQL } from 'drizzle-orm';
import type { Actor } from '../../domain/actor.js';
import { DomainError, forbidden, invalid } from '../../domain/errors.js';
import { isUnitLevel } from '../../domain/jurisdiction.js';
import * as rules from '../../domain/whistle/index.js';
import type { Db } from '../../store/db.js';
import { orders } from '../../store/schema/index.js';
import { unitsByCode, visibleCondition } from '../orders/orderRecord.js';
import { newWhistleId, nextWhistleNo, saveWhistleChange, unitInfo } from './whistleRecord.js';

export type BlowWhistleInput = {
  kind: rules.WhistleKind;
  reason: string;
  place: string;
  meetAt: Date;
  /** Unit codes of the departments and companies summoned. */
  summoned: string[];
  orderIds?: string[] | undefined;
  /** Minutes to report in; the policy's default for the kind when absent. */
  reportDeadlineMinutes?: number | undefined;
};

/** blowWhistle({ db, actor: wangjing, input: { kind: 'hard', …, summoned: ['110105-CGZF', '110105-SCJG'], reportDeadlineMinutes: 30 }, now }) → { id, no } */
export async function blowWhistle(args: { db: Db; actor: Actor; input: BlowWhistleInput; now: Date }): Promise<{ id: string; no: string }> {
  const { db, actor, input, now } = args;
  return db.transaction(async (tx) => {
    // The street is the actor's own unit: someone who acts for no street is refused, not told a field is wrong.
    const street = actor.unitId ? (await unitInfo(tx, [actor.unitId])).get(actor.unitId) : undefined;
    if (!street || street.level !== 'street') throw forbidden('只有街道/乡镇的承办人或领导可以吹哨');

    const found = await unitsByCode(tx, input.summoned);
    const summoned = input.summoned.map((code, i) => {
      const u = found.get(code);
      if (!u || !isUnitLevel(u.level)) throw invalid(`summoned[${i}]`, `单位 ${code} 不存在`);
      return { unitId: u.id, unitPath: u.path, level: u.level };
    });

    const orderIds = [...new Set(input.orderIds ?? [])];
    if (orderIds.length) {
      const conds = [inArray(orders.id, orderIds), visibleCondition(actor)].filter((c): c is SQL => !!c);
      const seen = new Set((await tx.select({ id: orders.id }).from(orders).where(and(...conds))).map((o) => o.id));
      const missing = orderIds.filter((id) => !seen.has(id));
      if (missing.length) throw new DomainError('VALIDATION_FAILED', `关联工单不存在：${missing.join('、')}`, [{ field: 'orderIds', reason: `不存在：${missing.join('、')}` }]);
    }

    const change = rules.blowWhistle({
      id: newWhistleId(),
      street: { unitId: street.id, path: street.path, level: street.level },
      actor,
      kind: input.kind,
      reason: input.reason,
      place: input.place,
      meetAt: input.meetAt,
      summoned,
      orderIds,
      ...(input.reportDeadlineMinutes !== undefined ? { reportDeadlineMinutes: input.reportDeadlineMinutes } : {}),
      policy: rules.defaultWhistlePolicy,
      now,
    });
    const no = await nextWhistleNo(tx, now);
    await saveWhistleChange(tx, { actor, before: null, change, no, now });
    return { id: change.whistle.id, no };
  });
}
