/**
 * How our order states read to a peer (exchange v1 statuses), and which of our history steps are news for the
 * platform an order came from. Pure: the sync sweep and the tests use it.
 */
import type { OrderState } from '../order/index.js';
import { finalStates } from '../order/index.js';
import type { ExchangeStatus } from './messages.js';

/** exchangeStatusOf('signed') → 'handling'; exchangeStatusOf('returned') → 'accepted' (back with the hotline to re-dispatch). */
export function exchangeStatusOf(state: OrderState): ExchangeStatus {
  switch (state) {
    case 'accepted':
    case 'pending_review':
    case 'returned':
      return 'accepted';
    case 'dispatched':
      return 'dispatched';
    case 'signed':
    case 'responded':
    case 'in_progress':
    case 'parked':
      return 'handling';
    case 'replied':
      return 'replied';
    case 'followed_up':
      return 'followed_up';
    case 'closed':
    case 'merged':
      return 'closed';
    case 'terminated':
      return 'terminated';
    case 'invalid':
      return 'invalid';
  }
}

/**
 * A history step is reported to the origin when it moves the order to a different exchange status; the intake step
 * itself (no from-state) is not, since the origin learns the number from the order.create answer.
 */
export function statusNews(from: OrderState | null, to: OrderState | null): ExchangeStatus | null {
  if (!from || !to || from === to) return null;
  const next = exchangeStatusOf(to);
  return next === exchangeStatusOf(from) ? null : next;
}

/** Whether the origin may close its own order from what the peer reported: the peer replied, and ours is still open. */
export function canCloseFromRemote(local: OrderState, remote: ExchangeStatus | null, hasReply: boolean): { ok: true } | { ok: false; reason: string } {
  if (finalStates.includes(local)) return { ok: false, reason: '工单已结束，不能再办结' };
  if (!hasReply || (remote !== 'replied' && remote !== 'followed_up' && remote !== 'closed')) return { ok: false, reason: '对方平台尚未答复，不能据此办结' };
  return { ok: true };
}

/** Direction words for people: a peer above us is sent up to (上报), below us sent down to (下派). */
export const directionLabels = { upper: '上报', lower: '下派' } as const;
export type PeerDirection = keyof typeof directionLabels;
