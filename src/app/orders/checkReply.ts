/**
 * Check a proposed reply (答复) before it is sent: score it against the order's request on relevance, completeness,
 * explanation and timeliness (working days from acceptance to now), with the reasons a weak reply is weak.
 * Reads only; the reply itself is sent with the `reply` transition.
 */
import type { Actor } from '../../domain/actor.js';
import { invalid } from '../../domain/errors.js';
import type { DbOrTx } from '../../store/db.js';
import { scoreReply, type ReplyDimensions } from '../../intelligence/reply/replyQuality.js';
import { loadVisibleOrder } from './orderRecord.js';

export const MAX_REPLY_CHARS = 5000;

export type ReplyCheck = { score: number; dimensions: ReplyDimensions; reasons: string[]; weak: boolean };

/**
 * @example
 * await checkReply({ db, actor, orderId, text: '您好，已转相关部门处理。', now: new Date() })
 * // → { score: 0.16, weak: true, reasons: ['答复仅告知收悉或转办，未说明调查和处理情况', …], dimensions: {…} }
 */
export async function checkReply(args: { db: DbOrTx; actor: Actor; orderId: string; text: string; now: Date }): Promise<ReplyCheck> {
  const text = args.text.trim();
  if (text === '') throw invalid('text', '答复内容不能为空');
  if (text.length > MAX_REPLY_CHARS) throw invalid('text', `答复内容不能超过 ${MAX_REPLY_CHARS} 字`);
  const rec = await loadVisibleOrder(args.db, args.actor, args.orderId);
  const s = scoreReply({ title: rec.row.title, body: rec.row.body, reply: text, time: rec.row.acceptedAt, replyTime: args.now });
  return { score: s.score, dimensions: s.dimensions, reasons: s.reasons, weak: s.weak };
}
